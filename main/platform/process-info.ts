/**
 * What the platform module knows about an OS process. One shape for every source (Linux `/proc`,
 * `ps`, systeminformation), so nothing above `main/platform/` needs to know which one answered.
 */

/** A process's scheduler state, in words (the letters differ between Linux and BSD `ps`). */
export type ProcessState = 'running' | 'sleeping' | 'disk-sleep' | 'stopped' | 'zombie' | 'idle' | 'dead' | 'unknown'

/** What is needed to follow one process's CPU and memory over time. */
export interface ProcessUsage {
  pid: number
  /** User + system CPU time spent so far, ms; `undefined` where the source only gives a percentage. */
  cpuTimeMs: number | undefined
  /** The source's own CPU percentage (of one core), where it gives no cumulative time. */
  cpuPercent: number | undefined
  rssBytes: number
  /** How long the process has existed at the time of the reading, ms, where known. */
  ageMs: number | undefined
  /**
   * Differs between two processes that had the same pid one after the other (their start time, in
   * whatever form the source gives it). Compare for equality only.
   */
  startToken: string | undefined
  state: ProcessState
}

/** One row of the process table. */
export interface ProcessInfo extends ProcessUsage {
  ppid: number
  /** Process group id, where the source knows it (POSIX). */
  pgid: number | undefined
  /** Short executable name (Linux truncates it to 15 characters). */
  name: string
  /** Full command line, arguments joined by spaces; `[name]` for kernel threads and zombies. */
  command: string
}

/** Enough to recognise a process again later without mistaking a reused pid for it. */
export interface ProcessRef {
  pid: number
  startToken: string | undefined
}

/** What a person asks for; each platform maps it to its own mechanism. */
export type SignalAction = 'stop' | 'kill' | 'interrupt'

/** Physical memory, for the system monitor. */
export interface MemoryInfo {
  totalBytes: number
  /** Memory in use by processes: total minus what the OS could hand out without swapping. */
  usedBytes: number
}

/** Linux letters, see proc(5): `t` is stopped by a tracer, `I` an idle kernel thread. */
const linuxStates: Record<string, ProcessState> = {
  R: 'running',
  S: 'sleeping',
  D: 'disk-sleep',
  T: 'stopped',
  t: 'stopped',
  Z: 'zombie',
  X: 'dead',
  x: 'dead',
  I: 'idle',
  W: 'sleeping',
  P: 'sleeping'
}

/** BSD `ps` letters (macOS): `I` is a process asleep for more than 20 s, `U` an uninterruptible wait. */
const bsdStates: Record<string, ProcessState> = {
  R: 'running',
  S: 'sleeping',
  I: 'idle',
  U: 'disk-sleep',
  D: 'disk-sleep',
  T: 'stopped',
  Z: 'zombie'
}

/** Maps the first letter of a Linux `/proc/<pid>/stat` state (or procps `ps` STAT) to a word. */
export function stateFromLinuxLetter(letter: string): ProcessState {
  return linuxStates[letter.charAt(0)] ?? 'unknown'
}

/** Maps the first letter of a BSD `ps` STAT column to a word. */
export function stateFromBsdLetter(letter: string): ProcessState {
  return bsdStates[letter.charAt(0)] ?? 'unknown'
}
