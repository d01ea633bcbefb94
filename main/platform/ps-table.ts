import { execFile } from 'node:child_process'
import { stateFromBsdLetter, stateFromLinuxLetter, type ProcessInfo, type ProcessState, type ProcessUsage } from './process-info'
import type { ProcessSelector, ProcessTable } from './process-table'

/** Where `ps` is and how its STAT letters read; both vary by OS and tests pin them. */
export interface PsTableOptions {
  psPath?: string
  /** `bsd` on macOS and the BSDs, `linux` for procps. */
  dialect?: 'bsd' | 'linux'
}

/**
 * Reads the process table with POSIX `ps`: the macOS path, and the fallback on a Linux whose
 * `/proc` cannot be read.
 *
 * `comm` (the executable name) may contain spaces on macOS ("Google Chrome Helper"), so it cannot
 * share one line with `args` and is read by a second `ps` run, joined on pid. `lstart` is always
 * five words under `LC_ALL=C`, which keeps the line parseable before the free-form `args`.
 * procps prints `time` to the second and macOS to the hundredth, so CPU % from this table is
 * coarse on Linux.
 */
export class PsTable implements ProcessTable {
  readonly source = 'ps'
  private readonly psPath: string
  private readonly toState: (letter: string) => ProcessState
  /** BSD `comm` is the executable's path; procps `comm` is already a name (and may hold '/'). */
  private readonly toName: (comm: string) => string

  constructor(options: PsTableOptions = {}) {
    this.psPath = options.psPath ?? 'ps'
    const dialect = options.dialect ?? (process.platform === 'linux' ? 'linux' : 'bsd')
    this.toState = dialect === 'linux' ? stateFromLinuxLetter : stateFromBsdLetter
    this.toName = dialect === 'linux' ? (comm) => comm : basename
  }

  async list(select?: ProcessSelector): Promise<ProcessInfo[]> {
    const [rows, names] = await Promise.all([
      this.run(['-axww', '-o', ROW_COLUMNS]),
      this.run(['-axww', '-o', 'pid=,comm='])
    ])
    const nameByPid = parseNames(names, this.toName)
    const all = this.parseRows(rows, nameByPid)
    return select === undefined ? all : select(all)
  }

  async readUsage(pids: readonly number[]): Promise<ProcessUsage[]> {
    if (pids.length === 0) return []
    const out = await this.run(['-ww', '-o', ROW_COLUMNS, '-p', pids.join(',')])
    return this.parseRows(out, new Map())
  }

  private parseRows(text: string, nameByPid: Map<number, string>): ProcessInfo[] {
    const rows: ProcessInfo[] = []
    for (const line of text.split('\n')) {
      const m = ROW_PATTERN.exec(line)
      if (m === null) continue
      const pid = Number(m[1])
      const command = m[9]
      rows.push({
        pid,
        ppid: Number(m[2]),
        pgid: Number(m[3]),
        name: nameByPid.get(pid) ?? basename(command.split(' ')[0]),
        command,
        state: this.toState(m[4]),
        cpuTimeMs: parseDurationMs(m[6]),
        cpuPercent: undefined,
        rssBytes: Number(m[5]) * 1024,
        ageMs: parseDurationMs(m[7]),
        startToken: m[8]
      })
    }
    return rows
  }

  private run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        this.psPath,
        args,
        { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout) => {
          // `ps -p` exits 1 when none of the pids exists: that is an empty answer, not a failure.
          if (error !== null && !(typeof error.code === 'number' && error.code === 1)) reject(error)
          else resolve(stdout)
        }
      )
    })
  }
}

const ROW_COLUMNS = 'pid=,ppid=,pgid=,stat=,rss=,time=,etime=,lstart=,args='
// pid ppid pgid stat rss time etime, then lstart ("Tue Nov 24 06:15:08 2026"), then args.
const ROW_PATTERN =
  /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+\s+\S+\s+\d+\s+[\d:]+\s+\d+)\s?(.*)$/

function parseNames(text: string, toName: (comm: string) => string): Map<number, string> {
  const names = new Map<number, string>()
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s(.*)$/.exec(line)
    if (m !== null) names.set(Number(m[1]), toName(m[2].trim()))
  }
  return names
}

/** `[[dd-]hh:]mm:ss[.cc]` (both `time` and `etime`) → ms. */
export function parseDurationMs(text: string): number | undefined {
  const [days, clock] = text.includes('-') ? text.split('-', 2) : ['0', text]
  const parts = clock.split(':').map(Number)
  if (parts.some((n) => !Number.isFinite(n))) return undefined
  let seconds = 0
  for (const part of parts) seconds = seconds * 60 + part
  return (Number(days) * 86_400 + seconds) * 1000
}

function basename(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? path : path.slice(slash + 1)
}
