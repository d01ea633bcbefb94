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
/** A unit as `packRun` sends it to a worker process or thread. */
export type PackedUnit = WireUnit | ColumnsUnit
export type PackedToWorker = Exclude<ToWorker, { type: 'run' }> | { type: 'run'; units: PackedUnit[] }

type InputsUnit = Extract<WireUnit, { inputs: unknown[] }>
type WithoutInputs = InputsUnit extends unknown ? Omit<InputsUnit, 'inputs'> : never
/** An `inputs` unit whose inputs came as the bytes of an `Int32Array` (`packInts`), as a worker runs it. */
export type IntsUnit = WithoutInputs & { inputs: Int32Array }
/** An `IntsUnit` on the requests pipe: how many inputs, whose bytes follow the message. */
export type IntsOnPipeUnit = WithoutInputs & { ints: number }
/** `PackedToWorker` as it goes on a worker process's requests pipe (`packInts`). */
export type PipedToWorker = Exclude<ToWorker, { type: 'run' }> | { type: 'run'; units: (PackedUnit | IntsOnPipeUnit)[] }

export type SentUnit = PackedUnit | IntsUnit
/** `ToWorker` as a worker process or thread runs it. */
export type SentToWorker = Exclude<ToWorker, { type: 'run' }> | { type: 'run'; units: SentUnit[] }

/** Whether every value is a number that an `Int32Array` holds as JSON would write it: a 32-bit integer, and not -0. */
export function allInt32(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]
    // `typeof` first: `|` would call an object's valueOf, and throws on a BigInt.
    if (typeof x !== 'number' || (x | 0) !== x || (x === 0 && 1 / x < 0)) return false
  }
  return true
}

/**
 * `message` as it goes on the requests pipe: each `inputs` unit of at least `BYTES_FROM_VALUES`
 * inputs, all 32-bit integers (`allInt32`), says how many (`ints`), and their bytes, as an
 * `Int32Array`'s, go in `bytes`, to be written right after the message, in the order of its units.
 * The worker runs them from a view on those bytes, with no JSON to read and no array of them in its
 * heap; a fresh worker's first map of 100,000 small integers took 7.5–7.8 ms instead of 11.3–12.4
 * (bench/README, "tenth session"). Every other unit, and every other message, is left as it is.
 */
export function packInts(message: PackedToWorker): { message: PipedToWorker; bytes: Uint8Array[] } {
  const bytes: Uint8Array[] = []
  if (message.type !== 'run') return { message, bytes }
  let units: (PackedUnit | IntsOnPipeUnit)[] | undefined
  for (let u = 0; u < message.units.length; u++) {
    const unit = message.units[u]!
    if (!('inputs' in unit) || unit.inputs.length < BYTES_FROM_VALUES || !allInt32(unit.inputs)) continue
    units ??= message.units.slice()
    const { inputs, ...rest } = unit
    bytes.push(new Uint8Array(new Int32Array(inputs as number[]).buffer))
    units[u] = { ...rest, ints: inputs.length }
  }
  return { message: units ? { type: 'run', units } : message, bytes }
}

/** How many bytes follow `message` on the requests pipe (`packInts`): 0 for most messages. */
export function intsAfter(message: PipedToWorker): number {
  if (message.type !== 'run') return 0
  let count = 0
  for (const unit of message.units) if ('ints' in unit) count += unit.ints * Int32Array.BYTES_PER_ELEMENT
  return count
}

/** `message` with its `ints` units given their inputs: views on `bytes`, which followed it (`intsAfter` of them). */
export function attachInts(message: PipedToWorker, bytes: Uint8Array): SentToWorker {
  if (message.type !== 'run') return message
  let offset = bytes.byteOffset
  // Each view needs an offset an Int32Array can start at: where `bytes` does not give one, they are copied.
  const buffer = offset % Int32Array.BYTES_PER_ELEMENT === 0 ? bytes.buffer : bytes.slice().buffer
  if (buffer !== bytes.buffer) offset = 0
  const units = message.units.map((unit): SentUnit => {
    if (!('ints' in unit)) return unit
    const { ints, ...rest } = unit
    const inputs = new Int32Array(buffer, offset, ints)
    offset += inputs.byteLength
    return { ...rest, inputs }
  })
  return { type: 'run', units }
}

/** `message` with its uniform-arity `chunk` units sent by column; the same object when there is none. */
export function packRun(message: ToWorker): PackedToWorker {
  if (message.type !== 'run') return message
  const { units } = message
  let packed: PackedUnit[] | undefined
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
  /**
   * `origin`: the worker's `performance.timeOrigin`, where it stamps its outcomes as whole µs
   * since then (a process on a JSON channel, see `SentOutcome`).
   */
  | { type: 'ready'; pid: number; origin?: number }
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
 *
 * A chunk whose inputs came as 32-bit integers (`packInts`) and whose results are all 32-bit
 * integers too, none -0, says how many (`ints`), and their bytes as an `Int32Array`'s follow on
 * the answers pipe in the same order; the pool makes them a plain array ({@link restoreInts}).
 *
 * On a JSON channel every outcome's `startedAt` and `endedAt` are whole µs since the worker's
 * `origin` (its `ready`), which JSON writes and reads as integers; the pool makes them ms since the
 * epoch again ({@link unpackResults}). A results message of one outcome took 1.63 µs to stringify
 * and parse with the two fractional doubles, 1.30 with small integers, and 1.43 with integers past
 * 2³¹ (a worker older than 36 minutes). A single-task round trip where both sides share one CPU
 * went from 14.1–16.0 to 13.5–14.8 µs (bench/README, "twelfth session").
 */
export type SentOutcome =
  | UnitOutcome
  | { id: number; ok: true; doubles: string; startedAt: number; endedAt: number }
  | { id: number; ok: true; numbers: number; startedAt: number; endedAt: number }
  | { id: number; ok: true; ints: number; startedAt: number; endedAt: number }
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

/**
 * A chunk of this many numbers or more is worth sending as bytes: its inputs where all are 32-bit
 * integers (`packInts`), its results where some need more than 31 bits (`numbersWorthBytes`).
 */
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

/** How many bytes the outcomes of `message` announce on the answers pipe (0 for most messages). */
export function bytesOnPipe(message: SentFromWorker): number {
  if (message.type !== 'results') return 0
  let count = 0
  for (const outcome of message.outcomes) {
    if ('numbers' in outcome) count += outcome.numbers * Float64Array.BYTES_PER_ELEMENT
    else if ('ints' in outcome) count += outcome.ints * Int32Array.BYTES_PER_ELEMENT
  }
  return count
}

/** The runs of numbers that follow a message on the answers pipe, taken in order (`ByteQueue`). */
export interface PipeRuns {
  /** The next `count` doubles, or `undefined` while they have not all come. */
  doubles(count: number): Float64Array | undefined
  /** The next `count` 32-bit integers, or `undefined` while they have not all come. */
  ints(count: number): Int32Array | undefined
}

/**
 * `message` with every outcome sent as bytes restored to its array of numbers, as JSON would have
 * given it; `runs` gives the next ones from the answers pipe (all there: see {@link bytesOnPipe}).
 * With the worker's `origin`, the outcomes' times are whole µs since then, made ms since the epoch.
 */
export function unpackResults(message: ForPool, runs?: PipeRuns, origin?: number): FromWorker {
  if (message.type !== 'results') return message
  const { outcomes } = message
  for (let o = 0; o < outcomes.length; o++) {
    const outcome = outcomes[o]!
    if (origin !== undefined) {
      outcome.startedAt = origin + outcome.startedAt / 1000
      outcome.endedAt = origin + outcome.endedAt / 1000
    }
    if ('doubles' in outcome) {
      const { doubles, ...rest } = outcome
      outcomes[o] = { ...rest, value: restoreNumbers(decodeDoubles(doubles)) }
    } else if ('numbers' in outcome) {
      const { numbers, ...rest } = outcome
      const doubles = runs?.doubles(numbers)
      if (doubles === undefined) throw new Error(`the ${numbers} numbers of unit ${outcome.id} have not come`)
      outcomes[o] = { ...rest, value: restoreNumbers(doubles) }
    } else if ('ints' in outcome) {
      const { ints, ...rest } = outcome
      const values = runs?.ints(ints)
      if (values === undefined) throw new Error(`the ${ints} integers of unit ${outcome.id} have not come`)
      outcomes[o] = { ...rest, value: restoreInts(values) }
    }
  }
  return message as FromWorker
}

/** A plain array of the integers, as JSON would have given them. */
export function restoreInts(ints: Int32Array): number[] {
  const values = new Array<number>(ints.length)
  for (let i = 0; i < ints.length; i++) values[i] = ints[i]!
  return values
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
