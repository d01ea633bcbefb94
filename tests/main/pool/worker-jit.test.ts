/**
 * What V8 does with a process worker's own code, read from V8 itself, never timed:
 * - the worker lowers V8's interrupt budget for itself (`optimiseSooner` in
 *   `main/pool/worker-runtime.ts`), so the code of its round trip is optimised within its first
 *   thousand or so instead of after 2,000–3,500. Counted in calls to V8's decision: a fresh
 *   function of the same source, in the worker and in this test's own process;
 * - a process worker compiles hot functions on its own thread (`WORKER_V8_FLAGS` in
 *   `main/pool/process-adapter.ts`), unless the parent's own flags say otherwise;
 * - the first optimised code of a chunk's per-item step is kept through a fresh worker's first map
 *   (`widenEachState`), read from V8's `--trace-deopt`, turned on in the worker;
 * - and through the maps after it, whose first result of 0 once found the step without feedback
 *   for its test for -0;
 * - and through a map whose results pass 2³¹, from where they go as doubles.
 */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { fixtureFn, poolFixture } from '../../helpers/paths'
import { usePools } from '../../helpers/pools'

const callsUntilOptimised = fixtureFn('jit.cjs', 'callsUntilOptimised')
const traceDeopts = fixtureFn('jit.cjs', 'traceDeopts')
const same = fixtureFn('jit.cjs', 'same')
const squared = fixtureFn('jit.cjs', 'squared')
const compilesConcurrently = fixtureFn('jit.cjs', 'compilesConcurrently')
/** The same count in this test's own process, whose V8 budget nothing changed. */
const inThisProcess = (): number => (createRequire(import.meta.url)(poolFixture('jit.cjs')) as { callsUntilOptimised: () => number }).callsUntilOptimised()

describe("a worker process's JIT", () => {
  const openPool = usePools()

  /** A ready pool of one process worker, forked while this process's Node flags also held `flag`, which workers inherit. */
  async function openPoolForkedWith(flag: string) {
    const saved = [...process.execArgv]
    process.execArgv.push(flag)
    const pool = openPool({ workers: 1 })
    try {
      await pool.ready()
    } finally {
      process.execArgv.splice(0, process.execArgv.length, ...saved)
    }
    return pool
  }

  it('a process worker optimises a hot function after a quarter of the calls V8 takes by default; a thread leaves its process as it is', async () => {
    const processPool = openPool({ workers: 1 })
    const threadPool = openPool({ workers: 1, backend: 'thread' })
    const inWorker = await processPool.apply<number>(callsUntilOptimised)
    const inThread = await threadPool.apply<number>(callsUntilOptimised)
    // The thread shares this process's budget, which nothing lowered: it counts as V8 does by default.
    const byDefault = inThisProcess()
    expect(inWorker).toBeGreaterThan(0)
    expect(inThread).toBe(byDefault)
    expect(inWorker).toBeLessThanOrEqual(Math.ceil(byDefault / 3))
  })

  it('a budget on the command line the worker inherits is left as it is', async () => {
    const byDefault = inThisProcess()
    // V8's own default budget.
    const pool = await openPoolForkedWith('--interrupt-budget=67584')
    expect(await pool.apply<number>(callsUntilOptimised)).toBe(byDefault)
  })

  it('a process worker compiles hot functions on its own thread; a thread leaves its process as it is', async () => {
    const processPool = openPool({ workers: 1 })
    const threadPool = openPool({ workers: 1, backend: 'thread' })
    const here = (createRequire(import.meta.url)(poolFixture('jit.cjs')) as { compilesConcurrently: () => boolean }).compilesConcurrently()
    expect(await processPool.apply<boolean>(compilesConcurrently)).toBe(false)
    expect(await threadPool.apply<boolean>(compilesConcurrently)).toBe(here)
  })

  it("the parent's own --concurrent-recompilation, which its workers inherit, wins", async () => {
    const pool = await openPoolForkedWith('--concurrent-recompilation')
    expect(await pool.apply<boolean>(compilesConcurrently)).toBe(true)
  })

  /**
   * V8's `--trace-deopt` in one fresh process worker over `maps` maps of `fn` (`same` unless given)
   * over 100,000 inputs from 0: all it wrote, and its lines about the chunk step (`callOne`).
   */
  async function stepTraceOver(maps: number, fn = same, expected = (x: number) => x): Promise<{ output: string; stepLines: string[] }> {
    const pool = openPool({ workers: 1 })
    let output = ''
    pool.on('output', ({ text }: { text: string }) => (output += text))
    await pool.apply(traceDeopts)
    const inputs = Array.from({ length: 100_000 }, (_, i) => i)
    for (let map = 0; map < maps; map++) expect(await pool.map(fn, inputs)).toEqual(inputs.map(expected))
    // A graceful exit flushes what V8 wrote.
    pool.close()
    await pool.join()
    return { output, stepLines: output.split('\n').filter((line) => line.includes('callOne')) }
  }

  it("keeps the chunk step's first optimised code through a fresh worker's first map", async () => {
    // The step's state is widened before the first unit (`widenEachState`); without that, a
    // later chunk widened one of its fields mid-map and V8 threw the step's code away.
    const { output, stepLines } = await stepTraceOver(1)
    expect(output).toContain('bailout')
    expect(stepLines).toEqual([])
  })

  it("keeps it through a later map whose first result is 0, which the fresh worker's first item gave before V8 kept feedback", async () => {
    // A fresh worker's first call of the step comes before V8 gives it a feedback vector. A test
    // for -0 in the step, which only a 0 result ran, had no feedback then, and the next 0 result
    // threw the step's optimised code away. The step now has no such test (`callOne`).
    const { output, stepLines } = await stepTraceOver(3)
    expect(output).toContain('bailout')
    expect(stepLines).toEqual([])
  })

  it('keeps it through a map whose results pass 2³¹ and go as doubles from there', async () => {
    // With a test of each result for a 32-bit integer that had seen only small ones, V8 threw the
    // step's code away at the first that was not, in the middle of the map.
    const { output, stepLines } = await stepTraceOver(1, squared, (x) => x * x)
    expect(output).toContain('bailout')
    expect(stepLines).toEqual([])
  })
})
