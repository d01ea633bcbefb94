import { describe, expect, it } from 'vitest'
import {
  InvalidArgumentError,
  InvalidHandleError,
  NotInWorkerError,
  PrimitiveClosedError,
  QueueEmptyError,
  QueueFullError,
  TaskDoneError,
  UnsupportedOperationError
} from '../../../../main/primitives/core/errors'
import { JoinableQueue, Queue } from '../../../../main/primitives/queue/queue'
import type { ConsumerReport, Item } from '../../../../tasks/producer-consumer'
import { usePools, useProcesses } from '../../../helpers/pools'
import { waitFor } from '../../../helpers/wait-for'
import { fakePool, settle } from '../fake-host'

/** Process start-up can be slow on a loaded machine: a wide safety net, never a speed measure. */
const STARTUP = { deadlineMs: 20_000 }

const keyOf = (item: Item) => `${item.producer}:${item.seq}`

describe('Queue in the parent', () => {
  it('hands items out in the order they were put', async () => {
    const queue = new Queue<number>()
    for (const n of [3, 1, 2]) await queue.put(n)
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual([3, 1, 2])
  })

  it('gives an item put later to a get that was already waiting', async () => {
    const queue = new Queue<string>()
    const waiting = queue.get()
    await settle()
    expect(queue.stats().waitingGetters).toBe(1)
    await queue.put('late')
    await expect(waiting).resolves.toBe('late')
  })

  it('rejects get with QueueEmptyError when nothing arrives within its timeout', async () => {
    const queue = new Queue()
    await expect(queue.get(20)).rejects.toBeInstanceOf(QueueEmptyError)
    expect(queue.stats().waitingGetters).toBe(0)
  })

  it('rejects get(0) on an empty queue at once', async () => {
    await expect(new Queue().get(0)).rejects.toBeInstanceOf(QueueEmptyError)
  })

  it('makes put wait while a bounded queue is full and lets it in once an item is taken', async () => {
    const queue = new Queue<number>({ maxsize: 2 })
    await queue.put(1)
    await queue.put(2)
    let isThirdIn = false
    const third = queue.put(3).then(() => (isThirdIn = true))
    await settle()
    expect(isThirdIn).toBe(false)
    expect(queue.stats()).toMatchObject({ depth: 2, waitingPutters: 1 })
    expect(await queue.get()).toBe(1)
    await third
    expect(queue.stats()).toMatchObject({ depth: 2, waitingPutters: 0, peakDepth: 2 })
    expect([await queue.get(), await queue.get()]).toEqual([2, 3])
  })

  it('rejects put with QueueFullError when the queue stays full for its timeout', async () => {
    const queue = new Queue({ maxsize: 1 })
    await queue.put('a')
    await expect(queue.put('b', 20)).rejects.toBeInstanceOf(QueueFullError)
    await expect(queue.put('b', 0)).rejects.toBeInstanceOf(QueueFullError)
    expect(queue.stats()).toMatchObject({ depth: 1, puts: 1, waitingPutters: 0 })
  })

  it('stores a copy, so changing an object after putting it does not change the item', async () => {
    const queue = new Queue<{ n: number }>()
    const item = { n: 1 }
    await queue.put(item)
    item.n = 2
    expect(await queue.get()).toEqual({ n: 1 })
  })

  it('counts puts, gets and depth for the monitor', async () => {
    const queue = new Queue({ label: 'jobs' })
    await queue.put(1)
    await queue.put(2)
    await queue.get()
    expect(queue.stats()).toMatchObject({ kind: 'queue', label: 'jobs', puts: 2, gets: 1, depth: 1, inFlight: 0, isJoinable: false })
  })

  it('refuses a bad bound and a bad timeout by name', async () => {
    expect(() => new Queue({ maxsize: -1 })).toThrow(InvalidArgumentError)
    expect(() => new Queue({ maxsize: -1 })).toThrow(/maxsize/)
    await expect(new Queue().get(-5)).rejects.toThrow(/timeoutMs/)
  })

  it('has no taskDone or join unless it is joinable', async () => {
    const queue = new Queue()
    const fake = fakePool()
    queue.attach(fake.host)
    await expect(fake.call(queue.service, 'w', 'taskDone')).rejects.toBeInstanceOf(UnsupportedOperationError)
  })

  it('fails waiting calls with PrimitiveClosedError when closed, and every later call too', async () => {
    const queue = new Queue()
    const waiting = queue.get()
    queue.close()
    await expect(waiting).rejects.toBeInstanceOf(PrimitiveClosedError)
    await expect(queue.put(1)).rejects.toBeInstanceOf(PrimitiveClosedError)
  })

  it('tells parent code that connect() is for workers', () => {
    const queue = new Queue()
    expect(() => Queue.connect(queue.handle)).toThrow(NotInWorkerError)
    expect(() => Queue.connect({ kind: 'pipe-end' } as never)).toThrow(InvalidHandleError)
  })
})

describe('Queue deliveries to workers', () => {
  it('gives an item back to the front of the queue when the worker it was handed to dies before confirming it', async () => {
    const queue = new Queue<string>()
    const fake = fakePool()
    queue.attach(fake.host)
    for (const item of ['a', 'b', 'c']) await queue.put(item)
    // Handed to w-1 (the reply left) but never confirmed: w-1 died before reading it.
    expect(await fake.call(queue.service, 'w-1', 'get')).toEqual({ deliveryId: expect.any(Number), item: 'a' })
    expect(await fake.call(queue.service, 'w-1', 'get')).toMatchObject({ item: 'b' })
    expect(queue.stats()).toMatchObject({ inFlight: 2, gets: 2, depth: 1 })
    await fake.exit('w-1')
    expect(queue.stats()).toMatchObject({ inFlight: 0, requeued: 2, gets: 0, depth: 3 })
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual(['a', 'b', 'c'])
  })

  it('keeps an item the worker confirmed, even when that worker dies afterwards', async () => {
    const queue = new Queue<string>()
    const fake = fakePool()
    queue.attach(fake.host)
    await queue.put('taken')
    const { deliveryId } = (await fake.call(queue.service, 'w-1', 'get')) as { deliveryId: number }
    await fake.call(queue.service, 'w-1', 'ack', deliveryId)
    await fake.exit('w-1')
    expect(queue.stats()).toMatchObject({ inFlight: 0, requeued: 0, gets: 1, depth: 0 })
  })

  it('ignores a confirmation from a worker the item was not handed to', async () => {
    const queue = new Queue<string>()
    const fake = fakePool()
    queue.attach(fake.host)
    await queue.put('x')
    const { deliveryId } = (await fake.call(queue.service, 'w-1', 'get')) as { deliveryId: number }
    await fake.call(queue.service, 'w-2', 'ack', deliveryId)
    await fake.exit('w-1')
    expect(queue.stats()).toMatchObject({ requeued: 1, depth: 1 })
  })

  it('drops the waiting get of a worker that died, so the next item goes to a live consumer', async () => {
    const queue = new Queue<string>()
    const fake = fakePool()
    queue.attach(fake.host)
    void fake.call(queue.service, 'w-1', 'get').catch(() => undefined)
    await settle()
    expect(queue.stats().waitingGetters).toBe(1)
    await fake.exit('w-1')
    expect(queue.stats().waitingGetters).toBe(0)
    await queue.put('next')
    expect(await queue.get(0)).toBe('next')
  })

  it('drops the blocked put of a worker that died: that item was never put', async () => {
    const queue = new Queue<string>({ maxsize: 1 })
    const fake = fakePool()
    queue.attach(fake.host)
    await queue.put('first')
    void fake.call(queue.service, 'w-1', 'put', 'never').catch(() => undefined)
    await settle()
    await fake.exit('w-1')
    expect(await queue.get()).toBe('first')
    await expect(queue.get(0)).rejects.toBeInstanceOf(QueueEmptyError)
    expect(queue.stats()).toMatchObject({ puts: 1, waitingPutters: 0 })
  })

  it('tells apart workers of two hosts that share a name', async () => {
    const queue = new Queue<string>()
    const first = fakePool()
    const second = fakePool()
    queue.attach(first.host)
    queue.attach(second.host)
    await queue.put('for-first')
    await queue.put('for-second')
    await first.call(queue.service, 'PoolWorker-1', 'get')
    const { deliveryId } = (await second.call(queue.service, 'PoolWorker-1', 'get')) as { deliveryId: number }
    await second.call(queue.service, 'PoolWorker-1', 'ack', deliveryId)
    await first.exit('PoolWorker-1')
    expect(queue.stats()).toMatchObject({ requeued: 1, depth: 1 })
    expect(await queue.get()).toBe('for-first')
  })

  it('stops answering a host once detached', async () => {
    const queue = new Queue()
    const fake = fakePool()
    const detach = queue.attach(fake.host)
    expect(fake.has(queue.service)).toBe(true)
    detach()
    expect(fake.has(queue.service)).toBe(false)
  })
})

describe('Queue across processes', () => {
  const openProcess = useProcesses()

  it('delivers every item exactly once with three producers and three consumers in their own processes', async () => {
    const queue = new JoinableQueue<Item | null>({ maxsize: 5 })
    const start = (target: string, args: unknown[]) => {
      const child = openProcess({ target, args })
      queue.attach(child)
      child.start()
      return child
    }
    const consumers = [0, 1, 2].map(() => start('producer-consumer:consume', [queue.handle, { end: 'sentinel', timeoutMs: 0, workMs: 0 }]))
    const producers = [0, 1, 2].map((i) => start('producer-consumer:produce', [queue.handle, i, 40]))
    await Promise.all(producers.map((p) => p.join()))
    await queue.join()
    for (const _ of consumers) await queue.put(null)
    await Promise.all(consumers.map((p) => p.join()))

    const taken = consumers.flatMap((c) => (c.result as ConsumerReport).items.map(keyOf))
    const expected = [0, 1, 2].flatMap((producer) => Array.from({ length: 40 }, (_, seq) => `${producer}:${seq}`))
    expect(taken.sort()).toEqual(expected.sort())
    expect(queue.stats()).toMatchObject({ puts: 123, gets: 123, depth: 0, inFlight: 0, unfinished: 0 })
    expect(queue.stats().peakDepth).toBeLessThanOrEqual(5)
  })

  it('keeps each producer’s items in the order it put them', async () => {
    const queue = new JoinableQueue<Item | null>()
    const producer = openProcess({ target: 'producer-consumer:produce', args: [queue.handle, 7, 30] })
    queue.attach(producer)
    producer.start()
    await producer.join()
    const seqs: number[] = []
    for (let i = 0; i < 30; i++) seqs.push(((await queue.get()) as Item).seq)
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i))
  })

  it('makes a producer process wait on a full queue until the parent takes items', async () => {
    const queue = new JoinableQueue<Item | null>({ maxsize: 2 })
    const producer = openProcess({ target: 'producer-consumer:produce', args: [queue.handle, 0, 5] })
    queue.attach(producer)
    producer.start()
    await waitFor('the producer to block on the full queue', () => queue.stats().waitingPutters === 1, STARTUP)
    expect(queue.stats().depth).toBe(2)
    expect(producer.isAlive()).toBe(true)
    const seqs: number[] = []
    for (let i = 0; i < 5; i++) seqs.push(((await queue.get()) as Item).seq)
    await producer.join()
    expect(seqs).toEqual([0, 1, 2, 3, 4])
    expect(producer.result).toBe(5)
  })

  it('lets a worker catch a get timeout as QueueEmptyError', async () => {
    const queue = new JoinableQueue<Item | null>()
    const consumer = openProcess({ target: 'producer-consumer:consume', args: [queue.handle, { end: 'timeout', timeoutMs: 50, workMs: 0 }] })
    queue.attach(consumer)
    consumer.start()
    await consumer.join()
    expect(consumer.result).toMatchObject({ items: [], endedBy: 'timeout' })
  })

  it('loses no item when a consumer blocked in get is killed: the next consumer receives it', async () => {
    const queue = new JoinableQueue<Item | null>()
    const options = { end: 'sentinel', timeoutMs: 0, workMs: 0 }
    const doomed = openProcess({ target: 'producer-consumer:consume', args: [queue.handle, options] })
    queue.attach(doomed)
    doomed.start()
    await waitFor('the consumer to wait in get', () => queue.stats().waitingGetters === 1, STARTUP)
    doomed.kill()
    await doomed.join()
    await waitFor('the dead consumer’s get to be dropped', () => queue.stats().waitingGetters === 0)

    await queue.put({ producer: 0, seq: 0 })
    const survivor = openProcess({ target: 'producer-consumer:consume', args: [queue.handle, options] })
    queue.attach(survivor)
    survivor.start()
    await queue.put(null)
    await survivor.join()
    expect((survivor.result as ConsumerReport).items).toEqual([{ producer: 0, seq: 0 }])
    expect(queue.stats()).toMatchObject({ gets: 2, depth: 0, inFlight: 0 })
  })
})

describe('Queue across threads', () => {
  const openPool = usePools()

  it('delivers every item exactly once between producer and consumer threads', async () => {
    const pool = openPool({ backend: 'thread', workers: 4 })
    const queue = new JoinableQueue<Item | null>({ maxsize: 3 })
    queue.attach(pool)
    const consumers = [0, 1].map(() => pool.apply<ConsumerReport>('producer-consumer:consume', [queue.handle, { end: 'sentinel', timeoutMs: 0, workMs: 0 }]))
    await Promise.all([0, 1].map((i) => pool.apply('producer-consumer:produce', [queue.handle, i, 25])))
    await queue.join()
    await queue.put(null)
    await queue.put(null)
    const taken = (await Promise.all(consumers)).flatMap((report) => report.items.map(keyOf))
    expect(taken).toHaveLength(50)
    expect(new Set(taken).size).toBe(50)
  })
})

describe('JoinableQueue', () => {
  it('resolves join() only once every item put has been marked done', async () => {
    const queue = new JoinableQueue<number>()
    await queue.put(1)
    await queue.put(2)
    let isJoined = false
    const joined = queue.join().then(() => (isJoined = true))
    await queue.get()
    await queue.get()
    await queue.taskDone()
    await settle()
    expect(isJoined).toBe(false)
    expect(queue.stats().unfinished).toBe(1)
    await queue.taskDone()
    await joined
    expect(queue.stats().unfinished).toBe(0)
  })

  it('resolves join() at once when nothing is unfinished', async () => {
    await expect(new JoinableQueue().join()).resolves.toBeUndefined()
  })

  it('rejects taskDone() called more times than items were put with TaskDoneError', async () => {
    const queue = new JoinableQueue<number>()
    await queue.put(1)
    await queue.get()
    await queue.taskDone()
    await expect(queue.taskDone()).rejects.toBeInstanceOf(TaskDoneError)
  })

  it('keeps an item given back from a dead consumer unfinished until someone receives and finishes it', async () => {
    const queue = new JoinableQueue<string>()
    const fake = fakePool()
    queue.attach(fake.host)
    await queue.put('job')
    await fake.call(queue.service, 'w-1', 'get')
    await fake.exit('w-1')
    expect(queue.stats()).toMatchObject({ unfinished: 1, requeued: 1, depth: 1 })
    expect(await queue.get()).toBe('job')
    await queue.taskDone()
    await expect(queue.join()).resolves.toBeUndefined()
  })

  it('drops the join() of a worker that died', async () => {
    const queue = new JoinableQueue<string>()
    const fake = fakePool()
    queue.attach(fake.host)
    await queue.put('job')
    const joinFromWorker = fake.call(queue.service, 'w-1', 'join').catch((error: Error) => error)
    await fake.exit('w-1')
    expect(await joinFromWorker).toMatchObject({ message: expect.stringMatching(/ended/) })
  })

  it('refuses a joinable connect for a plain queue’s handle', () => {
    expect(() => JoinableQueue.connect(new Queue().handle)).toThrow(UnsupportedOperationError)
  })

  it('says in its handle and stats that it is joinable', () => {
    const queue = new JoinableQueue({ maxsize: 4 })
    expect(queue.handle).toEqual({ kind: 'queue', service: queue.service, isJoinable: true, maxsize: 4 })
    expect(queue.stats().isJoinable).toBe(true)
  })
})
