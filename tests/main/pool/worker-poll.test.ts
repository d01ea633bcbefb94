/**
 * A worker that answers quick requests in a row polls its channel for a moment after each answer
 * instead of sleeping (`main/pool/worker-runtime.ts`), and the pool polls for the answer to a lone
 * quick unit (`main/pool/worker-handle.ts`), both only where the two run on different CPUs. It
 * must stay a moment: a stream of quick round trips is answered in full and in order, and once the
 * requests stop the worker sleeps again and burns no CPU, and the pool polls no more.
 */
import { describe, expect, it } from 'vitest'
import { fixtureFn } from '../../helpers/paths'
import { usePools } from '../../helpers/pools'
import { cpuTicks, statFilesOpen } from '../../helpers/processes'

const echo = fixtureFn('echo.cjs', 'echo')
const workerPid = fixtureFn('echo.cjs', 'pid')
const isLinux = process.platform === 'linux'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('polling after quick answers', () => {
  const openPool = usePools()

  it.each(['process', 'thread'] as const)('a stream of sequential quick tasks on %s workers is answered in full and in order', async (backend) => {
    const pool = openPool({ workers: 2, backend })
    await pool.ready()
    const answers: number[] = []
    for (let i = 0; i < 3000; i++) answers.push(await pool.apply<number>(echo, [i]))
    expect(answers).toEqual(Array.from({ length: 3000 }, (_, i) => i))
    // Quick requests again after a pause longer than the poll window: the worker slept in between.
    await sleep(50)
    expect(await Promise.all([pool.apply(echo, ['a']), pool.apply(echo, ['b'])])).toEqual(['a', 'b'])
  })

  it.runIf(isLinux)('once the requests stop, the worker sleeps and the pool stops polling: no CPU burnt while idle (Linux /proc)', async () => {
    const immediates = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Immediate').length
    const idleImmediates = immediates()
    const pool = openPool({ workers: 1 })
    await pool.ready()
    const pid = await pool.apply<number>(workerPid)
    for (let i = 0; i < 3000; i++) await pool.apply(echo, [i])
    await sleep(100)
    const before = cpuTicks(pid)
    await sleep(1000)
    // A worker still polling would burn about 100 ticks (a whole CPU) in that second.
    expect(cpuTicks(pid) - before).toBeLessThanOrEqual(5)
    // A pool still polling for an answer would have a `setImmediate` pending at every turn.
    expect(immediates()).toBe(idleImmediates)
  })

  it.runIf(isLinux)('thread workers leave no file open in the pool process, killed or not (Linux /proc)', async () => {
    const before = statFilesOpen()
    for (const graceful of [true, false]) {
      const pool = openPool({ workers: 2, backend: 'thread' })
      await pool.ready()
      for (let i = 0; i < 2000; i++) await pool.apply(echo, [i])
      if (graceful) {
        pool.close()
        await pool.join()
      } else {
        await pool.terminate()
      }
      expect(statFilesOpen()).toBe(before)
    }
  })
})
