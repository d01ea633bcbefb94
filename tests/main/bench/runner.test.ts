import { describe, expect, it } from 'vitest'
import type { BenchProgress } from '../../../shared/contract'
import type { BenchTarget } from '../../../main/bench/targets/bench-target'
import { BASELINE_PROGRESS_WORKERS, defaultWorkerCounts, runBench, type BenchOptions } from '../../../main/bench/runner'

/**
 * A target on a fake clock: each call advances the clock by the duration the test scripts for it,
 * so run times are exact and nothing real is timed.
 */
function fakeTarget(durationMs: (workers: number | 'baseline', call: number) => number) {
  let nowMs = 0
  const calls: (number | 'baseline')[] = []
  const step = async (workers: number | 'baseline'): Promise<void> => {
    calls.push(workers)
    nowMs += durationMs(workers, calls.filter((c) => c === workers).length)
  }
  const target: BenchTarget = {
    describe: { command: 'job {workers}', params: {} },
    baseline: () => step('baseline'),
    run: (workers) => step(workers)
  }
  return { target, calls, clockMs: () => nowMs }
}

/** Options with everything injected: 2 cores, both 90 % busy in every window. */
function fakeOptions(clockMs: () => number, extra: BenchOptions = {}): BenchOptions {
  return {
    cores: 2,
    clockMs,
    now: () => new Date('2026-11-24T15:30:12.000Z'),
    startCoreUsage: () => ({ stop: () => [90, 90] }),
    benchId: 'bench-20261124-153012-ab12',
    ...extra
  }
}

describe('defaultWorkerCounts', () => {
  it('doubles from 1 up to the core count and ends on the core count', () => {
    expect(defaultWorkerCounts(1)).toEqual([1])
    expect(defaultWorkerCounts(2)).toEqual([1, 2])
    expect(defaultWorkerCounts(6)).toEqual([1, 2, 4, 6])
    expect(defaultWorkerCounts(8)).toEqual([1, 2, 4, 8])
  })
})

describe('runBench', () => {
  it('times the baseline and each worker count and derives speedup from the medians', async () => {
    const { target, clockMs } = fakeTarget((w) => (w === 'baseline' ? 1000 : 1000 / w))
    const report = await runBench(target, fakeOptions(clockMs, { workers: [1, 2], runs: 3, warmup: 0 }))

    expect(report.baseline.runsMs).toEqual([1000, 1000, 1000])
    expect(report.results.map((r) => r.workers)).toEqual([1, 2])
    expect(report.results.map((r) => r.medianMs)).toEqual([1000, 500])
    expect(report.results.map((r) => r.speedup)).toEqual([1, 2])
    expect(report.results.map((r) => r.efficiency)).toEqual([1, 1])
    expect(report.results[0].karpFlatt).toBeUndefined()
    expect(report.results[1].karpFlatt).toBeCloseTo(0, 12)
    expect(report.amdahl.serialFraction).toBeCloseTo(0, 6)
    expect(report.amdahl.projected.map((p) => p.workers)).toEqual([4, 8])
  })

  it('records what was run, on how many cores, and when', async () => {
    const { target, clockMs } = fakeTarget(() => 10)
    const report = await runBench(target, fakeOptions(clockMs, { workers: [2], runs: 1, warmup: 0 }))
    expect(report).toMatchObject({ createdAt: '2026-11-24T15:30:12.000Z', command: 'job {workers}', params: {}, cores: 2 })
    expect(report.baseline.coreBusyPercent).toEqual([90, 90])
    expect(report.results[0].coreBusyPercent).toEqual([90, 90])
  })

  it('runs warm-ups before the timed runs of every series and leaves them out of the statistics', async () => {
    // Warm-ups (the first call of each series) take 99 s; timed runs take 10 ms.
    const { target, calls, clockMs } = fakeTarget((_w, call) => (call === 1 ? 99_000 : 10))
    const report = await runBench(target, fakeOptions(clockMs, { workers: [1, 2], runs: 2, warmup: 1 }))
    expect(calls).toEqual(['baseline', 'baseline', 'baseline', 1, 1, 1, 2, 2, 2])
    expect(report.baseline.runsMs).toEqual([10, 10])
    expect(report.results.every((r) => r.maxMs === 10)).toBe(true)
  })

  it('measures each worker count once, in ascending order', async () => {
    const { target, calls, clockMs } = fakeTarget(() => 10)
    const report = await runBench(target, fakeOptions(clockMs, { workers: [4, 1, 4, 2], runs: 1, warmup: 0 }))
    expect(report.results.map((r) => r.workers)).toEqual([1, 2, 4])
    expect(calls).toEqual(['baseline', 1, 2, 4])
  })

  it('uses 1, 2, 4, … up to the core count when no worker counts are given', async () => {
    const { target, clockMs } = fakeTarget(() => 10)
    const report = await runBench(target, fakeOptions(clockMs, { cores: 6, runs: 1, warmup: 0 }))
    expect(report.results.map((r) => r.workers)).toEqual([1, 2, 4, 6])
  })

  it('reports progress as each run starts, counting every run including warm-ups', async () => {
    const { target, clockMs } = fakeTarget(() => 10)
    const events: BenchProgress[] = []
    await runBench(target, fakeOptions(clockMs, { workers: [2], runs: 2, warmup: 1, onProgress: (p) => events.push(p) }))

    expect(events.map((e) => [e.phase, e.workers, e.run, e.of, e.done])).toEqual([
      ['warmup', BASELINE_PROGRESS_WORKERS, 1, 1, 0],
      ['baseline', BASELINE_PROGRESS_WORKERS, 1, 2, 1],
      ['baseline', BASELINE_PROGRESS_WORKERS, 2, 2, 2],
      ['warmup', 2, 1, 1, 3],
      ['run', 2, 1, 2, 4],
      ['run', 2, 2, 2, 5]
    ])
    expect(events.every((e) => e.total === 6 && e.benchId === 'bench-20261124-153012-ab12')).toBe(true)
  })

  it('flags an outlying run in the warnings with its time and the median', async () => {
    const times = [800, 790, 1234, 805, 810]
    const { target, clockMs } = fakeTarget((w, call) => (w === 2 ? times[call - 1] : 1500))
    const report = await runBench(target, fakeOptions(clockMs, { workers: [2], runs: 5, warmup: 0 }))
    expect(report.warnings).toContain('run 3 of 2 workers is an outlier (1234 ms vs median 805 ms)')
  })

  it('stops at the next run when aborted and rejects with the abort reason', async () => {
    const controller = new AbortController()
    const { target, calls, clockMs } = fakeTarget((w) => {
      if (w === 2) controller.abort()
      return 10
    })
    const run = runBench(target, fakeOptions(clockMs, { workers: [2, 4], runs: 3, warmup: 0, signal: controller.signal }))
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
    expect(calls).toEqual(['baseline', 'baseline', 'baseline', 2])
  })

  it('passes its signal to the target so a running job can stop', async () => {
    const controller = new AbortController()
    const seen: AbortSignal[] = []
    const target: BenchTarget = {
      describe: { params: {} },
      baseline: async (signal) => {
        seen.push(signal)
      },
      run: async () => {}
    }
    let nowMs = 0
    await runBench(target, fakeOptions(() => ++nowMs, { workers: [1], runs: 1, warmup: 0, signal: controller.signal }))
    expect(seen).toEqual([controller.signal])
  })

  it.each([
    [0, 'baseline', 1, "the baseline's warm-up 1 of 1"],
    [1, 'baseline', 3, "the baseline's timed run 2 of 3"],
    [1, 2, 1, "2 workers' warm-up 1 of 1"],
    [1, 2, 4, "2 workers' timed run 3 of 3"],
    [1, 1, 3, "1 worker's timed run 2 of 3"]
  ] as const)(
    'a failing run rejects naming the run, with the target’s error as the cause (%#)',
    async (_index, failingWorkers, failingCall, label) => {
      const failure = new Error('exit 3')
      let calls = 0
      const maybeFail = async (workers: number | 'baseline') => {
        if (workers === failingWorkers && ++calls === failingCall) throw failure
      }
      const target: BenchTarget = { describe: { params: {} }, baseline: () => maybeFail('baseline'), run: (n) => maybeFail(n) }
      let nowMs = 0
      const run = runBench(target, fakeOptions(() => ++nowMs, { workers: [1, 2], runs: 3, warmup: 1 }))
      await expect(run).rejects.toThrow(`${label} failed: exit 3`)
      await expect(run).rejects.toMatchObject({ cause: failure })
    }
  )

  it('closes the target once at the end, whether the benchmark finished or failed', async () => {
    let closed = 0
    let shouldFail = false
    const target: BenchTarget = {
      describe: { params: {} },
      baseline: async () => {},
      run: async () => {
        if (shouldFail) throw new Error('exit 3')
      },
      close: async () => void closed++
    }
    let nowMs = 0
    await runBench(target, fakeOptions(() => ++nowMs, { workers: [1, 2], runs: 2, warmup: 1 }))
    expect(closed).toBe(1)
    shouldFail = true
    await expect(runBench(target, fakeOptions(() => ++nowMs, { workers: [2], runs: 1, warmup: 0 }))).rejects.toThrow('exit 3')
    expect(closed).toBe(2)
  })

  it('refuses impossible options by name', async () => {
    const { target, clockMs } = fakeTarget(() => 10)
    await expect(runBench(target, fakeOptions(clockMs, { runs: 0 }))).rejects.toThrow(/runs/)
    await expect(runBench(target, fakeOptions(clockMs, { warmup: -1 }))).rejects.toThrow(/warmup/)
    await expect(runBench(target, fakeOptions(clockMs, { workers: [0] }))).rejects.toThrow(/worker count/)
    await expect(runBench(target, fakeOptions(clockMs, { workers: [] }))).rejects.toThrow(/workers/)
  })

  it('runs real work with the real clock and core counters', async () => {
    let sink = 0
    const spin = async (): Promise<void> => {
      for (let i = 0; i < 1e5; i++) sink += i % 7
    }
    const report = await runBench({ describe: { params: {} }, baseline: spin, run: spin }, { workers: [1, 2], runs: 2, warmup: 0 })
    expect(sink).toBeGreaterThan(0)
    expect(report.results).toHaveLength(2)
    for (const row of [report.baseline, ...report.results]) {
      expect(row.runsMs).toHaveLength(2)
      expect(row.minMs).toBeGreaterThan(0)
      expect(row.coreBusyPercent.length).toBe(report.cores)
    }
  })
})
