/**
 * Where every unit of a pool is, from submission to settlement, and which worker runs it.
 *
 * Units wait in one queue; each ready worker holds up to `depth` dispatched units and runs them in
 * order. `depth` adapts to how long the units of each function take: one for long units or a
 * function not measured yet (so work stays balanced), two for short ones (so a worker never waits
 * a round trip), up to `MAX_DEPTH` for tiny ones (so the IPC round trip is paid per batch, not per
 * task). A unit's timeout starts when it reaches the head of its worker's line.
 *
 * A caller's `AbortSignal` rejects the units it covers that have not finished: queued ones leave
 * the queue, lined-up ones are cancelled in their worker, a running one's worker is killed.
 */
import { TaskAbortedError, TaskDataError, TaskFailedError } from './errors'
import { CONSUMER_STOPPED } from './lazy-map'
import { fnKey, UNSENDABLE_RESULT, type UnitOutcome } from './protocol'
import { SignalWatch } from './signal-watch'
import type { FnRef, PoolCounters, TaskOptions } from './types'
import { RingQueue, type UnitQueue } from './unit-queue'
import type { UnitRecord } from './unit-record'
import type { Unsendable, WorkerHandle } from './worker-handle'

/** Most units one worker may hold at once (running plus lined up). */
const MAX_DEPTH = 256
/** Line up enough units to keep a worker busy this long between round trips. */
const PIPELINE_TARGET_MS = 2
/**
 * A unit expected to take less than this may have one more lined up behind it, so its worker never
 * waits a round trip for the next; longer ones are given one at a time, for balance.
 */
const LINE_UP_ONE_BELOW_MS = 10
/** Weight of a faster newest sample in a function's duration estimate (a slower one replaces it). */
const ESTIMATE_DOWN_WEIGHT = 0.5
/** A sample from a unit at least this many times bigger than the estimate's replaces it, faster or not. */
const SAMPLE_SIZE_FACTOR = 16

/** What a unit carries, as `WireUnit` names it. */
export type Payload = 'args' | 'inputs' | 'chunk'

/** Counters of a pool that has done nothing yet; also the start of a sum over pools. */
export function emptyCounters(): PoolCounters {
  return {
    submitted: 0,
    pending: 0,
    running: 0,
    completed: 0,
    failed: 0,
    retried: 0,
    crashedWorkers: 0,
    inputsSubmitted: 0,
    inputsCompleted: 0,
    inputsFailed: 0
  }
}

export class Scheduler {
  readonly counters: PoolCounters = emptyCounters()
  readonly #queue: UnitQueue<UnitRecord> = new RingQueue()
  /** The callers' signals, one listener each, and the pending units each one covers. */
  readonly #signals = new SignalWatch<UnitRecord>((units) => this.#abortAll(units))
  /**
   * Moving average of one input's run time in the workers, ms, per function (`fnKey`): it decides
   * how many units of that function a worker may hold. Per function, because one pool runs tiny
   * and long functions in turn, and a depth learnt on the tiny ones would line up many long ones
   * on one worker while another sits idle. A function not measured yet gets one unit per worker.
   */
  readonly #msPerInput = new Map<string, { ms: number; inputs: number }>()
  #nextUnitId = 1
  #isDispatchScheduled = false

  /**
   * @param workers the pool's slots, read at each dispatch.
   * @param onUnsendable called after a dispatch dropped units whose data could not be sent, which
   *   may have been the last work of a closing pool.
   */
  constructor(
    private readonly workers: readonly (WorkerHandle | undefined)[],
    private readonly maxUnitsPerWorker: number | undefined,
    private readonly onUnsendable: () => void
  ) {}

  /** Units waiting for a worker. */
  get queued(): number {
    return this.#queue.size
  }

  /** Queues a new unit; resolves to its result (an array of results for a chunk). */
  submit(
    fn: FnRef,
    payload: Payload,
    data: unknown[],
    options: Required<Pick<TaskOptions, 'retries'>> & TaskOptions & { extra?: unknown[] }
  ): Promise<unknown> {
    const id = this.#nextUnitId++
    const signal = options.signal
    if (signal?.aborted) return Promise.reject(new TaskAbortedError(id, signal.reason))
    return new Promise((resolve, reject) => {
      const unit: UnitRecord = {
        id,
        fn,
        fnKey: fnKey(fn),
        args: payload === 'args' ? data : undefined,
        inputs: payload === 'inputs' ? data : undefined,
        extra: payload === 'inputs' ? options.extra : undefined,
        chunk: payload === 'chunk' ? (data as unknown[][]) : undefined,
        size: payload === 'args' ? 1 : data.length,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        signal,
        state: 'queued',
        attempts: 0,
        worker: undefined,
        resolve,
        reject
      }
      if (signal) this.#signals.add(signal, unit)
      this.#queue.push(unit)
      this.counters.submitted++
      this.counters.inputsSubmitted += unit.size
      this.counters.pending++
      this.schedule()
    })
  }

  /** Dispatches soon; submissions made in the same tick go out together, one message per worker. */
  schedule(): void {
    if (this.#isDispatchScheduled || this.#queue.size === 0) return
    this.#isDispatchScheduled = true
    queueMicrotask(() => {
      this.#isDispatchScheduled = false
      this.#dispatch()
    })
  }

  /** A unit's worker reported its outcome: learn its duration and settle it. */
  complete(unit: UnitRecord, outcome: UnitOutcome): void {
    const ms = (outcome.endedAt - outcome.startedAt) / unit.size
    const estimate = this.#msPerInput.get(unit.fnKey)
    // Up at once (lining up too deep is the costly mistake), down by halves (first runs are slow
    // while the JIT warms up, and a cold estimate would keep a fast function un-pipelined) — but
    // at once from a unit of many more inputs than the estimate's: a single call's time is mostly
    // the call's own fixed cost, and spread over one input it made a 12,500-input chunk look like
    // 60 ms, so the first map of a function warmed by single calls ran one chunk per worker at a
    // time, each worker waiting a round trip between chunks.
    const isBetterEvidence = estimate !== undefined && unit.size >= estimate.inputs * SAMPLE_SIZE_FACTOR
    if (estimate === undefined || ms > estimate.ms || isBetterEvidence) this.#msPerInput.set(unit.fnKey, { ms, inputs: unit.size })
    else estimate.ms += (ms - estimate.ms) * ESTIMATE_DOWN_WEIGHT
    if (outcome.ok) this.settle(unit, undefined, outcome.value)
    else if (outcome.error.code === UNSENDABLE_RESULT) this.settle(unit, new TaskDataError(unit.id, 'result', outcome.error.message))
    else this.settle(unit, new TaskFailedError(unit.id, outcome.error))
  }

  /** Puts a dispatched unit that never ran (its worker exited) back at the head of the queue. */
  requeue(unit: UnitRecord): void {
    if (unit.state === 'settled') return
    unit.state = 'queued'
    unit.worker = undefined
    this.counters.running--
    this.counters.pending++
    this.#queue.unshift(unit)
  }

  /** Whether `unit`, whose worker died under it, may run again; if so it is counted and requeued. */
  retry(unit: UnitRecord): boolean {
    if (unit.attempts >= unit.retries) return false
    unit.attempts++
    this.counters.retried++
    this.requeue(unit)
    return true
  }

  /** Rejects every queued unit with `error` (the pool broke, terminated or closed for good). */
  failQueued(error: Error): void {
    for (let unit = this.#queue.shift(); unit; unit = this.#queue.shift()) this.settle(unit, error)
  }

  settle(unit: UnitRecord, error: Error | undefined, value?: unknown): void {
    if (unit.state === 'settled') return
    if (unit.state === 'queued') this.counters.pending--
    else this.counters.running--
    unit.state = 'settled'
    unit.worker = undefined
    if (unit.signal) this.#signals.release(unit.signal, unit)
    if (error) {
      this.counters.failed++
      this.counters.inputsFailed += unit.size
      unit.reject(error)
    } else {
      this.counters.completed++
      this.counters.inputsCompleted += unit.size
      unit.resolve(value)
    }
  }

  #dispatch(): void {
    if (this.#queue.size === 0) return
    const quota = this.maxUnitsPerWorker
    const touched = new Set<WorkerHandle>()
    let unsendable: Unsendable[] | undefined
    // Level by level, so a burst spreads evenly instead of filling the first worker to its depth.
    // From the shortest line up, and on past a level where nobody took a unit while a longer line
    // may still take one: stopping at the first such level (as this loop once did) never topped up
    // a line that was not empty, so a worker with one unit left waited a round trip for the next.
    let shortest = MAX_DEPTH
    let longest = 0
    for (const worker of this.workers) {
      if (!worker?.canTakeWork) continue
      shortest = Math.min(shortest, worker.lineLength)
      longest = Math.max(longest, worker.lineLength)
    }
    for (let level = shortest + 1; level <= MAX_DEPTH && this.#queue.size > 0; level++) {
      let gave = false
      for (const worker of this.workers) {
        if (this.#queue.size === 0) break
        if (!worker?.canTakeWork || worker.lineLength >= level) continue
        const unit = this.#queue.peek()!
        const depth = this.#depthFor(unit, worker)
        if (worker.lineLength >= depth) continue
        if (worker.adapter.refillsInBatches && !touched.has(worker) && worker.lineLength > depth / 2) continue
        if (quota !== undefined && worker.unitsGiven >= quota) continue
        // A unit with a timeout is only lined up behind nothing, so its clock starts when it runs.
        if (unit.timeoutMs !== undefined && worker.lineLength > 0) continue
        this.#queue.shift()
        unit.state = 'dispatched'
        unit.worker = worker
        this.counters.pending--
        this.counters.running++
        touched.add(worker)
        const lost = worker.give(unit)
        if (lost.length > 0) (unsendable ??= []).push(...lost)
        gave = true
      }
      if (!gave && level > longest) break
    }
    for (const worker of touched) {
      const lost = worker.flush()
      if (lost.length > 0) (unsendable ??= []).push(...lost)
    }
    if (!unsendable) return
    for (const { unit, reason } of unsendable) this.settle(unit, new TaskDataError(unit.id, 'arguments', reason))
    this.onUnsendable()
    this.schedule()
  }

  /** How many units (running plus lined up) `worker` may hold when `unit` is next in the queue. */
  #depthFor(unit: UnitRecord, worker: WorkerHandle): number {
    const perInput = this.#msPerInput.get(unit.fnKey)?.ms
    if (perInput === undefined) return 1
    const ms = perInput * unit.size
    if (ms >= PIPELINE_TARGET_MS) return ms < (worker.adapter.lineUpOneBelowMs ?? LINE_UP_ONE_BELOW_MS) ? 2 : 1
    // Short units: enough to keep the worker busy for its pipeline target between round trips.
    // Only short ones: on the cluster a virtual worker's lined-up jobs may run side by side on
    // several slots, and `workers` would no longer bound how many long jobs run at once.
    const target = worker.adapter.pipelineTargetMs ?? PIPELINE_TARGET_MS
    return Math.min(MAX_DEPTH, Math.max(2, Math.floor(target / Math.max(ms, 1e-3))))
  }

  /**
   * A signal aborted: rejects every unit it still covers, in submission order. Queued units leave
   * the queue in one pass (removing them one by one would make a big map's abort quadratic);
   * lined-up units are cancelled with one message per worker; a running unit's worker is killed.
   */
  #abortAll(units: UnitRecord[]): void {
    const unqueued = new Set<UnitRecord>()
    const cancels = new Map<WorkerHandle, number[]>()
    for (const unit of units) {
      if (unit.state === 'settled') continue
      const error = new TaskAbortedError(unit.id, unit.signal?.reason)
      if (unit.state === 'queued') {
        unqueued.add(unit)
        this.settle(unit, error)
        continue
      }
      const worker = unit.worker!
      // An imap whose consumer left early no longer wants the result, but killing the worker for
      // it would cost a restart and disrupt nothing else: the running unit finishes, unobserved.
      if (unit.signal?.reason === CONSUMER_STOPPED && worker.running === unit) continue
      const index = worker.remove(unit)
      if (index < 0) continue
      this.settle(unit, error)
      if (index === 0) {
        // It is running: only killing its worker stops it. The units behind it are requeued on exit.
        worker.kill()
      } else {
        const ids = cancels.get(worker)
        if (ids) ids.push(unit.id)
        else cancels.set(worker, [unit.id])
      }
    }
    if (unqueued.size > 0) this.#queue.removeAll(unqueued)
    for (const [worker, ids] of cancels) worker.cancel(ids)
  }
}
