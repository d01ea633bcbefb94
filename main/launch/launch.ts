import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { statSync } from 'node:fs'
import type { LaunchDetail, LaunchExit, LaunchOutput, LaunchSummary, LaunchUpdate, ProcNode } from '../../shared/contract'
import { systemClock, type Cancel, type Clock } from '../monitor/clock'
import { defaultPlatform, type Platform } from '../platform'
import { BoundedLog } from './bounded-log'
import {
  CommandNotFoundError,
  InvalidLaunchOptionsError,
  PermissionDeniedError,
  SpawnFailedError,
  WorkingFolderNotFoundError
} from './launch-errors'
import { TreeSignals, type LaunchSignalRequest } from './tree-signals'
import { TreeWatcher, type ProcessPoint, type TreeStats } from './tree-watcher'

/**
 * Where the command's output goes: into bounded logs streamed as `output` events (the app), or
 * straight to this process's terminal (the CLI), optionally all of it to stderr so that stdout
 * stays free for JSON.
 */
export type LaunchOutputMode = 'capture' | 'inherit' | 'inherit-to-stderr'

/** What to run and how to watch it. */
export interface LaunchOptions {
  /** The command and its arguments, run without a shell unless `shell` is set. */
  argv: readonly string[]
  /** Working folder; default this process's. */
  cwd?: string
  /** Added to (and overriding) this process's environment. */
  env?: Readonly<Record<string, string>>
  /** Run through the system shell: `argv` is joined with spaces and quoted as for that shell. */
  shell?: boolean
  output?: LaunchOutputMode
  /** Lines kept per stream; default 2000. */
  logLines?: number
  /** Time between process-tree scans; default 1000. */
  sampleMs?: number
  /** CPU/RSS points kept per process; default 300. */
  historyLength?: number
  /** How long `stop` waits after SIGTERM before SIGKILL; default 3000. */
  graceMs?: number
  /** Output lines are batched into one event per stream at most this often; default 100. */
  outputFlushMs?: number
  platform?: Platform
  clock?: Clock
}

export type { LaunchExit }

/**
 * `running`: the command's own process is alive. `exited`: it has exited but processes of its
 * tree live on (and are still watched and can be signalled). `ended`: nothing of it is left.
 */
export type LaunchState = 'running' | 'exited' | 'ended'

/**
 * `update` after every tree scan (and a last one with an empty tree when the launch ends), `output`
 * with batched new lines per stream, `exit` when the command's own process exits, `ended` when
 * nothing of the tree is left.
 */
export interface LaunchEvents {
  update: [LaunchUpdate]
  output: [LaunchOutput]
  exit: [LaunchExit]
  ended: []
}

const isPosix = process.platform !== 'win32'

/**
 * One launched command: its process, its output in bounded logs, its watched process tree, and
 * the signals a person can send it. Start one with {@link Launch.start}.
 */
export class Launch extends EventEmitter<LaunchEvents> {
  readonly launchId: string
  readonly argv: readonly string[]
  readonly pid: number
  /** Epoch ms. */
  readonly startedAt: number
  readonly graceMs: number
  /** Resolves when the command's own process exits. */
  readonly exited: Promise<LaunchExit>
  /** Resolves when nothing of the tree is left (or the launch is disposed). */
  readonly ended: Promise<void>

  private readonly clock: Clock
  private readonly platform: Platform
  private readonly watcher: TreeWatcher
  private readonly logs: Record<LaunchOutput['stream'], BoundedLog>
  private readonly pending: Record<LaunchOutput['stream'], string[]> = { stdout: [], stderr: [] }
  private readonly outputFlushMs: number
  private readonly signals: TreeSignals
  private cancelFlush: Cancel | undefined
  private exitInfo: LaunchExit | undefined
  private isClosed = false
  private lifecycle: LaunchState = 'running'
  private resolveExited!: (exit: LaunchExit) => void
  private resolveEnded!: () => void

  /**
   * Spawns the command and resolves once it is running.
   * @throws CommandNotFoundError, PermissionDeniedError, WorkingFolderNotFoundError,
   *   SpawnFailedError, InvalidLaunchOptionsError — never a crash.
   */
  static async start(launchId: string, options: LaunchOptions): Promise<Launch> {
    const argv = [...options.argv]
    if (argv.length === 0 || argv[0].length === 0) throw new InvalidLaunchOptionsError('argv needs at least a command')
    checkCount('logLines', options.logLines, 1)
    checkCount('sampleMs', options.sampleMs, 10)
    checkCount('graceMs', options.graceMs, 0)
    checkCount('outputFlushMs', options.outputFlushMs, 0)
    if (options.cwd !== undefined && !isDirectory(options.cwd)) throw new WorkingFolderNotFoundError(options.cwd)
    const output = options.output ?? 'capture'
    const stdio: StdioOptions =
      output === 'capture' ? ['ignore', 'pipe', 'pipe'] : output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 2, 2]
    const spawnOptions = {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio,
      // On POSIX the command leads a new process group (and session), so the whole tree can be
      // signalled at once and found again after re-parenting. On Windows "detached" would open a
      // new console window instead.
      detached: isPosix,
      windowsHide: true
    }
    const child = options.shell === true ? spawn(argv.join(' '), { ...spawnOptions, shell: true }) : spawn(argv[0], argv.slice(1), spawnOptions)
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve())
      child.once('error', (err: NodeJS.ErrnoException) => reject(spawnError(argv[0], err)))
    })
    return new Launch(launchId, argv, child, options)
  }

  private constructor(launchId: string, argv: string[], child: ChildProcess, options: LaunchOptions) {
    super()
    this.launchId = launchId
    this.argv = argv
    this.pid = child.pid as number
    this.clock = options.clock ?? systemClock
    this.platform = options.platform ?? defaultPlatform()
    this.startedAt = this.clock.now()
    this.graceMs = options.graceMs ?? 3000
    this.outputFlushMs = options.outputFlushMs ?? 100
    const logLines = options.logLines ?? 2000
    this.logs = { stdout: new BoundedLog(logLines), stderr: new BoundedLog(logLines) }
    this.exited = new Promise((resolve) => (this.resolveExited = resolve))
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve))

    // Errors after a successful spawn (a failed kill on an exited child) carry no news.
    child.on('error', () => {})
    this.readStream('stdout', child.stdout)
    this.readStream('stderr', child.stderr)
    child.once('exit', (code, signal) => this.onExit({ code, signal }))
    child.once('close', () => {
      this.isClosed = true
      this.endIfNothingLeft()
    })

    this.watcher = new TreeWatcher({
      rootPid: this.pid,
      processGroup: isPosix ? this.pid : undefined,
      sampleMs: options.sampleMs,
      historyLength: options.historyLength,
      platform: this.platform,
      clock: this.clock
    })
    this.signals = new TreeSignals({
      launchId,
      rootPid: this.pid,
      graceMs: this.graceMs,
      watcher: this.watcher,
      platform: this.platform,
      clock: this.clock
    })
    this.watcher.on('tree', (tree) => this.onTree(tree))
    // A failed scan is retried at the next tick; the launch itself is unaffected.
    this.watcher.on('error', () => {})
    this.watcher.start()
  }

  /** Where the launch is in its life; see {@link LaunchState}. */
  get state(): LaunchState {
    return this.lifecycle
  }

  /** How the command's own process ended, once it has. */
  get exit(): LaunchExit | undefined {
    return this.exitInfo
  }

  /** When a pending `stop` will turn into SIGKILL (epoch ms), for the UI to count down. */
  get stopDeadlineAt(): number | undefined {
    return this.signals.stopDeadlineAt
  }

  /** The tree at the last scan, parents first. */
  tree(): ProcNode[] {
    return this.watcher.tree
  }

  /** One process's CPU/RSS history, oldest first. */
  history(pid: number): ProcessPoint[] {
    return this.watcher.history(pid)
  }

  /** Peaks and CPU per process name over the launch so far. */
  stats(): TreeStats {
    return this.watcher.stats()
  }

  /** The kept lines of one stream and how many fell out (empty when output is not captured). */
  output(stream: LaunchOutput['stream']): { lines: string[]; droppedLines: number } {
    return { lines: this.logs[stream].lines(), droppedLines: this.logs[stream].droppedLines }
  }

  /** The launch as the contract's `launch:start` and `launch:list` show it. */
  summary(): LaunchSummary {
    return { launchId: this.launchId, argv: [...this.argv], pid: this.pid, startedAt: this.startedAt, exit: this.exitInfo, graceMs: this.graceMs }
  }

  /**
   * Everything kept of the launch, as the contract's `launch:get` shows it: the tree of the last
   * scan, each of its processes' history and the logs (at most the last `tailLines` of each).
   */
  detail(tailLines?: number): LaunchDetail {
    // Lines still waiting for their batch are sent first: they are in the logs read below, and a
    // window that starts from this detail must not get them a second time as an `output` event.
    this.flushOutput()
    const tail = (stream: LaunchOutput['stream']) => {
      const { lines, droppedLines } = this.output(stream)
      return { lines: tailLines === undefined ? lines : lines.slice(Math.max(0, lines.length - tailLines)), droppedLines }
    }
    const tree = this.watcher.tree
    return {
      ...this.summary(),
      at: this.clock.now(),
      tree,
      stopDeadlineAt: this.signals.stopDeadlineAt ?? null,
      history: tree.map((node) => ({ pid: node.pid, points: this.watcher.history(node.pid) })),
      output: { stdout: tail('stdout'), stderr: tail('stderr') }
    }
  }

  /** Scans the tree now (also emits an `update`). */
  refresh(): Promise<ProcNode[]> {
    return this.watcher.refresh()
  }

  /**
   * Sends `action` to one process of the tree or to a whole (sub)tree, and returns the pids
   * signalled; see {@link TreeSignals.send}.
   * @throws NotInTreeError for a pid outside this launch's tree.
   */
  async signal(request: LaunchSignalRequest): Promise<number[]> {
    if (this.lifecycle === 'ended') return []
    return this.signals.send(request, this.lifecycle === 'running')
  }

  /** Kills whatever is left of the tree and stops every timer. */
  async dispose(): Promise<void> {
    if (this.lifecycle !== 'ended') {
      await this.signal({ action: 'kill', scope: 'tree' })
      // SIGKILL cannot be caught, but a process in uninterruptible sleep dies only when it wakes:
      // do not wait for it forever.
      let cancel: Cancel | undefined
      await Promise.race([this.exited, new Promise<void>((resolve) => (cancel = this.clock.schedule(resolve, 2000)))])
      cancel?.()
    }
    this.finish()
  }

  /**
   * Stops watching and every timer without signalling anything: what is still running is left
   * running. For callers that only wanted the command's own end (the CLI).
   */
  release(): void {
    this.finish()
  }

  private readStream(stream: LaunchOutput['stream'], source: NodeJS.ReadableStream | null): void {
    if (source === null) return
    // UTF-8 decoding keeps characters split across chunks whole.
    source.setEncoding('utf8')
    source.on('data', (text: string) => this.queueLines(stream, this.logs[stream].write(text)))
    source.on('end', () => {
      this.queueLines(stream, this.logs[stream].end())
      this.flushOutput()
    })
  }

  private queueLines(stream: LaunchOutput['stream'], lines: string[]): void {
    if (lines.length === 0) return
    const pending = this.pending[stream]
    pending.push(...lines)
    // More lines than the log keeps arrived within one flush interval: the older ones have left
    // the log already (and are counted as dropped), so they are not sent either.
    const excess = pending.length - this.logs[stream].maxLines
    if (excess > 0) pending.splice(0, excess)
    this.cancelFlush ??= this.clock.schedule(() => {
      this.cancelFlush = undefined
      this.flushOutput()
    }, this.outputFlushMs)
  }

  private flushOutput(): void {
    this.cancelFlush?.()
    this.cancelFlush = undefined
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = this.pending[stream]
      if (lines.length === 0) continue
      this.pending[stream] = []
      this.emit('output', { launchId: this.launchId, stream, lines, droppedLines: this.logs[stream].droppedLines })
    }
  }

  private onExit(exit: LaunchExit): void {
    this.exitInfo = exit
    if (this.lifecycle === 'running') this.lifecycle = 'exited'
    this.resolveExited(exit)
    this.emit('exit', exit)
    void this.watcher.refresh().catch(() => {})
  }

  private onTree(tree: ProcNode[]): void {
    // A scan that was in flight when the launch ended reports nothing new.
    if (this.lifecycle === 'ended') return
    this.emitUpdate(tree)
    this.endIfNothingLeft()
  }

  private emitUpdate(tree: ProcNode[]): void {
    this.emit('update', {
      launchId: this.launchId,
      at: this.clock.now(),
      tree,
      exit: this.exitInfo,
      graceMs: this.graceMs,
      stopDeadlineAt: this.signals.stopDeadlineAt ?? null
    })
  }

  private endIfNothingLeft(): void {
    if (this.lifecycle !== 'exited' || !this.isClosed) return
    if (this.watcher.knownProcesses.length > 0) return
    this.finish()
  }

  private finish(): void {
    if (this.lifecycle === 'ended') return
    this.lifecycle = 'ended'
    this.watcher.stop()
    this.signals.cancelEscalations()
    this.flushOutput()
    this.emitUpdate([])
    this.resolveEnded()
    this.emit('ended')
  }
}

function checkCount(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new InvalidLaunchOptionsError(`${name} must be an integer ≥ ${min}, got ${value}`)
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function spawnError(command: string, err: NodeJS.ErrnoException): Error {
  if (err.code === 'ENOENT') return new CommandNotFoundError(command)
  if (err.code === 'EACCES') return new PermissionDeniedError(command)
  return new SpawnFailedError(command, err)
}
