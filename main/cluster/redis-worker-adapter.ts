/**
 * One of a cluster pool's workers: a *virtual* worker that speaks the engine's worker protocol
 * and turns it into BullMQ jobs on the run's queue. The engine schedules it like any worker
 * (depth, chunks, retries, timeouts, aborts); the jobs run on whichever worker host takes them.
 *
 * - `run`: every unit becomes one job (a chunk travels as one job); functions defined by number
 *   (`fnId`) are remembered, and each job names its function by ref, since any host may take it.
 * - Each job carries its unit's own timeout and the re-runs it has left (`wantsUnitOptions`), which
 *   the host enforces: an overdue job's child is killed and replaced there.
 * - Outcomes are handed to the engine as their jobs finish, in any order (`completesOutOfOrder`):
 *   jobs on several hosts finish in any order, and the engine puts `map` and `imap` results back
 *   in input order itself, so `imapUnordered` yields each result the moment its job completes.
 * - `cancel`, `kill`: the jobs are removed from the queue, or stopped on the host that runs them.
 * - A job's completion is taken once: a job that BullMQ ran twice (a stalled host that was only
 *   slow) cannot produce a second result.
 */
import type { FromWorker, SerializedError, ToWorker, UnitOptions, UnitOutcome, WireUnit } from '../pool/protocol'
import type { FnRef } from '../pool/types'
import type { WorkerAdapter, WorkerExit } from '../pool/worker-adapter'
import { WIRE_REF, type JobData } from './job-data'

/** What a virtual worker needs from its run's backend. */
export interface JobChannel {
  /** Settles once the run's queue is usable (rejected: Redis could not be reached). */
  readonly connected: Promise<void>
  /** Set once the connection to Redis is lost for good; every job of the run then fails with it. */
  readonly failure: Error | undefined
  /** For units that carry no timeout or retries of their own (the engine's always carry retries). */
  readonly jobDefaults: Pick<JobData, 'timeoutMs' | 'retries'>
  addJobs(owner: RedisWorkerAdapter, jobs: { jobId: string; data: JobData }[]): void
  /** Removes waiting jobs and stops running ones; their outcomes are no longer wanted. */
  cancelJobs(jobIds: string[]): void
}

/** A job's outcome as the channel reports it: the engine's `UnitOutcome` without the unit's id. */
export type JobOutcome =
  | { ok: true; value: unknown; startedAt: number; endedAt: number }
  | { ok: false; error: SerializedError; startedAt: number; endedAt: number }

/** A job id is `w<seq>-<unit id>`: the unit's id back from one (the dashboard's stream shows the host per unit). */
export function unitIdOfJob(jobId: string): number | undefined {
  const match = /^w\d+-(\d+)$/.exec(jobId)
  return match ? Number(match[1]) : undefined
}

export class RedisWorkerAdapter implements WorkerAdapter {
  /** No process of its own on this machine. */
  readonly pid = undefined
  readonly wantsUnitOptions = true
  readonly completesOutOfOrder = true
  /**
   * A job's hand-off goes through Redis both ways (added, taken, completed, read back): short jobs
   * are lined up 50 ms deep, and added half a line at a time, so a run of tiny jobs costs one
   * addBulk per hundred-odd jobs rather than one per finished job. Lined-up jobs wait in the run's
   * one queue, where any free slot on any host takes them.
   */
  readonly pipelineTargetMs: number | undefined = 50
  readonly refillsInBatches: boolean = true
  readonly #channel: JobChannel
  readonly #jobPrefix: string
  readonly #fnTable: FnRef[] = []
  /** Jobs sent whose outcome has not come yet: the unit each one runs. */
  readonly #open = new Map<string, number>()
  readonly #jobByUnit = new Map<number, string>()
  /** Outcomes come since the last flush, handed to the engine as one message. */
  #outbox: UnitOutcome[] = []
  #messageListeners: ((message: FromWorker) => void)[] = []
  #exitListeners: ((exit: WorkerExit) => void)[] = []
  #exit: WorkerExit | undefined
  #isFlushScheduled = false

  /** `seq` is unique within the run, so job ids never repeat even when a unit is sent again. */
  constructor(channel: JobChannel, seq: number) {
    this.#channel = channel
    this.#jobPrefix = `w${seq}-`
  }

  send(message: ToWorker): void {
    if (this.#exit) return
    switch (message.type) {
      case 'init':
        if (message.initializer) {
          this.#emitLater({ type: 'init-failed', error: { name: 'Error', message: 'the cluster backend runs no initializer: a job may run on any host' } })
          return
        }
        // Ready either way: if Redis cannot be reached, every unit fails with that error at once,
        // so the pool reports it instead of waiting for a worker that never starts.
        void this.#channel.connected.then(
          () => this.#emit({ type: 'ready', pid: process.pid }),
          () => this.#emit({ type: 'ready', pid: process.pid })
        )
        return
      case 'run':
        this.#run(message.units)
        return
      case 'cancel':
        this.#cancel(message.ids)
        return
      case 'shutdown':
        this.#exitLater({ code: message.exitCode ?? 0, signal: null })
        return
      case 'reply':
      case 'push':
        // No task code runs in this process, so none waits for a reply or a push.
        return
    }
  }

  onMessage(listener: (message: FromWorker) => void): void {
    this.#messageListeners.push(listener)
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    if (this.#exit) listener(this.#exit)
    else this.#exitListeners.push(listener)
  }

  onOutput(): void {
    // Hosts keep their slots' output; nothing reaches this process.
  }

  /** The engine stops this worker at once (timeout, abort, terminate): its jobs are dropped. */
  kill(): void {
    if (this.#exit) return
    this.#dropAll()
    this.#exitLater({ code: null, signal: 'SIGKILL' })
  }

  /**
   * Graceful stop. The engine stops a worker gracefully only once it holds nothing, and nothing
   * runs in this process, so there is nothing to wait for: it leaves at once (`graceMs` unused).
   */
  stop(_graceMs: number): Promise<WorkerExit> {
    return new Promise((resolve) => {
      this.onExit(resolve)
      if (this.#exit) return
      this.#dropAll()
      this.#exitLater({ code: 0, signal: null })
    })
  }

  /**
   * A job of this worker finished (called by the channel): its outcome goes to the engine on this
   * turn's flush. False when the job is not open here (a second completion of one job, or a job
   * cancelled or already failed: the engine is no longer waiting for it).
   */
  settle(jobId: string, outcome: JobOutcome): boolean {
    const unitId = this.#open.get(jobId)
    if (unitId === undefined) return false
    this.#close(jobId, unitId)
    this.#outbox.push({ ...outcome, id: unitId })
    this.#scheduleFlush()
    return true
  }

  /** Every job not finished yet fails with `error` (the connection to Redis is gone). */
  failAll(error: Error): void {
    const now = Date.now()
    for (const [jobId, unitId] of [...this.#open]) {
      this.#close(jobId, unitId)
      this.#outbox.push({ id: unitId, ok: false, error: { name: error.name, message: error.message }, startedAt: now, endedAt: now })
    }
    this.#scheduleFlush()
  }

  #run(units: WireUnit[]): void {
    // Encoded up front, as a process channel encodes a message before writing it: a value JSON
    // cannot carry makes `send` throw, with nothing recorded, and the engine fails only the
    // units that cannot travel (its TaskDataError).
    const defined: [number, FnRef][] = []
    const table = (n: number) => defined.find(([id]) => id === n)?.[1] ?? this.#fnTable[n]
    const jobs: { jobId: string; data: JobData; unitId: number; refused?: string }[] = []
    for (const unit of units) {
      const fn = typeof unit.fn === 'number' ? table(unit.fn) : unit.fn
      if ('fnId' in unit && unit.fnId !== undefined && typeof unit.fn !== 'number') defined.push([unit.fnId, unit.fn])
      const jobId = `${this.#jobPrefix}${unit.id}`
      const refused = refusal(fn)
      const payload = 'args' in unit ? { args: unit.args } : 'inputs' in unit ? { inputs: unit.inputs, ...(unit.extra && { extra: unit.extra }) } : { chunk: unit.chunk }
      jobs.push({ jobId, unitId: unit.id, data: { fn: typeof fn === 'string' ? fn : '', ...payload, ...unitOptions(unit, this.#channel.jobDefaults) }, refused })
    }
    JSON.stringify(jobs)
    for (const [id, fn] of defined) this.#fnTable[id] = fn
    const now = Date.now()
    const failure = this.#channel.failure
    const toAdd: { jobId: string; data: JobData }[] = []
    for (const job of jobs) {
      const refusedWith = job.refused ?? failure?.message
      if (refusedWith === undefined) {
        this.#open.set(job.jobId, job.unitId)
        this.#jobByUnit.set(job.unitId, job.jobId)
        toAdd.push({ jobId: job.jobId, data: job.data })
      } else {
        const name = job.refused ? 'ClusterRefError' : (failure?.name ?? 'Error')
        this.#outbox.push({ id: job.unitId, ok: false, error: { name, message: refusedWith }, startedAt: now, endedAt: now })
      }
    }
    if (toAdd.length > 0) this.#channel.addJobs(this, toAdd)
    if (toAdd.length < jobs.length) this.#scheduleFlush()
  }

  #cancel(unitIds: number[]): void {
    const jobIds: string[] = []
    for (const unitId of unitIds) {
      const jobId = this.#jobByUnit.get(unitId)
      if (jobId === undefined) continue
      this.#close(jobId, unitId)
      jobIds.push(jobId)
    }
    // An outcome that came meanwhile is for a unit the engine no longer holds: it ignores it.
    if (jobIds.length > 0) this.#channel.cancelJobs(jobIds)
  }

  #dropAll(): void {
    const open = [...this.#open.keys()]
    this.#open.clear()
    this.#jobByUnit.clear()
    this.#outbox = []
    if (open.length > 0) this.#channel.cancelJobs(open)
  }

  #close(jobId: string, unitId: number): void {
    this.#open.delete(jobId)
    this.#jobByUnit.delete(unitId)
  }

  #scheduleFlush(): void {
    if (this.#isFlushScheduled) return
    this.#isFlushScheduled = true
    // Outcomes that land in the same turn go to the engine as one message, and never from inside
    // one of its own calls (a process's messages never arrive synchronously either).
    queueMicrotask(() => {
      this.#isFlushScheduled = false
      this.#flush()
    })
  }

  #flush(): void {
    const outcomes = this.#outbox
    this.#outbox = []
    if (outcomes.length > 0) this.#emit({ type: 'results', outcomes })
  }

  #emit(message: FromWorker): void {
    if (this.#exit) return
    for (const listener of this.#messageListeners) listener(message)
  }

  #emitLater(message: FromWorker): void {
    queueMicrotask(() => this.#emit(message))
  }

  #exitLater(exit: WorkerExit): void {
    // Set now, so nothing more is sent or emitted; announced on a later turn, as a process's exit is.
    this.#exit = exit
    setImmediate(() => {
      const listeners = this.#exitListeners
      this.#exitListeners = []
      this.#messageListeners = []
      for (const listener of listeners) listener(exit)
    })
  }
}

/** The unit's own timeout and re-runs as its job carries them, else the defaults (absent: none). */
function unitOptions(unit: UnitOptions, defaults: UnitOptions): Pick<JobData, 'timeoutMs' | 'retries'> {
  const timeoutMs = unit.timeoutMs ?? defaults.timeoutMs
  const retries = unit.retries ?? defaults.retries
  return { ...(timeoutMs !== undefined && { timeoutMs }), ...(retries !== undefined && retries > 0 && { retries }) }
}

/** Why a job cannot name `fn`, or undefined when it can: hosts run catalog refs only. */
function refusal(fn: FnRef | undefined): string | undefined {
  if (fn === undefined) return 'the unit names a function number this worker was never told'
  if (typeof fn === 'string' && WIRE_REF.test(fn)) return undefined
  const shown = typeof fn === 'string' ? JSON.stringify(fn) : `{ module: ${JSON.stringify(fn.module)} }`
  return `the cluster runs catalog functions only ("<task-id>:<export>" or "builtin:<name>"), not ${shown}: a worker host never loads code it is sent`
}
