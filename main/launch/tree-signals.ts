import type { Cancel, Clock } from '../monitor/clock'
import type { Platform, ProcessRef, SignalAction } from '../platform'
import { NotInTreeError } from './launch-errors'
import type { TreeWatcher } from './tree-watcher'

/** A signal for one process of the tree (default the command's own) or a whole (sub)tree. */
export interface LaunchSignalRequest {
  action: SignalAction
  scope: 'process' | 'tree'
  /** For `process`: which one. For `tree`: the top of the subtree; default the whole tree. */
  pid?: number
}

/** The launch a {@link TreeSignals} acts for. */
export interface TreeSignalsOptions {
  launchId: string
  /** The command's own process, the top of the tree. */
  rootPid: number
  /** How long a `stop` waits after SIGTERM before SIGKILL. */
  graceMs: number
  watcher: TreeWatcher
  platform: Platform
  clock: Clock
}

/**
 * The signals a person sends a launched tree: to one process, to a subtree or to all of it, and
 * the SIGKILL that follows a `stop` once the grace period is over. Who is in the tree comes from
 * the watcher's scans, with each process's start token, so a pid reused after its exit is never
 * signalled by mistake.
 */
export class TreeSignals {
  private readonly options: TreeSignalsOptions
  private readonly escalations = new Set<Cancel>()
  private stopDeadline: number | undefined

  constructor(options: TreeSignalsOptions) {
    this.options = options
  }

  /** When a pending `stop` will turn into SIGKILL (epoch ms). */
  get stopDeadlineAt(): number | undefined {
    return this.stopDeadline
  }

  /**
   * Sends `action` to one process of the tree or to a whole (sub)tree, and returns the pids
   * signalled. `stop` is SIGTERM, then SIGKILL for whatever is left after `graceMs`; `kill` of a
   * tree leaves nothing of it alive. `isRootRunning` says whether the command's own process is
   * still alive (it is in the tree without a scan then).
   * @throws NotInTreeError for a pid outside the tree.
   */
  async send(request: LaunchSignalRequest, isRootRunning: boolean): Promise<number[]> {
    const { rootPid, watcher } = this.options
    let signalled: number[]
    if (request.scope === 'tree' && request.pid === undefined) {
      // The whole tree, even after the command's own process has exited.
      signalled = await this.signalTree(rootPid, request.action)
    } else {
      const pid = request.pid ?? rootPid
      if (!(await this.isInTree(pid, isRootRunning))) {
        if (request.pid === undefined) return []
        throw new NotInTreeError(this.options.launchId, pid)
      }
      signalled = request.scope === 'process' ? this.signalOne(pid, request.action) : await this.signalTree(pid, request.action)
    }
    void watcher.refresh().catch(() => {})
    return signalled
  }

  /** Drops every pending SIGKILL (the launch has ended, or is left running on purpose). */
  cancelEscalations(): void {
    for (const cancel of this.escalations) cancel()
    this.escalations.clear()
    this.stopDeadline = undefined
  }

  private signalOne(pid: number, action: SignalAction): number[] {
    const { platform } = this.options
    if (!platform.signalProcess(pid, action)) return []
    if (action === 'stop') {
      const startToken = this.startTokenOf(pid)
      this.escalateAfterGrace(async () => {
        const [now] = await platform.readUsage([pid])
        if (now !== undefined && now.state !== 'zombie' && (startToken === undefined || now.startToken === startToken)) {
          platform.signalProcess(pid, 'kill')
        }
      })
    }
    return [pid]
  }

  private async signalTree(top: number, action: SignalAction): Promise<number[]> {
    const { platform, watcher } = this.options
    await watcher.refresh()
    const isWhole = top === this.options.rootPid
    const processGroup = isWhole ? watcher.processGroup : undefined
    const knownNow = (): ProcessRef[] => (isWhole ? watcher.knownProcesses : this.subtreeRefs(top))
    // Kept for the escalation: once `top` has exited, its children can no longer be told apart
    // from anyone else's by parent links.
    const knownAtSignal = knownNow()
    const signal = action === 'kill' ? 'SIGKILL' : action === 'stop' ? 'SIGTERM' : 'SIGINT'
    const signalled = await platform.killTree(top, signal, { processGroup, known: knownAtSignal })
    if (action === 'stop') {
      this.escalateAfterGrace(async () => {
        await watcher.refresh()
        await platform.killTree(top, 'SIGKILL', { processGroup, known: [...knownAtSignal, ...knownNow()] })
      })
    }
    return signalled
  }

  private escalateAfterGrace(escalate: () => Promise<void>): void {
    const { clock, graceMs, watcher } = this.options
    this.stopDeadline = clock.now() + graceMs
    const cancel = clock.schedule(() => {
      this.escalations.delete(cancel)
      if (this.escalations.size === 0) this.stopDeadline = undefined
      escalate()
        .then(() => watcher.refresh())
        .catch(() => {})
    }, graceMs)
    this.escalations.add(cancel)
  }

  /** Refs of `top` and its descendants in the last scan. */
  private subtreeRefs(top: number): ProcessRef[] {
    const { watcher } = this.options
    const children = new Map<number, number[]>()
    for (const node of watcher.tree) children.set(node.ppid, [...(children.get(node.ppid) ?? []), node.pid])
    const pids: number[] = []
    const stack = [top]
    while (stack.length > 0) {
      const pid = stack.pop() as number
      if (pids.includes(pid)) continue
      pids.push(pid)
      stack.push(...(children.get(pid) ?? []))
    }
    const known = new Map(watcher.knownProcesses.map((ref) => [ref.pid, ref]))
    return pids.flatMap((pid) => known.get(pid) ?? [])
  }

  private startTokenOf(pid: number): string | undefined {
    return this.options.watcher.knownProcesses.find((ref) => ref.pid === pid)?.startToken
  }

  private async isInTree(pid: number, isRootRunning: boolean): Promise<boolean> {
    const { watcher } = this.options
    if (pid === this.options.rootPid && isRootRunning) return true
    if (watcher.has(pid)) return true
    // The process may have been born since the last scan.
    await watcher.refresh()
    return watcher.has(pid)
  }
}
