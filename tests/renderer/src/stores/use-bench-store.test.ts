import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { REPORT_CACHE_SIZE, useBenchStore } from '../../../../renderer/src/stores/use-bench-store'
import { benchReport } from '../../fixtures'

const progress = (benchId: string, done = 1) => ({ benchId, phase: 'run' as const, workers: 2, run: 1, of: 3, done, total: 12 })

describe('useBenchStore', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('tracks the running benchmark and shows its report when it finishes', () => {
    const bench = useBenchStore()
    bench.begin('b-1', 100)
    bench.ingestProgress(progress('b-1', 4))
    bench.ingestProgress(progress('other', 9))
    expect(bench.progress?.done).toBe(4)
    expect(bench.ingestFinished({ benchId: 'b-1', report: benchReport(), error: undefined })).toBe(true)
    expect(bench.isRunning).toBe(false)
    expect(bench.current?.id).toBe('b-1')
  })

  it('keeps the error of a benchmark that failed', () => {
    const bench = useBenchStore()
    bench.begin('b-2')
    bench.ingestFinished({ benchId: 'b-2', report: undefined, error: 'the command exited with code 2' })
    expect(bench.lastError).toBe('the command exited with code 2')
    expect(bench.current).toBeUndefined()
  })

  it('does not revive a benchmark whose start reply arrives after its end', () => {
    const bench = useBenchStore()
    bench.ingestFinished({ benchId: 'b-3', report: benchReport({ id: 'b-3' }), error: undefined })
    bench.begin('b-3')
    expect(bench.isRunning).toBe(false)
  })

  it('compares at most two reports, dropping the oldest choice', () => {
    const bench = useBenchStore()
    bench.toggleCompare('a')
    bench.toggleCompare('b')
    bench.toggleCompare('c')
    expect(bench.compareIds).toEqual(['b', 'c'])
    bench.toggleCompare('b')
    expect(bench.compareIds).toEqual(['c'])
  })

  it('caches a bounded number of reports, never evicting the one on show', () => {
    const bench = useBenchStore()
    bench.remember(benchReport({ id: 'keep' }))
    bench.show('keep')
    for (let i = 0; i < REPORT_CACHE_SIZE + 5; i++) bench.remember(benchReport({ id: `r-${i}` }))
    expect(bench.reports.size).toBe(REPORT_CACHE_SIZE)
    expect(bench.reports.has('keep')).toBe(true)
  })

  it('lists history newest first', () => {
    const bench = useBenchStore()
    bench.setHistory([
      { id: 'old', createdAt: '2026-01-01T00:00:00Z', title: 'a', bestSpeedup: 1, file: 'a' },
      { id: 'new', createdAt: '2026-02-01T00:00:00Z', title: 'b', bestSpeedup: 2, file: 'b' }
    ])
    expect(bench.history.map((h) => h.id)).toEqual(['new', 'old'])
  })
})
