/**
 * A worker as a `worker_threads` thread running the same worker entry as the process backend.
 * Threads share the process: `pid` is the pool's own, and a crash is an uncaught error or
 * `process.exit()` inside the thread, reported as an exit code.
 */
import { Worker } from 'node:worker_threads'
import { packRun, type FromWorker, type ToWorker } from './protocol'
import { shutdownThenKill, type AdapterOptions, type WorkerAdapter, type WorkerBackend, type WorkerExit } from './worker-adapter'

export class ThreadAdapter implements WorkerAdapter {
  readonly #worker: Worker
  #exitListeners: ((exit: WorkerExit) => void)[] = []
  #exit: WorkerExit | undefined
  #outputListener: ((stream: 'stdout' | 'stderr', text: string) => void) | undefined

  constructor(options: AdapterOptions) {
    this.#worker = new Worker(options.workerScript, {
      env: { ...process.env, ...options.env, POOLSCOPE_WORKER_NAME: options.name },
      workerData: { poolscopeWorkerName: options.name },
      stdout: true,
      stderr: true
    })
    // An uncaught error in the thread arrives here before 'exit'; the exit code (1) carries it.
    this.#worker.on('error', (err) => this.#outputListener?.('stderr', `${err.stack ?? err.message}\n`))
    this.#worker.once('exit', (code) => {
      this.#exit = { code, signal: null }
      for (const listener of this.#exitListeners) listener(this.#exit)
      this.#exitListeners = []
    })
  }

  get pid(): number {
    return process.pid
  }

  send(message: ToWorker): void {
    if (!this.#exit) this.#worker.postMessage(packRun(message))
  }

  onMessage(listener: (message: FromWorker) => void): void {
    this.#worker.on('message', listener)
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    if (this.#exit) listener(this.#exit)
    else this.#exitListeners.push(listener)
  }

  onOutput(listener: (stream: 'stdout' | 'stderr', text: string) => void): void {
    this.#outputListener = listener
    this.#worker.stdout.setEncoding('utf8').on('data', (text: string) => listener('stdout', text))
    this.#worker.stderr.setEncoding('utf8').on('data', (text: string) => listener('stderr', text))
  }

  kill(): void {
    if (!this.#exit) void this.#worker.terminate()
  }

  stop(graceMs: number): Promise<WorkerExit> {
    return shutdownThenKill(this, graceMs)
  }
}

/** The built-in `'thread'` backend: a `worker_threads` thread per worker. */
export const threadBackend: WorkerBackend = {
  name: 'thread',
  createAdapter: (options) => new ThreadAdapter(options)
}
