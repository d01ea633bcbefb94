/**
 * A worker as a real OS process (`child_process.fork`), talking over Node's IPC channel in the
 * pool's `serialization`: JSON by default (the faster round trip for the small, batched messages
 * the pool sends, and every payload the catalog moves is JSON-shaped), or `advanced` (V8's
 * serializer) when the pool asks for values JSON cannot carry. On a JSON channel the worker also
 * gets two pipes of its own, cheaper to read than Node's channel (`SentFromWorker` in
 * `protocol.ts`): its answers come on one (`ANSWERS_FD`), lines of JSON with the bytes of big
 * chunks of numbers after the message that announces them, which the adapter turns back into the
 * arrays JSON would have given (`SentOutcome`); the pool's messages go to it on the other
 * (`REQUESTS_FD`) once it says it reads them there, big chunks of 32-bit integers as their bytes
 * after the message (`packInts`).
 */
import { fork, type ChildProcess } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'
import { ByteQueue } from './byte-queue'
import { bytesOnPipe, packInts, packRun, unpackResults, type ForPool, type FromWorker, type SentFromWorker, type ToWorker } from './protocol'
import { shutdownThenKill, type AdapterOptions, type WorkerAdapter, type WorkerBackend, type WorkerExit } from './worker-adapter'
import { PARENT_DEATH_SIGNAL_ENV, parentDeathLauncher } from '../platform/parent-death'

/**
 * Read by Node at start-up, whole, when set (Node 20 loads the bundle eagerly): it cost workers
 * ~30 ms each on machines that set it. Workers that do TLS to a private CA get it back by naming it
 * in the pool's `env` option.
 */
const STARTUP_COSTLY_ENV = ['NODE_EXTRA_CA_CERTS']

function workerEnv(options: AdapterOptions, diesWithParent: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const name of STARTUP_COSTLY_ENV) delete env[name]
  Object.assign(env, options.env, { POOLSCOPE_WORKER_NAME: options.name })
  if (diesWithParent) env[PARENT_DEATH_SIGNAL_ENV] = '1'
  else delete env[PARENT_DEATH_SIGNAL_ENV]
  return env
}

/**
 * V8 flags every process worker starts with, before the parent's own (which its workers inherit,
 * and which win, coming later: a parent run with `--concurrent-recompilation` gives its workers
 * that).
 *
 * `--no-concurrent-recompilation`: the worker's main thread compiles a hot function with TurboFan
 * itself, at once, instead of handing it to a compiler thread and running on in the interpreter
 * until that thread is done. A pool has as many workers as cores by default, all busy while it
 * works, so that thread waits for a core behind them; one recompile after a deoptimisation took
 * 19.8 ms of wall time for 1.5–1.9 ms of compiling (bench/README, thirteenth session). Compiled
 * at once, a fresh pool's first map of 100,000 `square` inputs through `runTask` took a median of
 * 22.1–24.1 ms against 25.8–26.8 (fourteenth session). Where a core is idle, the cost is the
 * little the interpreter would have done meanwhile. Unlike the interrupt budget
 * (`optimiseSooner` in the worker runtime), this flag can only take effect on the command line
 * (V8 reads it when it creates the isolate), and there it leaves Node's built-in code cache valid.
 */
const WORKER_V8_FLAGS: readonly string[] = ['--no-concurrent-recompilation']

/**
 * Node flags that make a process run something other than its script: fork() passes the parent's
 * `execArgv` on, so a pool created from `node -e '…'` (or `-p`, `-i`, `--test`, `--watch`) forked
 * workers that ran the parent's own code again instead of the worker entry, and never answered.
 */
const SCRIPT_REPLACING_FLAGS = new Set(['-e', '--eval', '-p', '--print', '-pe', '-i', '--interactive', '-c', '--check', '--test', '--watch'])
const FLAGS_WITH_VALUE = new Set(['-e', '--eval', '-p', '--print', '-pe'])

/** The parent's Node flags a worker keeps (`--require`, `--inspect`, heap sizes…): all but those above. */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = []
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!
    const flag = arg.startsWith('--') ? arg.split('=', 1)[0]! : arg
    if (!SCRIPT_REPLACING_FLAGS.has(flag) && !flag.startsWith('--watch')) {
      kept.push(arg)
    } else if (FLAGS_WITH_VALUE.has(flag) && !arg.includes('=')) {
      i += 1
    }
  }
  return kept
}

/**
 * The worker's end of its answers pipe: the next descriptor after Node's IPC channel (fd 3), as
 * `stdio` lists them. Node opens such pipes for a child on every OS. It is asked for as
 * `'overlapped'`, which is `'pipe'` everywhere but on Windows, where it also lets the child write
 * to it asynchronously: a Node child's writes on a plain extra pipe can stall there until the
 * parent writes something (nodejs/node#43936).
 */
const ANSWERS_FD = 4
/** The worker's end of the pipe that carries the pool's messages to it, opened the same way. */
const REQUESTS_FD = 5

/**
 * After its process has exited, how long the report of a worker's exit waits for the rest of its
 * answers pipe. What the worker wrote before it exited comes at once, and the pipe ends with it;
 * this only bounds the case of a process the worker started that holds the pipe open: the exit is
 * reported by then, and what had not come is lost with the worker.
 */
const ANSWERS_AFTER_EXIT_MS = 1000

/** A line of the answers pipe as a message, or `undefined` where it is not one. */
function parseAnswer(line: string): SentFromWorker | undefined {
  try {
    const message = JSON.parse(line) as unknown
    return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string' ? (message as SentFromWorker) : undefined
  } catch {
    return undefined
  }
}

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
  /** A JSON channel, where a chunk's numbers may come back as bytes (`SentOutcome`). */
  readonly #json: boolean
  /** What has come on the answers pipe (JSON channel only) and not been read yet. */
  readonly #answers: ByteQueue | undefined
  /** A results message read from the answers pipe, whose doubles are still on their way. */
  #awaitingBytes: ForPool | undefined
  /** The parent's end of the requests pipe (JSON channel only). */
  readonly #requestsEnd: Writable | undefined
  /** The pool's messages go on the requests pipe: the worker has said it reads it. */
  #requestsOpen = false
  /** Something on the answers pipe was not a message: the worker was killed, and the rest is not read. */
  #garbled = false
  /** The answers pipe has ended (or there is none): nothing more will come on it. */
  #answersEnded = false
  #listeners: ((message: FromWorker) => void)[] = []
  #exitListeners: ((exit: WorkerExit) => void)[] = []
  /** Set when the process has exited; reported (`#exit`) once the answers pipe has ended. */
  #exited: WorkerExit | undefined
  #exit: WorkerExit | undefined
  /** The worker's `performance.timeOrigin`, where it stamps its outcomes in µs since then (its `ready`). */
  #origin: number | undefined

  constructor(options: AdapterOptions) {
    const launcher = parentDeathLauncher()
    this.#json = (options.serialization ?? 'json') === 'json'
    this.#child = fork(options.workerScript, [], {
      // stdout/stderr are piped and always drained, so a worker that floods its output can never
      // block on a full pipe; stdin is unused. A JSON channel also gets the answers pipe
      // (ANSWERS_FD) and the requests pipe (REQUESTS_FD).
      stdio: this.#json ? ['ignore', 'pipe', 'pipe', 'ipc', 'overlapped', 'overlapped'] : ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: this.#json ? 'json' : 'advanced',
      env: workerEnv(options, launcher !== undefined),
      execArgv: [...(launcher?.prefix ?? []), ...WORKER_V8_FLAGS, ...workerExecArgv(process.execArgv)],
      ...(launcher && { execPath: launcher.execPath })
    })
    // 'error' means a failed spawn (no pid; the child exits by itself when its script is missing),
    // or a send on a channel that is closing: the child called disconnect() while a message to it
    // was on its way. The second is part of a normal exit — killing the child for it would turn a
    // graceful stop into SIGKILL and lose its exit code — and the exit path handles what was lost.
    this.#child.on('error', () => {
      if (this.#child.pid === undefined && this.#child.exitCode === null && this.#child.signalCode === null) {
        this.#child.kill('SIGKILL')
      }
    })
    trackUntilExit(this.#child)
    const pipe = this.#json ? (this.#child.stdio[ANSWERS_FD] as Readable | null | undefined) : undefined
    if (pipe) {
      const answers = (this.#answers = new ByteQueue())
      pipe.on('data', (bytes: Buffer) => {
        answers.push(bytes)
        this.#readAnswers()
      })
      // Ended, or broken with the worker gone.
      const ended = () => {
        this.#answersEnded = true
        this.#readAnswers()
      }
      pipe.on('end', ended)
      pipe.on('close', ended)
      pipe.on('error', () => {})
    } else this.#answersEnded = true
    this.#requestsEnd = this.#json ? ((this.#child.stdio as readonly unknown[])[REQUESTS_FD] as Writable | null | undefined) ?? undefined : undefined
    // Broken with the worker gone: its exit says so.
    this.#requestsEnd?.on('error', () => {})
    // A worker without the answers pipe (it could not open it, or the channel is not JSON): its
    // numbers come in its messages, never announced for a pipe it does not write on.
    this.#child.on('message', (message: SentFromWorker) => {
      if (this.#garbled) return
      if (bytesOnPipe(message) > 0) this.#stopGarbled()
      else this.#onMessage(message)
    })
    this.#child.once('exit', (code, signal) => {
      this.#exited = { code, signal }
      // What the worker wrote last may still be on its way: the pipe ends once it has all come.
      // A process the worker started may hold the pipe open; the exit is not held back for it.
      if (this.#answersEnded) this.#reportExit()
      else setTimeout(() => this.#reportExit(), ANSWERS_AFTER_EXIT_MS).unref()
    })
  }

  /**
   * The worker sent what a worker runtime never does (task code that wrote on its descriptor, a
   * message announcing bytes on the channel): it is stopped, its exit accounts for its units as
   * for a crash, and nothing more it wrote is read.
   */
  #stopGarbled(): void {
    this.#garbled = true
    this.kill()
  }

  #onMessage(message: SentFromWorker): void {
    if (message.type === 'requests-pipe-open') this.#requestsOpen = this.#requestsEnd !== undefined
    else {
      if (message.type === 'ready' && Number.isFinite(message.origin)) this.#origin = message.origin
      this.#deliver(unpackResults(message, undefined, this.#origin))
    }
  }

  /**
   * Reads the answers pipe as far as it has come: each message a line of JSON, and after a
   * results message that announces doubles (`numbers`), their bytes, read into its outcomes. Once
   * the pipe has ended, what is left there (a message cut short, bytes that never all came) is
   * dropped, and the exit, if it came first, is reported.
   */
  #readAnswers(): void {
    const answers = this.#answers!
    for (;;) {
      if (this.#garbled) break
      const waiting = this.#awaitingBytes
      if (waiting) {
        if (answers.size < bytesOnPipe(waiting)) break
        this.#awaitingBytes = undefined
        this.#deliver(unpackResults(waiting, answers, this.#origin))
        continue
      }
      const line = answers.takeLine()
      if (line === undefined) break
      const message = parseAnswer(line)
      if (message === undefined) {
        this.#stopGarbled()
        break
      }
      if (message.type !== 'requests-pipe-open' && bytesOnPipe(message) > 0) this.#awaitingBytes = message
      else this.#onMessage(message)
    }
    if (this.#answersEnded && this.#exited) this.#reportExit()
  }

  #deliver(message: FromWorker): void {
    for (const listener of this.#listeners) listener(message)
  }

  #reportExit(): void {
    if (this.#exit || !this.#exited) return
    this.#exit = this.#exited
    for (const listener of this.#exitListeners) listener(this.#exit)
    this.#exitListeners = []
  }

  get pid(): number | undefined {
    return this.#child.pid
  }

  send(message: ToWorker): void {
    if (!this.#child.connected) return
    const requests = this.#requestsOpen ? this.#requestsEnd : undefined
    if (requests) {
      // As Node's channel does: a message JSON cannot write throws here, before anything is written.
      if (requests.destroyed) return
      const { message: piped, bytes } = packInts(packRun(message))
      requests.write(`${JSON.stringify(piped)}\n`)
      for (const run of bytes) requests.write(run)
    } else if (message.type === 'init' && this.#json) {
      const pipes = { ...(this.#answers && { answersPipe: ANSWERS_FD }), ...(this.#requestsEnd && { requestsPipe: REQUESTS_FD }) }
      this.#child.send({ ...message, numbersAsBytes: true, ...pipes })
    } else this.#child.send(packRun(message))
  }

  onMessage(listener: (message: FromWorker) => void): void {
    this.#listeners.push(listener)
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

  stop(graceMs: number): Promise<WorkerExit> {
    return shutdownThenKill(this, graceMs)
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.#exit) this.#child.kill(signal)
  }

  /** Lets the parent exit while this child runs (daemon processes). */
  unref(): void {
    this.#child.unref()
    this.#child.channel?.unref()
    // Piped stdio is a net.Socket underneath; unref it too or it keeps the loop alive.
    for (const stream of this.#child.stdio) (stream as unknown as { unref?: () => void } | null)?.unref?.()
  }
}

/** The built-in `'process'` backend: a forked OS process per worker. */
export const processBackend: WorkerBackend = {
  name: 'process',
  createAdapter: (options) => new ProcessAdapter(options)
}
