/**
 * Every message between the pool and its workers, both directions, as discriminated unions on
 * `type`. Both sides import this file, so a message cannot change shape on one side only.
 *
 * Messages are batched: one `run` carries many units and one `results` carries many outcomes, so a
 * burst of tiny tasks costs one IPC round trip per batch rather than per task.
 */
import type { FnRef } from './types'

export interface SerializedError {
  name: string
  message: string
  stack?: string
  code?: string
}

/**
 * One dispatch unit: a single call (`args`), a chunk of one-argument calls (`inputs`: `fn(x)` for
 * each, as `map` and `imap` send them: half the JSON of wrapping each input in an array, and no
 * array per input on either side; `fn(x, ...extra)` with `extra`), or a chunk of calls with
 * argument lists (`chunk`, `starmap`).
 */
export type WireUnit = { id: number } & WireFn & UnitOptions & ({ args: unknown[] } | ({ inputs: unknown[] } & ExtraArgs) | { chunk: unknown[][] })

/** An `inputs` unit's arguments after each input (`MapOptions.extraArgs`): `fn(x, ...extra)`. */
export interface ExtraArgs {
  extra?: unknown[]
}

/** A unit's own timeout and the re-runs it has left: sent only to a worker that asks (`wantsUnitOptions`). */
export interface UnitOptions {
  timeoutMs?: number
  retries?: number
}

/**
 * The function a unit runs: a `FnRef`, which may also define a number for it in this worker
 * (`fnId`), or that number alone once defined — so the message of a tiny task does not carry a
 * module path each time. A definition holds from its message on, even if its unit is cancelled.
 */
export type WireFn = { fn: FnRef; fnId?: number } | { fn: number }

/**
 * A `chunk` as it travels to a worker process or thread (`packRun`): when every call takes the
 * same number of arguments, the argument lists go by column (`columns[j][i]` is argument j of call
 * i). Flat arrays of numbers take JSON's and V8's fast paths; arrays of small arrays do not: a
 * `starmap` chunk of 12,500 pairs encoded and decoded about 5× slower than a `map` chunk.
 */
export type ColumnsUnit = { id: number } & WireFn & { columns: unknown[][] }
export type SentUnit = WireUnit | ColumnsUnit
/** `ToWorker` as a worker process or thread receives it. */
export type SentToWorker = Exclude<ToWorker, { type: 'run' }> | { type: 'run'; units: SentUnit[] }

/** `message` with its uniform-arity `chunk` units sent by column; the same object when there is none. */
export function packRun(message: ToWorker): SentToWorker {
  if (message.type !== 'run') return message
  const { units } = message
  let packed: SentUnit[] | undefined
  for (let u = 0; u < units.length; u++) {
    const unit = units[u]!
    if (!('chunk' in unit)) continue
    const columns = toColumns(unit.chunk)
    if (!columns) continue
    packed ??= units.slice()
    const { chunk: _chunk, ...rest } = unit
    packed[u] = { ...rest, columns }
  }
  return packed ? { type: 'run', units: packed } : message
}

/** The argument lists by column, or `undefined` when they differ in length (or there are none). */
function toColumns(chunk: readonly unknown[][]): unknown[][] | undefined {
  const first = chunk[0]
  if (!Array.isArray(first) || first.length === 0) return undefined
  const arity = first.length
  for (let i = 1; i < chunk.length; i++) {
    const args = chunk[i]
    if (!Array.isArray(args) || args.length !== arity) return undefined
  }
  const columns: unknown[][] = []
  for (let j = 0; j < arity; j++) {
    const column = new Array<unknown>(chunk.length)
    for (let i = 0; i < chunk.length; i++) column[i] = chunk[i]![j]
    columns.push(column)
  }
  return columns
}

export type ToWorker =
  /**
   * `preload`: registered module scopes to load before `ready`, so no unit pays for loading them.
   * `numbersAsBytes`: the channel is JSON, so a chunk's results may travel as bytes (`SentOutcome`);
   * `answersPipe`: the pipe at this file descriptor carries every later message of the worker,
   * and a chunk's numbers as bytes right after the message that announces them.
   * `requestsPipe`: the pipe at this file descriptor will carry every later message to the worker,
   * once the worker says it reads it (`requests-pipe-open`). See `SentFromWorker` for both.
   */
  | {
      type: 'init'
      workerId: number
      name: string
      initializer?: { fn: FnRef; args?: unknown[] }
      preload?: string[]
      numbersAsBytes?: boolean
      answersPipe?: number
      requestsPipe?: number
    }
  | { type: 'run'; units: WireUnit[] }
  /** Drop units that were dispatched but have not started (aborted by the caller). */
  | { type: 'cancel'; ids: number[] }
  /** Reply to a worker's `call` into a parent-side service (queues, pipes, managers…). */
  | { type: 'reply'; callId: number; ok: true; value: unknown }
  | { type: 'reply'; callId: number; ok: false; error: SerializedError }
  /** A message pushed by a parent-side service to code in the worker. */
  | { type: 'push'; topic: string; payload: unknown }
  /** Leave after flushing; `exitCode` sets the process's exit status (a `Process` whose run threw exits 1). */
  | { type: 'shutdown'; exitCode?: number }

export type UnitOutcome =
  | { id: number; ok: true; value: unknown; startedAt: number; endedAt: number }
  | { id: number; ok: false; error: SerializedError; startedAt: number; endedAt: number }

export type FromWorker =
  | { type: 'ready'; pid: number }
  | { type: 'init-failed'; error: SerializedError }
  | { type: 'results'; outcomes: UnitOutcome[] }
  /** A call from task code into a parent-side service, answered by `reply`. */
  | { type: 'call'; callId: number; service: string; method: string; args: unknown[] }

/**
 * An outcome as it travels from a worker process over a JSON channel: a big chunk whose results
 * are all numbers goes as the bytes of their `Float64Array`, written natively on one side and read
 * natively on the other, where JSON writes and reads each number digit by digit (`square`'s
 * 100,000 results took 5 ms of the pool's parse per map). Where the worker's messages go on its
 * answers pipe (`answersPipe`, a process on any OS that can open it), the outcome says how many
 * (`numbers`) and the bytes follow its message on the pipe, in the order of the outcomes that
 * announce them: nothing is encoded, and neither side holds a string of them. Elsewhere they go in the message
 * as base64 (`doubles`), and only where some are not small integers, which JSON does about as
 * fast. The pool restores the array with JSON's own meaning ({@link restoreNumbers}): non-finite
 * numbers are `null` and -0 is 0, so a result never depends on how it travelled.
 */
export type SentOutcome =
  | UnitOutcome
  | { id: number; ok: true; doubles: string; startedAt: number; endedAt: number }
  | { id: number; ok: true; numbers: number; startedAt: number; endedAt: number }
/**
 * `FromWorker` as a worker process sends it, and one message the adapter keeps to itself.
 *
 * A process worker on a JSON channel talks over two pipes of its own instead of Node's IPC
 * channel, whose messages cost more to read on either side (a new buffer, a string decoder and a
 * generator for each read, and each message emitted from a tick of its own): a single-task round
 * trip where both share one CPU went from 15.8–19.0 to 14.5–15.8 µs (bench/README, "seventh
 * session"). `init` still comes on the channel, and names both:
 * - the answers pipe (`answersPipe`): from `init` on, every message of the worker goes there as a
 *   line of JSON, and a chunk's numbers as bytes right after the message that announces them. One
 *   stream, so results, calls into parent-side services and the bytes keep the order they were
 *   sent in. A worker that cannot open it sends on the channel, and its numbers in its messages.
 * - the requests pipe (`requestsPipe`): the worker reads it into one buffer kept for every read,
 *   and says so first (`requests-pipe-open`); from that message on, the pool writes its messages
 *   there as lines of JSON. Nothing the pool sends before it (`init`, a `shutdown`) depends on
 *   what it sends after, and every message it answers the worker with comes after, as the
 *   worker's messages come in order. A worker that never says so is written to on the channel.
 */
export type SentFromWorker =
  | Exclude<FromWorker, { type: 'results' }>
  | { type: 'results'; outcomes: SentOutcome[] }
  | { type: 'requests-pipe-open' }
/** A worker's message that goes on to the pool (its numbers restored, `unpackResults`). */
export type ForPool = Exclude<SentFromWorker, { type: 'requests-pipe-open' }>

/** A chunk of this many numbers or more is worth sending as bytes, where some need more than 31 bits. */
export const BYTES_FROM_VALUES = 256

/**
 * Whether `values` (numbers only: the caller checked each) beat JSON as bytes: there are enough of
 * them and a few sampled (first, middle, last) are not 32-bit integers, which JSON and V8 write
 * and read fastest of all (even against a pipe: W1's first map of small integers ran 5 % slower
 * with their bytes on one, as the parent's loop that turns bytes into numbers starts cold).
 */
export function numbersWorthBytes(values: readonly number[]): boolean {
  const n = values.length
  if (n < BYTES_FROM_VALUES) return false
  const a = values[0]!
  const b = values[n >> 1]!
  const c = values[n - 1]!
  return (a | 0) !== a || (b | 0) !== b || (c | 0) !== c
}

/** `values` as the base64 of their bytes where that beats JSON (`numbersWorthBytes`), else `undefined`. */
export function packNumbers(values: readonly number[]): string | undefined {
  if (!numbersWorthBytes(values)) return undefined
  // A Float64Array from a plain array of numbers is copied in V8's own code, not element by element in JS.
  const doubles = new Float64Array(values)
  return Buffer.from(doubles.buffer, doubles.byteOffset, doubles.byteLength).toString('base64')
}

/** How many doubles the outcomes of `message` announce on the answers pipe (0 for most messages). */
export function numbersOnPipe(message: SentFromWorker): number {
  if (message.type !== 'results') return 0
  let count = 0
  for (const outcome of message.outcomes) if ('numbers' in outcome) count += outcome.numbers
  return count
}

/**
 * `message` with every outcome sent as bytes restored to its array of numbers, as JSON would have
 * given it; `take` gives the next doubles from the answers pipe (all there: see {@link numbersOnPipe}).
 */
export function unpackResults(message: ForPool, take?: (count: number) => Float64Array | undefined): FromWorker {
  if (message.type !== 'results') return message
  const { outcomes } = message
  for (let o = 0; o < outcomes.length; o++) {
    const outcome = outcomes[o]!
    if ('doubles' in outcome) {
      const { doubles, ...rest } = outcome
      outcomes[o] = { ...rest, value: restoreNumbers(decodeDoubles(doubles)) }
    } else if ('numbers' in outcome) {
      const { numbers, ...rest } = outcome
      const doubles = take?.(numbers)
      if (doubles === undefined) throw new Error(`the ${numbers} numbers of unit ${outcome.id} have not come`)
      outcomes[o] = { ...rest, value: restoreNumbers(doubles) }
    }
  }
  return message as FromWorker
}

function decodeDoubles(base64: string): Float64Array {
  let bytes = Buffer.from(base64, 'base64')
  // A small Buffer sits in Node's shared pool, aligned to 8 bytes today; copied where it is not.
  if (bytes.byteOffset % Float64Array.BYTES_PER_ELEMENT !== 0) bytes = Buffer.from(bytes)
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / Float64Array.BYTES_PER_ELEMENT)
}

/** The array JSON would have given for these doubles: NaN and ±Infinity as null, -0 as 0. */
export function restoreNumbers(doubles: Float64Array): (number | null)[] {
  const values = new Array<number | null>(doubles.length)
  for (let i = 0; i < doubles.length; i++) {
    const x = doubles[i]!
    // As JSON: NaN and ±Infinity are null, -0 is 0 (x + 0).
    values[i] = x - x === 0 ? x + 0 : null
  }
  return values
}

/** Keys of object refs already seen; a caller usually passes the same object for every task. */
const objectKeys = new WeakMap<object, string>()

/**
 * A string identity for a `FnRef`, the same on both sides of the wire: the worker caches resolved
 * functions by it and the pool keeps its per-function duration estimates and function numbers by it.
 */
export function fnKey(ref: FnRef): string {
  if (typeof ref === 'string') return ref
  let key = objectKeys.get(ref)
  if (key === undefined) {
    key = `${ref.module}#${ref.export ?? 'default'}`
    objectKeys.set(ref, key)
  }
  return key
}

/** The `code` of a failed outcome whose real value could not be sent (the pool's `TaskDataError`). */
export const UNSENDABLE_RESULT = 'poolscope:unsendable-result'

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return { name: err.name, message: err.message, stack: err.stack, ...(typeof code === 'string' ? { code } : {}) }
  }
  return { name: 'Error', message: typeof err === 'string' ? err : describeThrown(err) }
}

/** A thrown non-Error as text: JSON where it has one (a BigInt or a cycle has none). */
function describeThrown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
