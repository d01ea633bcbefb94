import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { freemem, totalmem } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { MemoryInfo, ProcessInfo, ProcessRef, ProcessUsage, SignalAction } from './process-info'
import type { ProcessSelector, ProcessTable } from './process-table'
import { selectTree } from './process-tree'
import { ProcFsTable } from './proc-fs-table'
import { PsTable } from './ps-table'
import { loadSystemInformation, SystemInformationTable } from './systeminformation-table'

/** How a {@link Platform} reads the OS; every field has a default for the machine it runs on. */
export interface PlatformOptions {
  /** The OS to behave as; default `process.platform`. */
  os?: NodeJS.Platform
  /** Which process table to read; default the cheapest that works here. Tests pin each in turn. */
  table?: ProcessTable['source']
  /** Where Linux `/proc` is. */
  procRoot?: string
  /** Pause between re-scans while making sure a killed tree is gone. */
  killPollMs?: number
  /** Give up re-scanning a killed tree after this long (a process in uninterruptible sleep). */
  killDeadlineMs?: number
}

/** Widens a tree beyond the root's current descendants. */
export interface TreeOptions {
  /** The root's process group: members still belong after they are re-parented. */
  processGroup?: number
  /** Processes seen in the tree earlier, found again by pid after their parent exits. */
  known?: readonly ProcessRef[]
}

/**
 * Freeze-and-rescan rounds before killing anyway. Each round can only find processes forked before
 * their parent was frozen, so a real tree settles in two or three; the bound is for a fork bomb.
 */
const MAX_FREEZE_ROUNDS = 50

/** What each action sends on POSIX. */
const signalOf: Record<SignalAction, NodeJS.Signals> = { stop: 'SIGTERM', kill: 'SIGKILL', interrupt: 'SIGINT' }

/**
 * Everything PoolScope does that depends on the OS: reading the process table, telling whether a
 * process lives, signalling one process or a whole tree, and reading memory. Nothing outside
 * `main/platform/` touches `/proc`, `ps` or signals directly.
 *
 * POSIX (Linux, macOS) is exercised by the tests. Windows has no signals: Node turns SIGTERM,
 * SIGKILL and SIGINT alike into `TerminateProcess`, and trees are killed with `taskkill /T /F`
 * (which follows parent links, so orphans already re-parented are killed by pid from `known`).
 * The Windows path is written from the documentation and untested here.
 */
export class Platform {
  readonly os: NodeJS.Platform
  readonly table: ProcessTable
  private readonly procRoot: string
  private readonly hasProcFs: boolean
  private readonly killPollMs: number
  private readonly killDeadlineMs: number

  constructor(options: PlatformOptions = {}) {
    this.os = options.os ?? process.platform
    this.procRoot = options.procRoot ?? '/proc'
    this.hasProcFs = this.os === 'linux' && ProcFsTable.isAvailable(this.procRoot)
    this.killPollMs = options.killPollMs ?? 25
    this.killDeadlineMs = options.killDeadlineMs ?? 2000
    this.table = this.createTable(options.table)
  }

  /**
   * True while `pid` is a running process. A zombie (exited, not yet reaped by its parent) counts
   * as gone, though `process.kill(pid, 0)` still succeeds on it.
   */
  isProcessAlive(pid: number): boolean {
    if (!isUsablePid(pid)) return false
    try {
      process.kill(pid, 0)
    } catch (err) {
      // EPERM: it exists but belongs to someone else.
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
    }
    if (!this.hasProcFs) return true
    try {
      const stat = readFileSync(join(this.procRoot, String(pid), 'stat'), 'latin1')
      const state = stat.charAt(stat.lastIndexOf(')') + 2)
      return state !== 'Z' && state !== 'X'
    } catch {
      return false
    }
  }

  /** Every process on the machine. */
  listProcesses(): Promise<ProcessInfo[]> {
    return this.table.list()
  }

  /** CPU and memory of just these pids (cheap on Linux: one small file each). */
  readUsage(pids: readonly number[]): Promise<ProcessUsage[]> {
    return this.table.readUsage(pids.filter(isUsablePid))
  }

  /** `rootPid` and everything below it (see {@link TreeOptions}), parents first. */
  async listTree(rootPid: number, options: TreeOptions = {}): Promise<ProcessInfo[]> {
    return (await this.scanTree(rootPid, options)).tree
  }

  /** Pids of every live descendant of `pid`, parents first (not `pid` itself). */
  async descendantsOf(pid: number): Promise<number[]> {
    const tree = await this.listTree(pid)
    return tree.filter((row) => row.pid !== pid).map((row) => row.pid)
  }

  /**
   * Sends one process the signal for `action`: stop → SIGTERM, kill → SIGKILL, interrupt → SIGINT.
   * Returns false when there was no such process (or it is not ours to signal).
   */
  signalProcess(pid: number, action: SignalAction): boolean {
    return sendSignal(pid, signalOf[action])
  }

  /**
   * Signals `rootPid` and its whole tree, parents first, and returns the pids signalled.
   *
   * With SIGKILL nothing of the tree survives: every member is first frozen with SIGSTOP (a stopped
   * process cannot fork, and a stopped parent keeps its children from being re-parented out of
   * sight), the tree is re-scanned until no new member appears, then all are killed, and the
   * tree is re-scanned until it is empty. With a process group the group is signalled as a whole
   * too, which also reaches members that re-parented away from the root.
   *
   * Other signals go to each member once: to the group with one call (as a terminal's Ctrl-C
   * does), and by pid to members outside it.
   */
  async killTree(rootPid: number, signal: NodeJS.Signals, options: TreeOptions = {}): Promise<number[]> {
    if (this.os === 'win32') return this.killTreeWindows(rootPid, options)
    const first = await this.scanTree(rootPid, options)
    const group = first.group
    const scope: TreeOptions = { processGroup: group, known: options.known }
    let tree = first.tree

    if (signal !== 'SIGKILL') {
      const groupSignalled = group !== undefined && sendSignal(-group, signal)
      const signalled: number[] = []
      for (const row of tree) {
        const covered = groupSignalled && row.pgid === group
        if (covered || sendSignal(row.pid, signal)) signalled.push(row.pid)
      }
      return signalled
    }

    const frozen = new Map<number, ProcessRef>()
    for (let round = 0; round < MAX_FREEZE_ROUNDS; round++) {
      if (group !== undefined) sendSignal(-group, 'SIGSTOP')
      let grew = false
      for (const row of tree) {
        if (frozen.has(row.pid) || row.state === 'zombie') continue
        sendSignal(row.pid, 'SIGSTOP')
        frozen.set(row.pid, { pid: row.pid, startToken: row.startToken })
        grew = true
      }
      if (!grew) break
      tree = await this.listTree(rootPid, { ...scope, known: [...(options.known ?? []), ...frozen.values()] })
    }

    const deadline = Date.now() + this.killDeadlineMs
    for (;;) {
      if (group !== undefined) sendSignal(-group, 'SIGKILL')
      for (const row of tree) if (row.state !== 'zombie') sendSignal(row.pid, 'SIGKILL')
      tree = await this.listTree(rootPid, { ...scope, known: [...(options.known ?? []), ...frozen.values()] })
      const survivors = tree.filter((row) => row.state !== 'zombie')
      for (const row of survivors) frozen.set(row.pid, { pid: row.pid, startToken: row.startToken })
      if (survivors.length === 0 || Date.now() >= deadline) break
      await sleep(this.killPollMs)
    }
    return [...frozen.keys()]
  }

  /** Physical memory in use and in total. */
  async readMemory(): Promise<MemoryInfo> {
    if (this.hasProcFs) {
      // MemAvailable is the kernel's own estimate of what could be handed out without swapping;
      // "free" alone would count the page cache as used.
      const text = readFileSync(join(this.procRoot, 'meminfo'), 'latin1')
      const totalBytes = meminfoBytes(text, 'MemTotal') ?? totalmem()
      const availableBytes = meminfoBytes(text, 'MemAvailable') ?? freemem()
      return { totalBytes, usedBytes: totalBytes - availableBytes }
    }
    if (this.os === 'darwin') {
      // macOS's free count leaves out inactive and purgeable pages, so os.freemem() makes memory
      // look nearly full; systeminformation derives "active" from vm_stat instead.
      const mem = await (await loadSystemInformation()).mem()
      return { totalBytes: mem.total, usedBytes: mem.active }
    }
    const totalBytes = totalmem()
    return { totalBytes, usedBytes: totalBytes - freemem() }
  }

  /** The tree, and the process group actually used for it. */
  private async scanTree(rootPid: number, options: TreeOptions): Promise<{ tree: ProcessInfo[]; group: number | undefined }> {
    const roots: ProcessRef[] = [{ pid: rootPid, startToken: undefined }, ...(options.known ?? [])]
    let group = options.processGroup
    const tree = await this.table.list((all) => {
      // Never treat our own group as the tree's: a caller passing it by mistake would have this
      // very process listed, stopped and killed.
      const ownGroup = all.find((row) => row.pid === process.pid)?.pgid
      if (group === ownGroup) group = undefined
      return selectTree(all, { roots, processGroup: group })
    })
    return { tree, group }
  }

  private async killTreeWindows(rootPid: number, options: TreeOptions): Promise<number[]> {
    const tree = await this.listTree(rootPid, options)
    await new Promise<void>((resolve) => {
      execFile('taskkill', ['/PID', String(rootPid), '/T', '/F'], () => resolve())
    })
    for (const row of tree) sendSignal(row.pid, 'SIGKILL')
    return tree.map((row) => row.pid)
  }

  private createTable(forced: PlatformOptions['table']): ProcessTable {
    switch (forced) {
      case 'procfs':
        return new ProcFsTable({ procRoot: this.procRoot })
      case 'ps':
        return new PsTable({ dialect: this.os === 'linux' ? 'linux' : 'bsd' })
      case 'systeminformation':
        return new SystemInformationTable()
    }
    if (this.hasProcFs) return new ProcFsTable({ procRoot: this.procRoot })
    if (this.os === 'win32') return new SystemInformationTable()
    return new FallbackTable(new PsTable({ dialect: this.os === 'linux' ? 'linux' : 'bsd' }), new SystemInformationTable())
  }
}

/**
 * Uses `primary` until it fails once (no `ps` on a minimal system), then `secondary` for good.
 */
class FallbackTable implements ProcessTable {
  private current: ProcessTable

  constructor(
    primary: ProcessTable,
    private readonly secondary: ProcessTable
  ) {
    this.current = primary
  }

  get source(): ProcessTable['source'] {
    return this.current.source
  }

  async list(select?: ProcessSelector): Promise<ProcessInfo[]> {
    try {
      return await this.current.list(select)
    } catch (err) {
      if (this.current === this.secondary) throw err
      this.current = this.secondary
      return this.current.list(select)
    }
  }

  async readUsage(pids: readonly number[]): Promise<ProcessUsage[]> {
    try {
      return await this.current.readUsage(pids)
    } catch (err) {
      if (this.current === this.secondary) throw err
      this.current = this.secondary
      return this.current.readUsage(pids)
    }
  }
}

/** Pids ≤ 0 address process groups or every process we may signal: never by accident. */
function isUsablePid(pid: number): boolean {
  return Number.isInteger(pid) && pid > 0
}

/** Signals a pid, or a whole group when given `-pgid`; false if nothing was there to signal. */
function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pid) || pid === 0 || pid === -1 || pid === process.pid) return false
  try {
    process.kill(pid, signal)
    return true
  } catch {
    // ESRCH: already gone. EPERM: not ours; either way there is nothing we can do to it.
    return false
  }
}

function meminfoBytes(text: string, key: string): number | undefined {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)
  return m === null ? undefined : Number(m[1]) * 1024
}
