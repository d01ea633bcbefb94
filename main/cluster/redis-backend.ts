/**
 * The Redis worker backend: the engine's `Pool` given this backend runs every unit as a BullMQ
 * job on a queue of this run's own, taken by `poolscope worker` hosts. One backend is one run:
 * it owns the run's queue, listens to its events, keeps the run's heartbeat, and when the pool
 * ends leaves nothing of the run in Redis ({@link RedisBackend.dispose}).
 *
 * Results come back through BullMQ's own events (QueueEvents, read from the stream's start, so
 * none is missed between the queue's creation and the first read); a job's outcome goes to the
 * virtual worker that sent it, once.
 */
import { randomUUID } from 'node:crypto'
import { Job, Queue, QueueEvents } from 'bullmq'
import type { Redis } from 'ioredis'
import type { AdapterOptions, WorkerAdapter, WorkerBackend } from '../pool/worker-adapter'
import { RedisUnavailableError } from './cluster-errors'
import { listHosts, type HostRecord } from './host-record'
import { RUN_ALIVE_EVERY_MS, RUN_ALIVE_TTL_MS } from './cluster-timing'
import { parseFailure, type JobData, type JobResult } from './job-data'
import { aliveKey, CANCEL_CHANNEL, PREFIX, queueName, RUNS_CHANNEL, RUNS_KEY } from './keys'
import { connectionOptions, describeConnectionError, isConnectionError, lastConnectionError, openConnection, waitReady } from './redis-connection'
import type { RedisTarget } from './redis-url'
import { sweepRunKeys, unregisterRun, within } from './run-cleanup'
import { newRunRecord } from './run-record'
import { RedisWorkerAdapter, type JobChannel } from './redis-worker-adapter'

/** Failed jobs kept for the dashboard (their reason and a retry), per run; the run's end removes them. */
const KEEP_FAILED = 1_000
/** A clean-up step against a Redis that stopped answering gives up after this. */
const CLEANUP_STEP_MS = 3_000
/**
 * Events in the stream are trimmed to about this many per virtual worker and more. The stream
 * must hold every event the pool has not read yet, or a result is lost: a worker holds at most the
 * engine's 256 units, each writing about five events (added, waiting, active, completed, drained).
 */
const EVENTS_PER_WORKER = 256 * 8
const MIN_EVENTS = 10_000

export interface RedisBackendOptions {
  target: RedisTarget
  /** The pool's worker count (sizes the event stream). */
  workers: number
  /** What the run is, for dashboards: a task id or the pool's name. */
  label: string
  /**
   * Timeout and retries for units that carry none of their own. The engine's units carry their
   * own (the call's, else the pool's), so these matter only to other senders.
   */
  jobDefaults?: Pick<JobData, 'timeoutMs' | 'retries'>
  /** Hears of every job that finished, with the host that ran it (the dashboard's task stream). */
  onJobDone?: (job: { jobId: string; host: string | undefined; ok: boolean; startedAt: number; endedAt: number }) => void
}

export class RedisBackend implements WorkerBackend, JobChannel {
  readonly name = 'redis'
  /**
   * A lazy map keeps 64 units out per virtual worker (a local pool keeps 4): each unit's result
   * takes a trip through Redis and back, and with only a few out the hosts wait on that trip
   * (imapUnordered of tiny jobs ran at a sixth of map's rate).
   */
  readonly lazyUnitsPerWorker = 64
  readonly runId = randomUUID().slice(0, 13).replace('-', '')
  readonly queueName = queueName(this.runId)
  readonly target: RedisTarget
  readonly jobDefaults: Pick<JobData, 'timeoutMs' | 'retries'>
  readonly connected: Promise<void>
  failure: Error | undefined
  readonly #options: RedisBackendOptions
  readonly #control: Redis
  #queue: Queue | undefined
  #events: QueueEvents | undefined
  /** Who sent each job still out: its outcome goes there, once. */
  readonly #owners = new Map<string, RedisWorkerAdapter>()
  readonly #adapters = new Set<RedisWorkerAdapter>()
  /** Jobs cancelled while running: their failure, when it comes, is removed from the queue. */
  readonly #cancelled = new Set<string>()
  #seq = 0
  #aliveTimer: NodeJS.Timeout | undefined
  #disposed: Promise<void> | undefined

  constructor(options: RedisBackendOptions) {
    this.#options = options
    this.target = options.target
    this.jobDefaults = options.jobDefaults ?? {}
    this.#control = openConnection(options.target, 'give-up')
    this.connected = this.#connect()
    // Awaited by the pool's `ready()`; a pool used without it still sees the error on every unit.
    this.connected.catch(() => undefined)
  }

  createAdapter(_options: AdapterOptions): WorkerAdapter {
    const adapter = new RedisWorkerAdapter(this, ++this.#seq)
    this.#adapters.add(adapter)
    adapter.onExit(() => this.#adapters.delete(adapter))
    if (this.failure) adapter.failAll(this.failure)
    return adapter
  }

  addJobs(owner: RedisWorkerAdapter, jobs: { jobId: string; data: JobData }[]): void {
    for (const { jobId } of jobs) this.#owners.set(jobId, owner)
    this.connected
      .then(() => this.#queue!.addBulk(jobs.map(({ jobId, data }) => ({ name: data.fn, data, opts: { jobId } }))))
      .catch((error: unknown) => {
        const failure = this.failure ?? this.#asConnectionError(asError(error))
        const now = Date.now()
        for (const { jobId } of jobs) {
          if (this.#owners.get(jobId) !== owner) continue
          this.#owners.delete(jobId)
          owner.settle(jobId, { ok: false, error: { name: failure.name, message: failure.message }, startedAt: now, endedAt: now })
        }
      })
  }

  cancelJobs(jobIds: string[]): void {
    for (const jobId of jobIds) {
      this.#owners.delete(jobId)
      this.#cancelled.add(jobId)
    }
    if (this.failure || this.#disposed) return
    void this.connected
      .then(async () => {
        // Running jobs are stopped by the host that runs them; waiting ones are simply removed.
        await this.#control.publish(CANCEL_CHANNEL, JSON.stringify({ run: this.runId, jobIds }))
        const removed = await Promise.all(jobIds.map((jobId) => this.#queue!.remove(jobId)))
        jobIds.forEach((jobId, i) => removed[i] === 1 && this.#cancelled.delete(jobId))
      })
      .catch(() => undefined)
  }

  /** The worker hosts whose records have not expired; none while Redis is unreachable. */
  async hosts(): Promise<HostRecord[]> {
    const isUsable = await this.connected.then(() => !this.failure, () => false)
    return isUsable ? listHosts(this.#control) : []
  }

  /** The run's queue, for status readers (counts, failed jobs); undefined until connected. */
  get queue(): Queue | undefined {
    return this.#queue
  }

  /**
   * Ends the run in Redis: unregisters it (hosts stop serving it at once), obliterates its queue,
   * sweeps what is left, closes every connection. Idempotent; never hangs on a Redis that is gone.
   */
  dispose(): Promise<void> {
    this.#disposed ??= this.#dispose()
    return this.#disposed
  }

  async #connect(): Promise<void> {
    const { target } = this.#options
    try {
      await waitReady(this.#control, target)
    } catch (error) {
      this.#fail(asError(error))
      throw error
    }
    const connection = connectionOptions(target, 'give-up')
    const maxLen = Math.max(MIN_EVENTS, this.#options.workers * EVENTS_PER_WORKER)
    const queue = new Queue(this.queueName, {
      connection,
      prefix: PREFIX,
      streams: { events: { maxLen } },
      defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: { count: KEEP_FAILED } }
    })
    const events = new QueueEvents(this.queueName, { connection, prefix: PREFIX, lastEventId: '0-0' })
    this.#queue = queue
    this.#events = events
    // BullMQ re-emits its connections' errors; the control connection reports the loss once.
    queue.on('error', () => undefined)
    events.on('error', () => undefined)
    events.on('completed', ({ jobId, returnvalue }) => this.#onCompleted(jobId, returnvalue as unknown as JobResult))
    events.on('failed', ({ jobId, failedReason }) => void this.#onFailed(jobId, failedReason))
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()])
      const record = newRunRecord(this.runId, this.queueName, this.#options.label, this.#options.workers)
      await this.#control
        .multi()
        .hset(RUNS_KEY, this.runId, JSON.stringify(record))
        .set(aliveKey(this.runId), '1', 'PX', RUN_ALIVE_TTL_MS)
        .publish(RUNS_CHANNEL, this.runId)
        .exec()
    } catch (error) {
      const failure = new RedisUnavailableError(target.masked, describeConnectionError(asError(error)), 'connect')
      this.#fail(failure)
      throw failure
    }
    this.#control.on('end', () => this.#fail(new RedisUnavailableError(target.masked, lastConnectionError(this.#control), 'lost')))
    this.#aliveTimer = setInterval(() => {
      this.#control.set(aliveKey(this.runId), '1', 'PX', RUN_ALIVE_TTL_MS).catch(() => undefined)
    }, RUN_ALIVE_EVERY_MS).unref()
  }

  #onCompleted(jobId: string, result: JobResult | undefined): void {
    const owner = this.#owners.get(jobId)
    if (!owner) return
    this.#owners.delete(jobId)
    const now = Date.now()
    const startedAt = typeof result?.startedAt === 'number' ? result.startedAt : now
    const endedAt = typeof result?.endedAt === 'number' ? result.endedAt : now
    owner.settle(jobId, { ok: true, value: result?.value, startedAt, endedAt })
    this.#options.onJobDone?.({ jobId, host: result?.host, ok: true, startedAt, endedAt })
  }

  async #onFailed(jobId: string, reason: string): Promise<void> {
    if (this.#cancelled.delete(jobId)) {
      // Stopped because its outcome was no longer wanted: not a failure to keep for the dashboard.
      await this.#queue?.remove(jobId).catch(() => undefined)
      return
    }
    const owner = this.#owners.get(jobId)
    if (!owner) return
    this.#owners.delete(jobId)
    // The host's stack, for the engine's TaskFailedError (it shows where the bug is).
    const job = await Job.fromId(this.#queue!, jobId).catch(() => undefined)
    const stack = job?.stacktrace?.at(-1) ?? undefined
    const now = Date.now()
    const startedAt = job?.processedOn ?? now
    const endedAt = job?.finishedOn ?? now
    owner.settle(jobId, { ok: false, error: parseFailure(reason, stack), startedAt, endedAt })
    this.#options.onJobDone?.({ jobId, host: job?.processedBy, ok: false, startedAt, endedAt })
  }

  /** A command that failed because the connection did reads as the run's lost connection. */
  #asConnectionError(error: Error): Error {
    if (!isConnectionError(error)) return error
    return new RedisUnavailableError(this.target.masked, describeConnectionError(error), 'lost')
  }

  #fail(error: Error): void {
    if (this.failure) return
    this.failure = error
    clearInterval(this.#aliveTimer)
    this.#owners.clear()
    for (const adapter of this.#adapters) adapter.failAll(error)
  }

  async #dispose(): Promise<void> {
    clearInterval(this.#aliveTimer)
    const isUsable = await this.connected.then(
      () => this.failure === undefined,
      () => false
    )
    if (isUsable) {
      const step = (what: string, work: () => Promise<unknown>) => within(CLEANUP_STEP_MS, what, work()).catch(() => undefined)
      await step('unregistering the run', () => unregisterRun(this.#control, this.runId))
      await step('obliterating the queue', () => this.#queue!.obliterate({ force: true }))
      await step('sweeping the run', () => sweepRunKeys(this.#control, this.runId))
    }
    await Promise.all([
      within(CLEANUP_STEP_MS, 'closing the events', this.#events?.close() ?? Promise.resolve()).catch(() => undefined),
      within(CLEANUP_STEP_MS, 'closing the queue', this.#queue?.close() ?? Promise.resolve()).catch(() => undefined)
    ])
    this.#control.disconnect()
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
