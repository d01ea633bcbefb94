/**
 * producer-consumer — producers put numbered items on one bounded queue, consumers take them until
 * a stop sentinel (or, in timeout mode, until the queue stays empty for a while). Every producer
 * and consumer is its own process. The parent samples the queue's depth as it fills and drains,
 * and checks that every item was consumed exactly once.
 */
import { QueueEmptyError } from '../main/primitives/core/errors'
import { JoinableQueue } from '../main/primitives/queue/queue'
import type { QueueStats } from '../main/primitives/core/primitive-stats'
import type { QueueHandle } from '../main/primitives/queue/queue-proxy'
import { currentWorker } from '../main/pool/worker-context'
import type { Process } from '../main/pool/process'
import { defineTask } from './task-definition'
import { choice, integer } from './params'

/** One item: which producer made it and its number in that producer's sequence. */
export interface Item {
  producer: number
  seq: number
}

/** The stop sentinel, Python's `None`: one per consumer, put after the last real item. */
export const SENTINEL = null

/** How a consumer runs. */
export interface ConsumerOptions {
  end: 'sentinel' | 'timeout'
  /** Timeout mode: stop once no item arrives for this long. */
  timeoutMs: number
  /** Simulated work per item, ms. */
  workMs: number
}

/** What a consumer took, and what stopped it. */
export interface ConsumerReport {
  name: string
  items: Item[]
  endedBy: 'sentinel' | 'timeout'
}

const pause = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve())

/** Worker side: puts `count` items numbered 0 … count−1; resolves once the last is accepted. */
export async function produce(handle: QueueHandle, producer: number, count: number): Promise<number> {
  const queue = JoinableQueue.connect<Item | null>(handle)
  for (let seq = 0; seq < count; seq++) await queue.put({ producer, seq })
  return count
}

/**
 * Worker side: takes items until the sentinel (or until none arrives within `timeoutMs`), marking
 * each done after its simulated work, and reports what it took.
 */
export async function consume(handle: QueueHandle, options: ConsumerOptions): Promise<ConsumerReport> {
  const queue = JoinableQueue.connect<Item | null>(handle)
  const items: Item[] = []
  for (;;) {
    let item: Item | null
    try {
      item = await queue.get(options.end === 'timeout' ? options.timeoutMs : undefined)
    } catch (error) {
      if (error instanceof QueueEmptyError) return { name: currentWorker().name, items, endedBy: 'timeout' }
      throw error
    }
    if (item === SENTINEL) {
      await queue.taskDone()
      return { name: currentWorker().name, items, endedBy: 'sentinel' }
    }
    await pause(options.workMs)
    items.push(item)
    await queue.taskDone()
  }
}

/** How often the parent samples the queue for the depth chart. */
const SAMPLE_EVERY_MS = 25
/** Keep the sampled series short enough to ship in a result. */
const MAX_SAMPLES = 400

export default defineTask({
  id: 'producer-consumer',
  title: 'Producers and consumers on a queue',
  description:
    'Producer processes put numbered items on one shared queue; consumer processes take them, simulate some work ' +
    'on each and mark it done. With a bound, producers wait whenever the queue is full, so its depth climbs to the ' +
    'bound and stays there while consumers lag. Consumers stop at a sentinel (one per consumer, put once every item ' +
    'is done) or, in timeout mode, when the queue stays empty. Every item must be consumed exactly once.',
  pattern: 'multiprocessing.Queue / JoinableQueue: put, get(timeout), sentinel, task_done, join',
  params: (z) =>
    z
      .object({
        producers: integer({ min: 1, max: 32, default: 2, description: 'Producer processes' }),
        consumers: integer({ min: 1, max: 32, default: 2, description: 'Consumer processes' }),
        itemsPerProducer: integer({ min: 1, max: 100_000, default: 100, description: 'Items each producer puts' }),
        maxsize: integer({ min: 0, max: 100_000, default: 10, description: 'Queue bound (0: unbounded)' }),
        workMs: integer({ min: 0, max: 1000, default: 2, description: 'Simulated work per item in a consumer, ms' }),
        end: choice(['sentinel', 'timeout'], { default: 'sentinel', description: 'How consumers stop: a sentinel each, or get() timing out' }),
        timeoutMs: integer({ min: 10, max: 60_000, default: 500, description: 'Timeout mode: how long an empty queue ends a consumer, ms' })
      })
      .strict(),
  async run(ctx) {
    const { producers, consumers, itemsPerProducer, maxsize, workMs, end, timeoutMs } = ctx.params
    const total = producers * itemsPerProducer
    const queue = new JoinableQueue<Item | null>({ maxsize, label: 'items' })
    const start = (target: string, args: unknown[], name: string): Process => {
      const child = ctx.createProcess({ target, args, name, backend: ctx.backend })
      // Attached before start, so the child's first call finds the queue, and the monitor lists it.
      queue.attach(child)
      child.start()
      return child
    }
    const consumerProcesses = Array.from({ length: consumers }, (_, i) =>
      start('producer-consumer:consume', [queue.handle, { end, timeoutMs, workMs } satisfies ConsumerOptions], `consumer-${i + 1}`)
    )
    const producerProcesses = Array.from({ length: producers }, (_, i) =>
      start('producer-consumer:produce', [queue.handle, i, itemsPerProducer], `producer-${i + 1}`)
    )

    const startedAt = performance.now()
    const depth: { atMs: number; depth: number }[] = []
    let lastLogAt = 0
    const sample = () => {
      const stats = queue.stats()
      const atMs = Math.round(performance.now() - startedAt)
      if (depth.length < MAX_SAMPLES) depth.push({ atMs, depth: stats.depth })
      ctx.progress(Math.min(stats.gets, total), total)
      if (atMs - lastLogAt >= 250) {
        lastLogAt = atMs
        ctx.log(`queue depth ${stats.depth}${maxsize ? `/${maxsize}` : ''}, put ${stats.puts}, taken ${stats.gets}, producers waiting ${stats.waitingPutters}`)
      }
    }
    const sampler = setInterval(sample, SAMPLE_EVERY_MS)
    const everyone = [...producerProcesses, ...consumerProcesses]
    // A stopped run must not wait on children that would otherwise wait for ever.
    const stop = () => everyone.forEach((p) => p.kill())
    ctx.signal.addEventListener('abort', stop, { once: true })
    const consumersGone = Promise.all(consumerProcesses.map((p) => p.join()))
    try {
      await Promise.all(producerProcesses.map((p) => p.join()))
      if (end === 'sentinel') {
        // Every item done first, so no sentinel overtakes an item still being worked on. Raced with
        // the consumers ending: a consumer that died holding an item would keep join() waiting.
        await Promise.race([queue.join(), consumersGone])
        for (let i = 0; i < consumers; i++) await Promise.race([queue.put(SENTINEL), consumersGone])
      }
      await consumersGone
    } finally {
      clearInterval(sampler)
      ctx.signal.removeEventListener('abort', stop)
    }
    sample()
    const stats = queue.stats()
    queue.close()

    const reports = consumerProcesses.map((p) => p.result as ConsumerReport | undefined)
    const seen = new Map<string, number>()
    for (const report of reports) for (const item of report?.items ?? []) seen.set(`${item.producer}:${item.seq}`, (seen.get(`${item.producer}:${item.seq}`) ?? 0) + 1)
    let missing = 0
    for (let producer = 0; producer < producers; producer++) {
      for (let seq = 0; seq < itemsPerProducer; seq++) if (!seen.has(`${producer}:${seq}`)) missing++
    }
    const duplicates = [...seen.values()].reduce((sum, times) => sum + times - 1, 0)
    const consumed = [...seen.values()].reduce((sum, times) => sum + times, 0)
    const failures: string[] = []
    for (const p of everyone) {
      if (p.exitCode !== 0) failures.push(`${p.name} failed${p.error ? `: ${p.error.message}` : ` (exit code ${p.exitCode}, signal ${p.signal})`}`)
    }
    if (missing > 0) failures.push(`${missing} of ${total} items were never consumed`)
    if (duplicates > 0) failures.push(`${duplicates} items were consumed more than once`)
    if (maxsize > 0 && stats.peakDepth > maxsize) failures.push(`the queue held ${stats.peakDepth} items, above its bound ${maxsize}`)
    if (end === 'sentinel' && reports.some((r) => r && r.endedBy !== 'sentinel')) failures.push('a consumer stopped before its sentinel')

    return {
      result: {
        producers,
        consumers,
        produced: total,
        consumed,
        missing,
        duplicates,
        perConsumer: reports.map((r, i) => ({ name: r?.name ?? consumerProcesses[i].name, items: r?.items.length ?? 0, endedBy: r?.endedBy })),
        maxsize,
        peakDepth: stats.peakDepth,
        queue: stats satisfies QueueStats,
        depth
      },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `all ${total} items consumed exactly once by ${consumers} consumer${consumers === 1 ? '' : 's'} ` +
              `(${reports.map((r) => r?.items.length ?? 0).join(' + ')}); peak depth ${stats.peakDepth}${maxsize ? ` of ${maxsize}` : ''}`
            : failures.join('; ')
      }
    }
  }
})
