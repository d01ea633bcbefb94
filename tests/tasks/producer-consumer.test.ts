import { describe, expect, it } from 'vitest'
import { parseTaskInput, TaskParamsError } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import type { QueueStats } from '../../main/primitives/core/primitive-stats'
import { workerScript } from '../helpers/paths'

interface ProducerConsumerResult {
  produced: number
  consumed: number
  missing: number
  duplicates: number
  perConsumer: { items: number; endedBy: string }[]
  peakDepth: number
  queue: QueueStats
  depth: { atMs: number; depth: number }[]
}

describe('producer-consumer', () => {
  it('consumes every item exactly once and stops each consumer at its sentinel', async () => {
    const run = await runTask({
      ...parseTaskInput('producer-consumer', { producers: 2, consumers: 3, itemsPerProducer: 30, maxsize: 4, workMs: 1 }),
      workers: 1,
      backend: 'process',
      workerScript
    })
    const result = run.result as ProducerConsumerResult
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect(result).toMatchObject({ produced: 60, consumed: 60, missing: 0, duplicates: 0 })
    expect(result.perConsumer.map((c) => c.endedBy)).toEqual(['sentinel', 'sentinel', 'sentinel'])
    expect(result.peakDepth).toBeLessThanOrEqual(4)
    // 60 items plus one sentinel per consumer went through the queue.
    expect(result.queue).toMatchObject({ puts: 63, gets: 63, depth: 0, unfinished: 0 })
    expect(result.depth.length).toBeGreaterThan(0)
  })

  it('ends consumers by get() timing out in timeout mode', async () => {
    const run = await runTask({
      ...parseTaskInput('producer-consumer', { producers: 1, consumers: 2, itemsPerProducer: 20, maxsize: 0, workMs: 0, end: 'timeout', timeoutMs: 2000 }),
      workers: 1,
      backend: 'process',
      workerScript
    })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect((run.result as ProducerConsumerResult).perConsumer.map((c) => c.endedBy)).toEqual(['timeout', 'timeout'])
  })

  it('passes its check with threads as producers and consumers', async () => {
    const run = await runTask({
      ...parseTaskInput('producer-consumer', { producers: 2, consumers: 2, itemsPerProducer: 20, workMs: 0 }),
      workers: 1,
      backend: 'thread',
      workerScript
    })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
  })

  it('rejects a negative bound, naming the parameter', () => {
    expect(() => parseTaskInput('producer-consumer', { maxsize: -1 })).toThrow(TaskParamsError)
    expect(() => parseTaskInput('producer-consumer', { maxsize: -1 })).toThrow(/maxsize/)
  })
})
