/**
 * A process worker lowers V8's interrupt budget for itself (`optimiseSooner` in
 * `main/pool/worker-runtime.ts`), so the code of its round trip is optimised within its first
 * thousand or so instead of after 2,000–3,500. Counted in calls to V8's decision, never timed: a
 * fresh function of the same source, in the worker and in this test's own process.
 */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { fixtureFn, poolFixture } from '../../helpers/paths'
import { usePools } from '../../helpers/pools'

const callsUntilOptimised = fixtureFn('jit.cjs', 'callsUntilOptimised')
/** The same count in this test's own process, whose V8 budget nothing changed. */
const inThisProcess = (): number => (createRequire(import.meta.url)(poolFixture('jit.cjs')) as { callsUntilOptimised: () => number }).callsUntilOptimised()

describe("a worker process's JIT", () => {
  const openPool = usePools()

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
    // Workers are forked with this process's Node flags: give them V8's own default budget.
    const saved = [...process.execArgv]
    process.execArgv.push('--interrupt-budget=67584')
    const pool = openPool({ workers: 1 })
    try {
      await pool.ready()
    } finally {
      process.execArgv.splice(0, process.execArgv.length, ...saved)
    }
    expect(await pool.apply<number>(callsUntilOptimised)).toBe(byDefault)
  })
})
