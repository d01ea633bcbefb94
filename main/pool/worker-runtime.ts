/**
 * The worker runtime, run as a forked process or as a thread by a worker entry: the engine's own
 * (`worker-main.ts`) or an application's that registers its modules first (the app's catalog
 * entry, built to `out/main/worker.js`).
 *
 * It runs the units it is sent one at a time, in order, and answers in batches: outcomes of quick
 * units are coalesced and flushed when the local queue runs dry or a couple of milliseconds have
 * passed, so a burst of tiny tasks costs one message per batch while a long task's result is
 * sent the moment it is ready. Importing this file starts nothing: {@link startWorkerRuntime} does.
 */
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { isMainThread, parentPort, threadId, Worker } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { cachedFn, preloadModules, resolveFn, type WorkerFn } from './fn-resolver'
import type { FnRef } from './types'
import { installWorkerContext } from './worker-context'
import { LineReader } from './line-reader'
import { PARENT_DEATH_SIGNAL_ENV } from '../platform/parent-death'
import { cpuPlacement, type CpuPlacement } from '../platform/cpu-placement'
import { PlacementReading, PollWindow, POLL_MS, QUICK_GAP_MS, SLOW_MS } from './poll-policy'
import { attachInts, intsAfter, numbersWorthBytes, packNumbers, serializeError, UNSENDABLE_RESULT, type PipedToWorker, type SentFromWorker, type SentOutcome, type SentToWorker, type SentUnit, type ToWorker } from './protocol'

/** Batch outcomes for at most this long before flushing, so progress stays visible. */
const FLUSH_AFTER_MS = 2
/** A chunk with at least this many results is flushed on its own (the pool's OWN_MESSAGE_INPUTS). */
const OWN_MESSAGE_VALUES = 256
/** How often the orphan guard checks that the parent is still alive. */
const ORPHAN_CHECK_MS = 250

/** How a worker stamps when its units start and end, and its batches' {@link FLUSH_AFTER_MS} in that unit. */
interface Clock {
  readonly now: () => number
  readonly flushAfter: number
}
/** Ms since the epoch, as `UnitOutcome` has them. */
const EPOCH_MS: Clock = { now: () => performance.timeOrigin + performance.now(), flushAfter: FLUSH_AFTER_MS }
/**
 * Whole µs since this worker's `performance.timeOrigin`, which its `ready` gives the pool
 * (`origin`): on a JSON channel an integer is written and read in a fraction of the time of a
 * fractional double's shortest digits (see `SentOutcome`).
 */
const WHOLE_MICROS: Clock = { now: () => Math.round(performance.now() * 1000), flushAfter: FLUSH_AFTER_MS * 1000 }

interface Port {
  send(message: SentFromWorker): void
  on(listener: (message: SentToWorker) => void): void
}

function openPort(): Port | undefined {
  if (!isMainThread && parentPort) {
    const port = parentPort
    return { send: (m) => port.postMessage(m), on: (l) => port.on('message', l) }
  }
  if (typeof process.send === 'function') {
    return {
      send: (m) => {
        if (process.connected) process.send!(m)
      },
      on: (l) => process.on('message', l as (m: unknown) => void)
    }
  }
  return undefined
}

/**
 * A busy CPU loop never returns to the event loop, so the IPC 'disconnect' that announces the
 * parent's death (even by SIGKILL) would go unseen until the task ends. A tiny watchdog thread
 * polls the parent instead and kills this process at once when the parent is gone: it was
 * reparented (POSIX) or no longer exists (everywhere, Windows included).
 */
function startOrphanGuard(): void {
  const code = `
    const ppid = ${process.ppid};
    const gone = () => { if (process.ppid !== ppid) return true; try { process.kill(ppid, 0); return false } catch (e) { return e.code === 'ESRCH' } };
    setInterval(() => { if (gone()) process.kill(process.pid, 'SIGKILL') }, ${ORPHAN_CHECK_MS}).unref?.();
    setInterval(() => {}, 1 << 30);
  `
  const guard = new Worker(code, { eval: true, stdout: false, stderr: false, env: {} })
  guard.unref()
}

function runWorker(port: Port): void {
  const queue: SentUnit[] = []
  const cancelled = new Set<number>()
  /** Functions by the numbers the pool gave them: a `FnRef` until first run, then the function. */
  const fnTable: (FnRef | WorkerFn)[] = []
  let outcomes: SentOutcome[] = []
  /** Set by `init` where the channel is JSON (see `SentOutcome`), with the answers pipe where there is one. */
  let numbersAsBytes = false
  /** How units' starts and ends are stamped: {@link WHOLE_MICROS} on a JSON channel (set by `init`). */
  let clock = EPOCH_MS
  let answersPipe: Socket | undefined
  /** Where this worker's messages go: the IPC channel, or from `init` on the answers pipe (`SentFromWorker`). */
  let send = (message: SentFromWorker) => port.send(message)
  /** The doubles of outcomes that announce them (`numbers`), written on the answers pipe after their message. */
  const bytesOf = new Map<SentOutcome, Uint8Array>()
  let running = false
  let draining = false
  let batchStartedAt = 0
  /** When the local queue last ran dry and when it last got work, and whether that work came quickly. */
  let idleSince = 0
  let busySince = 0
  let requestsComeQuickly = false
  let cpu: CpuPlacement | undefined
  // The pool's thread: the parent's main thread for a process, this process's for a thread
  // (whose descriptors Node closes when the thread ends, terminated or not).
  const placement = new PlacementReading(() => (cpu ??= isMainThread ? cpuPlacement(process.ppid) : cpuPlacement(process.pid)).sharesCpu())
  let nextCallId = 1
  const pendingCalls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  const pushListeners = new Map<string, Set<(payload: unknown) => void>>()

  const flush = () => {
    if (outcomes.length === 0) return
    const batch = outcomes
    outcomes = []
    batchStartedAt = clock.now()
    try {
      sendResults(batch)
    } catch {
      // Encoding failed before anything was written: a value the channel cannot carry (a BigInt
      // through JSON, a function through a structured clone). Each outcome goes again on its own;
      // the ones that cannot go are reported as such, and this worker carries on.
      for (const outcome of batch) sendAlone(outcome)
    }
  }

  const sendAlone = (outcome: SentOutcome) => {
    try {
      sendResults([outcome])
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      const unsendable = { name: 'TaskDataError', message: reason, code: UNSENDABLE_RESULT }
      send({ type: 'results', outcomes: [{ id: outcome.id, ok: false, error: unsendable, startedAt: outcome.startedAt, endedAt: outcome.endedAt }] })
    }
  }

  /** A results message; the doubles its outcomes announce follow it on the answers pipe, in their order. */
  const sendResults = (batch: SentOutcome[]) => {
    send({ type: 'results', outcomes: batch })
    if (bytesOf.size === 0) return
    for (const outcome of batch) {
      const bytes = bytesOf.get(outcome)
      if (bytes === undefined) continue
      bytesOf.delete(outcome)
      answersPipe?.write(bytes)
    }
  }

  const record = (unit: SentUnit, startedAt: number, result: { ok: true; value: unknown } | { ok: false; error: unknown }) => {
    const endedAt = clock.now()
    outcomes.push(
      result.ok
        ? { id: unit.id, ok: true, value: result.value, startedAt, endedAt }
        : { id: unit.id, ok: false, error: serializeError(result.error), startedAt, endedAt }
    )
    // A chunk's result is big: sent at once, the parent decodes it while this worker runs the next.
    const isBig = result.ok && Array.isArray(result.value) && !('args' in unit) && result.value.length >= OWN_MESSAGE_VALUES
    if (isBig || queue.length === 0 || endedAt - batchStartedAt >= clock.flushAfter) flush()
  }

  /**
   * A chunk's values, each a number (`callEach` checked, or `callEachInt` kept them as doubles): as
   * bytes where the channel and the numbers make it worth it.
   */
  const recordNumbers = (unit: SentUnit, startedAt: number, values: number[] | Float64Array) => {
    const endedAt = clock.now()
    if (answersPipe && (values instanceof Float64Array || numbersWorthBytes(values))) {
      const doubles = values instanceof Float64Array ? values : new Float64Array(values)
      return recordRun({ id: unit.id, ok: true, numbers: values.length, startedAt, endedAt }, doubles)
    }
    if (values instanceof Float64Array) values = Array.from(values)
    const doubles = numbersAsBytes ? packNumbers(values) : undefined
    if (doubles === undefined) return record(unit, startedAt, { ok: true, value: values })
    // As for a chunk sent as JSON, the time to encode it is not the unit's.
    outcomes.push({ id: unit.id, ok: true, doubles, startedAt, endedAt })
    flush()
  }

  /** A chunk's results, every one a 32-bit integer (`callEachInt`): their bytes after the message, on the answers pipe. */
  const recordInts = (unit: SentUnit, startedAt: number, ints: Int32Array) => {
    const endedAt = clock.now()
    if (!answersPipe) return record(unit, startedAt, { ok: true, value: Array.from(ints) })
    recordRun({ id: unit.id, ok: true, ints: ints.length, startedAt, endedAt }, ints)
  }

  /** An outcome whose numbers follow its message on the answers pipe, as the bytes of `run`. */
  const recordRun = (outcome: SentOutcome, run: Float64Array | Int32Array) => {
    bytesOf.set(outcome, new Uint8Array(run.buffer, run.byteOffset, run.byteLength))
    outcomes.push(outcome)
    flush()
  }

  /** Runs one unit; returns a promise only when the function is asynchronous. */
  const runUnit = (unit: SentUnit): void | Promise<void> => {
    const startedAt = clock.now()
    const entry = typeof unit.fn === 'number' ? fnTable[unit.fn] : unit.fn
    const fn = typeof entry === 'function' ? entry : entry === undefined ? undefined : cachedFn(entry)
    if (!fn) return runUnresolved(unit, entry as FnRef | undefined, startedAt)
    if (typeof unit.fn === 'number') fnTable[unit.fn] = fn
    try {
      return 'args' in unit ? runCall(unit, fn, startedAt) : runChunkUnit(unit, fn, startedAt)
    } catch (error) {
      record(unit, startedAt, { ok: false, error })
    }
  }

  /** A unit whose function this worker was never given, or has not loaded yet. */
  const runUnresolved = (unit: SentUnit, entry: FnRef | undefined, startedAt: number): void | Promise<void> => {
    if (entry === undefined) {
      record(unit, startedAt, { ok: false, error: new Error(`function #${String(unit.fn)} was never defined in this worker`) })
      return
    }
    return resolveFn(entry).then(
      () => runUnit(unit),
      (error) => record(unit, startedAt, { ok: false, error })
    )
  }

  /** A single call (`args`); may throw, for `runUnit` to record. */
  const runCall = (unit: SentUnit & { args: unknown[] }, fn: WorkerFn, startedAt: number): void | Promise<void> => {
    const value = fn(...unit.args)
    if (isThenable(value)) {
      // Adopted into a real Promise: the drain loop chains on it, and a bare thenable's `then`
      // need not return a Promise (nor call back only once).
      return Promise.resolve(value).then(
        (v) => record(unit, startedAt, { ok: true, value: v }),
        (error) => record(unit, startedAt, { ok: false, error })
      )
    }
    record(unit, startedAt, { ok: true, value })
  }

  /** A chunk of calls (`inputs`, `chunk` or `columns`); may throw, for `runUnit` to record. */
  const runChunkUnit = (unit: SentUnit, fn: WorkerFn, startedAt: number): void | Promise<void> => {
    if ('inputs' in unit) return runChunk(unit, unit.inputs, inputCalls(fn, unit.extra), startedAt)
    if ('chunk' in unit) return runChunk(unit, unit.chunk, { call: (args) => fn(...(args as unknown[])), after: ITEM_ALONE }, startedAt)
    if ('columns' in unit) return runChunk(unit, unit.columns[0]!, columnCalls(fn, unit.columns), startedAt)
  }

  /** Runs a chunk's calls in order; from the first call that returns a promise on, one at a time. */
  const runChunk = (unit: SentUnit, items: ChunkItems, calls: ChunkCalls, startedAt: number) => {
    if (items instanceof Int32Array) {
      const results = callEachInt(items, calls)
      if (results instanceof Int32Array) return recordInts(unit, startedAt, results)
      if (results instanceof Float64Array) return recordNumbers(unit, startedAt, results)
      // A result that was not a number: the rest of the chunk as any other.
      const { values, next, pending } = results
      if (pending) return finishChunkAsync(unit, items, calls, values, next - 1, pending, startedAt)
      return record(unit, startedAt, { ok: true, value: values })
    }
    const { values, next, pending, numbersOnly } = callEach(items, calls)
    if (pending) return finishChunkAsync(unit, items, calls, values, next - 1, pending, startedAt)
    if (numbersOnly) return recordNumbers(unit, startedAt, values as number[])
    // Only a chunk that may have holes (see `callEach`) gets here with calls left.
    for (let i = next; i < items.length; i++) {
      const value = callAt(calls, items[i], i)
      if (isThenable(value)) return finishChunkAsync(unit, items, calls, values, i, value, startedAt)
      values[i] = value
    }
    record(unit, startedAt, { ok: true, value: values })
  }

  const finishChunkAsync = async (
    unit: SentUnit,
    items: ChunkItems,
    calls: ChunkCalls,
    values: unknown[],
    from: number,
    first: PromiseLike<unknown>,
    startedAt: number
  ) => {
    try {
      values[from] = await first
      for (let i = from + 1; i < items.length; i++) values[i] = await callAt(calls, items[i], i)
      record(unit, startedAt, { ok: true, value: values })
    } catch (error) {
      record(unit, startedAt, { ok: false, error })
    }
  }

  /**
   * Round trips of quick units, where a worker sleeps after each answer, cost two wake-ups each;
   * on a VM, waking a halted vCPU (parent and worker on different CPUs) costs tens of µs, and the
   * kernel keeps a pool on whichever placement it started with, so the same pool measured 35 or
   * 100 µs per round trip from one start to the next. While requests come back quickly
   * (`QUICK_GAP_MS`) after quick units, the worker keeps its event loop turning for the poll
   * window (one `setImmediate` per turn, so each turn polls the channel) instead of sleeping: its
   * CPU stays awake and the parent's write wakes nobody. The turns are `TURN_MS` (5 µs) apart, each
   * spinning that long first, since every turn of Node's loop leaves garbage (`poll-policy.ts`); a
   * request is read within that of landing. It stops at the window's end, at the first turn after
   * work arrives, and never starts after a slow unit or a long pause, so a pool at work or at rest
   * spends nothing on it.
   * Not where the worker shares its CPU with the pool's thread (Linux tells, see
   * `platform/cpu-placement.ts`): there the parent's write hands the CPU straight to a sleeping
   * worker, and a polling one would only make the parent sleep first (≈ 10 µs a round trip).
   */
  const poll = new PollWindow(() => queue.length === 0)

  const startPolling = () => {
    if (!requestsComeQuickly || idleSince - busySince > POLL_MS) return
    if (placement.sharesCpu(idleSince) !== true) poll.open()
  }

  /** Runs queued units in order; synchronous units run back to back without yielding. */
  const drain = () => {
    if (draining) return
    draining = true
    while (queue.length > 0) {
      const unit = queue.shift()!
      if (cancelled.delete(unit.id)) continue
      const pending = runUnit(unit)
      if (pending) {
        void pending.then(() => {
          draining = false
          drain()
        })
        return
      }
    }
    draining = false
    flush()
    idleSince = performance.now()
    startPolling()
  }

  const init = async (message: Extract<ToWorker, { type: 'init' }>) => {
    // From here on this worker's messages go on the answers pipe, where it has one, and the first
    // of them says whether it reads the requests pipe (see `SentFromWorker`).
    numbersAsBytes = message.numbersAsBytes === true
    if (numbersAsBytes) clock = WHOLE_MICROS
    if (isMainThread && message.answersPipe !== undefined) answersPipe = openAnswersPipe(message.answersPipe)
    if (answersPipe) {
      const pipe = answersPipe
      send = (m) => pipe.write(`${JSON.stringify(m)}\n`)
    }
    if (isMainThread && message.requestsPipe !== undefined && openRequestsPipe(message.requestsPipe, onMessage)) {
      send({ type: 'requests-pipe-open' })
    }
    const pid = process.pid
    installWorkerContext(
      { name: message.name, workerId: message.workerId, pid, ppid: isMainThread ? process.ppid : pid, threadId, isWorker: true },
      {
        call(service, method, args) {
          const callId = nextCallId++
          send({ type: 'call', callId, service, method, args })
          return new Promise((resolve, reject) => pendingCalls.set(callId, { resolve, reject }))
        },
        onPush(topic, listener) {
          const set = pushListeners.get(topic) ?? new Set()
          set.add(listener)
          pushListeners.set(topic, set)
          return () => set.delete(listener)
        }
      }
    )
    if (isMainThread) process.title = `poolscope-worker ${message.name}`
    try {
      if (message.preload) await preloadModules(message.preload)
      if (message.initializer) {
        const initializer = await resolveFn(message.initializer.fn)
        await initializer(...(message.initializer.args ?? []))
      }
    } catch (error) {
      send({ type: 'init-failed', error: serializeError(error) })
      return
    }
    send({ type: 'ready', pid, origin: clock === WHOLE_MICROS ? performance.timeOrigin : undefined })
    batchStartedAt = clock.now()
  }

  // Synchronous on purpose: it runs once per message, and an async handler would allocate a
  // promise per round trip on the latency path.
  //
  // `run` has a function of its own, and the rest another: V8 optimises a function once it has run
  // for a while in proportion to its size, and `run` was a case of a switch of 959 bytes of
  // bytecode, compiled after 2,000–2,500 round trips; `onRun` is compiled after 1,000–1,500
  // (`--trace-opt`, bench/README "seventh session").
  const onMessage = (message: SentToWorker) => {
    if (message.type === 'run') onRun(message.units)
    else onControl(message)
  }

  const onRun = (units: SentUnit[]) => {
    if (!draining && queue.length === 0) {
      busySince = performance.now()
      const gap = busySince - idleSince
      requestsComeQuickly = gap <= QUICK_GAP_MS
      // Read again as soon as its cost allows (`PlacementReading`): the round trip was already slow.
      if (gap > SLOW_MS) placement.distrust()
    }
    for (const unit of units) {
      if ('fnId' in unit && unit.fnId !== undefined) fnTable[unit.fnId] = unit.fn
      queue.push(unit)
    }
    if (!running) {
      running = true
      drain()
      running = false
    }
  }

  const onControl = (message: Exclude<SentToWorker, { type: 'run' }>) => {
    switch (message.type) {
      case 'init':
        void init(message)
        return
      case 'cancel':
        for (const id of message.ids) cancelled.add(id)
        return
      case 'reply': {
        const call = pendingCalls.get(message.callId)
        if (!call) return
        pendingCalls.delete(message.callId)
        if (message.ok) call.resolve(message.value)
        else call.reject(Object.assign(new Error(message.error.message), { name: message.error.name, code: message.error.code }))
        return
      }
      case 'push':
        for (const listener of pushListeners.get(message.topic) ?? []) listener(message.payload)
        return
      case 'shutdown':
        flush()
        process.exitCode = message.exitCode ?? 0
        // Disconnecting lets the IPC channel deliver the last results before the process leaves;
        // the answers pipe is ended first, once its last bytes are written. Nothing is sent after.
        if (!isMainThread) process.exit(message.exitCode ?? 0)
        else if (answersPipe) {
          endThen(answersPipe, () => process.disconnect?.())
          answersPipe = undefined
          send = () => undefined
        } else process.disconnect?.()
        return
    }
  }
  port.on(onMessage)
}

/**
 * A pipe the pool opened for this worker (`init` names its descriptor), or `undefined` where it
 * cannot be opened here. It never keeps the process alive: the IPC channel does, and its
 * 'disconnect' (the parent gone) ends the process, so an error on the pipe is left to that.
 */
function openPipe(options: SocketConstructorOpts & { onread?: OnReadOpts }): Socket | undefined {
  try {
    const pipe = new Socket(options)
    pipe.on('error', () => {})
    pipe.unref()
    return pipe
  } catch {
    return undefined
  }
}

/**
 * The answers pipe: every message of this worker from `init` on, and the doubles of big chunks of
 * numbers (`SentOutcome`). Where it cannot be opened, the messages go on the IPC channel and the
 * doubles in them.
 */
function openAnswersPipe(fd: number): Socket | undefined {
  return openPipe({ fd, readable: false, writable: true })
}

/** How many bytes the requests pipe is read with at a time, into one buffer kept for all reads. */
const REQUEST_READ_BYTES = 64 * 1024

/**
 * Reads the pool's messages from the requests pipe (lines of JSON, see `SentFromWorker`, each
 * followed by the integers of its units where it has `ints` units, see `packInts`) and hands each
 * to `onMessage`; false where it cannot be opened here, and the pool then keeps writing on the IPC
 * channel. Each read lands in the same buffer (`onread`, a constructor option in Node's net docs
 * that this @types/node lists for connect() only), with no stream machinery between the pipe and
 * the line reader, and no buffer of its own per read.
 */
function openRequestsPipe(fd: number, onMessage: (message: SentToWorker) => void): boolean {
  // A message whose units' integers follow it (`packInts`) waits for them.
  let waiting: PipedToWorker | undefined
  const lines = new LineReader(
    (line) => {
      const message = JSON.parse(line) as PipedToWorker
      const bytes = intsAfter(message)
      if (bytes === 0) onMessage(message as SentToWorker)
      else waiting = message
      return bytes
    },
    (bytes) => {
      const message = waiting!
      waiting = undefined
      onMessage(attachInts(message, bytes))
    }
  )
  const onread: OnReadOpts = {
    buffer: Buffer.allocUnsafe(REQUEST_READ_BYTES),
    callback: (length, buffer) => {
      lines.push(buffer, length)
      return true
    }
  }
  return openPipe({ fd, readable: true, writable: false, onread }) !== undefined
}

/** Ends `pipe` and calls `then` once its last bytes are written, or it failed. */
function endThen(pipe: Socket, then: () => void): void {
  let called = false
  const once = () => {
    if (called) return
    called = true
    then()
  }
  pipe.once('error', once)
  pipe.end(once)
}

/** One call of a chunk: given the item, and after it what its `ChunkCalls` says. */
type ChunkCall = (item: unknown, second?: unknown) => unknown

/**
 * What a chunk's `call` gets after the item: nothing, the item's index (for a closure that reads
 * more columns), one value the same for every item, or the item's value in a second column.
 */
const ITEM_ALONE = 0
const ITEM_AND_INDEX = 1
const ITEM_AND_FIXED = 2
const ITEM_AND_COLUMN = 3

/**
 * A chunk's calls: `call(item)`, `call(item, i)`, `call(item, fixed)` or `call(item, fixed[i])`.
 * `call` is often the task's own function, which must get exactly those arguments (`map` passes
 * the input alone); a closure that added the argument would be one more call per item while a
 * fresh worker's code is interpreted (the `square` task's chunked run took 3 ms longer, of about
 * 25, with one).
 */
interface ChunkCalls {
  call: ChunkCall
  after: typeof ITEM_ALONE | typeof ITEM_AND_INDEX | typeof ITEM_AND_FIXED | typeof ITEM_AND_COLUMN
  fixed?: unknown
}

function callAt({ call, after, fixed }: ChunkCalls, item: unknown, i: number): unknown {
  if (after === ITEM_ALONE) return call(item)
  if (after === ITEM_AND_FIXED) return call(item, fixed)
  return call(item, after === ITEM_AND_COLUMN ? (fixed as unknown[])[i] : i)
}

/**
 * Calls each item's call (`callAt`) in order while the calls return plain values, through
 * `Array.prototype.map`: the loop then runs in V8's builtin from the first chunk on, where a loop
 * written here is interpreted until the JIT has seen thousands of calls, which made the first big
 * map on a fresh worker about twice as slow as later ones. Per item it only checks for a promise:
 * on a fresh worker every instruction of this callback is interpreted for thousands of items (an
 * index check and two closures per item cost a quarter of a first chunk's time), which is also why
 * it makes the call itself rather than through `callAt`. It stops calling at the first promise
 * (`pending`, at index `next - 1`). A value that is a number is checked no further, and
 * `numbersOnly` says whether every one was (a chunk of numbers may travel as bytes, `SentOutcome`).
 *
 * `map` skips the holes of a sparse array (a thread's structured clone keeps them), where each
 * must be called with `undefined`: a chunk with anything `includes` sees as undefined goes to the
 * caller's own loop from index 0 (`next`), whole.
 */
function callEach(
  items: readonly unknown[],
  calls: ChunkCalls
): { values: unknown[]; next: number; pending: PromiseLike<unknown> | undefined; numbersOnly: boolean } {
  if (items.includes(undefined)) return { values: new Array<unknown>(items.length), next: 0, pending: undefined, numbersOnly: false }
  const state = eachState(calls, items.length, false)
  const values = items.map(callOne, state)
  return { values, next: state.next, pending: state.pending, numbersOnly: state.others === 0 }
}

/** A chunk's inputs: any values, or 32-bit integers that came as bytes (`IntsUnit`). */
type ChunkItems = readonly unknown[] | Int32Array

/**
 * `callEach` for inputs that came as 32-bit integers, through the typed array's own `forEach`:
 * each result that is a number goes into a `Float64Array` and an `Int32Array` both, and the chunk
 * answers with the `Int32Array` where it holds every one exactly (`isExactly`), else with the
 * `Float64Array`. A chunk of numbers in and out thus makes no array and no string in the heap on
 * this side. From the first result that is not a number, the results so far are copied into a
 * plain array, and it goes on as `callEach` does, with that array as its `values`.
 */
function callEachInt(items: Int32Array, calls: ChunkCalls): Int32Array | Float64Array | ReturnType<typeof callEach> {
  const state = eachState(calls, items.length, true)
  items.forEach(callOne, state)
  const { doubles, ints } = state
  // The doubles are this worker's scratch (`chunkDoubles`): an answer with them takes a copy.
  if (doubles !== undefined) return isExactly(ints!, doubles) ? ints! : doubles.slice()
  return { values: state.values!, next: state.next, pending: state.pending, numbersOnly: false }
}

/**
 * Whether `ints` holds each of `doubles` exactly (32-bit integers, none -0): the integers are turned
 * back into doubles and the bytes compared, all in V8's and Node's own code, about 20 µs for 12,500
 * here. A test of each result in the step would need type feedback that a double can contradict
 * (see `callOne`); turning doubles into 32-bit integers here, natively, took 70 µs.
 */
function isExactly(ints: Int32Array, doubles: Float64Array): boolean {
  const back = intsAsDoubles.take(ints.length)
  back.set(ints)
  return Buffer.from(back.buffer, back.byteOffset, back.byteLength).equals(Buffer.from(doubles.buffer, doubles.byteOffset, doubles.byteLength))
}

/** A chunk's progress through `callEach` or `callEachInt`, the `this` of {@link callOne}. */
interface EachState {
  readonly call: ChunkCall
  readonly after: ChunkCalls['after']
  readonly fixed: unknown
  pending: PromiseLike<unknown> | undefined
  next: number
  others: number
  /** `callEachInt`: the results while every one is a number, as doubles… */
  doubles: Float64Array | undefined
  /** …and as 32-bit integers (`ToInt32`: 2³¹ is -2³¹, 1.5 is 1, -0 and NaN are 0)… */
  ints: Int32Array | undefined
  /** …then from the first that is not a number (`map` keeps `callEach`'s). */
  values: unknown[] | undefined
}

/** Whether {@link widenEachState} has run in this worker (a thread has a module of its own). */
let eachStateWidened = false

/**
 * A `Float64Array` used again from one chunk to the next, grown as needed; what a caller takes is
 * good until the next `take`. A fresh array for the doubles of each chunk of 12,500 kept a warm
 * worker busy 4.25 ms per map of 100,000 against 3.27 (bench/README, seventeenth session): fresh
 * memory is dear on a VM, and most chunks answer with their 32-bit integers.
 */
class DoublesScratch {
  /** The most doubles kept between chunks (8 MB); a bigger chunk gets an array of its own. */
  static readonly MAX = 1 << 20
  #array = new Float64Array(0)

  take(size: number): Float64Array {
    if (size > DoublesScratch.MAX) return new Float64Array(size)
    if (this.#array.length < size) this.#array = new Float64Array(Math.min(DoublesScratch.MAX, Math.max(size, 2 * this.#array.length)))
    return this.#array.subarray(0, size)
  }
}

/**
 * The doubles of each `callEachInt` chunk, and its integers turned back (`isExactly`), one of each
 * per worker (a thread has a module of its own): taken while the chunk's calls run, which nothing
 * interrupts (a call that returns a promise ends them), and read before the next chunk.
 */
const chunkDoubles = new DoublesScratch()
const intsAsDoubles = new DoublesScratch()

/** A fresh state for `size` items; `typed`: keeping numbers in typed arrays (`callEachInt`). */
function eachState(calls: ChunkCalls, size: number, typed: boolean): EachState {
  if (!eachStateWidened) widenEachState()
  return {
    call: calls.call,
    after: calls.after,
    fixed: calls.fixed,
    pending: undefined,
    next: size,
    others: 0,
    doubles: typed ? chunkDoubles.take(size) : undefined,
    ints: typed ? new Int32Array(size) : undefined,
    values: undefined
  }
}

/**
 * Gives {@link EachState}'s fields, once per worker before its first chunk's state, every kind of
 * value they ever hold. V8 keeps a field's type on the map its objects share, and `callOne`'s
 * optimised code depends on it: a fresh worker's first states had `ints` typed as an `Int32Array`,
 * a later one widened it (`--trace-generalization`), and V8 threw that code away in the middle of
 * the first map (`--trace-deopt`: "code dependencies"), to interpret the step again until it was
 * optimised a second time. With the fields general from the start, the code compiled first is
 * kept. It costs a few small objects and about 0.1 ms, at the first chunk rather than at start-up,
 * where a worker that never runs a chunk would pay for it. W1's first map on ten fresh pools took
 * 7.0–7.3 ms against 8.6–8.9 ms (bench/README, eleventh session);
 * `tests/main/pool/worker-jit.test.ts` reads V8's trace for it.
 */
function widenEachState(): void {
  eachStateWidened = true
  const call: ChunkCall = (item) => item
  const state = eachState({ call, after: ITEM_ALONE }, 1, true)
  state.ints = undefined
  state.doubles = undefined
  state.values = []
  state.values = undefined
  state.pending = Promise.resolve()
  state.pending = undefined
  for (const fixed of [0.5, []]) eachState({ call, after: ITEM_AND_FIXED, fixed }, 1, false)
}

/**
 * The step for one item of `callEach` (through `map`, which keeps what it returns) and of
 * `callEachInt` (through `forEach`, which keeps nothing: the step stores the result itself): one
 * function for every chunk, its state passed as `this`. V8 keeps what it learns about a function
 * (its feedback, then its optimised code) per closure unless the function that makes the closures
 * has feedback of its own, which `callEach`, called once per chunk, does not get soon: a closure
 * made for each chunk started each chunk of a fresh worker interpreted again. The task's function
 * is called as a plain function, never as a method of the state.
 */
function callOne(this: EachState, item: unknown, i: number): unknown {
  if (this.pending !== undefined) return undefined
  const { call, after } = this
  const value =
    after === ITEM_ALONE
      ? call(item)
      : after === ITEM_AND_FIXED
        ? call(item, this.fixed)
        : call(item, after === ITEM_AND_COLUMN ? (this.fixed as unknown[])[i] : i)
  if (typeof value === 'number') {
    const doubles = this.doubles
    if (doubles !== undefined) {
      // Kept both ways, with no test of which one holds it (`callEachInt` compares them after): no
      // operation here has type feedback that a double can contradict. With `(value | 0) === value`
      // as the test, V8 compiled the step for small integers (and -0's test for a 0 that had come
      // before the step had feedback), then threw that code away at the first result past 2³¹ or
      // the next 0, and a fresh worker interpreted the step again until it was compiled anew
      // (bench/README, seventeenth session).
      doubles[i] = value
      this.ints![i] = value
      return value
    }
    // `callEach`'s numbers: `map` keeps them.
    if (this.values === undefined) return value
  }
  return keepOther(this, value, i)
}

/**
 * {@link callOne}'s rarer cases: the first result that is not a number where the step kept numbers
 * in typed arrays, and each result from then on that is kept in `values`. In a function of their
 * own, the step stays small, and V8 optimises it sooner and faster, in a fresh worker and again
 * after the task's own function was thrown away (`square`'s x² passing 2³¹, when it was `x * x`):
 * W9's chunked `runTask` ran at 7.74–8.24 M/s against 6.90–7.43 with all of it in the step
 * (bench/README, eleventh session).
 */
function keepOther(state: EachState, value: unknown, i: number): unknown {
  const doubles = state.doubles
  if (doubles !== undefined) {
    // Not a number (callOne kept those). Grown by `push` from here on (one result per item, in
    // order): a packed array.
    state.values = Array.from(doubles.subarray(0, i))
    state.doubles = undefined
    state.ints = undefined
  }
  if (typeof value !== 'number') {
    state.others++
    if (value !== null && (typeof value === 'object' || typeof value === 'function') && isThenable(value)) {
      state.pending = value
      state.next = i + 1
    }
  }
  state.values?.push(value)
  return value
}

/** The calls of an `inputs` chunk: `fn(x)`, `fn(x, extra[0])`, or `fn(x, ...extra)`. */
function inputCalls(fn: WorkerFn, extra: readonly unknown[] | undefined): ChunkCalls {
  if (!extra || extra.length === 0) return { call: fn, after: ITEM_ALONE }
  if (extra.length === 1) return { call: fn, after: ITEM_AND_FIXED, fixed: extra[0] }
  return { call: (item) => fn(item, ...extra), after: ITEM_ALONE }
}

/** The calls of a chunk sent by column (`ColumnsUnit`): call i gets `item`, then the rest at `i` in the other columns. */
function columnCalls(fn: WorkerFn, columns: readonly unknown[][]): ChunkCalls {
  if (columns.length === 1) return { call: fn, after: ITEM_ALONE }
  if (columns.length === 2) return { call: fn, after: ITEM_AND_COLUMN, fixed: columns[1] }
  if (columns.length === 3) {
    const [, second, third] = columns as [unknown[], unknown[], unknown[]]
    return { call: (item, i) => fn(item, second[i as number], third[i as number]), after: ITEM_AND_INDEX }
  }
  return { call: (item, i) => fn(item, ...columns.slice(1).map((column) => column[i as number])), after: ITEM_AND_INDEX }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function'
}

/**
 * V8 optimises a function once it has run for a while: every {@link WORKER_INTERRUPT_BUDGET} bytes
 * of its bytecode executed count one tick, and TurboFan takes it after 3 ticks plus one per 150
 * bytes of its size. At Node 20's budget (67,584) a process worker's round trip (reading a
 * request, running the unit, answering, and its loop's turns between messages) was still being
 * compiled after 2,000–3,500 sequential round trips, on compiler threads that take the CPU from
 * both sides' main threads mid-stream (bench/README, eighth session). At a quarter of it the
 * worker's own code is compiled within about 1,000 round trips.
 */
const WORKER_INTERRUPT_BUDGET = 16_384

/**
 * Sets {@link WORKER_INTERRUPT_BUDGET} in this worker process, at run time: a V8 flag on the
 * command line instead would make V8 reject Node's built-in code cache, 8–10 ms more per start.
 * A budget on the worker's command line (the parent's own V8 flags, which its workers inherit) is
 * left as it is. A thread never sets it: V8's flags are its process's, and a thread's process is
 * the user's.
 */
function optimiseSooner(): void {
  if (process.execArgv.some((arg) => /^--interrupt[-_]budget=/.test(arg))) return
  setFlagsFromString(`--interrupt-budget=${WORKER_INTERRUPT_BUDGET}`)
}

/**
 * Serves the pool over this process's IPC channel or this thread's parent port; does nothing
 * where there is neither (the entry run by hand). An entry registers its modules first.
 *
 * Task code loaded from a module file (`{ module, export }`: user code, test fixtures) is not
 * bundled with this runtime, so importing `worker-context` there would give it a second, empty
 * copy of the context. Every entry therefore re-exports the runtime's own copy
 * (`callParent`, `currentWorker`, `onParentPush`); such code reaches it as `require.main.exports`
 * (the entry is the main module in a worker process and in a thread).
 */
export function startWorkerRuntime(): void {
  const port = openPort()
  if (!port) return
  if (isMainThread) {
    optimiseSooner()
    // The parent closed the channel (it exited, or asked us to stop): leave now.
    process.on('disconnect', () => process.exit())
    // Where the kernel already kills us with the parent (Linux, see `platform/parent-death.ts`),
    // the watchdog thread would only cost start-up time and ~10 MB.
    if (process.env[PARENT_DEATH_SIGNAL_ENV] !== '1') startOrphanGuard()
  }
  runWorker(port)
}
