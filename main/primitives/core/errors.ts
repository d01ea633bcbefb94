/**
 * Typed errors of the shared primitives (queues, pipes, managers, shared values and arrays).
 *
 * An owner lives in the parent and its errors cross to the worker as `{ name, message, code }`
 * (see `service-registry.ts`); `reviveError` turns them back into these classes there, so task
 * code branches on `instanceof QueueEmptyError` or `code` on both sides of the wire alike. The
 * argument checks that throw `InvalidArgumentError` live here too.
 */

/** Stable codes: they survive the trip to a worker, where `reviveError` maps them back to classes. */
export type PrimitiveErrorCode =
  | 'queue-empty'
  | 'queue-full'
  | 'task-done-overflow'
  | 'pipe-closed'
  | 'pipe-eof'
  | 'pipe-broken'
  | 'lock-not-held'
  | 'index-out-of-range'
  | 'key-missing'
  | 'unsupported-operation'
  | 'invalid-argument'
  | 'invalid-handle'
  | 'not-in-worker'
  | 'primitive-closed'

/** Base of every primitive error; branch on the subclass or on `code`. */
export class PrimitiveError extends Error {
  override name = 'PrimitiveError'
  constructor(
    readonly code: PrimitiveErrorCode,
    message: string
  ) {
    super(message)
  }
}

/** `get` found nothing within its timeout (Python's `queue.Empty`). */
export class QueueEmptyError extends PrimitiveError {
  override name = 'QueueEmptyError'
  constructor(message = 'the queue is empty') {
    super('queue-empty', message)
  }
}

/** A bounded queue stayed full for the whole of `put`'s timeout (Python's `queue.Full`). */
export class QueueFullError extends PrimitiveError {
  override name = 'QueueFullError'
  constructor(message = 'the queue is full') {
    super('queue-full', message)
  }
}

/** `taskDone()` was called more times than items were put (Python raises `ValueError`). */
export class TaskDoneError extends PrimitiveError {
  override name = 'TaskDoneError'
  constructor(message = 'taskDone() called more times than there were items') {
    super('task-done-overflow', message)
  }
}

/** This end of the pipe was closed; it can neither send nor receive. */
export class PipeClosedError extends PrimitiveError {
  override name = 'PipeClosedError'
  constructor(message = 'this end of the pipe is closed') {
    super('pipe-closed', message)
  }
}

/** `recv` on a pipe whose other end is closed and nothing is left to read (Python's `EOFError`). */
export class EOFError extends PrimitiveError {
  override name = 'EOFError'
  constructor(message = 'the other end of the pipe is closed and nothing is left to receive') {
    super('pipe-eof', message)
  }
}

/** `send` on a pipe whose other end is closed: nobody can ever read it (Python's `BrokenPipeError`). */
export class BrokenPipeError extends PrimitiveError {
  override name = 'BrokenPipeError'
  constructor(message = 'the other end of the pipe is closed') {
    super('pipe-broken', message)
  }
}

/** `release()` of a lock this caller does not hold. */
export class LockNotHeldError extends PrimitiveError {
  override name = 'LockNotHeldError'
  constructor(message = 'release() of a lock that is not held') {
    super('lock-not-held', message)
  }
}

/** An index past either end of a shared array or list (Python's `IndexError`). */
export class IndexOutOfRangeError extends PrimitiveError {
  override name = 'IndexOutOfRangeError'
  constructor(message = 'index out of range') {
    super('index-out-of-range', message)
  }
}

/** A dict key that is not there (Python's `KeyError`). */
export class KeyMissingError extends PrimitiveError {
  override name = 'KeyMissingError'
  constructor(message = 'no such key') {
    super('key-missing', message)
  }
}

/** The operation does not apply to this primitive as created (a one-way pipe's wrong end, no lock…). */
export class UnsupportedOperationError extends PrimitiveError {
  override name = 'UnsupportedOperationError'
  constructor(message: string) {
    super('unsupported-operation', message)
  }
}

/** An option or argument was wrong; the message names it. */
export class InvalidArgumentError extends PrimitiveError {
  override name = 'InvalidArgumentError'
  constructor(message: string) {
    super('invalid-argument', message)
  }
}

/** `connect()` was given something that is not a usable handle of that primitive. */
export class InvalidHandleError extends PrimitiveError {
  override name = 'InvalidHandleError'
  constructor(message: string) {
    super('invalid-handle', message)
  }
}

/** A worker-side `connect()` was called where there is no parent to reach. */
export class NotInWorkerError extends PrimitiveError {
  override name = 'NotInWorkerError'
  constructor(message: string) {
    super('not-in-worker', message)
  }
}

/** The owner was closed: every waiting and later call fails with this. */
export class PrimitiveClosedError extends PrimitiveError {
  override name = 'PrimitiveClosedError'
  constructor(message = 'the shared object was closed by its owner') {
    super('primitive-closed', message)
  }
}

const byCode: Record<PrimitiveErrorCode, new (message: string) => PrimitiveError> = {
  'queue-empty': QueueEmptyError,
  'queue-full': QueueFullError,
  'task-done-overflow': TaskDoneError,
  'pipe-closed': PipeClosedError,
  'pipe-eof': EOFError,
  'pipe-broken': BrokenPipeError,
  'lock-not-held': LockNotHeldError,
  'index-out-of-range': IndexOutOfRangeError,
  'key-missing': KeyMissingError,
  'unsupported-operation': UnsupportedOperationError,
  'invalid-argument': InvalidArgumentError,
  'invalid-handle': InvalidHandleError,
  'not-in-worker': NotInWorkerError,
  'primitive-closed': PrimitiveClosedError
}

/**
 * Rebuilds a typed error from what crossed the wire; anything else is returned unchanged. Only
 * the code decides the class: names are for people.
 */
export function reviveError(error: unknown): unknown {
  if (error instanceof PrimitiveError || !(error instanceof Error)) return error
  const code = (error as { code?: unknown }).code
  if (typeof code !== 'string' || !Object.hasOwn(byCode, code)) return error
  return new byCode[code as PrimitiveErrorCode](error.message)
}

// Checks for arguments that arrive from task code, often over JSON. JSON turns an `undefined`
// element of an argument list into `null`, so "not given" is either of the two.

/** A wait limit in ms: `undefined` waits for ever, `0` does not wait. */
export function timeoutArg(value: unknown, name = 'timeoutMs'): number | undefined {
  if (value === undefined || value === null || value === Infinity) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a number ≥ 0 (or left out to wait for ever)`)
  }
  return value
}

/** An integer of at least `min`; `name` goes into the error. */
export function integerArg(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`)
  }
  return value
}
