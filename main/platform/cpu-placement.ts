/**
 * Which CPU a thread last ran on, and whether two threads share one: a worker that answers quick
 * requests polls its channel instead of sleeping only when its pool's thread runs on another CPU
 * (`main/pool/worker-runtime.ts`). On Linux it reads field 39 ("processor") of
 * `/proc/<pid>/task/<tid>/stat` through file descriptors opened once (one `pread` per read);
 * elsewhere, or where that cannot be read, it answers `undefined` and the caller decides without it.
 *
 * Kept apart from `platform.ts` so the worker runtime can use it without loading systeminformation.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { parseStatLine } from './proc-stat'

/** Field 39 ("processor") of a stat line, as `parseStatLine` numbers the fields. */
const PROCESSOR_FIELD = 36

/** The CPU in a `/proc/…/stat` line, or `undefined` where the line has no such field. */
export function processorOfStat(line: string): number | undefined {
  const fields = parseStatLine(line)?.fields ?? []
  const cpu = Number(fields[PROCESSOR_FIELD])
  return fields.length > PROCESSOR_FIELD && Number.isInteger(cpu) && cpu >= 0 ? cpu : undefined
}

export interface CpuPlacement {
  /** Whether this thread and the other one last ran on the same CPU; `undefined` where unknown. */
  sharesCpu(): boolean | undefined
  close(): void
}

/**
 * Compares the calling thread's CPU with that of thread `tid` of process `pid` (a process's main
 * thread has `tid === pid`). `procRoot` is for tests.
 */
export function cpuPlacement(pid: number, tid = pid, procRoot = '/proc'): CpuPlacement {
  if (process.platform !== 'linux') return { sharesCpu: () => undefined, close: () => undefined }
  let self: number | undefined
  let other: number | undefined
  try {
    self = openSync(`${procRoot}/thread-self/stat`, 'r')
    other = openSync(`${procRoot}/${pid}/task/${tid}/stat`, 'r')
  } catch {
    if (self !== undefined) closeSync(self)
    return { sharesCpu: () => undefined, close: () => undefined }
  }
  const buffer = Buffer.alloc(1024)
  const cpuOf = (fd: number): number | undefined => {
    try {
      const length = readSync(fd, buffer, 0, buffer.length, 0)
      return processorOfStat(buffer.toString('latin1', 0, length))
    } catch {
      return undefined
    }
  }
  let open = true
  return {
    sharesCpu() {
      if (!open) return undefined
      const mine = cpuOf(self!)
      const theirs = cpuOf(other!)
      return mine === undefined || theirs === undefined ? undefined : mine === theirs
    },
    close() {
      if (!open) return
      open = false
      closeSync(self!)
      closeSync(other!)
    }
  }
}
