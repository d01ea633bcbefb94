import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { AtomicsLock } from '../../../../main/primitives/shared-memory/atomics-lock'
import { LockNotHeldError } from '../../../../main/primitives/core/errors'

const newCells = () => new Int32Array(new SharedArrayBuffer(AtomicsLock.CELLS * 4))

describe('AtomicsLock', () => {
  it('makes a second acquire wait for the release, without blocking the event loop', async () => {
    const lock = new AtomicsLock(newCells())
    expect(await lock.acquire()).toBe(true)
    let isSecondIn = false
    const second = lock.acquire().then(() => (isSecondIn = true))
    // The event loop still turns while the second acquire waits.
    await new Promise((resolve) => setImmediate(resolve))
    expect(isSecondIn).toBe(false)
    lock.release()
    await second
    expect(lock.stats()).toMatchObject({ isLocked: true, acquires: 2, contended: 1 })
  })

  it('gives up after its timeout, resolving false', async () => {
    const lock = new AtomicsLock(newCells())
    await lock.acquire()
    expect(await lock.acquire(0)).toBe(false)
    expect(await lock.acquire(5)).toBe(false)
  })

  it('rejects releasing a free lock', () => {
    expect(() => new AtomicsLock(newCells()).release()).toThrow(LockNotHeldError)
  })

  it('is the same lock in another thread that shares its memory', async () => {
    const cells = newCells()
    const lock = new AtomicsLock(cells)
    await lock.acquire()
    // A bare thread that takes the lock with the same futex protocol, then reports.
    const code = `
      const { workerData, parentPort } = require('node:worker_threads')
      const cells = new Int32Array(workerData)
      let state = Atomics.compareExchange(cells, 0, 0, 1)
      if (state !== 0) {
        if (state !== 2) state = Atomics.exchange(cells, 0, 2)
        while (state !== 0) { Atomics.wait(cells, 0, 2); state = Atomics.exchange(cells, 0, 2) }
      }
      parentPort.postMessage('got it')
    `
    const thread = new Worker(code, { eval: true, workerData: cells.buffer })
    let hasThreadGotIt = false
    const got = new Promise((resolve) => thread.once('message', resolve)).then(() => (hasThreadGotIt = true))
    // Wait until the thread has marked the lock contended: it is now asleep on it.
    while (Atomics.load(cells, 0) !== 2) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(hasThreadGotIt).toBe(false)
    lock.release()
    await got
    await thread.terminate()
  })
})
