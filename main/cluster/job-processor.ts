/**
 * Runs one job on a host's local pool of sandboxed child processes: checks the job's data and
 * function ref first (bad data fails the job, naming the field and the reason, and nothing runs),
 * then runs the unit as one unit of the local pool, which enforces the per-task timeout (the
 * overdue child is killed and replaced) and stops the child when the job is cancelled.
 */
import type { Job } from 'bullmq'
import {
  TaskAbortedError,
  TaskDataError,
  TaskFailedError,
  TaskTimeoutError,
  WorkerCrashedError
} from '../pool/errors'
import type { Pool } from '../pool/pool'
import type { SerializedError } from '../pool/protocol'
import type { TaskOptions } from '../pool/types'
import { failureReason, JobDataError, parseJobData, type JobData, type JobResult } from './job-data'
import { checkWireRef } from './wire-ref'

/** The error a failed job is failed with: its message is the reason BullMQ stores. */
export class JobFailure extends Error {
  override readonly name = 'JobFailure'
  constructor(readonly remote: SerializedError) {
    super(failureReason(remote))
    if (remote.stack) this.stack = remote.stack
  }
}

export interface ProcessorContext {
  pool: Pool
  host: string
  /** Called as a job starts and ends, for the host's record. */
  onStart(job: Job, data: JobData): void
  /** `ms`: how long the job ran here. */
  onEnd(job: Job, ok: boolean, ms: number): void
}

/** Runs `job`; resolves to its {@link JobResult}, or rejects with a {@link JobFailure}. */
export async function processJob(context: ProcessorContext, job: Job, signal: AbortSignal | undefined): Promise<JobResult> {
  let data: JobData
  try {
    data = parseJobData(job.data)
    await checkWireRef(data.fn)
  } catch (error) {
    throw new JobFailure(describe(error, job, context.host))
  }
  if (signal?.aborted) throw new JobFailure({ name: 'JobCancelledError', message: `job ${job.id} was cancelled before it started` })
  context.onStart(job, data)
  const startedAt = epochMs()
  let ok = false
  try {
    const value = await runUnit(context.pool, data, { signal, timeoutMs: data.timeoutMs, retries: data.retries })
    ok = true
    return { value, host: context.host, startedAt, endedAt: epochMs() }
  } catch (error) {
    throw new JobFailure(describe(error, job, context.host))
  } finally {
    context.onEnd(job, ok, epochMs() - startedAt)
  }
}

/**
 * Wall-clock ms with a fraction: the pool learns from a job's span how deep to line up its
 * function's jobs, and a tiny job's span in whole ms reads 0 or 1.
 */
function epochMs(): number {
  return performance.timeOrigin + performance.now()
}

/** One job is one unit of the local pool: a chunk stays one chunk, on one child. */
function runUnit(pool: Pool, data: JobData, options: TaskOptions): Promise<unknown> {
  if (data.args) return pool.apply(data.fn, data.args, options)
  if (data.inputs) return pool.map(data.fn, data.inputs, { ...options, chunksize: Math.max(1, data.inputs.length), extraArgs: data.extra })
  return pool.starmap(data.fn, data.chunk!, { ...options, chunksize: Math.max(1, data.chunk!.length) })
}

/** The job's error as the pool will see it, in this host's words (the local pool's task numbers mean nothing there). */
function describe(error: unknown, job: Job, host: string): SerializedError {
  if (error instanceof JobDataError) return { name: 'JobDataError', message: `job ${job.id}: ${error.message}` }
  if (error instanceof TaskFailedError) return { name: error.remoteName, message: error.message, stack: error.remoteStack }
  if (error instanceof TaskTimeoutError) {
    return { name: 'TaskTimeoutError', message: `job ${job.id} ran longer than ${error.timeoutMs} ms on ${host}; its process was killed and replaced` }
  }
  if (error instanceof TaskAbortedError) return { name: 'JobCancelledError', message: `job ${job.id} was cancelled on ${host}` }
  if (error instanceof WorkerCrashedError) {
    const how = error.signal ? `was killed by ${error.signal}` : `exited with code ${error.exitCode}`
    return { name: 'WorkerCrashedError', message: `the process running job ${job.id} on ${host} ${how}` }
  }
  if (error instanceof TaskDataError) return { name: 'TaskDataError', message: `job ${job.id}: ${error.reason}` }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack }
  return { name: 'Error', message: String(error) }
}
