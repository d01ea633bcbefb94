import type { ProcessPoint, ProcNode } from '../../shared/contract'
import { systemClock, type Clock } from '../monitor/clock'
import { CpuRateTracker } from '../monitor/cpu-rate-tracker'
import { RingBuffer } from '../../shared/ring-buffer'
import { LoopedEmitter, SamplingLoop } from '../monitor/sampling-loop'
import { defaultPlatform, type Platform, type ProcessRef } from '../platform'

/** Which tree to watch and how often. */
export interface TreeWatcherOptions {
  rootPid: number
  /** The root's process group, when it leads one (POSIX launches do). */
  processGroup?: number
  /** Time between scans; default 1000. */
  sampleMs?: number
  /** CPU/RSS points kept per process; default 300 (5 minutes at 1 s). */
  historyLength?: number
  /** Processes whose history is kept; the longest-gone are forgotten first. Default 256. */
  maxTrackedProcesses?: number
  platform?: Platform
  clock?: Clock
}

export type { ProcessPoint }

/** Totals over the whole watch, for run summaries. */
export interface TreeStats {
  /** Most processes seen in the tree at once. */
  peakProcessCount: number
  /** Largest summed RSS of the tree at one scan. */
  peakRssBytes: number
  /** Distinct processes seen. */
  processCount: number
  /** CPU time per process name, ms, up to each process's last scan; with how many processes had it. */
  byName: { name: string; processes: number; cpuMs: number }[]
}

/** `tree` after every scan; `error` when a scan fails (the next one is still scheduled). */
export interface TreeWatcherEvents {
  tree: [ProcNode[]]
  error: [Error]
}

interface Tracked {
  ref: ProcessRef
  name: string
  cpuTimeMs: number
  history: RingBuffer<ProcessPoint>
  lastSeenMs: number
  isLive: boolean
}

/**
 * Watches a process tree: rescans it at a steady rate as children come and go, and keeps each
 * member's CPU and RSS history (bounded both in points per process and in processes).
 *
 * A process seen once stays in the tree after its parent exits and it is re-parented: the next
 * scans look it up by pid (checked against its start time), on top of the root's descendants and
 * its process group.
 */
export class TreeWatcher extends LoopedEmitter<TreeWatcherEvents> {
  readonly rootPid: number
  readonly processGroup: number | undefined
  private readonly platform: Platform
  private readonly clock: Clock
  private readonly historyLength: number
  private readonly maxTracked: number
  private readonly rates = new CpuRateTracker()
  private readonly tracked = new Map<string, Tracked>()
  /** Totals of processes whose history was forgotten, so stats() still counts them. */
  private readonly retired = new Map<string, { processes: number; cpuMs: number }>()
  protected readonly loop: SamplingLoop<ProcNode[]>
  private current: ProcNode[] = []
  private currentRefs: ProcessRef[] = []
  private peakProcessCount = 0
  private peakRssBytes = 0

  constructor(options: TreeWatcherOptions) {
    super()
    this.rootPid = options.rootPid
    this.processGroup = options.processGroup
    this.historyLength = options.historyLength ?? 300
    this.maxTracked = options.maxTrackedProcesses ?? 256
    this.platform = options.platform ?? defaultPlatform()
    this.clock = options.clock ?? systemClock
    // A scan that ends after stop() is still recorded: the launch refreshes the tree while it
    // stops it, so a scan never counts as stale.
    this.loop = new SamplingLoop({
      clock: this.clock,
      intervalMs: options.sampleMs ?? 1000,
      readsAtStart: true,
      read: () => this.scan(),
      onError: this.reportError
    })
  }

  /** The tree at the last scan, parents first. */
  get tree(): ProcNode[] {
    return this.current
  }

  /** Pids and start tokens of the tree at the last scan (what kill-tree must reach). */
  get knownProcesses(): ProcessRef[] {
    return this.currentRefs
  }

  /** Changes the time between scans at once: the next is due `sampleMs` after the last one. */
  setSampleMs(sampleMs: number): void {
    this.loop.setIntervalMs(sampleMs)
  }

  /**
   * Scans the tree once now, records it and emits `tree`; concurrent calls share one scan, and the
   * next scheduled scan is due `sampleMs` after it.
   */
  refresh(): Promise<ProcNode[]> {
    return this.loop.readNow()
  }

  /** CPU and RSS points of one process, oldest first (empty if never seen or forgotten). */
  history(pid: number): ProcessPoint[] {
    let newest: Tracked | undefined
    for (const entry of this.tracked.values()) {
      if (entry.ref.pid === pid && (newest === undefined || entry.lastSeenMs > newest.lastSeenMs)) newest = entry
    }
    return newest?.history.toArray() ?? []
  }

  /** Whether `pid` is in the tree as of the last scan. */
  has(pid: number): boolean {
    return this.currentRefs.some((ref) => ref.pid === pid)
  }

  stats(): TreeStats {
    const byName = new Map<string, { name: string; processes: number; cpuMs: number }>()
    const add = (name: string, processes: number, cpuMs: number): void => {
      const row = byName.get(name) ?? { name, processes: 0, cpuMs: 0 }
      row.processes += processes
      row.cpuMs += cpuMs
      byName.set(name, row)
    }
    for (const [name, totals] of this.retired) add(name, totals.processes, totals.cpuMs)
    for (const entry of this.tracked.values()) add(entry.name, 1, entry.cpuTimeMs)
    const rows = [...byName.values()].sort((a, b) => b.cpuMs - a.cpuMs || a.name.localeCompare(b.name))
    return {
      peakProcessCount: this.peakProcessCount,
      peakRssBytes: this.peakRssBytes,
      processCount: rows.reduce((sum, row) => sum + row.processes, 0),
      byName: rows
    }
  }

  private async scan(): Promise<ProcNode[]> {
    const rows = await this.platform.listTree(this.rootPid, {
      processGroup: this.processGroup,
      known: this.currentRefs
    })
    const t = this.clock.now()
    const rates = this.rates.update(rows, t)
    const nodes = rows.map(
      (row, i): ProcNode => ({
        pid: row.pid,
        ppid: row.ppid,
        name: row.name,
        command: row.command,
        state: row.state,
        cpuPercent: rates[i].cpuPercent,
        rssBytes: row.rssBytes
      })
    )

    for (const entry of this.tracked.values()) entry.isLive = false
    rows.forEach((row, i) => {
      const key = `${row.pid}:${row.startToken ?? ''}`
      let entry = this.tracked.get(key)
      if (entry === undefined) {
        entry = {
          ref: { pid: row.pid, startToken: row.startToken },
          name: row.name,
          cpuTimeMs: 0,
          history: new RingBuffer(this.historyLength),
          lastSeenMs: t,
          isLive: true
        }
        this.tracked.set(key, entry)
      }
      // A process that exec()s keeps its pid but changes its name: the latest name wins.
      entry.name = row.name
      entry.cpuTimeMs = Math.max(entry.cpuTimeMs, rates[i].cpuTimeMs)
      entry.lastSeenMs = t
      entry.isLive = true
      entry.history.push({ t, cpuPercent: nodes[i].cpuPercent, rssBytes: row.rssBytes })
    })
    this.forgetOldest()

    // Zombies are dead: they count neither towards the tree's size nor its memory.
    const live = rows.filter((row) => row.state !== 'zombie')
    this.peakProcessCount = Math.max(this.peakProcessCount, live.length)
    this.peakRssBytes = Math.max(this.peakRssBytes, live.reduce((sum, row) => sum + row.rssBytes, 0))
    this.current = nodes
    this.currentRefs = live.map((row) => ({ pid: row.pid, startToken: row.startToken }))
    this.emit('tree', nodes)
    return nodes
  }

  /** Keeps the history map bounded: forgets the processes gone longest. */
  private forgetOldest(): void {
    if (this.tracked.size <= this.maxTracked) return
    const gone = [...this.tracked.entries()].filter(([, entry]) => !entry.isLive).sort((a, b) => a[1].lastSeenMs - b[1].lastSeenMs)
    for (const [key, entry] of gone.slice(0, this.tracked.size - this.maxTracked)) {
      const totals = this.retired.get(entry.name) ?? { processes: 0, cpuMs: 0 }
      totals.processes += 1
      totals.cpuMs += entry.cpuTimeMs
      this.retired.set(entry.name, totals)
      this.tracked.delete(key)
    }
  }
}
