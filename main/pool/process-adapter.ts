/**
 * A worker as a real OS process (`child_process.fork`), talking JSON over Node's IPC channel.
 *
 * JSON rather than `advanced` serialization: for the small, batched messages the pool sends it is
 * the faster of the two in Node 20, and every payload the catalog moves is JSON-shaped.
 */
import { fork, type ChildProcess } from 'node:child_process'
import type { FromWorker, ToWorker } from './protocol'
import type { AdapterOptions, WorkerAdapter, WorkerExit } from './worker-adapter'

/** Every live worker process, killed if this process exits with them still running. */
const live = new Set<ChildProcess>()
let exitHookInstalled = false

function trackUntilExit(child: ChildProcess): void {
  live.add(child)
  child.once('exit', () => live.delete(child))
  if (exitHookInstalled) return
  exitHookInstalled = true
  // Workers also leave by themselves when the IPC channel closes; this makes it immediate.
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL')
  })
}

export class ProcessAdapter implements WorkerAdapter {
  readonly #child: ChildProcess
  #exitListeners: ((exit: WorkerExit) => void)[] = []
  #exit: WorkerExit | undefined

  constructor(options: AdapterOptions) {
    this.#child = fork(options.workerScript, [], {
      // stdout/stderr are piped and always drained, so a worker that floods its output can never
      // block on a full pipe; stdin is unused.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      env: { ...process.env, ...options.env, POOLSCOPE_WORKER_NAME: options.name }
    })
    // The child exits (it does not throw here) when the script is missing; 'error' covers spawn
    // failures and sends on a closed channel. Both end in the exit path below.
    this.#child.on('error', () => {
      if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL')
    })
    trackUntilExit(this.#child)
    this.#child.once('exit', (code, signal) => {
      this.#exit = { code, signal }
      for (const listener of this.#exitListeners) listener(this.#exit)
      this.#exitListeners = []
    })
  }

  get pid(): number | undefined {
    return this.#child.pid
  }

  send(message: ToWorker): void {
    if (this.#child.connected) this.#child.send(message)
  }

  onMessage(listener: (message: FromWorker) => void): void {
    this.#child.on('message', listener as (message: unknown) => void)
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    if (this.#exit) listener(this.#exit)
    else this.#exitListeners.push(listener)
  }

  onOutput(listener: (stream: 'stdout' | 'stderr', text: string) => void): void {
    this.#child.stdout?.setEncoding('utf8').on('data', (text: string) => listener('stdout', text))
    this.#child.stderr?.setEncoding('utf8').on('data', (text: string) => listener('stderr', text))
  }

  kill(): void {
    this.signal('SIGKILL')
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.#exit) this.#child.kill(signal)
  }

  /** Lets the parent exit while this child runs (daemon processes). */
  unref(): void {
    this.#child.unref()
    this.#child.channel?.unref()
    // Piped stdio is a net.Socket underneath; unref it too or it keeps the loop alive.
    ;(this.#child.stdout as unknown as { unref?: () => void } | null)?.unref?.()
    ;(this.#child.stderr as unknown as { unref?: () => void } | null)?.unref?.()
  }
}
