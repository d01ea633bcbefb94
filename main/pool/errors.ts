/**
 * Typed engine errors. Every failure a caller can see is a `PoolError` with a stable `code`, one
 * subclass per failure, so callers branch on `instanceof` or `code`, never on message text.
 */
import type { SerializedError } from './protocol'

export type PoolErrorCode =
  | 'invalid-option'
  | 'pool-closed'
  | 'pool-terminated'
  | 'worker-crashed'
  | 'worker-start-failed'
  | 'task-failed'
  | 'task-data'
  | 'task-timeout'
  | 'task-aborted'
  | 'result-timeout'
  | 'invalid-state'

export class PoolError extends Error {
  override name = 'PoolError'
  constructor(
    readonly code: PoolErrorCode,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options)
  }
}

/** An option or argument was wrong; `option` names it. */
export class InvalidOptionError extends PoolError {
  override name = 'InvalidOptionError'
  constructor(
    readonly option: string,
    readonly reason: string
  ) {
    super('invalid-option', `${option} ${reason}`)
  }
}

/** Work was submitted after `close()`. */
export class PoolClosedError extends PoolError {
  override name = 'PoolClosedError'
  constructor() {
    super('pool-closed', 'the pool is closed: no new work is accepted')
  }
}

/** The pool was terminated while this work was pending or running. */
export class PoolTerminatedError extends PoolError {
  override name = 'PoolTerminatedError'
  constructor() {
    super('pool-terminated', 'the pool was terminated before this task finished')
  }
}

/** The worker running a task exited (crash, kill, out of memory) and no retry was left. */
export class WorkerCrashedError extends PoolError {
  override name = 'WorkerCrashedError'
  constructor(
    readonly workerName: string,
    readonly pid: number | undefined,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly taskId: number
  ) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`
    super('worker-crashed', `worker ${workerName} (pid ${pid ?? '?'}) ${how} while running task ${taskId}`)
  }
}

/** A worker could not start, or its initializer threw. */
export class WorkerStartError extends PoolError {
  override name = 'WorkerStartError'
  constructor(
    readonly workerName: string,
    message: string,
    readonly remote?: SerializedError
  ) {
    super('worker-start-failed', `worker ${workerName} failed to start: ${message}`)
  }
}

/** The task's own code threw; message, name and stack are the worker's. */
export class TaskFailedError extends PoolError {
  override name = 'TaskFailedError'
  readonly remoteName: string
  readonly remoteStack: string | undefined
  constructor(
    readonly taskId: number,
    remote: SerializedError
  ) {
    super('task-failed', remote.message)
    this.remoteName = remote.name
    this.remoteStack = remote.stack
    // Show the worker's stack first: that is where the bug is.
    if (remote.stack) this.stack = `${remote.stack}\n    --- in the pool, task ${taskId} ---\n${this.stack ?? ''}`
  }
}

/**
 * A task's arguments could not be sent to its worker, or its result back: the channel could not
 * encode them (a BigInt or a function through a process's JSON, a function through a thread's
 * structured clone). The task did not run (arguments) or its value is lost (result); the worker
 * keeps running and the other tasks are unaffected.
 */
export class TaskDataError extends PoolError {
  override name = 'TaskDataError'
  constructor(
    readonly taskId: number,
    readonly direction: 'arguments' | 'result',
    readonly reason: string
  ) {
    const what = direction === 'arguments' ? 'its arguments could not be sent to the worker' : 'its result could not be sent back from the worker'
    super('task-data', `task ${taskId}: ${what}: ${reason}`)
  }
}

/** A task ran longer than its timeout; its worker was killed and replaced. */
export class TaskTimeoutError extends PoolError {
  override name = 'TaskTimeoutError'
  constructor(
    readonly taskId: number,
    readonly timeoutMs: number
  ) {
    super('task-timeout', `task ${taskId} ran longer than ${timeoutMs} ms; its worker was replaced`)
  }
}

/** The caller aborted the task through its `AbortSignal`. */
export class TaskAbortedError extends PoolError {
  override name = 'TaskAbortedError'
  constructor(
    readonly taskId: number,
    reason?: unknown
  ) {
    super('task-aborted', `task ${taskId} was aborted`, { cause: reason })
  }
}

/** `AsyncResult.get(timeoutMs)` waited longer than asked; the task itself keeps running. */
export class ResultTimeoutError extends PoolError {
  override name = 'ResultTimeoutError'
  constructor(readonly timeoutMs: number) {
    super('result-timeout', `no result within ${timeoutMs} ms`)
  }
}

/** A method was called in a state that does not allow it (start twice, join a running pool). */
export class InvalidStateError extends PoolError {
  override name = 'InvalidStateError'
  constructor(message: string) {
    super('invalid-state', message)
  }
}
