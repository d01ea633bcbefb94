import { cpus } from 'node:os'
import type * as SystemInformation from 'systeminformation'
import type { ProcessInfo, ProcessState, ProcessUsage } from './process-info'
import type { ProcessSelector, ProcessTable } from './process-table'

/**
 * systeminformation, loaded on first use: only Windows (this table) and macOS (memory) read it, and
 * loading it took 21 ms of every CLI command's start on Linux, which never does.
 */
export async function loadSystemInformation(): Promise<typeof SystemInformation> {
  const loaded = (await import('systeminformation')) as typeof SystemInformation & { default?: typeof SystemInformation }
  return loaded.default ?? loaded
}

/**
 * Reads the process table through systeminformation: the path on Windows, where there is neither
 * `/proc` nor `ps`. It gives a CPU percentage (measured between its own calls) rather than
 * cumulative CPU time, no process groups, and each call lists every process (on Linux through
 * `ps` plus a shell reading every `/proc/<pid>/stat`: 13 ms of CPU here and 85 ms in its
 * children per call; through PowerShell on Windows), so it is the last resort. It also answers
 * calls less than 500 ms apart from a cache.
 */
export class SystemInformationTable implements ProcessTable {
  readonly source = 'systeminformation'

  async list(select?: ProcessSelector): Promise<ProcessInfo[]> {
    const data = await (await loadSystemInformation()).processes()
    const now = Date.now()
    // systeminformation divides by the whole machine (100 = every core busy); PoolScope's
    // percentages are of one core, as in top.
    const coreCount = Math.max(1, cpus().length)
    const all = data.list.map((p): ProcessInfo => {
      const startedAtMs = Date.parse(p.started)
      return {
        pid: p.pid,
        ppid: p.parentPid,
        pgid: undefined,
        name: p.name,
        command: [p.command, p.params].filter((part) => part.length > 0).join(' ') || `[${p.name}]`,
        state: toState(p.state),
        cpuTimeMs: undefined,
        cpuPercent: p.cpu * coreCount,
        rssBytes: p.memRss * 1024,
        ageMs: Number.isFinite(startedAtMs) ? Math.max(0, now - startedAtMs) : undefined,
        startToken: p.started || undefined
      }
    })
    return select === undefined ? all : select(all)
  }

  async readUsage(pids: readonly number[]): Promise<ProcessUsage[]> {
    const wanted = new Set(pids)
    return this.list((all) => all.filter((p) => wanted.has(p.pid)))
  }
}

function toState(state: string): ProcessState {
  switch (state) {
    case 'running':
    case 'sleeping':
    case 'stopped':
    case 'zombie':
      return state
    case 'blocked':
      return 'disk-sleep'
    default:
      return 'unknown'
  }
}
