/**
 * Workers killed from outside while they start (the OOM killer under memory pressure, a user's
 * `kill -9`, the chaos soak) are not workers that cannot start: the pool must replace them and
 * run its work once a replacement comes up, not give up for good.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Pool, type Backend } from '../../main/pool/index'
import { signalProcess } from '../../main/platform/index'
import { workerScript } from '../helpers/paths'

/** More than the three start failures in a row after which the pool stops respawning. */
const KILLS = 4

const open: Pool[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((pool) => pool.terminate()))
})

/**
 * Kills the pool's starting workers as they appear, `count` of them, then lets the rest start.
 * Returns how many it killed: fewer when the pool stopped replacing them.
 */
async function killWhileStarting(pool: Pool, count: number): Promise<number> {
  const killed = new Set<string>()
  while (killed.size < count && pool.state === 'running') {
    const workers = pool.snapshot().workers
    // A replacement is spawned as soon as a worker's exit is seen: all exited means none will come.
    if (workers.every((worker) => worker.state === 'exited')) break
    for (const worker of workers) {
      if (worker.state !== 'starting' || killed.has(worker.name)) continue
      const isKilled = pool.backend === 'thread' ? pool.killWorker(worker.id) !== undefined : worker.pid !== undefined && signalProcess(worker.pid, 'kill')
      if (isKilled) killed.add(worker.name)
    }
    await new Promise((resolve) => setImmediate(resolve))
  }
  return killed.size
}

describe('workers killed while they start', () => {
  // Found by the chaos soak: the pool counted these exits as failures to start and, after three in
  // a row, stopped spawning and failed all work with WorkerStartError.
  for (const backend of ['process', 'thread'] as Backend[]) {
    it(`are replaced, and the work runs once one starts (${backend} backend)`, async () => {
      const pool = new Pool({ workers: 1, backend, workerScript })
      open.push(pool)
      expect(await killWhileStarting(pool, KILLS)).toBe(KILLS)
      await expect(pool.apply('square:square', [7, 0])).resolves.toBe(49)
    })
  }
})
