/**
 * A pool of workers shaped like Python's `multiprocessing.Pool`, for TypeScript: promises, async
 * iterators, `AbortSignal` and `Symbol.asyncDispose`.
 *
 * Scheduling: units wait in one queue; each ready worker holds up to `depth` dispatched units and
 * runs them in order. `depth` adapts to how long the units of each function take: one for long
 * units or a function not measured yet (so work stays balanced), two for short ones (so a worker
 * never waits a round trip), up to `MAX_DEPTH` for tiny ones (so the IPC round trip is paid per
 * batch, not per task). A unit's timeout starts when it reaches the head of its worker's line.
 *
 * Faults: a worker that exits while holding units is replaced; its running unit is retried while
 * its `retries` allow, else rejected with `WorkerCrashedError`; the units behind it never started,
 * so they go back to the front of the queue unchanged. The pool never waits on a dead worker.
 */
import { EventEmitter } from 'node:events'
import { availableParallelism } from 'node:os'
import { toAsyncResult, type AsyncCallbacks, type AsyncResult } from './async-result'
import { autoChunksize } from './chunking'
import { emptyCounters } from './counters'
import {
  InvalidOptionError,
  InvalidStateError,
  PoolClosedError,
  PoolTerminatedError,
  TaskAbortedError,
  TaskDataError,
  TaskFailedError,
  TaskTimeoutError,
  WorkerCrashedError,
  WorkerStartError
} from './errors'
import { fnKey } from './fn-key'
import { defaultWorkerScript } from './paths'
import { processBackend } from './process-adapter'
import { ServiceRegistry, type ParentService } from './service-registry'
import { UNSENDABLE_RESULT, type FromWorker, type SerializedError, type UnitOutcome, type WireUnit } from './protocol'
import { SignalWatch } from './signal-watch'
import { RingQueue, type UnitQueue } from './unit-queue'
import type { UnitRecord } from './unit-record'
import { threadBackend } from './thread-adapter'
import type {
  FnRef,
  MapOptions,
  PoolCounters,
  PoolEvents,
  PoolOptions,
  PoolSnapshot,
  PoolState,
  Serialization,
  TaskOptions,
  UnitSpan
} from './types'
import { DEFAULT_GRACE_MS, type WorkerAdapter, type WorkerBackend, type WorkerExit } from './worker-adapter'
import { WorkerHandle } from './worker-handle'

/** Abort reason of an imap's own controller when its consumer stops early (not a user abort). */
const CONSUMER_STOPPED = Symbol('imap consumer stopped')

/** Most units one worker may hold at once (running plus lined up). */
const MAX_DEPTH = 256
/** Line up enough units to keep a worker busy this long between round trips. */
const PIPELINE_TARGET_MS = 2
/**
 * A unit expected to take less than this may have one more lined up behind it, so its worker never
 * waits a round trip for the next; longer ones are given one at a time, for balance.
 */
const LINE_UP_ONE_BELOW_MS = 10
/**
 * A unit carrying at least this many inputs travels in a message of its own (and so does its
 * result), so the worker starts on it while the next one is still being encoded and sent.
 */
const OWN_MESSAGE_INPUTS = 256
/** Weight of a faster newest sample in a function's duration estimate (a slower one replaces it). */
const ESTIMATE_DOWN_WEIGHT = 0.5

/** What a unit carries, as `WireUnit` names it. */
type Payload = 'args' | 'inputs' | 'chunk'
/** A worker slot that fails to start this many times in a row stops the pool's pending work. */
const MAX_START_FAILURES = 3

const KNOWN_OPTIONS = new Set<keyof PoolOptions>([
  'workers',
  'backend',
  'maxTasksPerChild',
  'initializer',
  'taskTimeoutMs',
  'retries',
  'graceMs',
  'workerScript',
  'env',
  'serialization',
  'name'
])

interface ResolvedOptions {
  workers: number
  backend: WorkerBackend
  maxTasksPerChild: number | undefined
  initializer: PoolOptions['initializer']
  taskTimeoutMs: number | undefined
  retries: number
  graceMs: number
  workerScript: string
  env: Record<string, string> | undefined
  serialization: Serialization
  name: string
}

export class Pool extends EventEmitter<PoolEvents> {
  readonly #options: ResolvedOptions
  readonly #queue: UnitQueue<UnitRecord> = new RingQueue()
  readonly #workers: (WorkerHandle | undefined)[]
  readonly #services = new ServiceRegistry()
  readonly #counters: PoolCounters = emptyCounters()
  /** The callers' signals, one listener each, and the pending units each one covers. */
  readonly #signals = new SignalWatch<UnitRecord>((units) => this.#abortAll(units))
  #state: PoolState = 'running'
  #nextUnitId = 1
  #spawned = 0
  #startFailures = 0
  /** Set when workers cannot start at all; every later submission fails with it. */
  #broken: Error | undefined
  #dispatchScheduled = false
  /**
   * Moving average of one input's run time in the workers, ms, per function (`fnKey`): it decides
   * how many units of that function a worker may hold. Per function, because one pool runs tiny
   * and long functions in turn, and a depth learnt on the tiny ones would line up many long ones
   * on one worker while another sits idle. A function not measured yet gets one unit per worker.
   */
  readonly #msPerInput = new Map<string, number>()
  readonly #createdAt = Date.now()
  #readyAt: number | undefined
  #readyWaiters: (() => void)[] = []
  #exitWaiters: (() => void)[] = []

  constructor(options: PoolOptions = {}) {
    super()
    this.#options = resolveOptions(options)
    this.#workers = new Array(this.#options.workers).fill(undefined)
    for (let slot = 0; slot < this.#options.workers; slot++) this.#spawn(slot, 0)
  }

  get size(): number {
    return this.#options.workers
  }

  /** The backend's name: `process`, `thread`, or a custom backend's own. */
  get backend(): string {
    return this.#options.backend.name
  }

  get state(): PoolState {
    return this.#state
  }

  /**
   * Resolves once every worker has started (and run its initializer), or once the pool has given
   * up starting them (its work then rejects with `WorkerStartError`).
   */
  ready(): Promise<void> {
    // `#broken` too: the waiters are woken once when the pool breaks, so a later call must not
    // wait for a start that will never come.
    if (this.#readyAt !== undefined || this.#state === 'terminated' || this.#broken) return Promise.resolve()
    return new Promise((resolve) => this.#readyWaiters.push(resolve))
  }

  /** Makes a parent-side service reachable from task code as `callParent(name, method, …args)`. */
  registerService(name: string, service: ParentService): () => void {
    return this.#services.register(name, service)
  }

  // ---------------------------------------------------------------------------------------------
  // Submitting work

  /** Runs `fn(...args)` in a worker; resolves to its return value. */
  apply<R = unknown>(fn: FnRef, args: unknown[] = [], options: TaskOptions = {}): Promise<R> {
    return this.#submit(fn, 'args', args, options) as Promise<R>
  }

  /** Like `apply`, returning an `AsyncResult` and calling `callback` / `errorCallback` when done. */
  applyAsync<R = unknown>(
    fn: FnRef,
    args: unknown[] = [],
    options: TaskOptions & AsyncCallbacks<R> = {}
  ): AsyncResult<R> {
    return toAsyncResult(this.apply<R>(fn, args, options), options)
  }

  /** `fn(x)` for every input, results in input order; rejects with the first failure. */
  async map<R = unknown>(fn: FnRef, inputs: Iterable<unknown>, mapOptions: MapOptions = {}): Promise<R[]> {
    const all = Array.isArray(inputs) ? (inputs as unknown[]) : Array.from(inputs)
    if (all.length === 0) return []
    const size = this.#chunksizeFor(all.length, mapOptions.chunksize)
    if (size === 1) return Promise.all(all.map((x) => this.#submit(fn, 'args', [x], mapOptions))) as Promise<R[]>
    return this.#mapChunks<R>(all, size, 'inputs', fn, mapOptions)
  }

  /** `fn(...args)` for every argument list, results in input order. */
  async starmap<R = unknown>(fn: FnRef, argLists: Iterable<unknown[]>, mapOptions: MapOptions = {}): Promise<R[]> {
    const all = Array.isArray(argLists) ? (argLists as unknown[][]) : Array.from(argLists)
    if (all.length === 0) return []
    const size = this.#chunksizeFor(all.length, mapOptions.chunksize)
    if (size === 1) return Promise.all(all.map((args) => this.#submit(fn, 'args', args, mapOptions))) as Promise<R[]>
    return this.#mapChunks<R>(all, size, 'chunk', fn, mapOptions)
  }

  /** Submits `all` in slices of `size` and copies each slice's results into place as it lands. */
  async #mapChunks<R>(all: unknown[], size: number, payload: Payload, fn: FnRef, options: MapOptions): Promise<R[]> {
    const results = new Array<R>(all.length)
    const parts: Promise<void>[] = []
    for (let start = 0; start < all.length; start += size) {
      const part = this.#submit(fn, payload, all.slice(start, start + size), options) as Promise<R[]>
      parts.push(
        part.then((values) => {
          for (let i = 0; i < values.length; i++) results[start + i] = values[i]
        })
      )
    }
    await Promise.all(parts)
    return results
  }

  /**
   * Lazy, ordered map over any iterable or async iterable: inputs are pulled only as results are
   * consumed, so a million inputs never sit in memory at once.
   */
  imap<R = unknown>(fn: FnRef, inputs: Iterable<unknown> | AsyncIterable<unknown>, options: MapOptions = {}): AsyncGenerator<R> {
    return this.#lazyMap<R>(fn, inputs, options, true)
  }

  /** Like `imap`, yielding each result as soon as it is ready. */
  imapUnordered<R = unknown>(
    fn: FnRef,
    inputs: Iterable<unknown> | AsyncIterable<unknown>,
    options: MapOptions = {}
  ): AsyncGenerator<R> {
    return this.#lazyMap<R>(fn, inputs, options, false)
  }

  async *#lazyMap<R>(
    fn: FnRef,
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
    const window = this.size * 4
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
      while (!exhausted && unconsumed() < window) {
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
        const promise = this.#submit(fn, 'inputs', batch, unitOptions) as Promise<R[]>
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
          chunk = Math.min(4096, Math.max(chunk, Math.floor(perMs * PIPELINE_TARGET_MS)))
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

  #chunksizeFor(length: number, chunksize: MapOptions['chunksize']): number {
    if (chunksize === undefined || chunksize === 'auto') return autoChunksize(length, this.size)
    if (!Number.isInteger(chunksize) || chunksize < 1) throw new InvalidOptionError('chunksize', 'must be an integer ≥ 1')
    return chunksize
  }

  #submit(fn: FnRef, payload: Payload, data: unknown[], options: TaskOptions): Promise<unknown> {
    if (this.#state === 'terminated') return Promise.reject(new PoolTerminatedError())
    if (this.#state !== 'running') return Promise.reject(new PoolClosedError())
    if (this.#broken) return Promise.reject(this.#broken)
    const id = this.#nextUnitId++
    const signal = options.signal
    if (signal?.aborted) return Promise.reject(new TaskAbortedError(id, signal.reason))
    const timeoutMs = options.timeoutMs ?? this.#options.taskTimeoutMs
    return new Promise((resolve, reject) => {
      const unit: UnitRecord = {
        id,
        fn,
        fnKey: fnKey(fn),
        args: payload === 'args' ? data : undefined,
        inputs: payload === 'inputs' ? data : undefined,
        chunk: payload === 'chunk' ? (data as unknown[][]) : undefined,
        size: payload === 'args' ? 1 : data.length,
        timeoutMs,
        retries: options.retries ?? this.#options.retries,
        signal,
        state: 'queued',
        attempts: 0,
        worker: undefined,
        resolve,
        reject
      }
      if (signal) this.#signals.add(signal, unit)
      this.#queue.push(unit)
      this.#counters.submitted++
      this.#counters.inputsSubmitted += unit.size
      this.#counters.pending++
      this.#scheduleDispatch()
    })
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /** No new work is accepted; workers exit once everything submitted has finished. */
  close(): void {
    if (this.#state !== 'running') return
    this.#state = 'closing'
    this.#retireIdleIfClosing()
  }

  /** Stops at once: pending and running work rejects with `PoolTerminatedError`, workers are killed. */
  async terminate(): Promise<void> {
    if (this.#state !== 'terminated') {
      this.#state = 'terminated'
      const error = new PoolTerminatedError()
      for (let unit = this.#queue.shift(); unit; unit = this.#queue.shift()) this.#settle(unit, error)
      for (const worker of this.#workers) {
        if (!worker) continue
        for (const unit of worker.inFlight.splice(0)) this.#settle(unit, error)
        this.#stopWorker(worker, true)
      }
      this.#wakeReadyWaiters()
    }
    await this.join()
  }

  /** Resolves once every worker has exited; call `close()` or `terminate()` first. */
  join(): Promise<void> {
    if (this.#state === 'running') return Promise.reject(new InvalidStateError('join() needs close() or terminate() first'))
    if (this.#allExited()) return Promise.resolve()
    return new Promise((resolve) => this.#exitWaiters.push(resolve))
  }

  /** `await using pool = new Pool()` terminates it on scope exit, as Python's `with Pool()` does. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate()
  }

  /** Kills one worker as a fault would (fault injection); the pool treats it as a crash. */
  killWorker(slot: number): number | undefined {
    const worker = this.#workers[slot]
    if (!worker || worker.state === 'exited') return undefined
    worker.adapter.kill()
    return worker.adapter.pid
  }

  snapshot(): PoolSnapshot {
    const workers = []
    for (const worker of this.#workers) if (worker) workers.push(worker.snapshot())
    return {
      ...this.#counters,
      state: this.#state,
      backend: this.#options.backend.name,
      size: this.#options.workers,
      workers,
      createdAt: this.#createdAt,
      readyAt: this.#readyAt
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Workers

  #spawn(slot: number, restarts: number): void {
    const name = `${this.#options.name}-${++this.#spawned}`
    let adapter: WorkerAdapter
    try {
      adapter = this.#options.backend.createAdapter({ workerScript: this.#options.workerScript, name, env: this.#options.env, serialization: this.#options.serialization })
    } catch (error) {
      this.#onStartFailure(name, error instanceof Error ? error.message : String(error))
      return
    }
    const worker = new WorkerHandle(slot, name, restarts, adapter)
    this.#workers[slot] = worker
    adapter.onMessage((message) => this.#onMessage(worker, message))
    adapter.onExit((exit) => this.#onExit(worker, exit))
    adapter.onOutput((stream, text) => {
      if (this.listenerCount('output') > 0) this.emit('output', { workerId: slot, stream, text })
    })
    adapter.send({ type: 'init', workerId: slot, name, initializer: this.#options.initializer })
  }

  #onMessage(worker: WorkerHandle, message: FromWorker): void {
    switch (message.type) {
      case 'results':
        this.#onResults(worker, message.outcomes)
        return
      case 'ready':
        worker.state = 'idle'
        this.#startFailures = 0
        this.emit('worker-start', worker.snapshot())
        if (this.#readyAt === undefined && this.#workers.every((w) => w && w.state !== 'starting')) {
          this.#readyAt = Date.now()
          this.#wakeReadyWaiters()
        }
        if (this.#state === 'closing') this.#retireIdleIfClosing()
        this.#scheduleDispatch()
        return
      case 'init-failed':
        this.#onStartFailure(worker.name, `its initializer threw: ${message.error.message}`, message.error)
        this.#stopWorker(worker, true)
        return
      case 'call':
        void this.#services.answer(worker.adapter, message, { workerId: worker.slot, workerName: worker.name })
        return
    }
  }

  #onResults(worker: WorkerHandle, outcomes: UnitOutcome[]): void {
    const wantSpans = this.listenerCount('spans') > 0
    const spans: UnitSpan[] = []
    for (const outcome of outcomes) {
      // Units run in order, so the outcome is for the head; units aborted before they started are
      // skipped by the worker and only need dropping here.
      let index = 0
      while (index < worker.inFlight.length && worker.inFlight[index].id !== outcome.id) index++
      if (index === worker.inFlight.length) continue
      const unit = worker.inFlight[index]
      worker.inFlight.splice(0, index + 1)
      worker.unitsDone++
      const ms = (outcome.endedAt - outcome.startedAt) / unit.size
      const estimate = this.#msPerInput.get(unit.fnKey)
      // Up at once (lining up too deep is the costly mistake), down by halves (first runs are slow
      // while the JIT warms up, and a cold estimate would keep a fast function un-pipelined).
      this.#msPerInput.set(unit.fnKey, estimate === undefined || ms > estimate ? ms : estimate + (ms - estimate) * ESTIMATE_DOWN_WEIGHT)
      if (wantSpans) {
        spans.push({
          unitId: unit.id,
          workerId: worker.slot,
          size: unit.size,
          startedAt: outcome.startedAt,
          endedAt: outcome.endedAt,
          ok: outcome.ok
        })
      }
      if (outcome.ok) this.#settle(unit, undefined, outcome.value)
      else if (outcome.error.code === UNSENDABLE_RESULT) this.#settle(unit, new TaskDataError(unit.id, 'result', outcome.error.message))
      else this.#settle(unit, new TaskFailedError(unit.id, outcome.error))
    }
    if (spans.length > 0) this.emit('spans', spans)
    this.#armTimeout(worker)
    if (worker.inFlight.length === 0 && worker.state === 'busy') worker.state = 'idle'
    const quota = this.#options.maxTasksPerChild
    // Retire on units *given* (as dispatch counts them), not units done: a lined-up unit that was
    // cancelled never reports, so counting completions would leave a worker that may receive no
    // more work yet is never retired or replaced, and the pool would stall.
    if (quota !== undefined && worker.unitsDispatched >= quota && worker.inFlight.length === 0) {
      this.#stopWorker(worker, false)
      if (this.#needsReplacement()) this.#spawn(worker.slot, worker.restarts + 1)
    }
    this.#retireIdleIfClosing()
    this.#scheduleDispatch()
  }

  #onExit(worker: WorkerHandle, exit: WorkerExit): void {
    const wasStarting = worker.state === 'starting'
    worker.state = 'exited'
    clearTimeout(worker.timeoutTimer)
    this.emit('worker-exit', worker.snapshot(), { ...exit, expected: worker.isExitExpected })
    const lost = worker.inFlight.splice(0)
    // A retired worker was already replaced in its slot; only the slot's current worker counts.
    if (this.#state !== 'terminated' && this.#workers[worker.slot] === worker) {
      if (worker.isExitExpected) {
        // Stopped by us (timeout, abort): whatever it still held never ran.
        for (let i = lost.length - 1; i >= 0; i--) this.#requeue(lost[i])
      } else {
        this.#counters.crashedWorkers++
        const [running, ...notStarted] = lost
        // Units that never started go back first, in their order; the running one goes in front.
        for (let i = notStarted.length - 1; i >= 0; i--) this.#requeue(notStarted[i])
        if (running) {
          if (running.attempts < running.retries) {
            running.attempts++
            this.#counters.retried++
            this.emit('task-retry', { unitId: running.id, attempt: running.attempts, reason: describeExit(exit) })
            this.#requeue(running)
          } else {
            this.#settle(running, new WorkerCrashedError(worker.name, worker.adapter.pid, exit.code, exit.signal, running.id))
          }
        }
        if (wasStarting) this.#onStartFailure(worker.name, `exited during start-up (${describeExit(exit)})`)
      }
      if (this.#needsReplacement()) this.#spawn(worker.slot, worker.restarts + 1)
    }
    this.#scheduleDispatch()
    this.#maybeFinishExit()
  }

  #needsReplacement(): boolean {
    return !this.#broken && (this.#state === 'running' || (this.#state === 'closing' && this.#queue.size > 0))
  }

  #onStartFailure(name: string, message: string, remote?: SerializedError): void {
    this.#startFailures++
    if (this.#startFailures < MAX_START_FAILURES || this.#broken) return
    // Workers cannot start (missing script, failing initializer): fail the queued work and refuse
    // new work rather than respawning forever. `remote` keeps the initializer's own stack.
    const error = new WorkerStartError(name, message, remote)
    this.#broken = error
    for (let unit = this.#queue.shift(); unit; unit = this.#queue.shift()) this.#settle(unit, error)
    this.#wakeReadyWaiters()
  }

  /** Graceful (`shutdown` message, killed after `graceMs`) or immediate stop of one worker. */
  #stopWorker(worker: WorkerHandle, immediate: boolean): void {
    if (worker.state === 'exited') return
    worker.isExitExpected = true
    clearTimeout(worker.timeoutTimer)
    if (immediate) {
      worker.state = 'stopping'
      worker.adapter.kill()
      return
    }
    if (worker.state === 'stopping') return
    worker.state = 'stopping'
    void worker.adapter.stop(this.#options.graceMs)
  }

  #retireIdleIfClosing(): void {
    if (this.#state !== 'closing' || this.#queue.size > 0) return
    for (const worker of this.#workers) {
      if (worker && worker.inFlight.length === 0 && worker.state === 'idle') this.#stopWorker(worker, false)
    }
    this.#maybeFinishExit()
  }

  #allExited(): boolean {
    return this.#workers.every((w) => !w || w.state === 'exited')
  }

  #maybeFinishExit(): void {
    if (this.#state === 'running' || !this.#allExited()) return
    if (this.#state === 'closing') {
      this.#state = 'closed'
      // Workers that could not start leave queued work behind; nothing will run it now.
      for (let unit = this.#queue.shift(); unit; unit = this.#queue.shift()) this.#settle(unit, new PoolClosedError())
    }
    const waiters = this.#exitWaiters
    this.#exitWaiters = []
    for (const wake of waiters) wake()
  }

  #wakeReadyWaiters(): void {
    const waiters = this.#readyWaiters
    this.#readyWaiters = []
    for (const wake of waiters) wake()
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduling

  #scheduleDispatch(): void {
    if (this.#dispatchScheduled || this.#queue.size === 0) return
    this.#dispatchScheduled = true
    // Submissions made in the same tick go out together, one message per worker.
    queueMicrotask(() => {
      this.#dispatchScheduled = false
      this.#dispatch()
    })
  }

  #dispatch(): void {
    if (this.#queue.size === 0) return
    const workers = this.#workers
    const quota = this.#options.maxTasksPerChild
    let touched = 0
    let unsent = 0
    // Level by level, so a burst spreads evenly instead of filling the first worker to its depth.
    for (let level = 1; level <= MAX_DEPTH && this.#queue.size > 0; level++) {
      let gave = false
      for (let slot = 0; slot < workers.length; slot++) {
        const worker = workers[slot]
        if (!worker || (worker.state !== 'idle' && worker.state !== 'busy')) continue
        if (this.#queue.size === 0) break
        if (worker.inFlight.length >= level) continue
        const unit = this.#queue.peek()!
        if (worker.inFlight.length >= this.#depthFor(unit)) continue
        if (quota !== undefined && worker.unitsDispatched >= quota) continue
        // A unit with a timeout is only lined up behind nothing, so its clock starts when it runs.
        if (unit.timeoutMs !== undefined && worker.inFlight.length > 0) continue
        this.#queue.shift()
        unit.state = 'dispatched'
        unit.worker = worker
        worker.inFlight.push(unit)
        worker.unitsDispatched++
        this.#counters.pending--
        this.#counters.running++
        if (!worker.isDispatchTarget) {
          worker.isDispatchTarget = true
          touched++
        }
        if (unit.size >= OWN_MESSAGE_INPUTS) {
          // The small units before it go first, so the worker still receives units in line order.
          if (worker.outbox.length > 0) unsent += this.#sendUnits(worker, worker.outbox.splice(0))
          unsent += this.#sendUnits(worker, [toWire(unit, worker)])
        } else {
          worker.outbox.push(toWire(unit, worker))
        }
        gave = true
      }
      if (!gave) break
    }
    if (touched === 0) return
    for (const worker of workers) {
      if (!worker?.isDispatchTarget) continue
      worker.isDispatchTarget = false
      if (worker.outbox.length > 0) unsent += this.#sendUnits(worker, worker.outbox.splice(0))
      worker.state = worker.inFlight.length > 0 ? 'busy' : 'idle'
      this.#armTimeout(worker)
    }
    if (unsent > 0) {
      this.#retireIdleIfClosing()
      this.#scheduleDispatch()
    }
  }

  /**
   * Sends units to a worker; returns how many could not be sent. Encoding fails before anything
   * is written (JSON.stringify, the structured clone), so on failure each unit is sent again on
   * its own and only those that cannot be encoded fail, with a {@link TaskDataError}.
   */
  #sendUnits(worker: WorkerHandle, units: WireUnit[]): number {
    try {
      worker.adapter.send({ type: 'run', units })
      return 0
    } catch {
      // The worker never learnt the functions this message was to define: define them again.
      for (const wire of units) if ('fnId' in wire && wire.fnId !== undefined) worker.fnIds.delete(fnKey(wire.fn))
    }
    let unsent = 0
    for (const { id } of units) {
      const unit = worker.inFlight.find((u) => u.id === id)
      if (!unit) continue
      const wire = toWire(unit, worker)
      try {
        worker.adapter.send({ type: 'run', units: [wire] })
      } catch (error) {
        if ('fnId' in wire && wire.fnId !== undefined) worker.fnIds.delete(unit.fnKey)
        worker.inFlight.splice(worker.inFlight.indexOf(unit), 1)
        worker.unitsDispatched--
        unsent++
        this.#settle(unit, new TaskDataError(unit.id, 'arguments', error instanceof Error ? error.message : String(error)))
      }
    }
    return unsent
  }

  /** How many units (running plus lined up) a worker may hold when `unit` is next in the queue. */
  #depthFor(unit: UnitRecord): number {
    const perInput = this.#msPerInput.get(unit.fnKey)
    if (perInput === undefined) return 1
    const ms = perInput * unit.size
    if (ms >= PIPELINE_TARGET_MS) return ms < LINE_UP_ONE_BELOW_MS ? 2 : 1
    return Math.min(MAX_DEPTH, Math.max(2, Math.floor(PIPELINE_TARGET_MS / Math.max(ms, 1e-3))))
  }

  #armTimeout(worker: WorkerHandle): void {
    const head = worker.inFlight[0]
    if (worker.timedUnit === head) return
    clearTimeout(worker.timeoutTimer)
    worker.timedUnit = head
    worker.timeoutTimer = undefined
    if (!head || head.timeoutMs === undefined) return
    worker.timeoutTimer = setTimeout(() => {
      if (worker.inFlight[0] !== head) return
      worker.inFlight.shift()
      this.#settle(head, new TaskTimeoutError(head.id, head.timeoutMs!))
      this.#stopWorker(worker, true)
    }, head.timeoutMs)
  }

  /**
   * A signal aborted: rejects every unit it still covers, in submission order. Queued units leave
   * the queue in one pass (removing them one by one would make a big map's abort quadratic);
   * lined-up units are cancelled with one message per worker; a running unit's worker is killed.
   */
  #abortAll(units: UnitRecord[]): void {
    const unqueued = new Set<UnitRecord>()
    const cancels = new Map<WorkerHandle, number[]>()
    for (const unit of units) {
      if (unit.state === 'settled') continue
      const error = new TaskAbortedError(unit.id, unit.signal?.reason)
      if (unit.state === 'queued') {
        unqueued.add(unit)
        this.#settle(unit, error)
        continue
      }
      const worker = unit.worker!
      const index = worker.inFlight.indexOf(unit)
      if (index < 0) continue
      // An imap whose consumer left early no longer wants the result, but killing the worker for
      // it would cost a restart and disrupt nothing else: the running unit finishes, unobserved.
      if (index === 0 && unit.signal?.reason === CONSUMER_STOPPED) continue
      worker.inFlight.splice(index, 1)
      this.#settle(unit, error)
      if (index === 0) {
        // It is running: only killing its worker stops it. The units behind it are requeued on exit.
        this.#stopWorker(worker, true)
      } else {
        const ids = cancels.get(worker)
        if (ids) ids.push(unit.id)
        else cancels.set(worker, [unit.id])
      }
    }
    if (unqueued.size > 0) this.#queue.removeAll(unqueued)
    for (const [worker, ids] of cancels) if (worker.state !== 'stopping' && worker.state !== 'exited') worker.adapter.send({ type: 'cancel', ids })
  }

  #requeue(unit: UnitRecord): void {
    if (unit.state === 'settled') return
    unit.state = 'queued'
    unit.worker = undefined
    this.#counters.running--
    this.#counters.pending++
    this.#queue.unshift(unit)
  }

  #settle(unit: UnitRecord, error: Error | undefined, value?: unknown): void {
    if (unit.state === 'settled') return
    if (unit.state === 'queued') this.#counters.pending--
    else this.#counters.running--
    unit.state = 'settled'
    unit.worker = undefined
    if (unit.signal) this.#signals.release(unit.signal, unit)
    if (error) {
      this.#counters.failed++
      this.#counters.inputsFailed += unit.size
      unit.reject(error)
    } else {
      this.#counters.completed++
      this.#counters.inputsCompleted += unit.size
      unit.resolve(value)
    }
  }
}

/** The unit as `worker` receives it: its function by number once the worker has been told it. */
function toWire(unit: UnitRecord, worker: WorkerHandle): WireUnit {
  const known = worker.fnIds.get(unit.fnKey)
  if (known !== undefined) {
    if (unit.args) return { id: unit.id, fn: known, args: unit.args }
    if (unit.inputs) return { id: unit.id, fn: known, inputs: unit.inputs }
    return { id: unit.id, fn: known, chunk: unit.chunk! }
  }
  const fnId = worker.nextFnId++
  worker.fnIds.set(unit.fnKey, fnId)
  if (unit.args) return { id: unit.id, fn: unit.fn, fnId, args: unit.args }
  if (unit.inputs) return { id: unit.id, fn: unit.fn, fnId, inputs: unit.inputs }
  return { id: unit.id, fn: unit.fn, fnId, chunk: unit.chunk! }
}

function describeExit(exit: WorkerExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`
}

function resolveOptions(options: PoolOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'must be an object')
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key as keyof PoolOptions)) throw new InvalidOptionError(key, 'is not a pool option')
  }
  const positiveInt = (name: string, value: number | undefined): number | undefined => {
    if (value === undefined) return undefined
    if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError(name, 'must be an integer ≥ 1')
    return value
  }
  const backend = resolveBackend(options.backend)
  const retries = options.retries ?? 0
  if (!Number.isInteger(retries) || retries < 0) throw new InvalidOptionError('retries', 'must be an integer ≥ 0')
  const serialization = options.serialization ?? 'json'
  if (serialization !== 'json' && serialization !== 'advanced') throw new InvalidOptionError('serialization', 'must be "json" or "advanced"')
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new InvalidOptionError('graceMs', 'must be a number ≥ 0')
  return {
    workers: positiveInt('workers', options.workers) ?? availableParallelism(),
    backend,
    maxTasksPerChild: positiveInt('maxTasksPerChild', options.maxTasksPerChild),
    initializer: options.initializer,
    taskTimeoutMs: positiveInt('taskTimeoutMs', options.taskTimeoutMs),
    retries,
    graceMs,
    workerScript: options.workerScript ?? defaultWorkerScript(),
    env: options.env,
    serialization,
    name: options.name ?? 'PoolWorker'
  }
}

/** The backend option as a backend: a built-in one by name, or a custom one as given. */
function resolveBackend(option: PoolOptions['backend']): WorkerBackend {
  if (option === undefined || option === 'process') return processBackend
  if (option === 'thread') return threadBackend
  const custom = option as Partial<WorkerBackend> | null
  if (typeof custom === 'object' && custom !== null && typeof custom.name === 'string' && typeof custom.createAdapter === 'function') return option as WorkerBackend
  throw new InvalidOptionError('backend', 'must be "process", "thread" or a backend object ({ name, createAdapter })')
}
