/**
 * The engine's pool on the cluster: two real `poolscope worker` hosts on a Redis of the test's own,
 * and the pool's whole API through them, faults included.
 */
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ClusterPool, type ClusterPoolOptions } from '../../../main/cluster/cluster-pool'
import type { HostRecord } from '../../../main/cluster/host-record'
import { hostKey, RUNS_KEY } from '../../../main/cluster/keys'
import { TaskAbortedError, TaskFailedError, TaskTimeoutError } from '../../../main/pool/errors'
import { requireRedisInCi, startRedis, startWorkerHost, useTestCluster, type TestRedis } from '../../helpers/redis'
import { skipUnless } from '../../helpers/skip'
import { waitFor } from '../../helpers/wait-for'

const needs = requireRedisInCi(skipUnless('redis-server', 'build'))
const cli = resolve(__dirname, '../../../out/main/cli.js')
const squares = (n: number) => Array.from({ length: n }, (_, i) => i * i)
const squareArgs = (n: number, delayMs = 0) => Array.from({ length: n }, (_, i) => [i, delayMs])


async function hostRecord(redis: TestRedis, name: string): Promise<HostRecord | undefined> {
  const text = await redis.client().get(hostKey(name))
  return text ? (JSON.parse(text) as HostRecord) : undefined
}

describe.skipIf(!needs.isAvailable)(needs.suite('ClusterPool on two worker hosts'), () => {
  const cluster = useTestCluster(cli, ['east', 'west'])
  const open = (options: Partial<ClusterPoolOptions> = {}) => cluster.track(new ClusterPool({ redis: cluster.redis.url, workers: 2, ...options }))
  /** Hosts sweep a run's keys again once they have stopped serving it: gone within seconds, not at once. */
  const noKeyOf = (runId: string) => waitFor('no key of the run', async () => (await cluster.redis.keys()).every((key) => !key.includes(runId)), { deadlineMs: 10_000 })

  it('starmap over 2,000 inputs returns every square in input order, run on both hosts', async () => {
    const ran = new Set<string>()
    const pool = open({ onJobDone: (job) => job.host && ran.add(job.host) })
    await pool.ready()
    expect(await pool.starmap('square:square', squareArgs(2_000), { chunksize: 1 })).toEqual(squares(2_000))
    expect([...ran].sort()).toEqual(['east', 'west'])
  })

  it('map with auto chunks, imap lazily and in order, imapUnordered, applyAsync with callbacks', async () => {
    const pool = open()
    const inputs = Array.from({ length: 500 }, (_, i) => i)
    expect(await pool.map('builtin:identity', inputs)).toEqual(inputs)
    let pulled = 0
    // Longer than what a cluster pool's lazy map keeps out (64 units per virtual worker).
    const many = Array.from({ length: 5_000 }, (_, i) => i)
    const source = (function* () {
      for (const x of many) {
        pulled++
        yield x
      }
    })()
    const lazy: unknown[] = []
    for await (const value of pool.imap('builtin:identity', source, { chunksize: 5 })) {
      lazy.push(value)
      // Inputs are pulled as results are taken: never the whole source up front.
      if (lazy.length === 20) expect(pulled).toBeLessThanOrEqual(pool.size * 64 * 5)
    }
    expect(lazy).toEqual(many)
    const unordered: unknown[] = []
    for await (const value of pool.imapUnordered('builtin:identity', inputs.slice(0, 50))) unordered.push(value)
    expect([...unordered].sort((a, b) => Number(a) - Number(b))).toEqual(inputs.slice(0, 50))
    const seen: number[] = []
    const handle = pool.applyAsync<number>('square:square', [12, 0], { callback: (value) => seen.push(value) })
    expect(await handle.get()).toBe(144)
    expect(seen).toEqual([144])
  })

  it('fails a task whose code throws with TaskFailedError carrying the host\'s error, and carries on', async () => {
    const pool = open()
    const error = await pool.apply('heavy-sum:sumRange', [-1, 5]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TaskFailedError)
    expect((error as TaskFailedError).remoteName).toBe('RangeError')
    expect((error as TaskFailedError).message).toMatch(/sumRange needs whole numbers/)
    expect(await pool.apply('heavy-sum:sumBelow', [10])).toBe('45')
  })

  it('refuses a module path: hosts run catalog functions only', async () => {
    const pool = open()
    const error = await pool.apply({ module: '/tmp/anything.js' }, []).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TaskFailedError)
    expect((error as Error).message).toMatch(/catalog functions only/)
  })

  it('fails a task past its timeout with TaskTimeoutError, and the host\'s process for it is replaced', async () => {
    const restarts = async () => (await Promise.all(['east', 'west'].map((n) => hostRecord(cluster.redis, n)))).reduce((sum, r) => sum + (r?.slots.reduce((s, x) => s + x.restarts, 0) ?? 0), 0)
    const before = await restarts()
    const pool = open({ taskTimeoutMs: 500 })
    await expect(pool.apply('builtin:sleep', [30_000])).rejects.toBeInstanceOf(TaskTimeoutError)
    await waitFor('a replaced slot', async () => (await restarts()) > before, { deadlineMs: 10_000 })
    expect(await pool.apply('square:square', [5, 0])).toBe(25)
  })

  it('an abort rejects waiting and running tasks and stops them on the hosts; nothing of the run stays in Redis', async () => {
    const pool = open()
    await pool.ready()
    const controller = new AbortController()
    const all = pool.starmap('square:square', squareArgs(40, 10_000), { chunksize: 1, signal: controller.signal })
    await waitFor('jobs running on both hosts', async () => {
      const records = await Promise.all(['east', 'west'].map((n) => hostRecord(cluster.redis, n)))
      return records.every((r) => r && r.activeJobs.some((job) => job.run === pool.runId))
    }, { deadlineMs: 10_000 })
    controller.abort('stop')
    await expect(all).rejects.toBeInstanceOf(TaskAbortedError)
    await waitFor('the hosts stop the aborted jobs', async () => {
      const records = await Promise.all(['east', 'west'].map((n) => hostRecord(cluster.redis, n)))
      return records.every((r) => r && !r.activeJobs.some((job) => job.run === pool.runId))
    }, { deadlineMs: 10_000 })
    await pool.terminate()
    await noKeyOf(pool.runId)
  })

  it('two runs at once never mix: each gets its own results', async () => {
    const [a, b] = [open(), open()]
    const [ra, rb] = await Promise.all([
      a.map('builtin:identity', Array.from({ length: 300 }, (_, i) => `a${i}`), { chunksize: 1 }),
      b.map('builtin:identity', Array.from({ length: 300 }, (_, i) => `b${i}`), { chunksize: 1 })
    ])
    expect(ra).toEqual(Array.from({ length: 300 }, (_, i) => `a${i}`))
    expect(rb).toEqual(Array.from({ length: 300 }, (_, i) => `b${i}`))
    expect(a.runId).not.toBe(b.runId)
  })

  it('leaves Redis as it found it after 10 runs (DBSIZE stays bounded)', async () => {
    const client = cluster.redis.client()
    const before = await client.dbsize()
    for (let i = 0; i < 10; i++) {
      const pool = new ClusterPool({ redis: cluster.redis.url, workers: 2 })
      try {
        expect(await pool.map('square:square', [i])).toHaveLength(1)
      } finally {
        await pool.terminate()
      }
    }
    await waitFor('the swept runs', async () => (await client.dbsize()) <= before, { deadlineMs: 10_000 })
  })

  it('close() then join() ends the run in Redis', async () => {
    const pool = open()
    expect(await pool.map('builtin:identity', [1, 2, 3])).toEqual([1, 2, 3])
    pool.close()
    await pool.join()
    expect(await cluster.redis.client().hexists(RUNS_KEY, pool.runId)).toBe(0)
    // A host may still write the run's stalled-check marker (and BullMQ's meta with it) while it
    // stops serving the run (run-cleanup.ts).
    await noKeyOf(pool.runId)
  })
})

describe.skipIf(!needs.isAvailable)(needs.suite('ClusterPool when a host dies'), () => {
  it('loses nothing: SIGKILL of a host during 2,000 tasks gives every result exactly once, in order, and its record goes', async () => {
    const redis = await startRedis()
    const hosts = ['north', 'south'].map((name) => startWorkerHost(cli, redis.url, name, { concurrency: 1 }))
    const pool = new ClusterPool({ redis: redis.url, workers: 2 })
    try {
      await Promise.all(hosts.map((host) => host.waitForLog(/waiting for runs/)))
      const all = pool.starmap<number>('square:square', squareArgs(2_000, 2), { chunksize: 1 })
      await waitFor('north at work', async () => ((await hostRecord(redis, 'north'))?.jobsDone ?? 0) > 50, { deadlineMs: 30_000 })
      await hosts[0].killTree()
      expect(await all).toEqual(squares(2_000))
      // Exactly once: each of the 2,000 units settled once, none failed, none left over.
      expect(pool.snapshot()).toMatchObject({ submitted: 2_000, completed: 2_000, failed: 0, pending: 0, running: 0 })
      await waitFor('the dead host\'s record gone', async () => (await hostRecord(redis, 'north')) === undefined, { deadlineMs: 10_000 })
      expect(await hostRecord(redis, 'south')).toBeDefined()
    } finally {
      await pool.terminate()
      await Promise.all(hosts.map((host) => host.killTree()))
      await redis.stop()
    }
  }, 90_000)
})

describe.skipIf(!needs.isAvailable)(needs.suite('ClusterPool without Redis'), () => {
  it('ready() rejects within seconds naming the URL, password masked, when nothing listens there', async () => {
    const redis = await startRedis()
    const { port } = redis
    await redis.stop()
    const pool = new ClusterPool({ redis: `redis://user:hunter2@127.0.0.1:${port}`, workers: 1 })
    try {
      const error = (await pool.ready().catch((e: unknown) => e)) as Error
      expect(error.name).toBe('RedisUnavailableError')
      expect(error.message).toMatch(new RegExp(`could not reach Redis at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`))
      expect(error.message).not.toContain('hunter2')
      // Work submitted anyway fails with the same error instead of waiting.
      await expect(pool.apply('square:square', [2, 0])).rejects.toThrow(/could not reach Redis/)
    } finally {
      await pool.terminate()
    }
  })

  it('fails the run with a clear error, and does not hang, when Redis is lost mid-run', async () => {
    const redis = await startRedis()
    const host = startWorkerHost(cli, redis.url, 'lone', { concurrency: 1 })
    const pool = new ClusterPool({ redis: redis.url, workers: 1 })
    try {
      await host.waitForLog(/waiting for runs/)
      await pool.ready()
      const all = pool.starmap('square:square', squareArgs(20, 2_000), { chunksize: 1 })
      await waitFor('the host at work', async () => (await hostRecord(redis, 'lone'))?.activeJobs.length, { deadlineMs: 10_000 })
      await redis.kill()
      const error = (await all.catch((e: unknown) => e)) as Error
      expect(error).toBeInstanceOf(TaskFailedError)
      expect((error as TaskFailedError).remoteName).toBe('RedisUnavailableError')
      expect(error.message).toMatch(/lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+/)
    } finally {
      await pool.terminate()
      await host.killTree()
      await redis.stop()
    }
  })
})
