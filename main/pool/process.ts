/**
 * One unit of work in its own OS process, shaped like Python's `multiprocessing.Process`:
 * `start()` returns at once, `join()` waits, `terminate()` / `kill()` stop it, and `pid`, `name`,
 * `exitCode`, `isAlive()` describe it. The target is a function or a `ProcessTask` subclass
 * (see `process-task.ts`).
 *
 * `daemon: true` children never keep the parent alive and die with it; `daemon: false` (the
 * default, as in Python) children keep the parent's event loop alive until they end.
 */
import { EventEmitter } from 'node:events'
import { InvalidOptionError, InvalidStateError, TaskFailedError } from './errors'
import { defaultWorkerScript } from './options'
import { ProcessAdapter } from './process-adapter'
import type { FromWorker } from './protocol'
import { ServiceRegistry, type ParentService } from './service-registry'
import { ThreadAdapter } from './thread-adapter'
import type { Backend, FnRef } from './types'
import type { WorkerAdapter, WorkerExit } from './worker-adapter'

export interface ProcessOptions {
  target: FnRef
  args?: unknown[]
  name?: string
  daemon?: boolean
  backend?: Backend
  workerScript?: string
  env?: Record<string, string>
}

export type ProcessState = 'created' | 'running' | 'exited'

let processCounter = 0

export class Process extends EventEmitter<{ exit: [exit: WorkerExit]; output: [stream: 'stdout' | 'stderr', text: string] }> {
  readonly name: string
  readonly daemon: boolean
  readonly #options: ProcessOptions
  readonly #services = new ServiceRegistry()
  #adapter: WorkerAdapter | undefined
  #state: ProcessState = 'created'
  #exit: WorkerExit | undefined
  #result: unknown
  #error: TaskFailedError | undefined
  #exited: Promise<void> | undefined

  constructor(options: ProcessOptions) {
    super()
    if (!options || (typeof options.target !== 'string' && typeof options.target?.module !== 'string')) {
      throw new InvalidOptionError('target', 'must name a function: "<task-id>:<export>" or { module, export }')
    }
    if (options.args !== undefined && !Array.isArray(options.args)) throw new InvalidOptionError('args', 'must be an array')
    this.#options = options
    this.name = options.name ?? `Process-${++processCounter}`
    this.daemon = options.daemon ?? false
  }

  get pid(): number | undefined {
    return this.#adapter?.pid
  }

  /** Exit status once ended: 0 after a normal return, 1 if the target threw; `null` while running or when killed by a signal. */
  get exitCode(): number | null {
    return this.#exit?.code ?? null
  }

  /** The signal that ended it (`'SIGTERM'`, `'SIGKILL'`), if one did. */
  get signal(): string | null {
    return this.#exit?.signal ?? null
  }

  /** What the target returned (a convenience Python lacks; classic code uses shared state). */
  get result(): unknown {
    return this.#result
  }

  /** The target's error, with the child's message and stack, if it threw. */
  get error(): TaskFailedError | undefined {
    return this.#error
  }

  isAlive(): boolean {
    return this.#state === 'running'
  }

  /** Makes a parent-side service reachable from this process's code. */
  registerService(name: string, service: ParentService): () => void {
    return this.#services.register(name, service)
  }

  /** Starts the process and returns at once. */
  start(): void {
    if (this.#state !== 'created') throw new InvalidStateError(`process ${this.name} was already started`)
    this.#state = 'running'
    const Adapter = this.#options.backend === 'thread' ? ThreadAdapter : ProcessAdapter
    const adapter = new Adapter({
      workerScript: this.#options.workerScript ?? defaultWorkerScript(),
      name: this.name,
      env: this.#options.env
    })
    this.#adapter = adapter
    if (this.daemon && adapter instanceof ProcessAdapter) adapter.unref()
    this.#exited = new Promise((resolve) => {
      adapter.onExit((exit) => {
        this.#exit = exit
        this.#state = 'exited'
        this.emit('exit', exit)
        resolve()
      })
    })
    adapter.onOutput((stream, text) => this.emit('output', stream, text))
    adapter.onMessage((message) => this.#onMessage(adapter, message))
    adapter.send({ type: 'init', workerId: 0, name: this.name })
  }

  #onMessage(adapter: WorkerAdapter, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        adapter.send({ type: 'run', units: [{ id: 1, fn: this.#options.target, args: this.#options.args ?? [] }] })
        return
      case 'init-failed':
        this.#error = new TaskFailedError(1, message.error)
        adapter.send({ type: 'shutdown', exitCode: 1 })
        return
      case 'results': {
        const outcome = message.outcomes[0]
        if (!outcome) return
        if (outcome.ok) this.#result = outcome.value
        else this.#error = new TaskFailedError(outcome.id, outcome.error)
        adapter.send({ type: 'shutdown', exitCode: outcome.ok ? 0 : 1 })
        return
      }
      case 'call':
        void this.#services.answer(adapter, message, { workerId: 0, workerName: this.name })
        return
    }
  }

  /** Waits for the process to end, or for `timeoutMs` (then it is still running: check `isAlive()`). */
  async join(timeoutMs?: number): Promise<void> {
    if (this.#state === 'created') throw new InvalidStateError(`process ${this.name} was not started`)
    if (timeoutMs === undefined) return this.#exited
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.#exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))])
    clearTimeout(timer)
  }

  /** Asks it to stop (SIGTERM; a thread is terminated). */
  terminate(): void {
    if (this.#state !== 'running') return
    if (this.#adapter instanceof ProcessAdapter) this.#adapter.signal('SIGTERM')
    else this.#adapter?.kill()
  }

  /** Stops it at once (SIGKILL). */
  kill(): void {
    if (this.#state === 'running') this.#adapter?.kill()
  }
}
