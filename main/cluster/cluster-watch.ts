/**
 * The cluster as a dashboard sees it, read from Redis: the worker hosts' records, every live run's
 * queue depth and its failed jobs (see `keys.ts` for where each lives). A host whose record
 * expired (killed, or left) is kept a few minutes as `gone`, so the dashboard can say so rather
 * than let it vanish.
 *
 * One connection of its own, retrying forever (a dashboard outlives a Redis restart), and one
 * BullMQ `Queue` per live run sharing it, closed once the run leaves the registry. The queues
 * are opened with `skipMetasUpdate`: a reader must never write a key, or a run swept a moment
 * ago would leave its queue's meta key behind.
 */
import { Job, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import type { ClusterFailedJob, ClusterHost, ClusterRun, ClusterState, QueueDepth } from '../../shared/contract'
import { listHosts, type HostRecord } from './host-record'
import { PREFIX, RUNS_KEY } from './keys'
import { lastConnectionError, openConnection } from './redis-connection'
import { maskRedisUrl, type RedisTarget } from './redis-url'
import { within } from './run-cleanup'
import { parseRunRecord, type RunRecord } from './run-record'

/** A gone host stays on the dashboard this long. */
const GONE_KEPT_MS = 5 * 60_000
/** Failed jobs read per run, and shown over all runs. */
const FAILED_PER_RUN = 25
const FAILED_SHOWN = 50
/** One reading of Redis gives up after this (a Redis that stopped answering). */
const READ_DEADLINE_MS = 3_000

const noDepth = (): QueueDepth => ({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 })

export class ClusterWatch {
  readonly #target: RedisTarget
  readonly #client: Redis
  /** Open queues, by cluster run id. */
  readonly #queues = new Map<string, Queue>()
  /** Hosts of the last reading that were up, and hosts since seen gone, by name. */
  #up = new Map<string, ClusterHost>()
  readonly #gone = new Map<string, ClusterHost>()

  constructor(target: RedisTarget) {
    this.#target = target
    this.#client = openConnection(target, 'forever')
  }

  /** One reading of the cluster; while Redis cannot be read, the hosts last seen and why. */
  async read(now = Date.now()): Promise<ClusterState> {
    const base = { at: now, redis: this.#target.masked }
    if (this.#client.status !== 'ready') return { ...base, ...this.#unreadable(lastConnectionError(this.#client)) }
    try {
      const [records, runs] = await within(READ_DEADLINE_MS, 'reading the cluster', Promise.all([listHosts(this.#client), this.#readRuns()]))
      const depth = noDepth()
      for (const run of runs) for (const key of Object.keys(depth) as (keyof QueueDepth)[]) depth[key] += run.depth[key]
      return {
        ...base,
        isConnected: true,
        error: undefined,
        hosts: this.#trackHosts(records, now),
        runs: runs.map(({ failed: _failed, ...run }) => run),
        depth,
        failedJobs: runs
          .flatMap((run) => run.failed)
          .sort((a, b) => (b.failedAt ?? 0) - (a.failedAt ?? 0))
          .slice(0, FAILED_SHOWN)
      }
    } catch (error) {
      return { ...base, ...this.#unreadable(error instanceof Error ? error.message : String(error)) }
    }
  }

  /**
   * Runs a failed job of a live run again (BullMQ's `job.retry()`): it goes back to the run's
   * queue and the next free slot takes it. False when the run or the job is gone, or the job is
   * not failed.
   */
  async retry(runId: string, jobId: string): Promise<boolean> {
    const record = parseRunRecord(await this.#client.hget(RUNS_KEY, runId))
    if (!record) return false
    const job = await Job.fromId(this.#queueOf(record), jobId)
    if (!job || !(await job.isFailed())) return false
    await job.retry('failed')
    return true
  }

  /** Closes the run queues and the connection. */
  async dispose(): Promise<void> {
    const queues = [...this.#queues.values()]
    this.#queues.clear()
    await Promise.all(queues.map((queue) => within(READ_DEADLINE_MS, 'closing a queue', queue.close()).catch(() => undefined)))
    this.#client.disconnect()
  }

  #unreadable(reason: string): Omit<ClusterState, 'at' | 'redis'> {
    return {
      isConnected: false,
      error: `${this.#target.masked}: ${maskRedisUrl(reason)}`,
      hosts: [...this.#up.values(), ...this.#gone.values()],
      runs: [],
      depth: noDepth(),
      failedJobs: []
    }
  }

  async #readRuns(): Promise<(ClusterRun & { failed: ClusterFailedJob[] })[]> {
    const records = Object.values(await this.#client.hgetall(RUNS_KEY))
      .map(parseRunRecord)
      .filter((record): record is RunRecord => record !== undefined)
    const live = new Set(records.map((record) => record.id))
    for (const [runId, queue] of this.#queues) {
      if (live.has(runId)) continue
      this.#queues.delete(runId)
      void queue.close().catch(() => undefined)
    }
    return Promise.all(
      records.map(async (record) => {
        const queue = this.#queueOf(record)
        const [counts, failed] = await Promise.all([
          queue.getJobCounts('waiting', 'prioritized', 'active', 'completed', 'failed', 'delayed'),
          queue.getFailed(0, FAILED_PER_RUN - 1)
        ])
        const depth: QueueDepth = {
          waiting: (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0),
          active: counts['active'] ?? 0,
          completed: counts['completed'] ?? 0,
          failed: counts['failed'] ?? 0,
          delayed: counts['delayed'] ?? 0
        }
        return {
          runId: record.id,
          label: record.label,
          workers: record.workers,
          hostname: record.hostname,
          createdAt: record.createdAt,
          depth,
          failed: failed.filter((job) => job?.id !== undefined).map((job) => failedJob(record.id, job as Job))
        }
      })
    )
  }

  #queueOf(record: RunRecord): Queue {
    let queue = this.#queues.get(record.id)
    if (!queue) {
      queue = new Queue(record.queue, { connection: this.#client, prefix: PREFIX, skipMetasUpdate: true })
      // The shared connection reports its own errors (see `read`).
      queue.on('error', () => undefined)
      this.#queues.set(record.id, queue)
    }
    return queue
  }

  /** Hosts up now, then those seen gone: a host missing from this reading is gone from now on. */
  #trackHosts(records: HostRecord[], now: number): ClusterHost[] {
    const up = new Map(records.map((record) => [record.name, upHost(record)]))
    for (const [name, host] of this.#up) {
      if (up.has(name)) continue
      this.#gone.set(name, {
        ...host,
        status: 'gone',
        goneAt: now,
        slots: host.slots.map((slot) => ({ ...slot, state: 'exited', pid: undefined })),
        activeJobs: []
      })
    }
    for (const [name, host] of this.#gone) {
      if (up.has(name) || now - (host.goneAt ?? now) > GONE_KEPT_MS) this.#gone.delete(name)
    }
    this.#up = up
    return [...up.values(), ...this.#gone.values()]
  }
}

function upHost(record: HostRecord): ClusterHost {
  return {
    name: record.name,
    hostname: record.hostname,
    pid: record.pid,
    status: 'up',
    goneAt: undefined,
    slots: record.slots.map((slot) => ({ slot: slot.slot, pid: slot.pid, state: slot.state, unitsDone: slot.unitsDone, restarts: slot.restarts })),
    coreBusyPercent: record.coreBusyPercent,
    activeJobs: record.activeJobs.map((job) => ({ runId: job.run, jobId: job.jobId, fn: job.fn, startedAt: job.startedAt })),
    jobsDone: record.jobsDone,
    jobsFailed: record.jobsFailed,
    runs: record.runs,
    startedAt: record.startedAt,
    updatedAt: record.updatedAt
  }
}

function failedJob(runId: string, job: Job): ClusterFailedJob {
  return {
    runId,
    jobId: job.id!,
    fn: job.name,
    error: maskRedisUrl(job.failedReason ?? 'failed'),
    host: job.processedBy,
    attemptsMade: job.attemptsMade,
    failedAt: job.finishedOn
  }
}
