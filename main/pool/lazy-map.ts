/**
 * `imap` and `imapUnordered`: a map over any iterable or async iterable that pulls inputs only as
 * results are consumed, so a million inputs never sit in memory at once.
 */
import { InvalidOptionError } from './errors'
import type { MapOptions, TaskOptions } from './types'

/**
 * Abort reason of a lazy map's own controller when its consumer stops early (not a user abort):
 * its queued units are dropped, but a running one is left to finish rather than killing its worker.
 */
export const CONSUMER_STOPPED = Symbol('imap consumer stopped')

/** Grow automatic chunks until one takes about this long in a worker. */
const CHUNK_TARGET_MS = 2
/** The biggest automatic chunk. */
const MAX_AUTO_CHUNK = 4096

/** How many batches a lazy map keeps out, and below how many it pulls more. */
export interface LazyWindow {
  size: number
  refillBelow: number
}

/** Units a lazy map keeps out per worker unless the backend asks for more. */
const LAZY_UNITS_PER_WORKER = 4

/**
 * A pool's lazy-map window: 4 units per worker, topped up at once; or, where the backend asks for
 * `perWorker` (`WorkerBackend.lazyUnitsPerWorker`), that many, topped up once half have come back.
 */
export function lazyWindow(workers: number, perWorker: number | undefined): LazyWindow {
  if (perWorker === undefined) return { size: workers * LAZY_UNITS_PER_WORKER, refillBelow: workers * LAZY_UNITS_PER_WORKER }
  return { size: workers * perWorker, refillBelow: Math.max(1, Math.floor((workers * perWorker) / 2)) }
}

/** Submits one batch of inputs as one unit, `fn(x)` for each; resolves to their results. */
export type SubmitBatch<R> = (inputs: unknown[], options: TaskOptions) => Promise<R[]>

/**
 * Yields `fn(x)` for every input, in input order when `ordered`, else as each batch finishes.
 * At most `window().size` batches are out (running, or finished and not yet consumed) at once, and
 * more are pulled only once fewer than `refillBelow` are; it is read before each pull, so a pool
 * whose backend is still loading can widen it once it knows.
 */
export async function* lazyMap<R>(
  submit: SubmitBatch<R>,
  window: () => LazyWindow,
  inputs: Iterable<unknown> | AsyncIterable<unknown>,
  options: MapOptions,
  ordered: boolean
): AsyncGenerator<R> {
  const fixed = typeof options.chunksize === 'number' ? options.chunksize : undefined
  if (fixed !== undefined && !(Number.isInteger(fixed) && fixed >= 1)) {
    throw new InvalidOptionError('chunksize', 'must be an integer ≥ 1')
  }
  // Our own controller, so units still queued when the consumer stops early are dropped.
  const controller = new AbortController()
  const onOuterAbort = () => controller.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', onOuterAbort, { once: true })
  const unitOptions: TaskOptions = { ...options, signal: controller.signal }
  // A synchronous source is read without an `await` per input: a million microtask turns fewer.
  const asyncIterator = Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : undefined
  const syncIterator = asyncIterator ? undefined : (inputs as Iterable<unknown>)[Symbol.iterator]()
  const inOrder: Promise<R[]>[] = []
  const done: (R[] | Error)[] = []
  let wake: (() => void) | undefined
  let outstanding = 0
  let exhausted = false
  let chunk = fixed ?? 1
  const startedAt = Date.now()
  let itemsDone = 0

  // Units submitted whose results the consumer has not taken yet, running or finished: bounding
  // these (not only the running ones) keeps a consumer slower than the workers from piling up
  // results and pulling the source far ahead of what it has consumed.
  const unconsumed = () => (ordered ? inOrder.length : outstanding + done.length)

  const pull = async () => {
    const { size, refillBelow } = window()
    if (unconsumed() >= refillBelow) return
    while (!exhausted && unconsumed() < size) {
      const batch: unknown[] = []
      while (batch.length < chunk) {
        const next = syncIterator ? syncIterator.next() : await asyncIterator!.next()
        if (next.done) {
          exhausted = true
          break
        }
        batch.push(next.value)
      }
      if (batch.length === 0) break
      const promise = submit(batch, unitOptions)
      outstanding++
      if (ordered) inOrder.push(promise)
      void promise.then(
        (values) => {
          outstanding--
          itemsDone += values.length
          if (!ordered) done.push(values)
          wake?.()
        },
        (error: Error) => {
          outstanding--
          if (!ordered) done.push(error)
          wake?.()
        }
      )
      if (fixed === undefined) {
        // Grow chunks until one takes a few milliseconds: tiny inputs then cost one message per
        // few thousand, while slow inputs stay one per unit and balance well.
        const perMs = itemsDone / Math.max(1, Date.now() - startedAt)
        chunk = Math.min(MAX_AUTO_CHUNK, Math.max(chunk, Math.floor(perMs * CHUNK_TARGET_MS)))
      }
    }
  }

  try {
    await pull()
    while (outstanding > 0 || inOrder.length > 0 || done.length > 0) {
      if (ordered) {
        const head = inOrder.shift()!
        const values = await head
        await pull()
        yield* values
      } else {
        if (done.length === 0) await new Promise<void>((resolve) => (wake = resolve))
        wake = undefined
        const item = done.shift()
        if (item === undefined) continue
        if (item instanceof Error) throw item
        await pull()
        yield* item
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort)
    // The consumer stopped (break, error): drop what has not started, let running units finish.
    if (!controller.signal.aborted) controller.abort(CONSUMER_STOPPED)
    await (syncIterator ?? asyncIterator)!.return?.()
  }
}
