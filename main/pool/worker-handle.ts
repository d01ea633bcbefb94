/**
 * One live worker of a pool: its adapter, its lifecycle and the line of units dispatched to it, in
 * the order it will run them (the head is the one running).
 *
 * The lifecycle is one state at a time, changed only by the methods here:
 *
 *   starting ─ready─▶ idle ◀─line empty── busy ─┐
 *       │              └──────give──────▶ ┘      │
 *       └──────────── stop / kill ─▶ stopping ◀──┘ ─exit─▶ exited  (exit can come from any state)
 */
import { fnKey, type WireUnit } from './protocol'
import type { WorkerSnapshot, WorkerState } from './types'
import type { UnitRecord } from './unit-record'
import type { WorkerAdapter } from './worker-adapter'

/**
 * A unit carrying at least this many inputs travels in a message of its own (and so does its
 * result), so the worker starts on it while the next one is still being encoded and sent.
 */
const OWN_MESSAGE_INPUTS = 256

/** A unit the worker's channel could not encode; it has left the line. */
export interface Unsendable {
  unit: UnitRecord
  reason: string
}

const NONE: readonly Unsendable[] = []

export class WorkerHandle {
  #state: WorkerState = 'starting'
  /** Set when the pool itself stops or kills this worker, so its exit is not a crash. */
  #isExitExpected = false
  /** Dispatched and not yet settled, in run order. */
  readonly #line: UnitRecord[] = []
  #unitsDone = 0
  /** Units ever given to this worker, for `maxTasksPerChild`. */
  #unitsGiven = 0
  /** Timer for the running unit's timeout, and the unit it is for. */
  #timeoutTimer: NodeJS.Timeout | undefined
  #timedUnit: UnitRecord | undefined
  /** The numbers this worker knows functions by (`WireFn`), by `fnKey`. */
  readonly #fnIds = new Map<string, number>()
  /** The next function number to give; numbers are never reused, even for a message that failed. */
  #nextFnId = 0
  /** Units given since the last flush, sent as one message by {@link flush}. */
  #outbox: WireUnit[] = []

  /**
   * @param onOverdue called with the running unit when its `timeoutMs` has passed; the unit has
   *   left the line and the worker is being killed.
   */
  constructor(
    readonly slot: number,
    readonly name: string,
    readonly restarts: number,
    readonly adapter: WorkerAdapter,
    private readonly onOverdue: (unit: UnitRecord) => void
  ) {}

  get state(): WorkerState {
    return this.#state
  }

  get isExitExpected(): boolean {
    return this.#isExitExpected
  }

  /** Started and not stopping: it may be given units. */
  get canTakeWork(): boolean {
    return this.#state === 'idle' || this.#state === 'busy'
  }

  /** The unit it is running now, if any. */
  get running(): UnitRecord | undefined {
    return this.#line[0]
  }

  /** Units it holds: running plus lined up. */
  get lineLength(): number {
    return this.#line.length
  }

  get unitsGiven(): number {
    return this.#unitsGiven
  }

  /** `starting → idle`; false if it was no longer starting (stopped before it was ready). */
  markReady(): boolean {
    if (this.#state !== 'starting') return false
    this.#state = 'idle'
    return true
  }

  /**
   * Lines `unit` up behind the others. Small units wait in the outbox for {@link flush}; a big one
   * goes at once, after the outbox (so the worker still receives units in line order).
   */
  give(unit: UnitRecord): readonly Unsendable[] {
    this.#line.push(unit)
    this.#unitsGiven++
    this.#state = 'busy'
    if (unit.size < OWN_MESSAGE_INPUTS) {
      this.#outbox.push(this.#toWire(unit))
      return NONE
    }
    const before = this.flush()
    const own = this.#send([this.#toWire(unit)])
    return before.length === 0 ? own : [...before, ...own]
  }

  /** Sends what {@link give} left in the outbox and starts the running unit's clock. */
  flush(): readonly Unsendable[] {
    let unsendable = NONE
    if (this.#outbox.length > 0) {
      const units = this.#outbox
      this.#outbox = []
      unsendable = this.#send(units)
    }
    if (this.#line.length === 0 && this.#state === 'busy') this.#state = 'idle'
    this.#armTimeout()
    return unsendable
  }

  /**
   * The unit `id` reported its outcome: it leaves the line (with any before it, which were
   * cancelled and so never report) and the next one's clock starts.
   */
  finish(id: number): UnitRecord | undefined {
    // Units run in order, so the outcome is almost always for the head.
    let index = 0
    while (index < this.#line.length && this.#line[index].id !== id) index++
    if (index === this.#line.length) return undefined
    const unit = this.#line[index]
    if (this.adapter.completesOutOfOrder) this.#line.splice(index, 1)
    else this.#line.splice(0, index + 1)
    this.#unitsDone++
    if (this.#line.length === 0 && this.#state === 'busy') this.#state = 'idle'
    this.#armTimeout()
    return unit
  }

  /** Takes `unit` out of the line (it was aborted); returns where it was, -1 if not there (0: running). */
  remove(unit: UnitRecord): number {
    const index = this.#line.indexOf(unit)
    if (index >= 0) this.#line.splice(index, 1)
    return index
  }

  /** Tells the worker to skip units it was given but has not started. */
  cancel(ids: number[]): void {
    if (this.canTakeWork) this.adapter.send({ type: 'cancel', ids })
  }

  /** Empties the line (the worker exited, or the pool is terminating), in run order. */
  releaseAll(): UnitRecord[] {
    return this.#line.splice(0)
  }

  /** Graceful stop: `shutdown`, killed if still running `graceMs` later. */
  stop(graceMs: number): void {
    if (this.#state === 'stopping' || this.#state === 'exited') return
    this.#beginStop()
    void this.adapter.stop(graceMs)
  }

  /** Immediate stop (timeout, abort of a running unit, terminate): its exit is expected. */
  kill(): void {
    if (this.#state === 'exited') return
    this.#beginStop()
    this.adapter.kill()
  }

  /** `→ exited`; returns the state it left (a worker that exits while `starting` failed to start). */
  markExited(): WorkerState {
    const was = this.#state
    this.#state = 'exited'
    clearTimeout(this.#timeoutTimer)
    return was
  }

  snapshot(): WorkerSnapshot {
    return {
      id: this.slot,
      name: this.name,
      pid: this.adapter.pid,
      state: this.#state,
      currentUnitId: this.running?.id,
      unitsDone: this.#unitsDone,
      restarts: this.restarts
    }
  }

  #beginStop(): void {
    this.#isExitExpected = true
    this.#state = 'stopping'
    clearTimeout(this.#timeoutTimer)
  }

  /** A unit's timeout starts when it reaches the head of the line, i.e. when it starts running. */
  #armTimeout(): void {
    const head = this.#line[0]
    if (this.#timedUnit === head) return
    clearTimeout(this.#timeoutTimer)
    this.#timedUnit = head
    this.#timeoutTimer = undefined
    if (!head || head.timeoutMs === undefined || this.#state === 'stopping' || this.#state === 'exited') return
    this.#timeoutTimer = setTimeout(() => {
      if (this.#line[0] !== head) return
      this.#line.shift()
      this.onOverdue(head)
      this.kill()
    }, head.timeoutMs)
  }

  /**
   * Sends units; returns those that could not be sent. Encoding fails before anything is written
   * (JSON.stringify, the structured clone), so on failure each unit is sent again on its own and
   * only those that cannot be encoded leave the line.
   */
  #send(units: WireUnit[]): readonly Unsendable[] {
    try {
      this.adapter.send({ type: 'run', units })
      return NONE
    } catch {
      // The worker never learnt the functions this message was to define: define them again.
      for (const wire of units) if ('fnId' in wire && wire.fnId !== undefined) this.#fnIds.delete(fnKey(wire.fn))
    }
    const unsendable: Unsendable[] = []
    for (const { id } of units) {
      const unit = this.#line.find((u) => u.id === id)
      if (!unit) continue
      const wire = this.#toWire(unit)
      try {
        this.adapter.send({ type: 'run', units: [wire] })
      } catch (error) {
        if ('fnId' in wire && wire.fnId !== undefined) this.#fnIds.delete(unit.fnKey)
        this.#line.splice(this.#line.indexOf(unit), 1)
        this.#unitsGiven--
        unsendable.push({ unit, reason: error instanceof Error ? error.message : String(error) })
      }
    }
    return unsendable
  }

  /** The unit as this worker receives it: its function by number once the worker has been told it. */
  #toWire(unit: UnitRecord): WireUnit {
    const wire = this.#toWireFn(unit)
    if (!this.adapter.wantsUnitOptions) return wire
    return { ...wire, ...(unit.timeoutMs !== undefined && { timeoutMs: unit.timeoutMs }), retries: unit.retries - unit.attempts }
  }

  #toWireFn(unit: UnitRecord): WireUnit {
    const known = this.#fnIds.get(unit.fnKey)
    if (known !== undefined) {
      if (unit.args) return { id: unit.id, fn: known, args: unit.args }
      if (unit.inputs) return { id: unit.id, fn: known, inputs: unit.inputs, ...(unit.extra && { extra: unit.extra }) }
      return { id: unit.id, fn: known, chunk: unit.chunk! }
    }
    const fnId = this.#nextFnId++
    this.#fnIds.set(unit.fnKey, fnId)
    if (unit.args) return { id: unit.id, fn: unit.fn, fnId, args: unit.args }
    if (unit.inputs) return { id: unit.id, fn: unit.fn, fnId, inputs: unit.inputs, ...(unit.extra && { extra: unit.extra }) }
    return { id: unit.id, fn: unit.fn, fnId, chunk: unit.chunk! }
  }
}
