import { describe, expect, it } from 'vitest'
import type { Backend } from '../../../../main/pool/types'
import {
  IndexOutOfRangeError,
  InvalidArgumentError,
  LockNotHeldError,
  NotInWorkerError,
  UnsupportedOperationError
} from '../../../../main/primitives/core/errors'
import { SharedArray } from '../../../../main/primitives/shared-memory/shared-array'
import { useProcesses } from '../../../helpers/pools'
import { fakePool, settle } from '../fake-host'

const backends: Backend[] = ['process', 'thread']

describe('SharedArray', () => {
  for (const backend of backends) {
    describe(`on the ${backend} backend`, () => {
      it('reads and writes elements with Python indexing, whole or one at a time', async () => {
        const array = new SharedArray({ values: [1, 2, 3], backend })
        expect(array.length).toBe(3)
        expect(await array.get(-1)).toBe(3)
        await array.set(0, 10)
        expect(await array.snapshot()).toEqual([10, 2, 3])
        await array.setAll([7, 8, 9])
        expect(await array.snapshot()).toEqual([7, 8, 9])
      })

      it('rejects an index past either end and a wrong-sized setAll', async () => {
        const array = new SharedArray({ length: 2, backend })
        await expect(array.get(2)).rejects.toBeInstanceOf(IndexOutOfRangeError)
        await expect(array.set(-3, 1)).rejects.toBeInstanceOf(IndexOutOfRangeError)
        await expect(array.setAll([1])).rejects.toBeInstanceOf(InvalidArgumentError)
      })

      it('stores values as its element type does: int32 wraps, float64 keeps fractions', async () => {
        const ints = new SharedArray({ type: 'int32', values: [2 ** 31], backend })
        const floats = new SharedArray({ type: 'float64', values: [0.5], backend })
        expect(await ints.get(0)).toBe(-(2 ** 31))
        expect(await floats.get(0)).toBe(0.5)
      })

      it('makes a second acquire wait until the first is released', async () => {
        const array = new SharedArray({ length: 1, backend })
        expect(await array.acquire()).toBe(true)
        let isSecondIn = false
        const second = array.acquire().then(() => (isSecondIn = true))
        await settle()
        expect(isSecondIn).toBe(false)
        expect(await array.acquire(10)).toBe(false)
        await array.release()
        await second
        expect(array.stats().lock).toMatchObject({ isLocked: true, acquires: 2 })
        await array.release()
        expect(array.stats().lock?.isLocked).toBe(false)
      })

      it('rejects releasing a lock nobody holds', async () => {
        await expect(new SharedArray({ length: 1, backend }).release()).rejects.toBeInstanceOf(LockNotHeldError)
      })

      it('has no lock when created with lock: false', async () => {
        const array = new SharedArray({ length: 1, lock: false, backend })
        expect(array.hasLock).toBe(false)
        await expect(array.acquire()).rejects.toBeInstanceOf(UnsupportedOperationError)
        expect(array.stats().lock).toBeUndefined()
      })

      it('counts reads and writes for the monitor', async () => {
        const array = new SharedArray({ length: 2, backend, label: 'numbers' })
        await array.set(0, 1)
        await array.get(0)
        expect(array.stats()).toMatchObject({ kind: 'shared-array', backend, type: 'int32', length: 2, reads: 1, writes: 1, label: 'numbers' })
      })
    })
  }

  it('refuses an unknown element type and a missing length by name', () => {
    expect(() => new SharedArray({ type: 'int64' as never, length: 1 })).toThrow(/type must be one of/)
    expect(() => new SharedArray({})).toThrow(/length/)
    expect(() => new SharedArray({ values: [1, 2], length: 3 })).toThrow(InvalidArgumentError)
  })

  it('connects to a thread-backend array anywhere its memory is, the parent included', async () => {
    const array = new SharedArray({ values: [1, 2], backend: 'thread' })
    const view = SharedArray.connect(array.handle)
    await view.set(1, 5)
    expect(await array.get(1)).toBe(5)
  })

  it('tells parent code that a process-backend array is reached from workers only', () => {
    expect(() => SharedArray.connect(new SharedArray({ length: 1 }).handle)).toThrow(NotInWorkerError)
  })

  it('releases the lock of a holder that dies, and grants it to the next in line', async () => {
    const array = new SharedArray({ length: 1 })
    const fake = fakePool()
    array.attach(fake.host)
    const token = await fake.call(array.service, 'w-1', 'acquire', null)
    expect(token).toBeGreaterThan(0)
    let isParentIn = false
    const parent = array.acquire().then(() => (isParentIn = true))
    await settle()
    expect(isParentIn).toBe(false)
    expect(array.stats().lock).toMatchObject({ holder: 'w-1', waiting: 1 })
    await fake.exit('w-1')
    await parent
    expect(array.stats().lock).toMatchObject({ holder: 'MainProcess', waiting: 0 })
  })

  it('refuses a release that does not present the holder’s grant', async () => {
    const array = new SharedArray({ length: 1 })
    const fake = fakePool()
    array.attach(fake.host)
    const token = (await fake.call(array.service, 'w-1', 'acquire', null)) as number
    await expect(fake.call(array.service, 'w-2', 'release', token + 1)).rejects.toBeInstanceOf(LockNotHeldError)
    await fake.call(array.service, 'w-1', 'release', token)
    expect(array.stats().lock?.isLocked).toBe(false)
  })
})

describe('SharedArray across processes and threads', () => {
  const openProcess = useProcesses()

  for (const backend of backends) {
    it(`shows the parent the elements a child ${backend} doubled in place`, async () => {
      const array = new SharedArray({ values: [1, 2, 3, 4], backend })
      const child = openProcess({ target: 'shared-array:doubleInPlace', args: [array.handle], backend })
      array.attach(child)
      child.start()
      await child.join()
      expect(child.exitCode).toBe(0)
      expect(child.result).toBeUndefined()
      expect(await array.snapshot()).toEqual([2, 4, 6, 8])
      expect(array.stats()).toMatchObject({ reads: 4 + 4, writes: 4 })
    })
  }

  it('refuses to hand a thread-backend array to a process, saying why', async () => {
    const array = new SharedArray({ values: [1], backend: 'thread' })
    const child = openProcess({ target: 'shared-array:doubleInPlace', args: [array.handle] })
    child.start()
    await child.join()
    expect(child.exitCode).toBe(1)
    expect(child.error?.message).toMatch(/backend 'thread'.*not worker processes/)
  })
})
