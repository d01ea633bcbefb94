import { EventEmitter } from 'node:events'
import type { LaunchDetail, LaunchOutput, LaunchSummary, LaunchUpdate } from '../../shared/contract'
import { Launch, type LaunchOptions } from './launch'
import { UnknownLaunchError } from './launch-errors'
import type { LaunchSignalRequest } from './tree-signals'

/** What a caller chooses per launch; the shape of the contract's validated `launch:start`. */
export interface LaunchRequest {
  argv: readonly string[]
  cwd?: string
  env?: Readonly<Record<string, string>>
  shell?: boolean
}

/** Settings shared by every launch of one launcher. */
export type LauncherOptions = Omit<LaunchOptions, keyof LaunchRequest> & {
  /** Ended launches kept for `list()`; the oldest are forgotten first. Default 20. */
  keepEnded?: number
}

/** The events of every launch, forwarded as they are (each carries its `launchId`). */
export interface LauncherEvents {
  update: [LaunchUpdate]
  output: [LaunchOutput]
}

/**
 * Runs any number of launches side by side, named `launch-1`, `launch-2`, … and forwards their
 * `update` and `output` events. `dispose()` kills everything still running.
 */
export class Launcher extends EventEmitter<LauncherEvents> {
  private readonly options: LauncherOptions
  private readonly launches = new Map<string, Launch>()
  private counter = 0
  private isDisposed = false

  constructor(options: LauncherOptions = {}) {
    super()
    this.options = options
  }

  /**
   * Starts a command and returns it as `list()` will show it (its id, pid, grace period, …).
   * @throws a LaunchError subclass when it cannot start (`command not found: X`, …).
   */
  async start(request: LaunchRequest): Promise<LaunchSummary> {
    if (this.isDisposed) throw new Error('launcher is disposed')
    const launchId = `launch-${++this.counter}`
    const { keepEnded: _keepEnded, ...shared } = this.options
    const launch = await Launch.start(launchId, { ...shared, ...request })
    this.launches.set(launchId, launch)
    launch.on('update', (update) => this.emit('update', update))
    launch.on('output', (output) => this.emit('output', output))
    launch.once('ended', () => this.forgetOldEnded())
    return launch.summary()
  }

  /**
   * Signals one process of a launch's tree or a whole (sub)tree; see {@link Launch.signal}.
   * @throws UnknownLaunchError, NotInTreeError.
   */
  async signal(request: LaunchSignalRequest & { launchId: string }): Promise<{ signalled: number[] }> {
    const { launchId, ...rest } = request
    return { signalled: await this.require(launchId).signal(rest) }
  }

  /** Every launch still known, oldest first. */
  list(): LaunchSummary[] {
    return [...this.launches.values()].map((launch) => launch.summary())
  }

  /**
   * Everything kept of one launch: tree, history, logs; see {@link Launch.detail}.
   * @throws UnknownLaunchError.
   */
  detail(launchId: string, tailLines?: number): LaunchDetail {
    return this.require(launchId).detail(tailLines)
  }

  /** One launch, for its logs, tree and history. */
  get(launchId: string): Launch | undefined {
    return this.launches.get(launchId)
  }

  /** Kills every tree still running and stops all timers; the launcher takes no new launches. */
  async dispose(): Promise<void> {
    this.isDisposed = true
    await Promise.all([...this.launches.values()].map((launch) => launch.dispose()))
  }

  private require(launchId: string): Launch {
    const launch = this.launches.get(launchId)
    if (launch === undefined) throw new UnknownLaunchError(launchId)
    return launch
  }

  private forgetOldEnded(): void {
    const keep = this.options.keepEnded ?? 20
    const ended = [...this.launches.values()].filter((launch) => launch.state === 'ended')
    for (const launch of ended.slice(0, Math.max(0, ended.length - keep))) {
      launch.removeAllListeners()
      this.launches.delete(launch.launchId)
    }
  }
}
