/**
 * A pool of workers shaped like Python's `multiprocessing.Pool`, for TypeScript: promises, async
 * iterators, `AbortSignal` and `Symbol.asyncDispose`. This file is the public API and the pool's
 * lifecycle; where units wait and which worker runs them is `scheduler.ts`, the lazy maps are
 * `lazy-map.ts`, options are checked in `options.ts`.
 *
 * Backend `redis` runs the workers on the cluster's hosts: its modules (and BullMQ) are loaded by
 * `import()` as the pool starts, never for a pool that does not name Redis; work submitted while
 * they load waits in the queue, as it waits for any worker to start.
 *
 * Faults: a worker that exits while holding units is replaced; its running unit is retried while
 * its `retries` allow, else rejected with `WorkerCrashedError`; the units behind it never started,
 * so they go back to the front of the queue unchanged. The pool never waits on a dead worker.
 */
import { EventEmitter } from 'node:events'
import { toAsyncResult, type AsyncCallbacks, type AsyncResult } from './async-result'
import { InvalidOptionError, InvalidStateError, PoolClosedError, PoolTerminatedError, TaskTimeoutError, WorkerCrashedError, WorkerStartError } from './errors'
import { lazyMap, lazyWindow, type LazyWindow } from './lazy-map'
import { chunksizeFor, extraArgsOf, resolveOptions, type ResolvedOptions } from './options'
import type { FromWorker, SerializedError, UnitOutcome } from './protocol'
import { Scheduler, type Payload } from './scheduler'
import { ServiceRegistry, type ParentService } from './service-registry'
import type { FnRef, MapOptions, PoolEvents, PoolOptions, PoolSnapshot, PoolState, TaskOptions, UnitSpan } from './types'
import type { WorkerAdapter, WorkerBackend, WorkerExit } from './worker-adapter'
import type { RedisTarget } from '../cluster/redis-url'
import { WorkerHandle } from './worker-handle'

/** A worker slot that fails to start this many times in a row stops the pool's pending work. */
const MAX_START_FAILURES = 3

/** Backend `redis`'s: workers, plus the run's connection to Redis and its end there. */
interface RemoteBackend extends WorkerBackend {
  readonly connected: Promise<void>
  dispose(): Promise<void>
}

export class Pool extends EventEmitter<PoolEvents> {
  readonly #options: ResolvedOptions
  /** Where workers come from; undefined while backend `redis` loads. */
  #backend: WorkerBackend | undefined
  #remote: RemoteBackend | undefined
  /** Backend `redis`: settles once its modules loaded and it reached Redis (or could not). */
  readonly #remoteStart: Promise<void> | undefined
  #isLoadingBackend = false
  readonly #workers: (WorkerHandle | undefined)[]
  readonly #scheduler: Scheduler
  readonly #services = new ServiceRegistry()
  #state: PoolState = 'running'
  #spawned = 0
  #startFailures = 0
  /** Workers killed by `killWorker` (fault injection): their exit is not a failure to start. */
  readonly #faultKilled = new WeakSet<WorkerHandle>()
  /** Set when workers cannot start at all; every later submission fails with it. */
  #broken: Error | undefined
  readonly #createdAt = Date.now()
  #readyAt: number | undefined
  #readyWaiters: (() => void)[] = []
  #exitWaiters: (() => void)[] = []

  constructor(options: PoolOptions = {}) {
    super()
    this.#options = resolveOptions(options)
    this.#workers = new Array(this.#options.workers).fill(undefined)
    this.#scheduler = new Scheduler(this.#workers, this.#options.maxTasksPerChild, () => this.#retireIdleIfClosing())
    const { backend, redis } = this.#options
    if (backend === 'redis') {
      this.#isLoadingBackend = true
      this.#remoteStart = this.#startRemote(redis!)
      // Awaited by `ready()`; a pool used without it still sees the error on every unit.
      this.#remoteStart.catch(() => undefined)
    } else {
      this.#backend = backend
      this.#spawnAll()
    }
  }

  get size(): number {
    return this.#options.workers
  }

  /** The backend's name: `process`, `thread`, or a custom backend's own. */
  get backend(): string {
    return this.#options.backend === 'redis' ? 'redis' : this.#options.backend.name
  }

  get state(): PoolState {
    return this.#state
  }

  /**
   * Resolves once every worker has started (and run its initializer), or once the pool has given
   * up starting them (its work then rejects with `WorkerStartError`). With backend `redis`, rejects
   * with `RedisUnavailableError` (naming the masked URL) when Redis cannot be reached.
   */
  ready(): Promise<void> {
    return this.#remoteStart ? this.#remoteStart.then(() => this.#workersReady()) : this.#workersReady()
  }

  #workersReady(): Promise<void> {
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

  /** `fn(x)` (or `fn(x, ...extraArgs)`) for every input, results in input order; rejects with the first failure. */
  async map<R = unknown>(fn: FnRef, inputs: Iterable<unknown>, options: MapOptions = {}): Promise<R[]> {
    const extra = extraArgsOf(options)
    const all = Array.isArray(inputs) ? (inputs as unknown[]) : Array.from(inputs)
    if (all.length === 0) return []
    const size = chunksizeFor(all.length, options.chunksize, this.size)
    if (size === 1) return Promise.all(all.map((x) => this.#submit(fn, 'args', extra ? [x, ...extra] : [x], options))) as Promise<R[]>
    return this.#mapChunks<R>(all, size, 'inputs', fn, { ...options, extraArgs: extra })
  }

  /** `fn(...args)` for every argument list, results in input order. */
  async starmap<R = unknown>(fn: FnRef, argLists: Iterable<unknown[]>, options: MapOptions = {}): Promise<R[]> {
    if (options.extraArgs !== undefined) throw new InvalidOptionError('extraArgs', 'is for map, imap and imapUnordered: a starmap\'s argument lists carry every argument')
    const all = Array.isArray(argLists) ? (argLists as unknown[][]) : Array.from(argLists)
    if (all.length === 0) return []
    const size = chunksizeFor(all.length, options.chunksize, this.size)
    if (size === 1) return Promise.all(all.map((args) => this.#submit(fn, 'args', args, options))) as Promise<R[]>
    return this.#mapChunks<R>(all, size, 'chunk', fn, options)
  }

  /** Submits `all` in slices of `size`, and joins the slices' results in order once all have come. */
  async #mapChunks<R>(all: unknown[], size: number, payload: Payload, fn: FnRef, options: MapOptions): Promise<R[]> {
    const parts: Promise<R[]>[] = []
    for (let start = 0; start < all.length; start += size) {
      parts.push(this.#submit(fn, payload, all.slice(start, start + size), options) as Promise<R[]>)
    }
    return joinChunks(await Promise.all(parts))
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

  #lazyMap<R>(fn: FnRef, inputs: Iterable<unknown> | AsyncIterable<unknown>, options: MapOptions, ordered: boolean): AsyncGenerator<R> {
    const checked = { ...options, extraArgs: extraArgsOf(options) }
    // The window is read at each pull: backend `redis` loads after the map may have begun.
    const window = (): LazyWindow => lazyWindow(this.size, this.#backend?.lazyUnitsPerWorker)
    return lazyMap<R>((batch, o) => this.#submit(fn, 'inputs', batch, o) as Promise<R[]>, window, inputs, checked, ordered)
  }

  #submit(fn: FnRef, payload: Payload, data: unknown[], options: MapOptions): Promise<unknown> {
    if (this.#state === 'terminated') return Promise.reject(new PoolTerminatedError())
    if (this.#state !== 'running') return Promise.reject(new PoolClosedError())
    if (this.#broken) return Promise.reject(this.#broken)
    return this.#scheduler.submit(fn, payload, data, {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.#options.taskTimeoutMs,
      retries: options.retries ?? this.#options.retries,
      // Checked once per call by `extraArgsOf` (a copy, or undefined when empty): every unit shares it.
      ...(payload === 'inputs' && options.extraArgs && { extra: options.extraArgs as unknown[] })
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
      this.#scheduler.failQueued(error)
      for (const worker of this.#workers) {
        if (!worker) continue
        for (const unit of worker.releaseAll()) this.#scheduler.settle(unit, error)
        worker.kill()
      }
      this.#wakeReadyWaiters()
    }
    await this.join()
  }

  /** Resolves once every worker has exited; call `close()` or `terminate()` first. */
  join(): Promise<void> {
    if (this.#state === 'running') return Promise.reject(new InvalidStateError('join() needs close() or terminate() first'))
    const exited = this.#allExited() ? Promise.resolve() : new Promise<void>((resolve) => this.#exitWaiters.push(resolve))
    // Backend `redis`: the pool's end is its run's end in Redis (its queue, its keys, its connections).
    return this.#remoteStart ? exited.then(() => this.#remote?.dispose()) : exited
  }

  /** `await using pool = new Pool()` terminates it on scope exit, as Python's `with Pool()` does. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate()
  }

  /** Kills one worker as a fault would (fault injection); the pool treats it as a crash. */
  killWorker(slot: number): number | undefined {
    const worker = this.#workers[slot]
    if (!worker || worker.state === 'exited') return undefined
    this.#faultKilled.add(worker)
    worker.adapter.kill()
    return worker.adapter.pid
  }

  snapshot(): PoolSnapshot {
    const workers = []
    for (const worker of this.#workers) if (worker) workers.push(worker.snapshot())
    return {
      ...this.#scheduler.counters,
      state: this.#state,
      backend: this.backend,
      size: this.#options.workers,
      workers,
      createdAt: this.#createdAt,
      readyAt: this.#readyAt
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Workers

  #spawnAll(): void {
    for (let slot = 0; slot < this.#options.workers; slot++) this.#spawn(slot, 0)
  }

  /** Backend `redis`: loads the cluster's modules, then starts the workers, then waits for Redis. */
  async #startRemote(target: RedisTarget): Promise<void> {
    let remote: RemoteBackend | undefined
    try {
      const { redisPoolBackend } = await import('../cluster/cluster-pool')
      // Ended while loading (terminated, or closed with nothing queued): nothing to connect to.
      if (this.#needsReplacement()) remote = redisPoolBackend(target, this.#options)
    } catch (error) {
      this.#break(error instanceof Error ? error : new Error(String(error)))
    }
    this.#isLoadingBackend = false
    if (!remote) {
      this.#maybeFinishExit()
      if (this.#broken) throw this.#broken
      return
    }
    this.#backend = this.#remote = remote
    this.#spawnAll()
    await remote.connected
  }

  #spawn(slot: number, restarts: number): void {
    const name = `${this.#options.name}-${++this.#spawned}`
    let adapter: WorkerAdapter
    try {
      const { workerScript, env, serialization } = this.#options
      adapter = this.#backend!.createAdapter({ workerScript, name, env, serialization })
    } catch (error) {
      this.#onStartFailure(name, error instanceof Error ? error.message : String(error))
      return
    }
    const worker = new WorkerHandle(slot, name, restarts, adapter, (overdue) => {
      this.#scheduler.settle(overdue, new TaskTimeoutError(overdue.id, overdue.timeoutMs!))
    })
    this.#workers[slot] = worker
    adapter.onMessage((message) => this.#onMessage(worker, message))
    adapter.onExit((exit) => this.#onExit(worker, exit))
    adapter.onOutput((stream, text) => {
      if (this.listenerCount('output') > 0) this.emit('output', { workerId: slot, stream, text })
    })
    adapter.send({ type: 'init', workerId: slot, name, initializer: this.#options.initializer, preload: this.#options.preload })
  }

  #onMessage(worker: WorkerHandle, message: FromWorker): void {
    switch (message.type) {
      case 'results':
        this.#onResults(worker, message.outcomes)
        return
      case 'ready':
        worker.markReady()
        this.#startFailures = 0
        this.emit('worker-start', worker.snapshot())
        if (this.#readyAt === undefined && this.#workers.every((w) => w && w.state !== 'starting')) {
          this.#readyAt = Date.now()
          this.#wakeReadyWaiters()
        }
        if (this.#state === 'closing') this.#retireIdleIfClosing()
        this.#scheduler.schedule()
        return
      case 'init-failed':
        this.#onStartFailure(worker.name, `its initializer threw: ${message.error.message}`, message.error)
        worker.kill()
        return
      case 'call':
        void this.#services.answer(worker.adapter, message, { workerId: worker.slot, workerName: worker.name })
        return
    }
  }

  #onResults(worker: WorkerHandle, outcomes: UnitOutcome[]): void {
    const spans: UnitSpan[] | undefined = this.listenerCount('spans') > 0 ? [] : undefined
    for (const outcome of outcomes) {
      // Units aborted before they started are skipped by the worker and were dropped here already.
      const unit = worker.finish(outcome.id)
      if (!unit) continue
      spans?.push({ unitId: unit.id, workerId: worker.slot, size: unit.size, startedAt: outcome.startedAt, endedAt: outcome.endedAt, ok: outcome.ok })
      this.#scheduler.complete(unit, outcome)
    }
    if (spans && spans.length > 0) this.emit('spans', spans)
    const quota = this.#options.maxTasksPerChild
    // Retire on units *given* (as dispatch counts them), not units done: a lined-up unit that was
    // cancelled never reports, so counting completions would leave a worker that may receive no
    // more work yet is never retired or replaced, and the pool would stall.
    if (quota !== undefined && worker.unitsGiven >= quota && worker.lineLength === 0) {
      worker.stop(this.#options.graceMs)
      if (this.#needsReplacement()) this.#spawn(worker.slot, worker.restarts + 1)
    }
    this.#retireIdleIfClosing()
    this.#scheduler.schedule()
  }

  #onExit(worker: WorkerHandle, exit: WorkerExit): void {
    const wasStarting = worker.markExited() === 'starting'
    this.emit('worker-exit', worker.snapshot(), { ...exit, expected: worker.isExitExpected })
    const lost = worker.releaseAll()
    // A retired worker was already replaced in its slot; only the slot's current worker counts.
    if (this.#state !== 'terminated' && this.#workers[worker.slot] === worker) {
      if (worker.isExitExpected) {
        // Stopped by us (timeout, abort): whatever it still held never ran.
        for (let i = lost.length - 1; i >= 0; i--) this.#scheduler.requeue(lost[i])
      } else {
        this.#scheduler.counters.crashedWorkers++
        const [running, ...notStarted] = lost
        // Units that never started go back first, in their order; the running one goes in front.
        for (let i = notStarted.length - 1; i >= 0; i--) this.#scheduler.requeue(notStarted[i])
        if (running && this.#scheduler.retry(running)) {
          this.emit('task-retry', { unitId: running.id, attempt: running.attempts, reason: describeExit(exit) })
        } else if (running) {
          this.#scheduler.settle(running, new WorkerCrashedError(worker.name, worker.adapter.pid, exit.code, exit.signal, running.id))
        }
        // A worker killed from outside while starting (kill -9, the OOM killer, killWorker) says
        // nothing about whether workers can start: replace it without counting a start failure.
        if (wasStarting && !this.#killedFromOutside(worker, exit)) {
          this.#onStartFailure(worker.name, `exited during start-up (${describeExit(exit)})`)
        }
      }
      if (this.#needsReplacement()) this.#spawn(worker.slot, worker.restarts + 1)
    }
    this.#scheduler.schedule()
    this.#maybeFinishExit()
  }

  #killedFromOutside(worker: WorkerHandle, exit: WorkerExit): boolean {
    return this.#faultKilled.has(worker) || exit.signal === 'SIGKILL' || exit.signal === 'SIGTERM'
  }

  #needsReplacement(): boolean {
    return !this.#broken && (this.#state === 'running' || (this.#state === 'closing' && this.#scheduler.queued > 0))
  }

  #onStartFailure(name: string, message: string, remote?: SerializedError): void {
    this.#startFailures++
    if (this.#startFailures < MAX_START_FAILURES || this.#broken) return
    // Workers cannot start (missing script, failing initializer): fail the queued work and refuse
    // new work rather than respawning forever. `remote` keeps the initializer's own stack.
    this.#break(new WorkerStartError(name, message, remote))
  }

  /** No worker can start: the queued work fails with `error`, and so does every later submission. */
  #break(error: Error): void {
    this.#broken = error
    this.#scheduler.failQueued(error)
    this.#wakeReadyWaiters()
  }

  #retireIdleIfClosing(): void {
    if (this.#state !== 'closing' || this.#scheduler.queued > 0) return
    for (const worker of this.#workers) if (worker?.state === 'idle') worker.stop(this.#options.graceMs)
    this.#maybeFinishExit()
  }

  #allExited(): boolean {
    return !this.#isLoadingBackend && this.#workers.every((w) => !w || w.state === 'exited')
  }

  #maybeFinishExit(): void {
    if (this.#state === 'running' || !this.#allExited()) return
    if (this.#state === 'closing') {
      this.#state = 'closed'
      // Workers that could not start leave queued work behind; nothing will run it now.
      this.#scheduler.failQueued(new PoolClosedError())
      // close() alone (no join) ends a `redis` pool's run in Redis too.
      void this.#remote?.dispose()
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
}

function describeExit(exit: WorkerExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`
}

/** How many chunks' results `concat` joins in one call (each is an argument). */
const JOIN_AT_ONCE = 1024

/**
 * The chunks' results as one array, in order, joined by V8's own `concat`, which copies each run
 * of numbers or references in one go. Copying each chunk's values into place as it landed took a
 * loop in JS per element: in a process that runs one map (the CLI) that loop is interpreted, and a
 * map whose chunks mix small integers and doubles sent it back to the interpreter when the array
 * changed kind (1.25 ms of the parent's time per map of 100,000 `square` results). The chunks'
 * values are dense arrays, so nothing else differs.
 */
function joinChunks<R>(chunks: R[][]): R[] {
  if (chunks.length === 1) return chunks[0]!
  if (chunks.length <= JOIN_AT_ONCE) return ([] as R[]).concat(...chunks)
  const groups: R[][] = []
  for (let i = 0; i < chunks.length; i += JOIN_AT_ONCE) groups.push(joinChunks(chunks.slice(i, i + JOIN_AT_ONCE)))
  return joinChunks(groups)
}
