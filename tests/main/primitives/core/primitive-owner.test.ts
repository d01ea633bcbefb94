import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, PrimitiveClosedError, UnsupportedOperationError } from '../../../../main/primitives/core/errors'
import { Queue } from '../../../../main/primitives/queue/queue'
import { fakePool } from '../fake-host'

describe('PrimitiveOwner', () => {
  it('gives every owner its own service name', () => {
    expect(new Queue().service).not.toBe(new Queue().service)
  })

  it('rejects a malformed call and an unknown method', async () => {
    const queue = new Queue()
    const fake = fakePool()
    queue.attach(fake.host)
    await expect(fake.call(queue.service, 'w', 'constructor')).rejects.toBeInstanceOf(UnsupportedOperationError)
    await expect(queue.invoke(42, [], { workerId: 0, workerName: 'w' })).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(queue.invoke('size', 'not a list', { workerId: 0, workerName: 'w' })).rejects.toBeInstanceOf(InvalidArgumentError)
  })

  it('answers calls when registered by hand through invoke()', async () => {
    const queue = new Queue<string>()
    await queue.put('x')
    await expect(queue.invoke('size', [], { workerId: 0, workerName: 'w' })).resolves.toBe(1)
  })

  it('returns the same detach for a second attach to the same host', () => {
    const queue = new Queue()
    const fake = fakePool()
    expect(queue.attach(fake.host)).toBe(queue.attach(fake.host))
  })

  it('detaches from every host and refuses new attachments once closed', () => {
    const queue = new Queue()
    const fake = fakePool()
    queue.attach(fake.host)
    queue.close()
    expect(fake.has(queue.service)).toBe(false)
    expect(queue.isClosed).toBe(true)
    expect(() => queue.attach(fakePool().host)).toThrow(PrimitiveClosedError)
  })
})
