import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { SPAN_CAPACITY, useRunStore } from '../../../../renderer/src/stores/use-run-store'
import { runFinished, runUpdate, span, worker } from '../../fixtures'

describe('useRunStore', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('follows the run it was told about and records counters, workers and progress', () => {
    const run = useRunStore()
    run.begin('run-1', 'heavy-sum')
    expect(run.ingestUpdate(runUpdate({ at: 1000 }))).toBe(true)
    expect(run.ingestUpdate(runUpdate({ at: 1500, counters: { ...runUpdate().counters, completed: 5 } }))).toBe(true)
    expect(run.isLive).toBe(true)
    expect(run.workers).toHaveLength(2)
    expect(run.progress?.done).toBe(2)
    // Queue x is seconds since the first update; completed is the third series.
    expect(run.queue.series[2]!.map((p) => [p.x, p.y])).toEqual([
      [0, 2],
      [0.5, 5]
    ])
  })

  it('keeps the task’s queues and pipes as of the last update, and forgets them with the run', () => {
    const run = useRunStore()
    run.begin('run-1', 'producer-consumer')
    const queue = { service: 'queue-1', kind: 'queue' as const, label: 'items', depth: 4, peakDepth: 10, capacity: 10, throughput: 30, waiting: 1, isClosed: false }
    run.ingestUpdate(runUpdate({ primitives: [queue] }))
    run.ingestUpdate(runUpdate({ at: 1500, primitives: [{ ...queue, depth: 0 }] }))
    expect(run.primitives).toEqual([{ ...queue, depth: 0 }])
    run.reset(undefined, undefined)
    expect(run.primitives).toEqual([])
  })

  it('adopts a run whose updates arrive before the start reply, without resetting it afterwards', () => {
    const run = useRunStore()
    run.ingestUpdate(runUpdate({ runId: 'run-7', spans: [span(1, 0, 900, 1000)] }))
    run.begin('run-7', 'heavy-sum')
    expect(run.runId).toBe('run-7')
    expect(run.spans.length).toBe(1)
  })

  it('ignores updates of another run while its own is live', () => {
    const run = useRunStore()
    run.begin('run-1', 'heavy-sum')
    run.ingestUpdate(runUpdate())
    expect(run.ingestUpdate(runUpdate({ runId: 'run-2' }))).toBe(false)
    expect(run.runId).toBe('run-1')
  })

  it('moves on to a new run once the followed one has finished', () => {
    const run = useRunStore()
    run.begin('run-1', 'heavy-sum')
    run.ingestUpdate(runUpdate({ spans: [span(1, 0, 0, 1)] }))
    run.ingestFinished(runFinished())
    expect(run.isLive).toBe(false)
    expect(run.state).toBe('succeeded')
    expect(run.ingestUpdate(runUpdate({ runId: 'run-2', at: 5000 }))).toBe(true)
    expect(run.runId).toBe('run-2')
    expect(run.finished).toBeUndefined()
    expect(run.spans.length).toBe(0)
  })

  it('keeps a result that arrives before any update (a run shorter than one update)', () => {
    const run = useRunStore()
    run.ingestFinished(runFinished({ runId: 'run-3' }))
    run.begin('run-3', 'heavy-sum')
    expect(run.finished?.runId).toBe('run-3')
    expect(run.state).toBe('succeeded')
  })

  it('does not let a late update overwrite the final state', () => {
    const run = useRunStore()
    run.begin('run-1', 'heavy-sum')
    run.ingestFinished(runFinished({ state: 'stopped' }))
    run.ingestUpdate(runUpdate({ state: 'stopping' }))
    expect(run.state).toBe('stopped')
  })

  it('keeps at most SPAN_CAPACITY spans however many arrive', () => {
    const run = useRunStore()
    run.begin('run-1', 'heavy-sum')
    const batch = Array.from({ length: 5000 }, (_, i) => span(i, i % 4, i, i + 1))
    for (let i = 0; i < 6; i++) run.ingestUpdate(runUpdate({ at: 1000 + i, spans: batch, workers: [worker(0, { restarts: i })] }))
    expect(run.spans.length).toBe(SPAN_CAPACITY)
    expect(run.workers[0]!.restarts).toBe(5)
  })
})
