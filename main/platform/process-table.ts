import type { ProcessInfo, ProcessUsage } from './process-info'

/**
 * Picks the rows a caller cares about from a full table. Sources that pay extra for command lines
 * (Linux reads one more file per process) fill `command` only for the rows this returns.
 */
export type ProcessSelector = (all: readonly ProcessInfo[]) => ProcessInfo[]

/** One way of reading the OS process table. Each implementation lives in its own file. */
export interface ProcessTable {
  /** Which mechanism answers: shown in diagnostics and chosen between in tests. */
  readonly source: 'procfs' | 'ps' | 'systeminformation'
  /** Every process (or the ones `select` keeps, in its order), with command lines. */
  list(select?: ProcessSelector): Promise<ProcessInfo[]>
  /** CPU and memory of just these pids; pids that no longer exist are left out. */
  readUsage(pids: readonly number[]): Promise<ProcessUsage[]>
}
