import { describe, expect, it } from 'vitest'
import { TaskDoneError, UnsupportedOperationError } from '../../../main/primitives/errors'
import { JoinableQueue } from '../../../main/primitives/joinable-queue'
import { Queue } from '../../../main/primitives/queue'
import { fakePool, settle } from './fake-host'

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
