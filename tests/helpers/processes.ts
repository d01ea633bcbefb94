/**
 * Looking at OS processes from the outside: is a pid still running, which processes are a
 * parent's children, how much CPU one has used. Linux reads `/proc`; elsewhere a signal-0 probe.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

/** `/proc/<pid>/stat` fields after the command name: state is field 3, utime 14, stime 15. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/**
 * True while the process exists and has not exited. A zombie (exited, not yet reaped: orphans
 * here are adopted by a PID 1 that may never reap them) counts as gone.
 */
export function isRunning(pid: number): boolean {
  if (process.platform === 'linux') {
    const fields = procStat(pid)
    return fields !== undefined && fields[0] !== 'Z' && fields[0] !== 'X'
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** CPU time a process has used, in clock ticks (user + system); 0 once it is gone. */
export function cpuTicks(pid: number): number {
  const fields = procStat(pid)
  return fields ? Number(fields[11]) + Number(fields[12]) : 0
}

/** Pids of the live children of `ppid` whose command line contains `pattern`. */
export function childPids(ppid: number, pattern = ''): number[] {
  try {
    const args = ['-P', String(ppid), ...(pattern ? ['-f', pattern] : [])]
    return execFileSync('pgrep', args, { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter(isRunning)
  } catch {
    // pgrep exits 1 when nothing matches.
    return []
  }
}

/** Sends a signal, ignoring a process that is already gone. */
export function signalIfRunning(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // Already gone.
  }
}

/**
 * Files of this process open on a `/proc/…/stat`: a worker that reads where it runs keeps two open
 * (a thread worker in this process; a process worker's adapter, for the pool), closed when it ends.
 */
export function statFilesOpen(): number {
  let count = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (/^\/proc\/.*\/stat$/.test(readlinkSync(`/proc/self/fd/${fd}`))) count++
    } catch {
      // closed meanwhile
    }
  }
  return count
}
