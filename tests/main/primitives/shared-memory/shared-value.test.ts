import { describe, expect, it } from 'vitest'
import type { Backend } from '../../../../main/pool/types'
import { InvalidHandleError } from '../../../../main/primitives/core/errors'
import { SharedValue } from '../../../../main/primitives/shared-memory/shared-value'
import { usePools, useProcesses } from '../../../helpers/pools'
import { waitFor } from '../../../helpers/wait-for'

const STARTUP = { deadlineMs: 20_000 }
const backends: Backend[] = ['process', 'thread']

describe('SharedValue', () => {
  for (const backend of backends) {
    it(`reads, writes and guards one number on the ${backend} backend`, async () => {
      const value = new SharedValue({ value: 5, backend, type: 'float64' })
      expect(await value.get()).toBe(5)
      await value.set(2.5)
      expect(await value.withLock(async () => (await value.get()) * 2)).toBe(5)
      expect(value.stats()).toMatchObject({ kind: 'shared-value', backend, length: 1, lock: { isLocked: false, acquires: 1 } })
    })
  }

  it('connects in the parent to a thread-backend value, sharing its memory', async () => {
    const value = new SharedValue({ backend: 'thread' })
    await SharedValue.connect(value.handle).set(9)
    expect(await value.get()).toBe(9)
  })

  it('refuses a handle of something else', () => {
    expect(() => SharedValue.connect({ kind: 'queue', service: 'x' } as never)).toThrow(InvalidHandleError)
  })
})

describe('SharedValue counters across workers', () => {
  const openPool = usePools()
  const openProcess = useProcesses()
  const workers = 3
  const times = 20
  const sum = (numbers: number[]) => numbers.reduce((total, n) => total + n, 0)

  for (const backend of backends) {
    const kind = backend === 'process' ? 'processes' : 'threads'

    /** `workers` tasks each add 1 at least `times` times; what each made and what the counter says. */
    async function incrementTogether(isLocked: boolean): Promise<{ made: number[]; counted: number }> {
      const pool = openPool({ workers, backend })
      await pool.ready()
      const counter = new SharedValue({ backend })
      counter.attach(pool)
      const finished = new SharedValue({ backend })
      finished.attach(pool)
      const made = await pool.starmap<number>(
        'shared-array:incrementCounter',
        Array.from({ length: workers }, () => [counter.handle, finished.handle, workers, times, isLocked, 1]),
        { chunksize: 1 }
      )
      expect(made.every((n) => n >= times)).toBe(true)
      return { made, counted: await counter.get() }
    }

    it(`loses updates when ${workers} ${kind} increment without the lock`, async () => {
      const { made, counted } = await incrementTogether(false)
      expect(counted).toBeLessThan(sum(made))
    })

    it(`counts exactly when ${workers} ${kind} increment under the lock`, async () => {
      const { made, counted } = await incrementTogether(true)
      expect(counted).toBe(sum(made))
    })

    it(`keeps a ${backend === 'process' ? 'process' : 'thread'} out while the parent holds the lock`, async () => {
      const counter = new SharedValue({ backend })
      await counter.acquire()
      const finished = new SharedValue({ backend })
      const child = openProcess({ target: 'shared-array:incrementCounter', args: [counter.handle, finished.handle, 1, 3, true, 1], backend })
      counter.attach(child)
      finished.attach(child)
      child.start()
      // The child has reached the lock and is waiting on it: the process backend counts waiters,
      // shared memory counts contended acquires.
      await waitFor('the child to wait for the lock', () => (counter.stats().lock?.contended ?? 0) >= 1, STARTUP)
      expect(await counter.get()).toBe(0)
      expect(child.isAlive()).toBe(true)
      await counter.release()
      await child.join()
      expect(await counter.get()).toBe(3)
    })
  }
})

describe('SharedValue lock held by a process that dies', () => {
  const openProcess = useProcesses()

  it('is released when its holder is killed, and the parent gets it', async () => {
    const counter = new SharedValue()
    const finished = new SharedValue()
    // Long pauses inside the lock, and many increments: the child is almost always holding it.
    const child = openProcess({ target: 'shared-array:incrementCounter', args: [counter.handle, finished.handle, 1, 1000, true, 100], name: 'holder' })
    counter.attach(child)
    finished.attach(child)
    child.start()
    await waitFor('the child to hold the lock', () => counter.stats().lock?.holder === 'holder', STARTUP)
    child.kill()
    await child.join()
    expect(await counter.acquire()).toBe(true)
    expect(counter.stats().lock).toMatchObject({ holder: 'MainProcess', isLocked: true })
    await counter.release()
  })
})
