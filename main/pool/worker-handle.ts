/**
 * One live worker of a pool: its adapter, its lifecycle state and the units dispatched to it, in
 * the order it will run them (the head is the one running).
 */
import type { WireUnit } from './protocol'
import type { UnitRecord } from './unit-record'
import type { WorkerAdapter } from './worker-adapter'
import type { WorkerSnapshot, WorkerState } from './types'

export class WorkerHandle {
  state: WorkerState = 'starting'
  /** Dispatched and not yet settled, in run order. */
  readonly inFlight: UnitRecord[] = []
  unitsDone = 0
  /** Units ever dispatched to this worker, for `maxTasksPerChild`. */
  unitsDispatched = 0
  /** Set when the pool itself stops or kills this worker, so its exit is not a crash. */
  isExitExpected = false
  /** Timer for the running unit's timeout. */
  timeoutTimer: NodeJS.Timeout | undefined
  timedUnit: UnitRecord | undefined
  /** The numbers this worker knows functions by (`WireFn`), by `fnKey`. */
  readonly fnIds = new Map<string, number>()
  /** The next function number to give; numbers are never reused, even for a message that failed. */
  nextFnId = 0
  /** Units given in the current dispatch, sent as one message when it ends. */
  readonly outbox: WireUnit[] = []
  /** Set while the current dispatch has given this worker something. */
  isDispatchTarget = false

  constructor(
    readonly slot: number,
    readonly name: string,
    readonly restarts: number,
    readonly adapter: WorkerAdapter
  ) {}

  get running(): UnitRecord | undefined {
    return this.inFlight[0]
  }

  snapshot(): WorkerSnapshot {
    return {
      id: this.slot,
      name: this.name,
      pid: this.adapter.pid,
      state: this.state,
      currentUnitId: this.inFlight[0]?.id,
      unitsDone: this.unitsDone,
      restarts: this.restarts
    }
  }
}
