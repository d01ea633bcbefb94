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
import type { SharedArrayStats } from '../main/primitives/core/primitive-stats'
import { SharedArray } from '../main/primitives/shared-memory/shared-array'
import type { SharedArrayHandle } from '../main/primitives/shared-memory/shared-array-like'
import { SharedValue, type SharedValueHandle, type SharedValueLike } from '../main/primitives/shared-memory/shared-value'
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

/**
 * Worker side: increments the counter, each time under the lock if `useLock`, and resolves to how
 * many increments it made. It keeps going until every one of the `racers` has made at least
 * `atLeast` (counted in `finished`), so the racers are all incrementing at the same time for at
 * least that long however far apart they started — a process that started early does more, not
 * alone. The total each made is the count the counter should reach.
 */
export async function incrementCounter(
  counterHandle: SharedValueHandle,
  finishedHandle: SharedValueHandle,
  racers: number,
  atLeast: number,
  useLock: boolean,
  gapMs: number
): Promise<number> {
  const counter = SharedValue.connect(counterHandle)
  const finished = SharedValue.connect(finishedHandle)
  let made = 0
  while (made < atLeast || (await finished.get()) < racers) {
    if (useLock) await counter.withLock(() => increment(counter, gapMs))
    else await increment(counter, gapMs)
    made++
    if (made === atLeast) await finished.withLock(async () => finished.set((await finished.get()) + 1))
  }
  return made
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
  params: (z) =>
    z
      .object({
        length: integer({ min: 1, max: 10_000, default: 10, description: 'Elements of the shared array (1 … length)' }),
        processes: integer({ min: 2, max: 32, default: 4, description: 'Processes incrementing the counter at once' }),
        increments: integer({
          // Enough overlapping increments that at least one collides, however the processes are scheduled.
          min: 10,
          max: 100_000,
          default: 50,
          description: 'Increments each process makes at least (early starters keep going until all have made this many)'
        }),
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
    const race = async (useLock: boolean) => {
      const label = useLock ? 'counter with lock' : 'counter without lock'
      const counter = new SharedValue({ backend, label })
      const finished = new SharedValue({ backend, label: `${label}: processes past ${increments}` })
      counter.attach(pool)
      finished.attach(pool)
      const made = await pool.starmap<number>(
        'shared-array:incrementCounter',
        Array.from({ length: processes }, () => [counter.handle, finished.handle, processes, increments, useLock, gapMs]),
        { chunksize: 1, signal: ctx.signal }
      )
      const expected = made.reduce((sum, n) => sum + n, 0)
      const count = await counter.get()
      const stats = counter.stats()
      counter.close()
      finished.close()
      ctx.log(`${useLock ? 'with' : 'without'} the lock: ${count} of ${expected} increments counted`)
      return { expected, count, made, stats }
    }
    const unlocked = await race(false)
    const locked = await race(true)
    const stats = { array: array.stats(), unlocked: unlocked.stats, locked: locked.stats } satisfies Record<string, SharedArrayStats>
    array.close()

    const raceShown = unlocked.count < unlocked.expected
    const failures: string[] = []
    if (doubler.exitCode !== 0) failures.push(`the doubling child failed${doubler.error ? `: ${doubler.error.message}` : ''}`)
    if (wrongElements > 0) failures.push(`${wrongElements} of ${length} elements were not doubled`)
    if (locked.count !== locked.expected) failures.push(`the locked counter reached ${locked.count}, not ${locked.expected}`)
    if (!raceShown) failures.push(`race not shown: the unlocked counter reached all ${unlocked.expected} this time`)

    return {
      result: {
        backend,
        before: original.slice(0, 20),
        after: doubled.slice(0, 20),
        arrayDoubled: wrongElements === 0,
        unlocked: { increments: unlocked.expected, counted: unlocked.count, lost: unlocked.expected - unlocked.count, perProcess: unlocked.made },
        locked: { increments: locked.expected, counted: locked.count, perProcess: locked.made },
        raceShown,
        stats
      },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `the parent sees all ${length} elements doubled by the child; with the lock ${locked.count} of ${locked.expected} ` +
              `increments counted (exact), without it ${unlocked.count} of ${unlocked.expected}: race shown, ` +
              `${unlocked.expected - unlocked.count} updates lost`
            : failures.join('; ')
      }
    }
  }
})
