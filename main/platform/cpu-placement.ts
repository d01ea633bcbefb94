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

/** Field 39 ("processor") of a stat line, as `parseStatLine` numbers the fields. */
const PROCESSOR_FIELD = 36
const SPACE = 0x20
const CLOSE_PAREN = 0x29
const DIGIT_0 = 0x30

/**
 * The CPU in the first `length` bytes of a `/proc/…/stat` file as read, or `undefined` where the
 * line has no such field. It allocates nothing: a worker that polls reads two of these up to a
 * thousand times a second, and splitting the line into its 52 fields had made a fifth of what such
 * a worker allocated (so, of its collections). The fields are counted from the last ')', which
 * ends the process name (which may hold spaces and parentheses, but in UTF-8 never a byte that
 * reads as either inside a longer character).
 */
export function processorOfStatBytes(bytes: Uint8Array, length: number): number | undefined {
  let i = length - 1
  while (i >= 0 && bytes[i] !== CLOSE_PAREN) i--
  if (i < 0) return undefined
  // ") " then the fields, one space apart: field n starts after n more spaces.
  i += 2
  for (let spaces = 0; spaces < PROCESSOR_FIELD; i++) {
    if (i >= length) return undefined
    if (bytes[i] === SPACE) spaces++
  }
  let cpu = 0
  let digits = 0
  for (; i < length && bytes[i] !== SPACE && bytes[i] !== 0x0a; i++, digits++) {
    const digit = bytes[i]! - DIGIT_0
    if (digit < 0 || digit > 9) return undefined
    cpu = cpu * 10 + digit
  }
  return digits > 0 ? cpu : undefined
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
      return processorOfStatBytes(buffer, readSync(fd, buffer, 0, buffer.length, 0))
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
