/**
 * `poolscope worker` hosts as users run them (real processes of the built CLI) against a Redis of
 * the test's own. Jobs are sent through the run's backend and virtual worker directly, or put on
 * the run's queue raw with BullMQ, as anyone who can reach Redis could.
 */
import { resolve } from 'node:path'
import { Queue } from 'bullmq'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { HostRecord } from '../../../main/cluster/host-record'
import { hostKey, PREFIX } from '../../../main/cluster/keys'
import { RedisBackend } from '../../../main/cluster/redis-backend'
import { parseRedisUrl } from '../../../main/cluster/redis-url'
import type { FromWorker, UnitOutcome, WireUnit } from '../../../main/pool/protocol'
import { requireRedisInCi, startRedis, startWorkerHost, type TestRedis, type TestWorkerHost } from '../../helpers/redis'
import { skipUnless } from '../../helpers/skip'
import { waitFor } from '../../helpers/wait-for'

const needs = requireRedisInCi(skipUnless('redis-server', 'build'))
const cli = resolve(__dirname, '../../../out/main/cli.js')

/** A run's backend and one virtual worker, driven by protocol messages as the engine drives it. */
async function openRun(url: string, jobDefaults: { timeoutMs?: number } = {}) {
  const backend = new RedisBackend({ target: parseRedisUrl(url), workers: 1, label: 'worker-host test', jobDefaults })
  const adapter = backend.createAdapter({ workerScript: '', name: 'v1' }) as ReturnType<RedisBackend['createAdapter']>
  const outcomes: UnitOutcome[] = []
  adapter.onMessage((m: FromWorker) => m.type === 'results' && outcomes.push(...m.outcomes))
  adapter.send({ type: 'init', workerId: 0, name: 'v1' })
  await backend.connected
  return {
    backend,
    outcomes,
    send: (units: WireUnit[]) => adapter.send({ type: 'run', units }),
    waitFor: (count: number) => waitFor(`${count} outcomes`, () => outcomes.length >= count, { deadlineMs: 30_000 })
  }
}

async function hostRecord(redis: TestRedis, name: string): Promise<HostRecord | undefined> {
  const text = await redis.client().get(hostKey(name))
  return text ? (JSON.parse(text) as HostRecord) : undefined
}

describe.skipIf(!needs.isAvailable)(needs.suite('poolscope worker'), () => {
  let redis: TestRedis
  let host: TestWorkerHost
  const runs: RedisBackend[] = []

  beforeAll(async () => {
    redis = await startRedis()
    host = startWorkerHost(cli, redis.url, 'alpha', { concurrency: 2 })
    await host.waitForLog(/waiting for runs/)
  })
  afterEach(async () => {
    await Promise.all(runs.splice(0).map((run) => run.dispose()))
  })
  afterAll(async () => {
    await host?.stop()
    await redis?.stop()
  })

  it('publishes its record every second: name, pid, one entry per slot, per-core load', async () => {
    const record = await waitFor('the host record', () => hostRecord(redis, 'alpha'))
    expect(record).toMatchObject({ name: 'alpha', pid: host.child.pid, jobsDone: 0 })
    expect(record.slots.map((s) => s.slot)).toEqual([0, 1])
    expect(record.coreBusyPercent.length).toBeGreaterThan(0)
    const ttl = await redis.client().pttl(hostKey('alpha'))
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(3_000)
  })

  it('fails a job whose data is malformed with the field and the reason, and keeps serving', async () => {
    const run = await openRun(redis.url)
    runs.push(run.backend)
    const queue = new Queue(run.backend.queueName, { connection: { url: redis.url }, prefix: PREFIX })
    try {
      await queue.add('bad', { fn: 'square:square', args: 'seven' }, { jobId: 'raw-1' })
      await queue.add('bad', { fn: '/etc/passwd:x', args: [] }, { jobId: 'raw-2' })
      await queue.add('bad', { fn: 'square:square', args: [1], inputs: [2] }, { jobId: 'raw-3' })
      await queue.add('bad', { fn: 'square:nothing', args: [1] }, { jobId: 'raw-4' })
      const failed = await waitFor('four failed jobs', async () => {
        const jobs = await queue.getFailed()
        return jobs.length === 4 ? jobs : undefined
      }, { deadlineMs: 20_000 })
      const reasons = Object.fromEntries(failed.map((job) => [job.id, job.failedReason]))
      expect(reasons['raw-1']).toMatch(/^JobDataError: job raw-1: bad job data: args must be an array of arguments/)
      expect(reasons['raw-2']).toMatch(/fn must be a function reference "<task-id>:<export>".*never a module path/)
      expect(reasons['raw-3']).toMatch(/must carry exactly one of args, inputs or chunk/)
      expect(reasons["raw-4"]).toMatch(/fn "square:nothing" is not a function on this worker host/)
      // The host lives on and runs the next good job.
      run.send([{ id: 1, fn: 'square:square', args: [9, 0] }])
      await run.waitFor(1)
      expect(run.outcomes[0]).toMatchObject({ ok: true, value: 81 })
    } finally {
      await queue.close()
    }
  })

  it('fails a job past its timeout with TaskTimeoutError and replaces the slot\'s process', async () => {
    const before = await waitFor('the host record', () => hostRecord(redis, 'alpha'))
    const restartsBefore = before.slots.reduce((sum, s) => sum + s.restarts, 0)
    const run = await openRun(redis.url, { timeoutMs: 300 })
    runs.push(run.backend)
    run.send([{ id: 1, fn: 'builtin:sleep', args: [20_000] }])
    await run.waitFor(1)
    expect(run.outcomes[0]).toMatchObject({ ok: false, error: { name: 'TaskTimeoutError' } })
    expect(run.outcomes[0].ok === false && run.outcomes[0].error.message).toMatch(/ran longer than 300 ms on alpha; its process was killed and replaced/)
    await waitFor('a replaced slot in the host record', async () => {
      const record = await hostRecord(redis, 'alpha')
      return record && record.slots.reduce((sum, s) => sum + s.restarts, 0) > restartsBefore
    })
    // The host serves on (a run without a timeout: the fresh process may take a while to load).
    const next = await openRun(redis.url)
    runs.push(next.backend)
    next.send([{ id: 1, fn: 'square:square', args: [3, 0] }])
    await next.waitFor(1)
    expect(next.outcomes[0]).toMatchObject({ ok: true, value: 9 })
  })
})

describe.skipIf(!needs.isAvailable)(needs.suite('poolscope worker when Redis goes away'), () => {
  it('says so and retries with a growing wait, then serves again once Redis is back', async () => {
    const redis = await startRedis()
    const host = startWorkerHost(cli, redis.url, 'beta', { concurrency: 1 })
    try {
      await host.waitForLog(/waiting for runs/)
      const { port } = redis
      await redis.kill()
      await host.waitForLog(/lost Redis at redis:\/\/127\.0\.0\.1:\d+ \(.*\); retrying in 0\.5 s/)
      await host.waitForLog(/retrying in 2\.0 s/, 20_000)
      expect(host.child.exitCode).toBeNull()
      const again = await startRedis({ port })
      try {
        await host.waitForLog(/reconnected to redis:\/\/127\.0\.0\.1/, 20_000)
        await waitFor('the host record again', () => hostRecord(again, 'beta'), { deadlineMs: 10_000 })
      } finally {
        await again.stop()
      }
    } finally {
      await host.killTree()
      await redis.stop()
    }
  })

  it('exits 1 when Redis refuses its password, naming the URL with the password masked', async () => {
    const redis = await startRedis({ password: 'right-horse' })
    const url = `redis://:wrong-battery@127.0.0.1:${redis.port}`
    const host = startWorkerHost(cli, url, 'gamma', { concurrency: 1 })
    try {
      expect(await host.exited).toBe(1)
    } catch (error) {
      throw new Error(`${String(error)}\n${host.log()}`)
    } finally {
      await host.killTree()
      await redis.stop()
    }
    expect(host.log()).toMatch(/could not reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: (WRONGPASS|ERR)/)
    expect(host.log()).not.toContain('wrong-battery')
  })
})
