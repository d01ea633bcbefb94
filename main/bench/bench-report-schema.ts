/**
 * The shape of a saved benchmark report, checked when a file is read back: history files live in
 * a user folder where they can be edited, truncated or left by another version.
 */
import { z } from 'zod'
import { backendSchema, type BenchReport } from '../../shared/contract'

const seriesStatsSchema = z.object({
  medianMs: z.number(),
  minMs: z.number(),
  maxMs: z.number(),
  meanMs: z.number(),
  stddevMs: z.number(),
  runsMs: z.array(z.number())
})

const coreBusy = z.array(z.number())

/** A stored report: everything but `file`, which is where it was found. */
export const storedBenchReportSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  task: z.string().optional(),
  command: z.string().optional(),
  params: z.record(z.string(), z.unknown()),
  backend: backendSchema.optional(),
  cores: z.number().int().min(1),
  baseline: seriesStatsSchema.extend({ coreBusyPercent: coreBusy }),
  results: z.array(
    seriesStatsSchema.extend({
      workers: z.number().int().min(1),
      speedup: z.number(),
      efficiency: z.number(),
      // JSON has no undefined: an absent Karp–Flatt (1 worker) is an absent key.
      karpFlatt: z.number().optional(),
      coreBusyPercent: coreBusy
    })
  ),
  amdahl: z.object({
    serialFraction: z.number(),
    projected: z.array(z.object({ workers: z.number(), speedup: z.number() }))
  }),
  warnings: z.array(z.string())
})

/**
 * Parses a stored report and restores the contract's exact shape (`karpFlatt` present, possibly
 * `undefined`).
 *
 * @throws z.ZodError when the data is not a report
 */
export function parseStoredBenchReport(data: unknown): Omit<BenchReport, 'file'> {
  const parsed = storedBenchReportSchema.parse(data)
  return {
    ...parsed,
    results: parsed.results.map((row) => ({ ...row, karpFlatt: row.karpFlatt }))
  }
}
