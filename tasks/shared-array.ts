/**
 * shared-array — shared numbers. A child doubles every element of a shared array in place and the
 * parent, which never receives a message with the numbers, sees them doubled. Then several
 * processes each increment one shared counter many times, first without the lock and then with
 * it: unlocked, each increment is a read, a pause and a write, so the processes overwrite each
 * other's increments and updates are lost; locked, the count comes out exact.
 *
 * On the process backend the numbers live in the parent and are reached by message; on the thread
 * backend they are real shared memory (see `main/primitives/shared-array.ts`).
 */
import { z } from 'zod'
import type { PrimitiveHost } from '../main/primitives/primitive-host'
import type { SharedArrayStats } from '../main/primitives/primitive-stats'
import { Queue } from '../main/primitives/queue'
import type { QueueHandle } from '../main/primitives/queue-proxy'
import { SharedArray } from '../main/primitives/shared-array'
import type { SharedArrayHandle } from '../main/primitives/shared-array-like'
import { SharedValue, type SharedValueHandle, type SharedValueLike } from '../main/primitives/shared-value'
import { defineTask } from './task-definition'
import { integer } from './params'

/** Worker side: doubles every element in place. Returns nothing: the parent reads the array itself. */
export async function doubleInPlace(handle: SharedArrayHandle): Promise<void> {
  const array = SharedArray.connect(handle)
  for (let i = 0; i < array.length; i++) await array.set(i, (await array.get(i)) * 2)
}

/**
 * One increment as a read-modify-write with a pause in the middle: the pause (and, on the
 * process backend, the messages themselves) lets other processes read the same old value before
 * this write lands — the race window, made wide on purpose so even two cores show it every run.
 */
async function increment(counter: SharedValueLike, gapMs: number): Promise<void> {
  const value = await counter.get()
  await new Promise((resolve) => setTimeout(resolve, gapMs))
  await counter.set(value + 1)
}

/** Where racing workers line up so that they start together: two queues, one each way. */
export interface StartGate {
  ready: QueueHandle
  go: QueueHandle
}

/**
 * Parent side: a gate for `count` workers of `host`. `open()` waits until every worker has said it
 * is ready, then lets them all go at once. Without it, one process can finish its loop before a
 * slower-starting one begins, and then nothing races at all.
 */
export function createStartGate(host: PrimitiveHost, count: number): { handle: StartGate; open(): Promise<void>; close(): void } {
  const ready = new Queue<number>({ label: 'ready' })
  const go = new Queue<number>({ label: 'go' })
  ready.attach(host)
  go.attach(host)
  return {
    handle: { ready: ready.handle, go: go.handle },
    async open() {
      for (let i = 0; i < count; i++) await ready.get()
      for (let i = 0; i < count; i++) await go.put(i)
    },
    close() {
      ready.close()
      go.close()
    }
  }
}

/**
 * Worker side: increments the counter `times` times, each under the lock if `useLock`; with a
 * `gate`, only once every racing worker is ready.
 */
export async function incrementCounter(handle: SharedValueHandle, times: number, useLock: boolean, gapMs: number, gate?: StartGate): Promise<void> {
  const counter = SharedValue.connect(handle)
  if (gate) {
    await Queue.connect(gate.ready).put(1)
    await Queue.connect(gate.go).get()
  }
  for (let i = 0; i < times; i++) {
    if (useLock) await counter.withLock(() => increment(counter, gapMs))
    else await increment(counter, gapMs)
  }
}

export default defineTask({
  id: 'shared-array',
  title: 'Shared array and a racing counter',
  description:
    'A child process doubles every element of a shared array in place, and the parent sees the doubled numbers ' +
    'without any message carrying them. Then several processes increment one shared counter at once, first ' +
    'without its lock: each increment reads, pauses and writes, so processes overwrite each other and updates are ' +
    'lost. With the lock held around each increment the count is exact. On the thread backend the numbers are ' +
    'real shared memory; on the process backend they live in the parent and are reached by message.',
  pattern: 'multiprocessing.Value / Array with and without get_lock()',
  params: z
    .object({
      length: integer({ min: 1, max: 10_000, default: 10, description: 'Elements of the shared array (1 … length)' }),
      processes: integer({ min: 2, max: 32, default: 4, description: 'Processes incrementing the counter at once' }),
      increments: integer({ min: 10, max: 100_000, default: 50, description: 'Increments by each process' }),
      gapMs: integer({ min: 1, max: 100, default: 1, description: 'Pause between reading and writing the counter, ms (the race window)' })
    })
    .strict(),
  async run(ctx) {
    const { length, processes, increments, gapMs } = ctx.params
    const backend = ctx.backend

    const original = Array.from({ length }, (_, i) => i + 1)
    const array = new SharedArray({ type: 'int32', values: original, backend, label: 'array' })
    const doubler = ctx.createProcess({ target: 'shared-array:doubleInPlace', args: [array.handle], name: 'doubler', backend })
    const stop = () => doubler.kill()
    ctx.signal.addEventListener('abort', stop, { once: true })
    try {
      array.attach(doubler)
      doubler.start()
      await doubler.join()
    } finally {
      ctx.signal.removeEventListener('abort', stop)
    }
    const doubled = await array.snapshot()
    const wrongElements = doubled.filter((value, i) => value !== original[i] * 2).length
    ctx.log(`after the child: [${doubled.slice(0, 8).join(', ')}${length > 8 ? ', …' : ''}]`)

    const pool = await ctx.createPool({ workers: processes })
    const unlocked = new SharedValue({ backend, label: 'counter without lock' })
    const locked = new SharedValue({ backend, label: 'counter with lock' })
    unlocked.attach(pool)
    locked.attach(pool)
    const expected = processes * increments
    const runAll = async (counter: SharedValue, useLock: boolean) => {
      const gate = createStartGate(pool, processes)
      try {
        const done = pool.starmap(
          'shared-array:incrementCounter',
          Array.from({ length: processes }, () => [counter.handle, increments, useLock, gapMs, gate.handle]),
          { chunksize: 1, signal: ctx.signal }
        )
        // Raced with the work itself, so a worker that fails before the gate fails the run.
        await Promise.race([gate.open(), done])
        await done
      } finally {
        gate.close()
      }
    }
    await runAll(unlocked, false)
    const unlockedCount = await unlocked.get()
    ctx.log(`without the lock: ${unlockedCount} of ${expected} (${expected - unlockedCount} updates lost)`)
    await runAll(locked, true)
    const lockedCount = await locked.get()
    ctx.log(`with the lock: ${lockedCount} of ${expected}`)
    const stats = { array: array.stats(), unlocked: unlocked.stats(), locked: locked.stats() } satisfies Record<string, SharedArrayStats>
    for (const owner of [array, unlocked, locked]) owner.close()

    const raceShown = unlockedCount < expected
    const failures: string[] = []
    if (doubler.exitCode !== 0) failures.push(`the doubling child failed${doubler.error ? `: ${doubler.error.message}` : ''}`)
    if (wrongElements > 0) failures.push(`${wrongElements} of ${length} elements were not doubled`)
    if (lockedCount !== expected) failures.push(`the locked counter reached ${lockedCount}, not ${expected}`)
    if (!raceShown) failures.push(`race not shown: the unlocked counter reached all ${expected} this time`)

    return {
      result: {
        backend,
        before: original.slice(0, 20),
        after: doubled.slice(0, 20),
        arrayDoubled: wrongElements === 0,
        expected,
        lockedCount,
        unlockedCount,
        lostUpdates: expected - unlockedCount,
        raceShown,
        stats
      },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `the parent sees all ${length} elements doubled by the child; with the lock ${lockedCount} of ${expected} ` +
              `(exact), without it ${unlockedCount} of ${expected}: race shown, ${expected - unlockedCount} updates lost`
            : failures.join('; ')
      }
    }
  }
})
