/**
 * `poolscope worker`: one host of the cluster. It serves every run in progress — a BullMQ Worker
 * on each run's queue, `slots` jobs at a time — and runs each job in one of `slots` sandboxed
 * child processes: the engine's own local `Pool`, so timeouts, crashes and cancels of a job are
 * the engine's rules. Every second it publishes its record (per-core load, slots, active jobs)
 * with a short TTL, and looks for runs that began or ended (a Redis message says so at once too).
 *
 * Redis going away is not fatal here: the host says so, retries with a growing wait, and serves
 * again when Redis is back. A run whose pool died without ending it is swept by the hosts.
 */
import { hostname } from 'node:os'
import { UnrecoverableError, Worker, Queue, type Job } from 'bullmq'
import type { Redis } from 'ioredis'
import { CoreLoadMeter } from '../monitor/core-load-meter'
import { Pool } from '../pool/pool'
import {
  HOST_RECORD_EVERY_MS,
  HOST_RECORD_TTL_MS,
  LOCK_DURATION_MS,
  MAX_STALLED_COUNT,
  STALLED_INTERVAL_MS
} from './cluster-timing'
import type { HostJob, HostRecord } from './host-record'
import { processJob, JobFailure } from './job-processor'
import { aliveKey, CANCEL_CHANNEL, gcKey, hostKey, PREFIX, RUNS_CHANNEL, RUNS_KEY } from './keys'
import { RedisUnavailableError } from './cluster-errors'
import { connectionOptions, describeConnectionError, isAuthError, openConnection } from './redis-connection'
import type { RedisTarget } from './redis-url'
import { sweepRunKeys, unregisterRun, within } from './run-cleanup'
import { parseRunRecord, type RunRecord } from './run-record'

/** A dead run's sweep is done by one host: the others see this lock and leave it. */
const GC_LOCK_MS = 10_000
/** Stopping to serve a run waits this long for its cancelled jobs to wind down. */
const RUN_CLOSE_MS = 5_000
/** Cancelled job ids remembered per run, in case one is taken after its cancel was heard. */
const MAX_REMEMBERED_CANCELS = 10_000
/**
 * Once a run's last SHORT_STREAK jobs here each took less than SHORT_JOB_MS, the host takes
 * PREFETCH jobs per slot at once: each take costs a Redis round trip, which for a tiny job is most
 * of its time, and the slot's own line keeps the extra ones going (W7, a job per tiny input: 8 at a
 * time ran at 0.75× plain BullMQ, 32 at about 0.95×). A job's time here includes its wait behind
 * the ones taken with it, so jobs long enough that PREFETCH of them hold a slot past SHORT_JOB_MS
 * end the streak themselves: what a host holds that another could be running stays near
 * SHORT_JOB_MS per slot. The first longer job puts it back to one per slot at once: a host that took
 * eight 40 ms jobs while the other idled ran slower than one process.
 */
const SHORT_JOB_MS = 20
const SHORT_STREAK = 64
const PREFETCH = 32
/** At most this many of the running jobs go into the host record. */
const RECORD_JOBS = 64

export interface WorkerHostOptions {
  target: RedisTarget
  name: string
  slots: number
  log(line: string): void
  /** The built worker entry for the slots; default next to the bundle. */
  workerScript?: string
}

interface ServedRun {
  record: RunRecord
  worker: Worker
  /** How many of this run's jobs in a row were short here (see SHORT_STREAK). */
  shortStreak: number
}

export class WorkerHost {
  readonly #options: WorkerHostOptions
  readonly #pool: Pool
  readonly #control: Redis
  readonly #subscriber: Redis
  readonly #runs = new Map<string, ServedRun>()
  /** Jobs cancelled before this host started them, per run: they must not start later. */
  readonly #cancelled = new Map<string, Set<string>>()
  readonly #active = new Map<string, HostJob>()
  readonly #meter = new CoreLoadMeter()
  readonly #startedAt = Date.now()
  #jobsDone = 0
  #jobsFailed = 0
  #timer: NodeJS.Timeout | undefined
  #isSyncing = false
  #isStopping = false
  #wasConnected = false

  constructor(options: WorkerHostOptions) {
    this.#options = options
    const { target, name, log } = options
    this.#pool = new Pool({ workers: options.slots, name, ...(options.workerScript ? { workerScript: options.workerScript } : {}) })
    this.#control = openConnection(target, 'forever', ({ delayMs, reason }) => {
      const what = this.#wasConnected ? 'lost Redis at' : 'cannot reach Redis at'
      log(`${what} ${target.masked} (${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s`)
    })
    this.#subscriber = openConnection(target, 'forever')
  }

  /**
   * Starts serving at once; Redis may not be up yet (the host waits for it, and says so). `onFatal`
   * hears of a refusal that waiting cannot cure: Redis refused the credentials.
   */
  start(onFatal: (error: Error) => void): void {
    const { target, name, slots, log } = this.#options
    log(`${slots} slot${slots === 1 ? '' : 's'}, joining ${target.masked}`)
    this.#control.on('error', (error: Error) => {
      if (isAuthError(error)) onFatal(new RedisUnavailableError(target.masked, describeConnectionError(error), 'connect'))
    })
    this.#control.on('ready', () => {
      log(this.#wasConnected ? `reconnected to ${target.masked}` : `connected to ${target.masked}; waiting for runs`)
      if (!this.#wasConnected) void this.#warnOfNamesake()
      this.#wasConnected = true
      void this.#tick()
    })
    void this.#subscriber.subscribe(RUNS_CHANNEL, CANCEL_CHANNEL).catch(() => undefined)
    this.#subscriber.on('message', (channel: string, message: string) => {
      if (channel === RUNS_CHANNEL) void this.#syncRuns()
      else if (channel === CANCEL_CHANNEL) this.#onCancel(message)
    })
    this.#timer = setInterval(() => void this.#tick(), HOST_RECORD_EVERY_MS)
  }

  /**
   * Leaves the cluster: takes no new jobs, lets running ones finish (up to `graceMs`; jobs still
   * running then go back to the queue when their locks expire), removes its record.
   */
  async stop(graceMs: number): Promise<void> {
    this.#isStopping = true
    clearInterval(this.#timer)
    const runs = [...this.#runs.values()]
    this.#runs.clear()
    await Promise.all(runs.map(({ worker }) => within(graceMs, 'finishing the running jobs', worker.close()).catch(() => worker.close(true))))
    this.#pool.close()
    await within(graceMs, 'stopping the slots', this.#pool.join()).catch(() => this.#pool.terminate())
    await within(1_000, 'removing the host record', this.#control.del(hostKey(this.#options.name))).catch(() => undefined)
    this.#control.disconnect()
    this.#subscriber.disconnect()
  }

  async #tick(): Promise<void> {
    if (this.#isStopping || this.#control.status !== 'ready') return
    await this.#publishRecord().catch(() => undefined)
    await this.#syncRuns()
  }

  async #publishRecord(): Promise<void> {
    const snapshot = this.#pool.snapshot()
    const record: HostRecord = {
      name: this.#options.name,
      hostname: hostname(),
      pid: process.pid,
      slots: snapshot.workers.map((w) => ({ slot: w.id, pid: w.pid, state: w.state, unitsDone: w.unitsDone, restarts: w.restarts })),
      coreBusyPercent: this.#meter.read().map((p) => Math.round(p * 10) / 10),
      activeJobs: [...this.#active.values()].slice(0, RECORD_JOBS),
      jobsDone: this.#jobsDone,
      jobsFailed: this.#jobsFailed,
      runs: [...this.#runs.keys()],
      startedAt: this.#startedAt,
      updatedAt: Date.now()
    }
    await this.#control.set(hostKey(this.#options.name), JSON.stringify(record), 'PX', HOST_RECORD_TTL_MS)
  }

  /** Serves every live run, stops serving ended ones, sweeps runs whose pool died. */
  async #syncRuns(): Promise<void> {
    if (this.#isSyncing || this.#isStopping || this.#control.status !== 'ready') return
    this.#isSyncing = true
    try {
      const all = await this.#control.hgetall(RUNS_KEY)
      const ids = Object.keys(all)
      const alive = ids.length === 0 ? [] : await this.#control.pipeline(ids.map((id) => ['exists', aliveKey(id)])).exec()
      const live = new Set<string>()
      for (const [i, id] of ids.entries()) {
        const record = parseRunRecord(all[id])
        if (!record) continue
        if (alive?.[i]?.[1] === 1) {
          live.add(id)
          if (!this.#runs.has(id) && !this.#isStopping) this.#serve(record)
        } else {
          void this.#sweepDeadRun(record)
        }
      }
      for (const id of [...this.#runs.keys()]) if (!live.has(id)) void this.#stopServing(id)
    } catch {
      // Redis is away: the connection's retries say so; the next tick tries again.
    } finally {
      this.#isSyncing = false
    }
  }

  #serve(record: RunRecord): void {
    const { target, name, slots, log } = this.#options
    const cancelled = new Set<string>()
    this.#cancelled.set(record.id, cancelled)
    // eslint-disable-next-line prefer-const -- the processor below needs it, and runs only after it is set
    let served: ServedRun
    const worker = new Worker(
      record.queue,
      async (job: Job, _token?: string, signal?: AbortSignal) => {
        if (cancelled.delete(job.id!)) throw new UnrecoverableError(`JobCancelledError: job ${job.id} was cancelled before it started`)
        try {
          return await processJob(
            {
              pool: this.#pool,
              host: name,
              onStart: (j, data) => this.#active.set(`${record.id}/${j.id}`, { run: record.id, jobId: j.id!, fn: data.fn, startedAt: Date.now() }),
              onEnd: (j, ok, ms) => {
                this.#active.delete(`${record.id}/${j.id}`)
                this.#learnDuration(served, ms)
                if (ok) this.#jobsDone++
                else this.#jobsFailed++
              }
            },
            job,
            signal
          )
        } catch (error) {
          // Unrecoverable: the engine decides about re-runs, never BullMQ's attempts.
          if (error instanceof JobFailure) throw Object.assign(new UnrecoverableError(error.message), { stack: error.stack })
          throw error
        }
      },
      {
        connection: connectionOptions(target, 'forever'),
        prefix: PREFIX,
        name,
        concurrency: slots,
        lockDuration: LOCK_DURATION_MS,
        stalledInterval: STALLED_INTERVAL_MS,
        maxStalledCount: MAX_STALLED_COUNT
      }
    )
    // Connection errors are reported once, by the control connection; others are worth a line.
    worker.on('error', (error) => {
      if (!/ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|Connection is closed|Missing key|Missing lock/i.test(error.message)) log(`run ${record.id}: ${error.message}`)
    })
    served = { record, worker, shortStreak: 0 }
    this.#runs.set(record.id, served)
    log(`serving run ${record.id} (${record.label}, from ${record.hostname} pid ${record.pid})`)
  }

  /** Takes more jobs at once while this run's jobs are all short, one per slot from the first that is not. */
  #learnDuration(served: ServedRun, ms: number): void {
    served.shortStreak = ms < SHORT_JOB_MS ? served.shortStreak + 1 : 0
    const concurrency = this.#options.slots * (served.shortStreak >= SHORT_STREAK ? PREFETCH : 1)
    if (served.worker.concurrency !== concurrency) served.worker.concurrency = concurrency
  }

  async #stopServing(runId: string): Promise<void> {
    const served = this.#runs.get(runId)
    if (!served) return
    this.#runs.delete(runId)
    this.#cancelled.delete(runId)
    served.worker.cancelAllJobs('the run ended')
    await within(RUN_CLOSE_MS, 'closing the run', served.worker.close()).catch(() => served.worker.close(true))
    // This host may have written to the run's keys after its pool swept them: sweep again.
    await sweepRunKeys(this.#control, runId).catch(() => undefined)
    this.#options.log(`run ${runId} ended`)
  }

  /** A run whose pool's heartbeat expired: its pool is gone, so nobody else will clean it. */
  async #sweepDeadRun(record: RunRecord): Promise<void> {
    await this.#stopServing(record.id)
    const isMine = await this.#control.set(gcKey(record.id), this.#options.name, 'PX', GC_LOCK_MS, 'NX').catch(() => null)
    if (isMine !== 'OK') return
    // Its pool may have ended it itself between our two reads (the record and the heartbeat).
    const isStillListed = await this.#control.hexists(RUNS_KEY, record.id).catch(() => 0)
    if (isStillListed !== 1) {
      await this.#control.del(gcKey(record.id)).catch(() => undefined)
      return
    }
    const queue = new Queue(record.queue, { connection: connectionOptions(this.#options.target, 'forever'), prefix: PREFIX })
    queue.on('error', () => undefined)
    try {
      await within(RUN_CLOSE_MS, 'obliterating a dead run', queue.obliterate({ force: true })).catch(() => undefined)
      await unregisterRun(this.#control, record.id)
      await sweepRunKeys(this.#control, record.id)
      await this.#control.del(gcKey(record.id))
      this.#options.log(`swept run ${record.id}: its pool (pid ${record.pid} on ${record.hostname}) is gone`)
    } catch {
      // Redis went away meanwhile; the run is swept on a later tick.
    } finally {
      await queue.close().catch(() => undefined)
    }
  }

  #onCancel(message: string): void {
    let request: { run?: unknown; jobIds?: unknown }
    try {
      request = JSON.parse(message) as typeof request
    } catch {
      return
    }
    if (typeof request.run !== 'string' || !Array.isArray(request.jobIds)) return
    const served = this.#runs.get(request.run)
    const cancelled = this.#cancelled.get(request.run)
    if (!served || !cancelled) return
    for (const jobId of request.jobIds) {
      if (typeof jobId !== 'string') continue
      // Not running here (yet): remembered, in case this host takes it before it is removed.
      if (!served.worker.cancelJob(jobId, 'cancelled by its pool')) cancelled.add(jobId)
    }
    // Most of these never come here (they were waiting, or ran elsewhere): keep the newest only.
    for (const jobId of cancelled) {
      if (cancelled.size <= MAX_REMEMBERED_CANCELS) break
      cancelled.delete(jobId)
    }
  }

  async #warnOfNamesake(): Promise<void> {
    const text = await this.#control.get(hostKey(this.#options.name)).catch(() => null)
    if (!text) return
    try {
      const other = JSON.parse(text) as HostRecord
      if (other.pid !== process.pid || other.hostname !== hostname()) {
        this.#options.log(`warning: another worker host named ${other.name} is in the cluster (pid ${other.pid} on ${other.hostname}); give each host its own --name`)
      }
    } catch {
      // Not a record of ours.
    }
  }
}
