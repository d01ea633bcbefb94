/**
 * Process-tree measurements read straight from Linux's /proc. Bench code only, Linux-only: on
 * other systems these throw, and the bench says so instead of guessing.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { parseStatLine } from '../main/platform/proc-stat'

/** The parent pid of every live process. */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const stat = readOrUndefined(`/proc/${pid}/stat`)
    if (!stat) continue
    // The command name (field 2) may hold spaces and parentheses; fields after the last ')' do not.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    parents.set(pid, Number(rest[1]))
  }
  return parents
}

/** `root` and all of its descendants alive now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const [pid, ppid] of parentPids()) {
    const list = children.get(ppid)
    if (list) list.push(pid)
    else children.set(ppid, [pid])
  }
  const tree = [root]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []))
  return tree
}

/** Resident set size of one process (VmRSS), bytes; 0 if it has gone. */
export function rssBytes(pid: number): number {
  const status = readOrUndefined(`/proc/${pid}/status`)
  const match = status && /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
  return match ? Number(match[1]) * 1024 : 0
}

/** Summed RSS of `root` and its descendants, bytes. Shared pages count once per process, as `ps` does. */
export function treeRssBytes(root: number): number {
  let total = 0
  for (const pid of processTree(root)) total += rssBytes(pid)
  return total
}

let ticksPerSecond: number | undefined

/** Clock ticks per second of /proc's CPU times: 100 on every mainstream Linux build. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }
  return ticksPerSecond
}

/** CPU time of a process so far, ms: its own and that of children it has already waited for. */
export function processCpuMs(pid: number): { selfMs: number; reapedChildrenMs: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14), in clock ticks.
  const tick = 1000 / clockTicks()
  return {
    selfMs: (Number(fields[11]) + Number(fields[12])) * tick,
    reapedChildrenMs: (Number(fields[13]) + Number(fields[14])) * tick
  }
}

/** Minor page faults of a process so far (`minflt`, field 10 of its stat line); `pid` may be `'self'`. */
export function minorFaults(pid: number | string): number {
  return Number(parseStatLine(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.fields[7])
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** Samples the tree's RSS every `everyMs` until stopped; reports the peak seen. */
export class RssSampler {
  #peak = 0
  #samples = 0
  readonly #timer: NodeJS.Timeout

  constructor(
    readonly root: number,
    everyMs = 50
  ) {
    this.#sample()
    this.#timer = setInterval(() => this.#sample(), everyMs)
  }

  #sample(): void {
    this.#peak = Math.max(this.#peak, treeRssBytes(this.root))
    this.#samples++
  }

  /** Takes a last sample and stops; returns the peak in bytes and how many samples it took. */
  stop(): { peakBytes: number; samples: number } {
    clearInterval(this.#timer)
    this.#sample()
    return { peakBytes: this.#peak, samples: this.#samples }
  }
}

/** CPU time all cores of the machine have spent busy since boot, ms (/proc/stat, steal included). */
export function machineBusyMs(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is inside user.
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number)
  return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1000) / clockTicks()
}

/**
 * How busy the rest of the machine was while `work` ran: CPU time of the machine minus this
 * process tree's (this process and every child it has waited for, which by then is all of them),
 * as % of all cores. On a shared VM this says whether other tenants competed with the bench.
 */
export async function measureForeignLoad<T>(work: () => Promise<T>): Promise<{ result: T; foreignPercent: number }> {
  const own = () => {
    const cpu = processCpuMs(process.pid)
    return cpu.selfMs + cpu.reapedChildrenMs
  }
  const machine0 = machineBusyMs()
  const own0 = own()
  const started = performance.now()
  const result = await work()
  const wallMs = performance.now() - started
  const foreignMs = machineBusyMs() - machine0 - (own() - own0)
  const cores = readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu\d/.test(l)).length
  return { result, foreignPercent: Math.max(0, (foreignMs / (wallMs * cores)) * 100) }
}
