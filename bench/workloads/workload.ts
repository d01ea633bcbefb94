/** What every workload module exports: a name and a function that measures and reports. */
import type { Section } from '../report'

export interface BenchContext {
  /** Runs per contender (`--runs`); slow peers may get fewer, and the section says so. */
  runs: number
  /** Workers per pool: 2, the cores of the machine the targets were set on. */
  workers: number
  log(message: string): void
}

export interface Workload {
  id: string
  title: string
  run(context: BenchContext): Promise<Section>
}

/** Runs for a slow contender: at most 3, so the whole bench stays within minutes. */
export function slowRuns(runs: number): number {
  return Math.min(runs, 3)
}

export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`)
}
