import { describe, expect, it } from 'vitest'
import { LockNotHeldError, PrimitiveClosedError } from '../../../../main/primitives/core/errors'
import { FifoLock } from '../../../../main/primitives/shared-memory/fifo-lock'
import type { OwnerCaller } from '../../../../main/primitives/core/primitive-owner'

const caller = (key: string): OwnerCaller => ({ key, name: key, isParent: false })

describe('FifoLock', () => {
  it('grants the lock to waiters in the order they asked', async () => {
    const lock = new FifoLock()
    const order: string[] = []
    let token = (await lock.acquire(caller('a'), undefined)) as number
    const waiting = ['b', 'c', 'd'].map((key) => Promise.resolve(lock.acquire(caller(key), undefined)).then((t) => (order.push(key), t)))
    for (let i = 0; i < 3; i++) {
      lock.release(token)
      token = await waiting[i]
    }
    expect(order).toEqual(['b', 'c', 'd'])
    expect(lock.stats()).toMatchObject({ acquires: 4, contended: 3, waiting: 0, holder: 'd' })
  })

  it('resolves 0 when the wait times out, and at once for a timeout of 0', async () => {
    const lock = new FifoLock()
    await lock.acquire(caller('a'), undefined)
    expect(lock.acquire(caller('b'), 0)).toBe(0)
    await expect(lock.acquire(caller('b'), 5)).resolves.toBe(0)
    expect(lock.stats().waiting).toBe(0)
  })

  it('refuses a release with a stale or foreign token', async () => {
    const lock = new FifoLock()
    const token = (await lock.acquire(caller('a'), undefined)) as number
    expect(() => lock.release(token + 1)).toThrow(LockNotHeldError)
    lock.release(token)
    expect(() => lock.release(token)).toThrow(LockNotHeldError)
  })

  it('passes the lock on when its holder ends, and forgets the dead caller’s waits', async () => {
    const lock = new FifoLock()
    await lock.acquire(caller('dead'), undefined)
    void Promise.resolve(lock.acquire(caller('dead'), undefined)).catch(() => undefined)
    const next = lock.acquire(caller('next'), undefined)
    lock.callerExited('dead')
    expect(await next).toBeGreaterThan(0)
    expect(lock.stats()).toMatchObject({ holder: 'next', waiting: 0 })
  })

  it('fails every waiter when closed', async () => {
    const lock = new FifoLock()
    await lock.acquire(caller('a'), undefined)
    const waiting = lock.acquire(caller('b'), undefined)
    lock.close(new PrimitiveClosedError())
    await expect(waiting).rejects.toBeInstanceOf(PrimitiveClosedError)
  })
})
