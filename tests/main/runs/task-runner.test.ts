import { afterEach, describe, expect, it } from 'vitest'
import { Pool } from '../../../main/pool/pool'
import { parseTaskInput } from '../../../main/runs/task-input'
import { runTask, TaskRun, type TaskRunOptions } from '../../../main/runs/task-runner'
import { fixtureFn, workerScript } from '../../helpers/paths'
import { isRunning } from '../../helpers/processes'
import { waitFor } from '../../helpers/wait-for'

/** Every pool a run created, so the test can check afterwards that the runner left no worker. */
const hasLoaded = fixtureFn('loaded.cjs', 'hasLoaded')

let pools: Pool[] = []
let pids = new Set<number>()

afterEach(async () => {
  // runTask terminates its pools itself; this only matters when a test failed half-way.
  await Promise.all(pools.map((pool) => pool.terminate()))
  pools = []
  pids = new Set()
})

/** Runs a task by id with raw parameters, parsed first as every caller does. */
function run(options: Partial<Omit<TaskRunOptions, 'task' | 'params'>> & { taskId: string; params: Record<string, unknown> }, taskRun?: TaskRun) {
  const { taskId, params, ...rest } = options
  return runTask(
    {
      workers: 2,
      backend: 'process',
      workerScript,
      ...rest,
      ...parseTaskInput(taskId, params),
      onPool(pool) {
        pools.push(pool)
        pool.on('worker-start', (w) => pids.add(w.pid!))
        options.onPool?.(pool)
      }
    },
    taskRun
  )
}

function expectNoWorkerLeft(): void {
  expect(pools.length).toBeGreaterThan(0)
  for (const pool of pools) {
    expect(pool.state).toBe('terminated')
    expect(pool.snapshot().workers.every((w) => w.state === 'exited')).toBe(true)
  }
  for (const pid of pids) expect(isRunning(pid)).toBe(false)
}

describe('runTask', () => {
  it("has every worker of the task's pool load the task's module before the pool is ready, so its first unit does not", async () => {
    const seen: boolean[] = []
    const result = await run({
      taskId: 'square',
      params: { count: 4, delayMs: 0 },
      onPool(pool) {
        // Asked once the pool is ready, before the task's own units: is square's module loaded in each worker?
        void pool.ready().then(async () => {
          seen.push(...(await pool.map<boolean>(hasLoaded, ['/square-[^/]*\\.js$', '/square-[^/]*\\.js$'], { chunksize: 1 })))
        })
      }
    })
    expect(result.ok).toBe(true)
    expect(seen).toEqual([true, true])
  })

  it('runs heavy-sum on a pool, checks every sum exactly, and leaves no worker behind', async () => {
    const taskRun = new TaskRun()
    const result = await run({ taskId: 'heavy-sum', params: { n: 100_000, m: 3 } }, taskRun)
    expect(result).toMatchObject({ taskId: 'heavy-sum', ok: true, state: 'succeeded', error: undefined })
    expect(result.params).toEqual({ n: 100_000, m: 3 })
    expect(result.result).toMatchObject({ expected: '4999950000', allExact: true, sums: ['4999950000', '4999950000', '4999950000'] })
    expect(result.check?.ok).toBe(true)
    expect(result.stats).toMatchObject({ tasks: 3, completed: 3, failed: 0, retried: 0, crashedWorkers: 0 })
    expect(result.stats.wallMs).toBeGreaterThanOrEqual(0)
    expect(taskRun.pools).toHaveLength(1)
    expect(taskRun.counters()).toMatchObject({ inputsSubmitted: 3, inputsCompleted: 3, pending: 0, running: 0 })
    expectNoWorkerLeft()
  })

  it('survives workers SIGKILLed mid-run when retries are allowed: every square correct and in order', async () => {
    let kills = 0
    const result = await run({
      taskId: 'square',
      params: { count: 12, delayMs: 40 },
      retries: 3,
      onPool(pool) {
        // Each time results come back, kill a busy worker from outside, as the OOM killer would.
        pool.on('spans', () => {
          if (kills >= 2) return
          const workers = pool.snapshot().workers.filter((w) => w.state !== 'exited')
          const victim = workers.find((w) => w.state === 'busy') ?? workers[0]
          if (victim?.pid === undefined) return
          kills++
          process.kill(victim.pid, 'SIGKILL')
        })
      }
    })
    expect(kills).toBeGreaterThanOrEqual(1)
    expect(result.ok).toBe(true)
    expect((result.result as { squares: number[] }).squares).toEqual(Array.from({ length: 12 }, (_, i) => i * i))
    expect(result.stats.crashedWorkers).toBeGreaterThanOrEqual(1)
    expect(result.stats.completed).toBe(12)
    expectNoWorkerLeft()
  })

  it('runs square with applyAsync callbacks and reports progress in inputs', async () => {
    const taskRun = new TaskRun()
    const result = await run({ taskId: 'square', params: { count: 6, delayMs: 1, mode: 'apply-async' } }, taskRun)
    expect(result.ok).toBe(true)
    expect((result.result as { squares: number[] }).squares).toEqual([0, 1, 4, 9, 16, 25])
    expect(taskRun.progress).toEqual({ done: 6, total: 6 })
  })

  it('stops when its signal aborts: state stopped, not ok, and every worker gone', async () => {
    const controller = new AbortController()
    let pool: Pool | undefined
    const pending = run({
      taskId: 'square',
      params: { count: 20, delayMs: 60_000 },
      signal: controller.signal,
      onPool: (p) => (pool = p)
    })
    await waitFor('both workers to be busy', () => pool?.snapshot().workers.every((w) => w.state === 'busy'), { deadlineMs: 20_000 })
    controller.abort('user pressed stop')
    const result = await pending
    expect(result).toMatchObject({ ok: false, state: 'stopped' })
    expect(result.stats.completed).toBe(0)
    expectNoWorkerLeft()
  })

  it('runs on a lent pool and leaves it running and warm, counting only its own work', async () => {
    const lent = new Pool({ workers: 2, workerScript })
    pools.push(lent)
    await lent.ready()
    const workerPids = lent.snapshot().workers.map((w) => w.pid)
    for (let i = 0; i < 2; i++) {
      const result = await run({ taskId: 'heavy-sum', params: { n: 100_000, m: 3 }, pool: lent })
      expect(result).toMatchObject({ ok: true, stats: { tasks: 3, completed: 3, startupMs: 0 } })
    }
    expect(lent.state).toBe('running')
    expect(lent.snapshot().workers.map((w) => w.pid)).toEqual(workerPids)
    expect(lent.snapshot().completed).toBe(6)
  })

  it('terminates a lent pool when the run was stopped, so no work of it is left behind', async () => {
    const lent = new Pool({ workers: 2, workerScript })
    pools.push(lent)
    const controller = new AbortController()
    const pending = run({ taskId: 'square', params: { count: 20, delayMs: 60_000 }, signal: controller.signal, pool: lent })
    await waitFor('both workers to be busy', () => lent.snapshot().workers.every((w) => w.state === 'busy'), { deadlineMs: 20_000 })
    controller.abort('user pressed stop')
    expect(await pending).toMatchObject({ ok: false, state: 'stopped' })
    expect(lent.state).toBe('terminated')
  })

  it('reports a task whose units time out as failed, with the error, and still cleans up', async () => {
    const result = await run({ taskId: 'heavy-sum', params: { n: 10_000_000_000, m: 2 }, timeoutMs: 50 })
    expect(result).toMatchObject({ ok: false, state: 'failed' })
    expect(result.error).toMatch(/ran longer than 50 ms/)
    expect(result.stats.failed).toBeGreaterThanOrEqual(1)
    expectNoWorkerLeft()
  })
})
