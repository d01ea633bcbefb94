import { describe, expect, it } from 'vitest'
import type { BenchResultRow } from '../../../../shared/contract'
import type { BenchAnalysis } from '../../../../main/bench/analysis/bench-analysis'
import { benchWarnings } from '../../../../main/bench/analysis/bench-warnings'
import { seriesStats } from '../../../../main/bench/analysis/statistics'

function row(workers: number, speedup: number, coreBusyPercent: number[], runsMs = [100, 100, 100]): BenchResultRow {
  return { workers, ...seriesStats(runsMs), speedup, efficiency: speedup / workers, karpFlatt: undefined, coreBusyPercent }
}

function analysis(results: BenchResultRow[], baselineBusy = [100, 0], baselineRuns = [200, 200, 200]): BenchAnalysis {
  return {
    baseline: { ...seriesStats(baselineRuns), coreBusyPercent: baselineBusy },
    results,
    amdahl: { serialFraction: 0, projected: [] }
  }
}

describe('benchWarnings', () => {
  it('explains a good speedup with how busy the cores were', () => {
    expect(benchWarnings(analysis([row(2, 1.93, [97, 97])]), 2)).toEqual(['2 workers, 1.93× — both cores 97 % busy'])
    expect(benchWarnings(analysis([row(8, 7.6, Array(8).fill(96))], [100, 0, 0, 0, 0, 0, 0, 0]), 8)).toEqual([
      '8 workers, 7.60× — all 8 cores 96 % busy'
    ])
  })

  it('measures busy share against the cores the workers could use', () => {
    expect(benchWarnings(analysis([row(2, 1.9, [95, 95, 0, 0])], [100, 0, 0, 0]), 4)).toEqual([
      '2 workers, 1.90× — the equivalent of 1.9 cores busy, 95 % of 2'
    ])
  })

  it('blames idle cores on tasks too small or serial work', () => {
    const [note] = benchWarnings(analysis([row(2, 1.2, [60, 60])]), 2)
    expect(note).toMatch(/^2 workers, 1\.20× — cores idle 40 %: the work is too small per task/)
  })

  it('points at overhead when the cores are busy but the speedup is low', () => {
    const [note] = benchWarnings(analysis([row(2, 1.1, [95, 95])]), 2)
    expect(note).toMatch(/^2 workers, 1\.10× — cores 95 % busy yet only 1\.10×: the extra CPU time goes to overhead/)
  })

  it('names the ceiling when there are more workers than cores', () => {
    const [note] = benchWarnings(analysis([row(4, 1.9, [96, 96])]), 2)
    expect(note).toBe('4 workers, 1.90× — both cores 96 % busy; 4 workers share 2 cores, so 2× is the ceiling')
  })

  it('calls out a superlinear speedup', () => {
    const [note] = benchWarnings(analysis([row(2, 2.5, [99, 99])]), 2)
    expect(note).toMatch(/^2 workers, 2\.50× — faster than 2× on 2 cores/)
  })

  it('explains a single worker slower than the baseline as pool overhead', () => {
    expect(benchWarnings(analysis([row(1, 0.8, [100, 0]), row(2, 1.9, [96, 96])]), 2)[0]).toBe(
      '1 worker, 0.80× — running through the pool costs 20 % against the single-process baseline (start-up and hand-off)'
    )
  })

  it('warns when the baseline kept more than one core busy', () => {
    const warnings = benchWarnings(analysis([row(2, 1.9, [96, 96])], [100, 90]), 2)
    expect(warnings[0]).toMatch(/^the baseline kept 1\.9 cores busy although it runs as one process/)
  })

  it('warns about outliers and wide spreads by series', () => {
    const warnings = benchWarnings(
      analysis([row(2, 1.9, [96, 96], [800, 790, 1234, 805, 810])], [100, 0], [1000, 1300, 1000]),
      2
    )
    expect(warnings).toContain('run 3 of 2 workers is an outlier (1234 ms vs median 805 ms)')
    expect(warnings.some((w) => w.startsWith('the baseline: runs spread widely (stddev 173 ms is 16 % of the mean 1100 ms)'))).toBe(true)
  })

  it('does not name a run an outlier for a deviation of a few percent, however small the MAD', () => {
    // MAD 0.1 ms: run 2's modified Z-score is about 13, yet it is only 1.2 % off the median.
    const warnings = benchWarnings(analysis([row(2, 1.9, [96, 96], [157, 159, 157.1])]), 2)
    expect(warnings.some((w) => w.includes('outlier'))).toBe(false)
  })

  it('says when there was nothing to fit Amdahl’s law to', () => {
    expect(benchWarnings(analysis([row(1, 1, [100])], [100]), 1)).toEqual([
      'no run could use more than one core, so the Amdahl fit has nothing to go on (serial fraction shown as 100 %)'
    ])
  })

  it('skips utilisation notes when core counters were not available', () => {
    expect(benchWarnings(analysis([row(2, 1.9, [])], []), 2)).toEqual([])
  })
})
