import { getEventListeners } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  InvalidOptionError,
  InvalidStateError,
  PoolClosedError,
  PoolTerminatedError,
  ResultTimeoutError,
  TaskAbortedError,
  TaskDataError,
  TaskFailedError,
  TaskTimeoutError,
  WorkerCrashedError,
  WorkerStartError
} from '../../../main/pool/errors'
import { Pool } from '../../../main/pool/pool'
import { ProcessAdapter } from '../../../main/pool/process-adapter'
import type { WorkerBackend } from '../../../main/pool/worker-adapter'
import type { PoolOptions, UnitSpan, WorkerSnapshot } from '../../../main/pool/types'
import { fixtureFn, poolFixture, workerScript } from '../../helpers/paths'
import { createGate, usePools } from '../../helpers/pools'
import { isRunning } from '../../helpers/processes'
import { waitFor } from '../../helpers/wait-for'

const echo = fixtureFn('echo.cjs', 'echo')
const double = fixtureFn('echo.cjs', 'double')
const add = fixtureFn('echo.cjs', 'add')
const argsOf = fixtureFn('echo.cjs', 'argsOf')
const toNumber = fixtureFn('echo.cjs', 'toNumber')
const byLowBits = fixtureFn('echo.cjs', 'byLowBits')
const receiver = fixtureFn('echo.cjs', 'receiver')
const busy = fixtureFn('echo.cjs', 'busy')
const workerPid = fixtureFn('echo.cjs', 'pid')
const sleep = fixtureFn('sleep.cjs', 'sleep')
const throwError = fixtureFn('throw.cjs', 'throwError')
const rejectError = fixtureFn('throw.cjs', 'rejectError')
const failOn = fixtureFn('throw.cjs', 'failOn')
const failOnSix = fixtureFn('throw.cjs', 'failOnSix')
const exitWith = fixtureFn('crash.cjs', 'exitWith')
const killSelf = fixtureFn('crash.cjs', 'killSelf')
const crashOnce = fixtureFn('crash-once.cjs', 'crashOnce')
const hang = fixtureFn('hang.cjs', 'hang')
const spin = fixtureFn('hang.cjs', 'spin')
const flood = fixtureFn('flood-stdout.cjs', 'flood')
const init = fixtureFn('initializer.cjs', 'init')
const readInit = fixtureFn('initializer.cjs', 'readInit')
const failInit = fixtureFn('initializer.cjs', 'failInit')
const hasLoaded = fixtureFn('loaded.cjs', 'hasLoaded')
const gated = fixtureFn('context.cjs', 'gated')
const bigint = fixtureFn('echo.cjs', 'bigint')
const aFunction = fixtureFn('echo.cjs', 'aFunction')
const numbered = fixtureFn('sequence.cjs', 'numbered')
const sometimesAsync = fixtureFn('sequence.cjs', 'sometimesAsync')

const openPool = usePools()

const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const pidsOf = (pool: Pool) => pool.snapshot().workers.map((w) => w.pid)

/** The error a promise rejects with (fails the test if it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the promise to reject, but it resolved')
}

function thrownBy(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

describe('apply, map and starmap', () => {
  it('apply runs the function in another process and resolves to its return value', async () => {
    const pool = openPool()
    expect(await pool.apply(add, [2, 3])).toBe(5)
    expect(await pool.apply(argsOf, [1, 'two', { three: [3] }, null])).toEqual([1, 'two', { three: [3] }, null])
    const pid = await pool.apply<number>(workerPid)
    expect(pid).not.toBe(process.pid)
    expect(pidsOf(pool)).toContain(pid)
  })

  it('awaits task functions that return a promise', async () => {
    const pool = openPool()
    expect(await pool.apply(sleep, [5, 'slept'])).toBe('slept')
  })

  it('map returns one result per input, in input order', async () => {
    const pool = openPool()
    expect(await pool.map(double, range(50))).toEqual(range(50).map((x) => x * 2))
  })

  it('map accepts any iterable: a Set, a generator', async () => {
    const pool = openPool()
    function* odds() {
      for (let x = 1; x < 10; x += 2) yield x
    }
    expect(await pool.map(double, new Set([3, 1, 2]))).toEqual([6, 2, 4])
    expect(await pool.map(double, odds())).toEqual([2, 6, 10, 14, 18])
  })

  it('map over no inputs resolves to an empty array without submitting work', async () => {
    const pool = openPool()
    expect(await pool.map(double, [])).toEqual([])
    expect(pool.snapshot().submitted).toBe(0)
  })

  it('starmap spreads each argument list over the parameters, results in input order', async () => {
    const pool = openPool()
    const pairs = range(20).map((i) => [i, 100 * i])
    expect(await pool.starmap(add, pairs)).toEqual(range(20).map((i) => 101 * i))
  })

  it.each([1, 3, 7, 64, 1000, 'auto'] as const)('a map chunked by %s returns exactly what an unchunked map returns', async (chunksize) => {
    const pool = openPool()
    const inputs = range(64).map((i) => i * 3 - 50)
    const unchunked = await pool.map(double, inputs, { chunksize: 1 })
    expect(await pool.map(double, inputs, { chunksize })).toEqual(unchunked)
    expect(await pool.starmap(add, inputs.map((x) => [x, 1]), { chunksize })).toEqual(inputs.map((x) => x + 1))
  })

  it.each(['process', 'thread'] as const)(
    'a %s chunk whose calls turn asynchronous midway calls the rest in order, one at a time',
    async (backend) => {
      const pool = openPool({ workers: 1, backend })
      const results = (await pool.map(sometimesAsync, range(10), { chunksize: 10 })) as { x: number; call: number; alone?: boolean }[]
      expect(results.map((r) => r.x)).toEqual(range(10))
      expect(results.map((r) => r.call)).toEqual(range(10))
      expect(results.filter((r) => r.x % 3 === 1).map((r) => r.alone)).toEqual([true, true, true])
    }
  )

  it('calls the function for the holes of a sparse array too, in order (a thread keeps the holes)', async () => {
    const pool = openPool({ workers: 1, backend: 'thread' })
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [10, , 12, , , 15, ,]
    const results = (await pool.map(numbered, sparse, { chunksize: 7 })) as { x: unknown; call: number }[]
    expect(results.map((r) => r.call)).toEqual(range(7))
    expect(results.map((r) => r.x)).toEqual([10, undefined, 12, undefined, undefined, 15, undefined])
  })

  it("cuts a map into units by Python's automatic chunksize when none is given", async () => {
    const pool = openPool({ workers: 2 })
    // 100 inputs on 2 workers: divmod(100, 2 * 4) = (12, 4), so chunks of 13, hence 8 units.
    await pool.map(double, range(100))
    const s = pool.snapshot()
    expect(s.submitted).toBe(8)
    expect(s.inputsSubmitted).toBe(100)
    expect(s.inputsCompleted).toBe(100)
  })

  it('sends one unit per fixed-size chunk', async () => {
    const pool = openPool()
    await pool.map(double, range(10), { chunksize: 4 })
    expect(pool.snapshot().submitted).toBe(3)
  })

  it.each([0, -1, 1.5, Number.NaN])('rejects chunksize %s by name', async (chunksize) => {
    const pool = openPool()
    const error = await rejectionOf(pool.map(double, [1, 2], { chunksize }))
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect((error as InvalidOptionError).option).toBe('chunksize')
  })
})

describe('scheduling', () => {
  it('gives one unit at a time per worker of a function not measured yet, even after many tiny tasks of another', async () => {
    const pool = openPool({ workers: 2 })
    const gate = createGate()
    pool.registerService('gate', gate.service)
    await pool.ready()
    // Teaches the pool that `double` is tiny: its units may be lined up hundreds deep.
    await Promise.all(range(500).map((x) => pool.apply(double, [x])))
    const tasks = range(6).map((i) => pool.apply<number>(gated, [i]))
    await gate.entered(2)
    // Nothing is known of `gated`: one unit per worker, the other four wait in the pool's queue
    // for whichever worker frees up first (lined up behind a long one, they would wait for it).
    expect(pool.snapshot()).toMatchObject({ running: 2, pending: 4 })
    gate.open()
    expect(await Promise.all(tasks)).toEqual(range(6))
  })

  it('lines up many units per worker of a function measured as tiny', async () => {
    const pool = openPool({ workers: 2 })
    await pool.ready()
    await Promise.all(range(500).map((x) => pool.apply(double, [x])))
    const tasks = range(1000).map((x) => pool.apply<number>(double, [x]))
    await null // the dispatch of this tick's submissions runs first
    expect(pool.snapshot().running).toBeGreaterThan(2)
    expect(await Promise.all(tasks)).toEqual(range(1000).map((x) => x * 2))
  })

  it.each(['process', 'thread'] as const)('extraArgs go after each input of map, imap and imapUnordered, in chunks and alone (%s)', async (backend) => {
    const pool = openPool({ workers: 2, backend })
    const extraArgs = [0, 'b', { c: [1] }, null]
    const expected = (xs: unknown[]) => xs.map((x) => [x, ...extraArgs])
    expect(await pool.map(argsOf, ['a', ['b'], 3, null], { chunksize: 3, extraArgs })).toEqual(expected(['a', ['b'], 3, null]))
    expect(await pool.map(argsOf, ['a', 2], { chunksize: 1, extraArgs })).toEqual(expected(['a', 2]))
    const lazy: unknown[] = []
    for await (const value of pool.imap(argsOf, range(10), { chunksize: 3, extraArgs })) lazy.push(value)
    expect(lazy).toEqual(expected(range(10)))
    const unordered: unknown[][] = []
    for await (const value of pool.imapUnordered<unknown[]>(argsOf, range(10), { chunksize: 4, extraArgs })) unordered.push(value)
    expect(unordered.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(expected(range(10)))
    // An empty list is no extra argument.
    expect(await pool.map(argsOf, [1, 2], { chunksize: 2, extraArgs: [] })).toEqual([[1], [2]])
  })

  it('extraArgs: any inputs, arguments and chunk size give fn(x, ...extraArgs) for every input, in order', async () => {
    const { default: fc } = await import('fast-check')
    const { fuzzRuns } = await import('../../fuzz/fuzz-config')
    const pool = openPool({ workers: 2 })
    const json = fc.jsonValue({ maxDepth: 2 }).filter((v) => !Object.is(v, -0))
    await fc.assert(
      fc.asyncProperty(fc.array(json, { maxLength: 40 }), fc.array(json, { maxLength: 4 }), fc.integer({ min: 1, max: 12 }), async (xs, extraArgs, chunksize) => {
        expect(await pool.map(argsOf, xs, { chunksize, extraArgs })).toEqual(xs.map((x) => [x, ...extraArgs]))
      }),
      fuzzRuns(40)
    )
  })

  it('map of numbers on a process pool gives what JSON gives, whether a chunk came back as bytes or as JSON', async () => {
    // A JSON channel sends a big chunk of wide numbers as bytes, on the worker's numbers pipe
    // (protocol.ts, SentOutcome); small chunks and chunks of 32-bit integers go as JSON. Either way
    // NaN and ±Infinity become null and -0 becomes 0, as JSON makes them, and every other double
    // arrives exactly.
    const { default: fc } = await import('fast-check')
    const { fuzzRuns } = await import('../../fuzz/fuzz-config')
    const pool = openPool({ workers: 2 })
    const asText = (x: number) => (Object.is(x, -0) ? '-0' : String(x))
    const numbers = fc.oneof(fc.double(), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 53))
    await fc.assert(
      fc.asyncProperty(fc.array(numbers, { maxLength: 1500, size: 'max' }), fc.integer({ min: 1, max: 1500 }), async (xs, chunksize) => {
        expect(await pool.map(toNumber, xs.map(asText), { chunksize })).toEqual(JSON.parse(JSON.stringify(xs)))
      }),
      fuzzRuns(30)
    )
  })

  it('map of 32-bit integers on a process pool gives what JSON gives, whether they and their results went as bytes or as JSON', async () => {
    // A big chunk of 32-bit integers goes to a process worker as their bytes, and its results come
    // back the same way while every one is a 32-bit integer (protocol.ts, packInts and SentOutcome).
    const { default: fc } = await import('fast-check')
    const { fuzzRuns } = await import('../../fuzz/fuzz-config')
    const { byLowBits: local } = (await import(poolFixture('echo.cjs'))) as { byLowBits: (x: number) => unknown }
    const pool = openPool({ workers: 2 })
    const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
    // Mostly results that stay 32-bit integers (lowest bits 0–2); or numbers only, some of them not
    // 32-bit integers (lowest bits 3–5: x * 3, x + 0.5, -0); else any of byLowBits' kinds.
    const plain = int32.map((x) => x - (x & 7) + (Math.abs(x) % 3))
    const numeric = int32.map((x) => x - (x & 7) + (Math.abs(x) % 6))
    const inputs = fc.oneof(
      fc.array(plain, { maxLength: 1500, size: 'max' }),
      fc.array(fc.oneof({ arbitrary: plain, weight: 20 }, { arbitrary: numeric, weight: 1 }), { maxLength: 1500, size: 'max' }),
      fc.array(fc.oneof(plain, int32), { maxLength: 1500, size: 'max' })
    )
    await fc.assert(
      fc.asyncProperty(inputs, fc.integer({ min: 1, max: 1500 }), async (xs, chunksize) => {
        const expected = JSON.parse(JSON.stringify(await Promise.all(xs.map(local)))) as unknown
        expect(await pool.map(byLowBits, xs, { chunksize })).toEqual(expected)
      }),
      fuzzRuns(30)
    )
  })

  it('a map whose big chunks of integers all answer with doubles gives each chunk its own', async () => {
    // A process worker keeps a chunk's doubles in one buffer it reuses (`chunkDoubles` in
    // worker-runtime.ts); 50,000 doubles are more than a pipe holds, so a chunk's bytes may still
    // wait to be written while the next chunk runs.
    const pool = openPool({ workers: 1 })
    const xs = range(200_000)
    expect(await pool.map(add, xs, { chunksize: 50_000, extraArgs: [0.5] })).toEqual(xs.map((x) => x + 0.5))
  })

  it('a map of more chunks than one join takes (2,500 of 2 inputs) gives every result in input order', async () => {
    const pool = openPool({ workers: 2 })
    const xs = range(5001)
    expect(await pool.map(double, xs, { chunksize: 2 })).toEqual(xs.map((x) => x * 2))
    // Results that are arrays themselves stay whole: the join spreads the chunks, not their values.
    expect(await pool.map(argsOf, xs.slice(0, 3000), { chunksize: 2 })).toEqual(xs.slice(0, 3000).map((x) => [x]))
  })

  it('a map of wide numbers closed at once still gets every chunk back, in order, the bytes included', async () => {
    const pool = openPool({ workers: 2 })
    const xs = range(20_000).map((i) => i + 0.25)
    const results = pool.map<number>(double, xs, { chunksize: 2500 })
    pool.close()
    expect(await results).toEqual(xs.map((x) => x * 2))
    await pool.join()
  })

  it('refuses extraArgs that are not an array, and extraArgs on starmap, naming the option', async () => {
    const pool = openPool({ workers: 1 })
    await expect(pool.map(argsOf, [1], { extraArgs: 'x' as unknown as unknown[] })).rejects.toMatchObject({ name: 'InvalidOptionError', message: expect.stringContaining('extraArgs') })
    await expect(pool.starmap(argsOf, [[1]], { extraArgs: [2] })).rejects.toMatchObject({ name: 'InvalidOptionError', message: expect.stringContaining('extraArgs') })
  })

  it.each(['process', 'thread'] as const)('calls the function as a plain function, never as a method of something (%s)', async (backend) => {
    const pool = openPool({ workers: 1, backend })
    const plain = (n: number) => Array.from({ length: n }, () => 'undefined')
    expect(await pool.map(receiver, [1, 2, 3], { chunksize: 3 })).toEqual(plain(3))
    expect(await pool.map(receiver, [1, 2, 3], { chunksize: 3, extraArgs: ['a'] })).toEqual(plain(3))
    expect(await pool.map(receiver, [1, 2, 3], { chunksize: 3, extraArgs: ['a', 'b'] })).toEqual(plain(3))
    expect(await pool.starmap(receiver, [[1, 2], [3, 4]], { chunksize: 2 })).toEqual(plain(2))
    expect(await pool.starmap(receiver, [[1], [2, 3]], { chunksize: 2 })).toEqual(plain(2))
    expect(await pool.apply(receiver, [1])).toBe('undefined')
  })

  it('map calls the function with exactly one argument per input, in chunks and alone', async () => {
    const pool = openPool()
    expect(await pool.map(argsOf, ['a', ['b'], 3, null], { chunksize: 3 })).toEqual([['a'], [['b']], [3], [null]])
    expect(await pool.map(argsOf, ['a', ['b']], { chunksize: 1 })).toEqual([['a'], [['b']]])
  })
})

describe('imap and imapUnordered', () => {
  it('imap yields every result in input order', async () => {
    const pool = openPool()
    const out: number[] = []
    for await (const x of pool.imap<number>(double, range(30))) out.push(x)
    expect(out).toEqual(range(30).map((x) => x * 2))
  })

  it('imap pulls inputs lazily, never more than four units per worker ahead of the consumer', async () => {
    const pool = openPool({ workers: 2 })
    let pulled = 0
    function* naturals() {
      for (let i = 0; ; i++) {
        pulled++
        yield i
      }
    }
    const seen: number[] = []
    for await (const x of pool.imap<number>(echo, naturals(), { chunksize: 1 })) {
      seen.push(x)
      // A consumer slower than the workers: results pile up unless the window bounds them.
      await pool.apply(echo, [null])
      if (seen.length === 10) break
    }
    expect(seen).toEqual(range(10))
    expect(pulled).toBeLessThanOrEqual(seen.length + 4 * pool.size)
  })

  it('breaking out of imap stops pulling the source, closes it, and leaves the pool and its workers in service', async () => {
    const pool = openPool({ workers: 2 })
    await pool.ready()
    const pidsBefore = pidsOf(pool)
    let pulled = 0
    let isSourceClosed = false
    function* naturals() {
      try {
        for (let i = 0; ; i++) {
          pulled++
          yield i
        }
      } finally {
        isSourceClosed = true
      }
    }
    let consumed = 0
    for await (const x of pool.imap<number>(sleep, naturals())) {
      expect(x).toBe(consumed)
      if (++consumed === 12) break
    }
    const pulledAtBreak = pulled
    expect(isSourceClosed).toBe(true)
    expect(await pool.map(double, [1, 2, 3])).toEqual([2, 4, 6])
    expect(pulled).toBe(pulledAtBreak)
    // The units still running when the consumer left were allowed to finish: no worker was killed.
    expect(pidsOf(pool)).toEqual(pidsBefore)
    expect(pool.snapshot().workers.map((w) => w.restarts)).toEqual([0, 0])
  })

  it('imap accepts an async iterable as its source', async () => {
    const pool = openPool()
    async function* slowly() {
      for (let i = 0; i < 8; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1))
        yield i
      }
    }
    const out: number[] = []
    for await (const x of pool.imap<number>(double, slowly())) out.push(x)
    expect(out).toEqual(range(8).map((x) => x * 2))
  })

  it('imap with a fixed chunksize sends one unit per chunk', async () => {
    const pool = openPool()
    const out: number[] = []
    for await (const x of pool.imap<number>(double, range(10), { chunksize: 3 })) out.push(x)
    expect(out).toEqual(range(10).map((x) => x * 2))
    expect(pool.snapshot().submitted).toBe(4)
  })

  it("imap yields the results before a failing task, then throws that task's error", async () => {
    const pool = openPool()
    const out: number[] = []
    const error = await rejectionOf(
      (async () => {
        for await (const x of pool.imap<number>(failOnSix, range(10), { chunksize: 1 })) out.push(x)
      })()
    )
    expect(error).toBeInstanceOf(TaskFailedError)
    expect(error.message).toBe('input 6 is bad')
    expect(out).toEqual([0, 1, 2, 3, 4, 5])
    expect(await pool.apply(double, [4])).toBe(8)
  })

  it('imapUnordered yields every result exactly once', async () => {
    const pool = openPool({ workers: 3 })
    const delays = [30, 0, 20, 5, 10, 0, 25, 1, 15, 3]
    const out: number[] = []
    for await (const x of pool.imapUnordered<number>(sleep, delays, { chunksize: 1 })) out.push(x)
    expect(out.sort((a, b) => a - b)).toEqual([...delays].sort((a, b) => a - b))
  })

  it('imapUnordered over a generator with automatic chunks yields every input', async () => {
    const pool = openPool()
    function* upTo(n: number) {
      for (let i = 0; i < n; i++) yield i
    }
    const out: number[] = []
    for await (const x of pool.imapUnordered<number>(double, upTo(500))) out.push(x)
    expect(out.sort((a, b) => a - b)).toEqual(range(500).map((x) => x * 2))
  })

  it('imap rejects a chunksize that is not a positive integer by name', async () => {
    const pool = openPool()
    const iterator = pool.imap(double, [1], { chunksize: 0 })
    const error = await rejectionOf(iterator.next())
    expect((error as InvalidOptionError).option).toBe('chunksize')
  })
})

describe('applyAsync', () => {
  it('calls callback with the value, and get() resolves to it', async () => {
    const pool = openPool()
    const got = new Promise<unknown>((resolve) => {
      const result = pool.applyAsync(add, [20, 22], { callback: resolve })
      expect(result.ready()).toBe(false)
    })
    expect(await got).toBe(42)
  })

  it("calls errorCallback with the task's error, and get() rejects with it", async () => {
    const pool = openPool()
    let result!: ReturnType<typeof pool.applyAsync>
    const failed = new Promise<Error>((resolve) => {
      result = pool.applyAsync(throwError, ['async boom'], { callback: () => resolve(new Error('callback called')), errorCallback: resolve })
    })
    const error = await failed
    expect(error).toBeInstanceOf(TaskFailedError)
    expect(error.message).toBe('async boom')
    await expect(result.get()).rejects.toBe(error)
    expect(result.ready()).toBe(true)
    expect(result.successful()).toBe(false)
  })

  it('get(timeoutMs) rejects with ResultTimeoutError while the task keeps running and later completes', async () => {
    const pool = openPool({ workers: 1 })
    const gate = createGate()
    pool.registerService('gate', gate.service)
    const result = pool.applyAsync<number>(gated, [7])
    await gate.entered()
    const error = await rejectionOf(result.get(10))
    expect(error).toBeInstanceOf(ResultTimeoutError)
    expect((error as ResultTimeoutError).timeoutMs).toBe(10)
    expect(result.ready()).toBe(false)
    expect(() => result.successful()).toThrow()
    gate.open()
    expect(await result.get()).toBe(7)
    expect(result.successful()).toBe(true)
  })
})

describe('task failures', () => {
  it('a thrown error arrives as TaskFailedError with its message, the remote stack and the task id', async () => {
    const pool = openPool()
    const error = (await rejectionOf(pool.apply(throwError, ['the custom message']))) as TaskFailedError
    expect(error).toBeInstanceOf(TaskFailedError)
    expect(error.code).toBe('task-failed')
    expect(error.message).toBe('the custom message')
    expect(error.remoteName).toBe('FixtureError')
    expect(error.remoteStack).toContain('throw.cjs')
    expect(error.taskId).toBeGreaterThan(0)
    expect(error.stack?.startsWith(error.remoteStack!)).toBe(true)
  })

  it('a rejected promise arrives the same way', async () => {
    const pool = openPool()
    const error = (await rejectionOf(pool.apply(rejectError, ['async failure']))) as TaskFailedError
    expect(error).toBeInstanceOf(TaskFailedError)
    expect(error.message).toBe('async failure')
  })

  it("a map rejects with its failing element's error, and the pool keeps working", async () => {
    const pool = openPool()
    const error = await rejectionOf(pool.starmap(failOn, range(10).map((x) => [6, x]), { chunksize: 2 }))
    expect(error).toBeInstanceOf(TaskFailedError)
    expect(error.message).toBe('input 6 is bad')
    expect(await pool.map(double, [5])).toEqual([10])
  })

  it('a worker that exits mid-task rejects it with WorkerCrashedError naming the worker, its pid and exit code', async () => {
    const pool = openPool({ workers: 1, name: 'crashy' })
    await pool.ready()
    const [before] = pool.snapshot().workers
    const error = (await rejectionOf(pool.apply(exitWith, [3]))) as WorkerCrashedError
    expect(error).toBeInstanceOf(WorkerCrashedError)
    expect(error.code).toBe('worker-crashed')
    expect(error.workerName).toBe(before.name)
    expect(error.pid).toBe(before.pid)
    expect(error.exitCode).toBe(3)
    expect(error.signal).toBeNull()
    expect(error.message).toContain(`worker ${before.name} (pid ${before.pid}) exited with code 3`)
    // The slot has a new worker and the pool still works.
    const pid = await pool.apply<number>(workerPid)
    expect(pid).not.toBe(before.pid)
    const s = pool.snapshot()
    expect(s.workers[0].restarts).toBeGreaterThanOrEqual(1)
    expect(s.crashedWorkers).toBe(1)
    expect(s.retried).toBe(0)
  })

  it('a worker killed by a signal mid-task is reported with that signal', async () => {
    const pool = openPool({ workers: 1 })
    const exits: { expected: boolean; signal: string | null }[] = []
    pool.on('worker-exit', (_worker, info) => exits.push(info))
    const error = (await rejectionOf(pool.apply(killSelf))) as WorkerCrashedError
    expect(error).toBeInstanceOf(WorkerCrashedError)
    expect(error.signal).toBe('SIGKILL')
    expect(error.exitCode).toBeNull()
    expect(error.message).toContain('was killed by SIGKILL')
    expect(exits).toEqual([expect.objectContaining({ expected: false, signal: 'SIGKILL' })])
    expect(await pool.apply(double, [2])).toBe(4)
  })

  it('work queued behind a crashing task still completes on the replacement worker', async () => {
    const pool = openPool({ workers: 1 })
    const crash = rejectionOf(pool.apply(killSelf))
    const rest = pool.map(double, range(10), { chunksize: 1 })
    expect(await crash).toBeInstanceOf(WorkerCrashedError)
    expect(await rest).toEqual(range(10).map((x) => x * 2))
  })

  it('killWorker(slot) counts as a crash and the slot gets a new worker', async () => {
    const pool = openPool({ workers: 2 })
    await pool.ready()
    const before = pidsOf(pool)
    const started = new Promise<WorkerSnapshot>((resolve) => pool.once('worker-start', resolve))
    expect(pool.killWorker(1)).toBe(before[1])
    const replacement = await started
    expect(replacement.id).toBe(1)
    expect(replacement.restarts).toBe(1)
    expect(replacement.pid).not.toBe(before[1])
    expect(pool.snapshot().crashedWorkers).toBe(1)
    expect(await pool.map(double, range(4), { chunksize: 1 })).toEqual([0, 2, 4, 6])
  })
})

describe('values a channel cannot carry', () => {
  it('fails a task whose arguments cannot be encoded with a TaskDataError, and only that task', async () => {
    const pool = openPool({ workers: 1 })
    // The function is first defined by the message that fails; the next task must still find it.
    const [bad, good] = await Promise.allSettled([pool.apply(double, [2n]), pool.apply(double, [21])])
    expect(bad.status === 'rejected' && bad.reason).toBeInstanceOf(TaskDataError)
    expect(bad.status === 'rejected' && bad.reason).toMatchObject({ code: 'task-data', direction: 'arguments' })
    expect((bad as PromiseRejectedResult).reason.message).toMatch(/^task \d+: its arguments could not be sent to the worker: .*BigInt/)
    expect(good).toEqual({ status: 'fulfilled', value: 42 })
    expect(await pool.apply(double, [5])).toBe(10)
    expect(pool.snapshot()).toMatchObject({ failed: 1, crashedWorkers: 0, pending: 0, running: 0 })
  })

  it('rejects a map with a chunk it cannot send, and the pool goes on', async () => {
    const pool = openPool({ workers: 2 })
    const error = await rejectionOf(pool.map(double, [1, 2, 3n, 4], { chunksize: 1 }))
    expect(error).toBeInstanceOf(TaskDataError)
    expect(await pool.map(double, range(10))).toEqual(range(10).map((x) => 2 * x))
    expect(pool.snapshot().crashedWorkers).toBe(0)
  })

  it('fails a task whose result cannot be encoded with a TaskDataError; the worker lives on', async () => {
    const pool = openPool({ workers: 1 })
    const pid = pidsOf(pool)
    const [lost, fine] = await Promise.allSettled([pool.apply(bigint, [3]), pool.apply(double, [4])])
    expect(lost.status === 'rejected' && lost.reason).toBeInstanceOf(TaskDataError)
    expect(lost.status === 'rejected' && lost.reason).toMatchObject({ direction: 'result' })
    expect((lost as PromiseRejectedResult).reason.message).toMatch(/its result could not be sent back from the worker: .*BigInt/)
    expect(fine).toEqual({ status: 'fulfilled', value: 8 })
    expect(pidsOf(pool)).toEqual(pid)
    expect(pool.snapshot().crashedWorkers).toBe(0)
  })

  it("serialization: 'advanced' carries a BigInt, a Map and a Date to process workers and back; JSON does not", async () => {
    const advanced = openPool({ workers: 1, serialization: 'advanced' })
    const when = new Date('2026-11-24T08:00:00Z')
    const map = new Map<string, unknown>([['when', when], ['big', 7n]])
    expect(await advanced.apply(bigint, [3n])).toBe(6n)
    expect(await advanced.apply(echo, [map])).toEqual(map)
    expect(await advanced.map(double, range(1000))).toEqual(range(1000).map((x) => 2 * x))
    const json = openPool({ workers: 1 })
    expect(await json.apply(echo, [new Map([['a', 1]])])).toEqual({})
    expect(await json.apply(echo, [when])).toBe(when.toISOString())
  })

  it('a thread carries a BigInt both ways, and fails a function by name', async () => {
    const pool = openPool({ workers: 1, backend: 'thread' })
    expect(await pool.apply(bigint, [3n])).toBe(6n)
    expect(await rejectionOf(pool.apply(echo, [() => 1]))).toMatchObject({ name: 'TaskDataError', direction: 'arguments' })
    expect(await rejectionOf(pool.apply(aFunction, []))).toMatchObject({ name: 'TaskDataError', direction: 'result' })
    expect(await pool.apply(double, [4])).toBe(8)
  })
})

describe('retries', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poolscope-retry-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('re-runs a task whose worker died on a new worker, and counts the retry', async () => {
    const pool = openPool({ workers: 1, retries: 1 })
    const retries: { attempt: number; reason: string }[] = []
    pool.on('task-retry', (info) => retries.push(info))
    const marker = join(dir, 'attempted')
    const result = await pool.apply<{ value: string; pid: number }>(crashOnce, [marker, 'survived'])
    const crashedPid = Number(await readFile(marker, 'utf8'))
    expect(result.value).toBe('survived')
    expect(result.pid).not.toBe(crashedPid)
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, reason: 'killed by SIGKILL' })])
    const s = pool.snapshot()
    expect(s.retried).toBe(1)
    expect(s.crashedWorkers).toBe(1)
    expect(s.completed).toBe(1)
    expect(s.failed).toBe(0)
  })

  it('a per-task retries option overrides the pool default', async () => {
    const pool = openPool({ workers: 1 })
    const result = await pool.apply<{ value: number }>(crashOnce, [join(dir, 'per-task'), 5], { retries: 2 })
    expect(result.value).toBe(5)
    expect(pool.snapshot().retried).toBe(1)
  })

  it('gives up with WorkerCrashedError once the retries are spent', async () => {
    const pool = openPool({ workers: 1, retries: 2 })
    const error = await rejectionOf(pool.apply(exitWith, [7]))
    expect(error).toBeInstanceOf(WorkerCrashedError)
    const s = pool.snapshot()
    expect(s.retried).toBe(2)
    expect(s.crashedWorkers).toBe(3)
  })
})

describe('timeouts', () => {
  it('a task that outlives taskTimeoutMs rejects with TaskTimeoutError and its worker is replaced', async () => {
    const pool = openPool({ workers: 1, taskTimeoutMs: 100 })
    await pool.ready()
    const [before] = pidsOf(pool)
    const error = (await rejectionOf(pool.apply(hang))) as TaskTimeoutError
    expect(error).toBeInstanceOf(TaskTimeoutError)
    expect(error.code).toBe('task-timeout')
    expect(error.timeoutMs).toBe(100)
    expect(error.taskId).toBeGreaterThan(0)
    // A generous per-task timeout, so a slow machine cannot fail the follow-up call.
    const after = await pool.apply<number>(workerPid, [], { timeoutMs: 60_000 })
    expect(after).not.toBe(before)
    await waitFor('the timed-out worker to be gone', () => !isRunning(before!))
    const s = pool.snapshot()
    expect(s.workers[0].restarts).toBe(1)
    // The pool stopped that worker itself: not a crash.
    expect(s.crashedWorkers).toBe(0)
  })

  it('a per-task timeoutMs stops a task stuck in a CPU loop', async () => {
    const pool = openPool({ workers: 1 })
    const error = await rejectionOf(pool.apply(spin, [], { timeoutMs: 100 }))
    expect(error).toBeInstanceOf(TaskTimeoutError)
    expect(await pool.apply(double, [3])).toBe(6)
  })
})

describe('cancellation with AbortSignal', () => {
  it('aborting a queued task rejects it with TaskAbortedError and kills no worker', async () => {
    const pool = openPool({ workers: 1 })
    const gate = createGate()
    pool.registerService('gate', gate.service)
    const first = pool.apply(gated, ['first'])
    await gate.entered()
    const pidsBefore = pidsOf(pool)
    const controller = new AbortController()
    const second = pool.apply(echo, ['second'], { signal: controller.signal })
    controller.abort('changed my mind')
    const error = (await rejectionOf(second)) as TaskAbortedError
    expect(error).toBeInstanceOf(TaskAbortedError)
    expect(error.code).toBe('task-aborted')
    expect(error.cause).toBe('changed my mind')
    gate.open()
    expect(await first).toBe('first')
    expect(pidsOf(pool)).toEqual(pidsBefore)
    expect(pool.snapshot().workers[0].restarts).toBe(0)
    expect(await pool.apply(echo, ['third'])).toBe('third')
  })

  it('a signal that is already aborted rejects at once', async () => {
    const pool = openPool()
    const error = await rejectionOf(pool.apply(echo, [1], { signal: AbortSignal.abort('too late') }))
    expect(error).toBeInstanceOf(TaskAbortedError)
  })

  it('aborting a running task kills its worker, which is replaced', async () => {
    const pool = openPool({ workers: 1 })
    const gate = createGate()
    pool.registerService('gate', gate.service)
    const controller = new AbortController()
    const exited = new Promise<{ expected: boolean }>((resolve) => pool.once('worker-exit', (_w, info) => resolve(info)))
    const running = pool.apply(gated, ['never'], { signal: controller.signal })
    await gate.entered()
    const [before] = pidsOf(pool)
    controller.abort()
    expect(await rejectionOf(running)).toBeInstanceOf(TaskAbortedError)
    expect((await exited).expected).toBe(true)
    const after = await pool.apply<number>(workerPid)
    expect(after).not.toBe(before)
    const s = pool.snapshot()
    expect(s.workers[0].restarts).toBe(1)
    expect(s.crashedWorkers).toBe(0)
    gate.open()
  })

  it('aborting a map rejects it and drops its queued units', async () => {
    const pool = openPool({ workers: 1 })
    const controller = new AbortController()
    const mapped = pool.map(sleep, range(20).map(() => 20), { chunksize: 1, signal: controller.signal })
    controller.abort()
    expect(await rejectionOf(mapped)).toBeInstanceOf(TaskAbortedError)
    const s = pool.snapshot()
    expect(s.pending + s.running).toBe(0)
    expect(s.completed + s.failed).toBe(20)
    expect(await pool.apply(double, [1])).toBe(2)
  })
})

describe('signal listeners', () => {
  const { prototype } = AbortSignal
  const ownAdd = Object.getOwnPropertyDescriptor(prototype, 'addEventListener')
  const ownRemove = Object.getOwnPropertyDescriptor(prototype, 'removeEventListener')
  afterEach(() => {
    // Put back what `countedSignal` patched (AbortSignal has no methods of its own before).
    if (ownAdd) Object.defineProperty(prototype, 'addEventListener', ownAdd)
    else delete (prototype as Partial<AbortSignal>).addEventListener
    if (ownRemove) Object.defineProperty(prototype, 'removeEventListener', ownRemove)
    else delete (prototype as Partial<AbortSignal>).removeEventListener
  })

  /**
   * A real controller's signal, plus a count of the 'abort' listeners on every AbortSignal as they
   * are added and removed: the most any one signal held at once, so a listener per unit shows
   * whether it is put on the caller's signal or on one derived from it.
   */
  function countedSignal() {
    const controller = new AbortController()
    const live = new WeakMap<AbortSignal, Set<unknown>>()
    let most = 0
    const add = EventTarget.prototype.addEventListener
    const remove = EventTarget.prototype.removeEventListener
    type Add = Parameters<EventTarget['addEventListener']>
    type Remove = Parameters<EventTarget['removeEventListener']>
    prototype.addEventListener = function (this: AbortSignal, ...[type, listener, options]: Add) {
      if (type === 'abort' && listener) {
        const set = live.get(this) ?? new Set()
        live.set(this, set)
        set.add(listener)
        most = Math.max(most, set.size)
      }
      add.call(this, type, listener, options)
    } as AbortSignal['addEventListener']
    prototype.removeEventListener = function (this: AbortSignal, ...[type, listener, options]: Remove) {
      if (type === 'abort') live.get(this)?.delete(listener)
      remove.call(this, type, listener, options)
    } as AbortSignal['removeEventListener']
    return {
      controller,
      signal: controller.signal,
      /** The most 'abort' listeners one signal held at once. */
      get most() {
        return most
      },
      /** Listeners still attached to the controller's signal, as Node itself sees them. */
      get attached() {
        return getEventListeners(controller.signal, 'abort').length
      }
    }
  }

  it('a 10,000-input map adds a handful of listeners to its signal, and removes them when it settles', async () => {
    const pool = openPool()
    const counted = countedSignal()
    const inputs = range(10_000)
    expect(await pool.map(echo, inputs, { chunksize: 1, signal: counted.signal })).toEqual(inputs)
    expect(counted.most).toBeGreaterThanOrEqual(1)
    expect(counted.most).toBeLessThanOrEqual(3)
    expect(counted.attached).toBe(0)
  })

  it('10,000 applies sharing one signal hold one listener on it, gone once they settle', async () => {
    const pool = openPool()
    const counted = countedSignal()
    const results = await Promise.all(range(10_000).map((i) => pool.apply(echo, [i], { signal: counted.signal })))
    expect(results).toEqual(range(10_000))
    expect(counted.most).toBe(1)
    expect(counted.attached).toBe(0)
  })

  it('a 10,000-input imap adds a handful of listeners to its signal, and removes them when it ends', async () => {
    const pool = openPool()
    const counted = countedSignal()
    let sum = 0
    for await (const value of pool.imap<number>(echo, range(10_000), { chunksize: 1, signal: counted.signal })) sum += value
    expect(sum).toBe((9_999 * 10_000) / 2)
    expect(counted.most).toBeLessThanOrEqual(3)
    expect(counted.attached).toBe(0)
  })

  it('aborting rejects exactly the units not yet finished, with TaskAbortedError', async () => {
    const pool = openPool()
    const counted = countedSignal()
    const calls = range(10_000).map((i) => pool.apply<number>(echo, [i], { signal: counted.signal }))
    const outcomes = calls.map((call) =>
      call.then(
        (value) => ({ ok: true as const, value }),
        (error: Error) => ({ ok: false as const, error })
      )
    )
    await Promise.all(calls.slice(0, 100))
    counted.controller.abort('enough')
    const settled = await Promise.all(outcomes)
    const done = settled.flatMap((o, i) => (o.ok ? [[i, o.value]] : []))
    const aborted = settled.flatMap((o) => (o.ok ? [] : [o.error]))
    for (const [i, value] of done) expect(value).toBe(i)
    expect(done.length).toBeGreaterThanOrEqual(100)
    expect(aborted.length).toBeGreaterThan(0)
    for (const error of aborted) {
      expect(error).toBeInstanceOf(TaskAbortedError)
      expect((error as TaskAbortedError).cause).toBe('enough')
    }
    const s = pool.snapshot()
    expect([s.completed, s.failed, s.pending, s.running]).toEqual([done.length, aborted.length, 0, 0])
    expect(counted.attached).toBe(0)
    expect(await pool.apply(double, [21])).toBe(42)
  })
})

describe('worker lifecycle', () => {
  it('ready() resolves once every worker has started', async () => {
    const pool = openPool({ workers: 2, name: 'lab' })
    await pool.ready()
    const s = pool.snapshot()
    expect(s.readyAt).toBeGreaterThanOrEqual(s.createdAt)
    expect(s.state).toBe('running')
    expect(s.backend).toBe('process')
    expect(s.size).toBe(2)
    expect(s.workers.map((w) => [w.id, w.name, w.state])).toEqual([
      [0, 'lab-1', 'idle'],
      [1, 'lab-2', 'idle']
    ])
    for (const w of s.workers) expect(isRunning(w.pid!)).toBe(true)
    expect(new Set(s.workers.map((w) => w.pid)).size).toBe(2)
  })

  it('emits worker-start for every worker as it becomes ready', async () => {
    const pool = openPool({ workers: 2 })
    const started: WorkerSnapshot[] = []
    pool.on('worker-start', (w) => started.push(w))
    await pool.ready()
    expect(started.map((w) => w.id).sort()).toEqual([0, 1])
  })

  it('maxTasksPerChild retires each worker after that many tasks and replaces it', async () => {
    const pool = openPool({ workers: 1, maxTasksPerChild: 2 })
    const pids = await pool.map<number>(workerPid, range(6), { chunksize: 1 })
    const uses = new Map<number, number>()
    for (const pid of pids) uses.set(pid, (uses.get(pid) ?? 0) + 1)
    expect(uses.size).toBeGreaterThanOrEqual(3)
    for (const count of uses.values()) expect(count).toBeLessThanOrEqual(2)
    const s = pool.snapshot()
    expect(s.workers[0].restarts).toBeGreaterThanOrEqual(2)
    expect(s.crashedWorkers).toBe(0)
  })

  it('maxTasksPerChild still retires a worker whose lined-up units were aborted, so later work runs', async () => {
    const pool = openPool({ workers: 1, maxTasksPerChild: 40 })
    // Many instant units first: the pool then lines several units up per worker.
    await pool.map(echo, range(30), { chunksize: 1 })
    const gate = createGate()
    pool.registerService('gate', gate.service)
    const controller = new AbortController()
    const head = pool.apply(gated, ['head'])
    const linedUp = range(9).map((i) => rejectionOf(pool.apply(echo, [i], { signal: controller.signal })))
    await gate.entered()
    controller.abort()
    for (const error of await Promise.all(linedUp)) expect(error).toBeInstanceOf(TaskAbortedError)
    gate.open()
    expect(await head).toBe('head')
    // Once the worker has been given its 40 units it must be replaced, not left idle and unused.
    expect(await pool.apply(echo, ['after'])).toBe('after')
  })

  it('the initializer runs once in every worker, before its first task', async () => {
    const pool = openPool({ workers: 2, initializer: { fn: init, args: ['configured'] } })
    const seen = await pool.map<{ initCount: number; tag: string; pid: number }>(readInit, range(12), { chunksize: 1 })
    for (const s of seen) expect(s).toMatchObject({ initCount: 1, tag: 'configured' })
    expect(new Set(seen.map((s) => s.pid)).size).toBeLessThanOrEqual(2)
  })

  it('preload loads registered modules in every worker before it is ready; without it the first unit loads them', async () => {
    const squareModule = ['/square-[^/]*\\.js$']
    const preloaded = openPool({ workers: 2, preload: ['square'] })
    await preloaded.ready()
    expect(await preloaded.map(hasLoaded, [squareModule[0], squareModule[0]], { chunksize: 1 })).toEqual([true, true])
    const plain = openPool({ workers: 1 })
    expect(await plain.apply(hasLoaded, squareModule)).toBe(false)
    expect(await plain.apply('square:square', [3, 0])).toBe(9)
    expect(await plain.apply(hasLoaded, squareModule)).toBe(true)
  })

  it('a preload scope that is not registered starts the pool anyway; the unit that names it reports it', async () => {
    const pool = openPool({ workers: 1, preload: ['no-such-task'] })
    await pool.ready()
    expect((await rejectionOf(pool.apply('no-such-task:run', []))).message).toContain('unknown function "no-such-task:run"')
    expect(await pool.apply(echo, ['still fine'])).toBe('still fine')
  })

  it('every replacement worker runs the initializer too', async () => {
    const pool = openPool({ workers: 1, maxTasksPerChild: 1, initializer: { fn: init, args: ['again'] } })
    const seen = await pool.map<{ initCount: number; tag: string; pid: number }>(readInit, range(3), { chunksize: 1 })
    expect(seen.map((s) => s.initCount)).toEqual([1, 1, 1])
    expect(new Set(seen.map((s) => s.pid)).size).toBe(3)
  })

  it('a failing initializer rejects work with WorkerStartError and the pool stops respawning', async () => {
    const pool = openPool({ workers: 1, initializer: { fn: failInit, args: ['no database'] } })
    let exits = 0
    let starts = 0
    pool.on('worker-exit', () => exits++)
    pool.on('worker-start', () => starts++)
    const error = (await rejectionOf(pool.apply(echo, [1]))) as WorkerStartError
    expect(error).toBeInstanceOf(WorkerStartError)
    expect(error.code).toBe('worker-start-failed')
    expect(error.message).toContain('no database')
    expect(error.remote?.stack).toContain('initializer.cjs')
    await waitFor('every worker to have exited', () => pool.snapshot().workers.every((w) => w.state === 'exited'))
    // A few attempts, then the pool is broken: later work fails at once and nothing respawns.
    expect(await rejectionOf(pool.apply(echo, [2]))).toBe(error)
    await pool.ready()
    expect(pool.snapshot().workers.every((w) => w.state === 'exited')).toBe(true)
    expect(exits).toBeGreaterThanOrEqual(1)
    expect(exits).toBeLessThanOrEqual(3)
    expect(starts).toBe(0)
  })

  it('a worker script that cannot run makes work reject with WorkerStartError instead of respawning forever', async () => {
    const pool = openPool({ workers: 1, workerScript: poolFixture('no-such-worker.js') })
    const error = await rejectionOf(pool.apply(echo, [1]))
    expect(error).toBeInstanceOf(WorkerStartError)
    await waitFor('every worker to have exited', () => pool.snapshot().workers.every((w) => w.state === 'exited'))
    expect(await rejectionOf(pool.apply(echo, [1]))).toBe(error)
  })

  it('close() lets submitted work finish, refuses new work, and join() resolves once every worker has exited', async () => {
    const pool = openPool({ workers: 2 })
    await pool.ready()
    const pids = pidsOf(pool)
    const results = range(6).map((i) => pool.apply(sleep, [10, i]))
    pool.close()
    expect(pool.state).toBe('closing')
    expect(await rejectionOf(pool.apply(echo, [1]))).toBeInstanceOf(PoolClosedError)
    await pool.join()
    expect(await Promise.all(results)).toEqual(range(6))
    expect(pool.state).toBe('closed')
    expect(pool.snapshot().workers.every((w) => w.state === 'exited')).toBe(true)
    for (const pid of pids) expect(isRunning(pid!)).toBe(false)
  })

  it('close() on a pool whose workers are still starting lets them exit once started', async () => {
    const pool = openPool({ workers: 2 })
    pool.close()
    await pool.join()
    expect(pool.state).toBe('closed')
    expect(pool.snapshot().workers.every((w) => w.state === 'exited')).toBe(true)
  })

  it('terminate() may be called again, and after close()', async () => {
    const pool = openPool({ workers: 1 })
    await pool.ready()
    pool.close()
    await pool.terminate()
    await pool.terminate()
    expect(pool.state).toBe('terminated')
    await pool.join()
  })

  it('join() before close() or terminate() is an InvalidStateError', async () => {
    const pool = openPool()
    expect(await rejectionOf(pool.join())).toBeInstanceOf(InvalidStateError)
  })

  it('terminate() rejects pending and running work with PoolTerminatedError and kills the workers', async () => {
    const pool = openPool({ workers: 2 })
    const gate = createGate()
    pool.registerService('gate', gate.service)
    const running = [rejectionOf(pool.apply(gated, [1])), rejectionOf(pool.apply(gated, [2]))]
    const queued = rejectionOf(pool.apply(echo, [3]))
    await gate.entered(2)
    const pids = pidsOf(pool)
    await pool.terminate()
    for (const error of await Promise.all([...running, queued])) expect(error).toBeInstanceOf(PoolTerminatedError)
    expect(pool.state).toBe('terminated')
    for (const pid of pids) expect(isRunning(pid!)).toBe(false)
    expect(await rejectionOf(pool.apply(echo, [4]))).toBeInstanceOf(PoolTerminatedError)
    const s = pool.snapshot()
    expect(s.pending + s.running).toBe(0)
    expect(s.failed).toBe(3)
  })

  it('`await using` terminates the pool when the scope ends', async () => {
    let escaped: Pool | undefined
    let pids: (number | undefined)[] = []
    {
      await using pool = openPool({ workers: 2 })
      expect(await pool.apply(double, [21])).toBe(42)
      pids = pidsOf(pool)
      escaped = pool
    }
    expect(escaped.state).toBe('terminated')
    for (const pid of pids) expect(isRunning(pid!)).toBe(false)
  })
})

describe('options', () => {
  it('rejects an unknown pool option by name, before any worker starts', () => {
    const error = thrownBy(() => new Pool({ workerScript, wokers: 2 } as PoolOptions))
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect((error as InvalidOptionError).option).toBe('wokers')
    expect(error.message).toContain('wokers')
  })

  it.each([['square'], [['']], [[3]]])('rejects preload %j by name: it must be an array of module names', (preload) => {
    const error = thrownBy(() => new Pool({ workerScript, preload } as unknown as PoolOptions))
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect((error as InvalidOptionError).option).toBe('preload')
  })

  /**
   * A process backend whose adapters take the given scheduling knobs and count the units their
   * worker holds (sent, not yet reported): `heldAtSend` before each 'run' message, and the most.
   */
  function countingBackend(knobs: { lineUpOneBelowMs?: number } = {}) {
    const counts = { held: 0, mostHeld: 0, heldAtSend: [] as number[] }
    class CountingAdapter extends ProcessAdapter {
      readonly lineUpOneBelowMs = knobs.lineUpOneBelowMs
      override send(message: Parameters<ProcessAdapter['send']>[0]): void {
        if (message.type === 'run') {
          counts.heldAtSend.push(counts.held)
          counts.mostHeld = Math.max(counts.mostHeld, (counts.held += message.units.length))
        }
        super.send(message)
      }
      override onMessage(listener: Parameters<ProcessAdapter['onMessage']>[0]): void {
        super.onMessage((message) => {
          if (message.type === 'results') counts.held -= message.outcomes.length
          listener(message)
        })
      }
    }
    const backend: WorkerBackend = { name: 'counting', createAdapter: (options) => new CountingAdapter(options) }
    return { backend, counts }
  }

  it.each([
    [undefined, 1],
    [1_000, 2]
  ])('a worker whose adapter sets lineUpOneBelowMs %s holds at most %i units of 30 ms at once', async (lineUpOneBelowMs, most) => {
    const { backend, counts } = countingBackend({ lineUpOneBelowMs })
    const pool = openPool({ workers: 1, backend })
    await pool.apply(sleep, [30]) // measured once: 30 ms a unit, past the 2 ms pipelining target
    counts.mostHeld = 0
    expect(await pool.map(sleep, [30, 30, 30, 30], { chunksize: 1 })).toEqual([30, 30, 30, 30])
    expect(counts.mostHeld).toBe(most)
  })

  it('tops up a worker whose line still holds a unit (depth 2 for 5 ms units), so it never waits a round trip between them', async () => {
    const { backend, counts } = countingBackend()
    const pool = openPool({ workers: 1, backend })
    await pool.apply(sleep, [5]) // measured: 5 ms a unit, so two may be held at once
    counts.heldAtSend.length = 0
    expect(await pool.map(sleep, Array(6).fill(5), { chunksize: 1 })).toEqual(Array(6).fill(5))
    // Sent while the worker still held its other unit (the dispatch loop once stopped at the
    // first level nobody took a unit at, so a line was refilled only once empty).
    expect(counts.heldAtSend.slice(1).some((n) => n === 1)).toBe(true)
  })

  it('learns from one chunk that single calls made a function look slow, and lines up its next chunks', async () => {
    const { backend, counts } = countingBackend()
    const pool = openPool({ workers: 1, backend })
    // Single calls of 5 ms each: 5 ms an input, so a chunk of 100 would look like 500 ms.
    for (let i = 0; i < 4; i++) await pool.apply(busy, [i, 5])
    counts.mostHeld = 0
    const inputs = range(500)
    expect(await pool.map(busy, inputs, { chunksize: 100 })).toEqual(inputs)
    // The first chunk shows the real cost (a fraction of a millisecond for 100 inputs; anything
    // under 10 ms will do), and as evidence from 100 times more inputs it replaces the estimate:
    // the next chunks are lined up. Halving the estimate at each result instead (5, 2.5, 1.25 …
    // ms an input), the worker held one chunk at a time throughout.
    expect(counts.mostHeld).toBeGreaterThanOrEqual(2)
  })

  it('a lazy map keeps out as many units per worker as the backend asks, and tops up half a window at a time', async () => {
    let pulled = 0
    let consumed = 0
    let mostAhead = 0
    const source = function* () {
      for (let i = 0; i < 300; i++) {
        pulled++
        mostAhead = Math.max(mostAhead, pulled - consumed)
        yield i
      }
    }
    const pool = openPool({ workers: 2, backend: { name: 'wide', lazyUnitsPerWorker: 16, createAdapter: (options) => new ProcessAdapter(options) } })
    const seen: number[] = []
    for await (const value of pool.imapUnordered<number>(double, source(), { chunksize: 1 })) {
      consumed++
      seen.push(value)
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i * 2))
    // 2 workers × 16 out at most (a local pool keeps 4 per worker), plus the one being handed
    // over; and more than 4 per worker did go out.
    expect(mostAhead).toBeLessThanOrEqual(33)
    expect(mostAhead).toBeGreaterThan(8)
  })

  it('runs its workers on a custom backend given as an object, speaking the same protocol', async () => {
    const created: string[] = []
    const backend: WorkerBackend = {
      name: 'counting',
      createAdapter(options) {
        created.push(options.name)
        return new ProcessAdapter(options)
      }
    }
    const pool = openPool({ workers: 2, backend, name: 'custom' })
    expect(await pool.map(double, range(10))).toEqual(range(10).map((x) => x * 2))
    expect(pool.backend).toBe('counting')
    expect(pool.snapshot().backend).toBe('counting')
    expect(created).toEqual(['custom-1', 'custom-2'])
  })

  it.each([
    ['workers', { workers: 0 }],
    ['workers', { workers: 2.5 }],
    ['backend', { backend: 'cluster' }],
    ['backend', { backend: { name: 'half' } }],
    ['retries', { retries: -1 }],
    ['graceMs', { graceMs: -5 }],
    ['taskTimeoutMs', { taskTimeoutMs: 0 }],
    ['maxTasksPerChild', { maxTasksPerChild: 0 }],
    ['serialization', { serialization: 'msgpack' }]
  ])('rejects a bad %s value by name', (option, bad) => {
    const error = thrownBy(() => new Pool({ workerScript, ...bad } as PoolOptions))
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect((error as InvalidOptionError).option).toBe(option)
  })
})

describe('worker output', () => {
  const FLOOD_BYTES = 4 * 1024 * 1024

  it('a worker flooding stdout does not block the pool, and its output arrives as output events', async () => {
    const pool = openPool({ workers: 1 })
    let received = 0
    pool.on('output', ({ workerId, stream, text }) => {
      expect(workerId).toBe(0)
      if (stream === 'stdout') received += Buffer.byteLength(text)
    })
    expect(await pool.apply(flood, [FLOOD_BYTES])).toBe(FLOOD_BYTES)
    await waitFor('all flooded bytes to arrive', () => received === FLOOD_BYTES)
    expect(await pool.apply(double, [8])).toBe(16)
  })

  it('a flooding worker completes even when nobody listens for output', async () => {
    const pool = openPool({ workers: 1 })
    expect(await pool.apply(flood, [FLOOD_BYTES])).toBe(FLOOD_BYTES)
    expect(await pool.apply(flood, [FLOOD_BYTES])).toBe(FLOOD_BYTES)
  })
})

describe('snapshot and spans', () => {
  it('counters add up once the pool is idle: completed + failed + pending + running = submitted', async () => {
    const pool = openPool()
    await pool.map(double, range(20), { chunksize: 3 })
    await rejectionOf(pool.apply(throwError, ['counted']))
    await pool.apply(echo, [1])
    const s = pool.snapshot()
    expect(s.pending).toBe(0)
    expect(s.running).toBe(0)
    expect(s.completed + s.failed + s.pending + s.running).toBe(s.submitted)
    expect(s.submitted).toBe(7 + 1 + 1)
    expect(s.failed).toBe(1)
    expect(s.inputsSubmitted).toBe(22)
    expect(s.inputsCompleted + s.inputsFailed).toBe(s.inputsSubmitted)
    expect(s.workers.reduce((n, w) => n + w.unitsDone, 0)).toBe(s.completed + s.failed)
  })

  it('spans describe every unit: its worker, its size, start ≤ end in ms since the epoch, and whether it succeeded', async () => {
    const pool = openPool({ workers: 2 })
    const spans: UnitSpan[] = []
    pool.on('spans', (batch) => spans.push(...batch))
    const before = Date.now()
    await pool.map(double, range(10), { chunksize: 5 })
    await rejectionOf(pool.apply(throwError, ['span']))
    const after = Date.now()
    expect(spans).toHaveLength(3)
    expect(new Set(spans.map((s) => s.unitId)).size).toBe(3)
    expect(spans.map((s) => [s.size, s.ok])).toEqual([
      [5, true],
      [5, true],
      [1, false]
    ])
    for (const span of spans) {
      expect(span.startedAt).toBeLessThanOrEqual(span.endedAt)
      // A second either way for the wall clock and the monotonic one drifting apart.
      expect(span.startedAt).toBeGreaterThan(before - 1000)
      expect(span.endedAt).toBeLessThan(after + 1000)
      expect([0, 1]).toContain(span.workerId)
    }
  })
})
