/**
 * Per-call options and outcome order on the cluster, through two real `poolscope worker` hosts on
 * a Redis of the test's own: a call's own timeout travels with its job and the host enforces it;
 * bad timeout or retries in raw job data fail that job naming the field; a virtual worker hands
 * each result over as its job completes, so `imapUnordered` yields in completion order (within one
 * virtual worker holding several jobs: tests/main/cluster/adapter-in-engine.test.ts).
 */
import { resolve } from 'node:path'
import { Queue } from 'bullmq'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ClusterPool } from '../../../main/cluster/cluster-pool'
import type { HostRecord } from '../../../main/cluster/host-record'
import { hostKey, PREFIX } from '../../../main/cluster/keys'
import { RedisBackend } from '../../../main/cluster/redis-backend'
import { parseRedisUrl } from '../../../main/cluster/redis-url'
import { TaskTimeoutError } from '../../../main/pool/errors'
import type { FromWorker, UnitOutcome, WireUnit } from '../../../main/pool/protocol'
import { requireRedisInCi, startRedis, startWorkerHost, type TestRedis, type TestWorkerHost } from '../../helpers/redis'
import { skipUnless } from '../../helpers/skip'
import { waitFor } from '../../helpers/wait-for'

const needs = requireRedisInCi(skipUnless('redis-server', 'build'))
const cli = resolve(__dirname, '../../../out/main/cli.js')
const HOSTS = ['north', 'south']

/** Every slot of both hosts has a process ready (a slot replaced by an earlier test may still be starting). */
async function allSlotsReady(redis: TestRedis): Promise<boolean> {
  const texts = await Promise.all(HOSTS.map((name) => redis.client().get(hostKey(name))))
  return texts.every((text) => text !== null && (JSON.parse(text) as HostRecord).slots.every((slot) => slot.state === 'idle'))
}

async function restarts(redis: TestRedis): Promise<number> {
  const texts = await Promise.all(HOSTS.map((name) => redis.client().get(hostKey(name))))
  return texts.reduce((sum, text) => sum + (text ? (JSON.parse(text) as HostRecord).slots.reduce((s, slot) => s + slot.restarts, 0) : 0), 0)
}

describe.skipIf(!needs.isAvailable)(needs.suite('per-call options and outcome order on the cluster'), () => {
  let redis: TestRedis
  let hosts: TestWorkerHost[] = []
  const pools: ClusterPool[] = []
  const backends: RedisBackend[] = []
  const open = (workers: number) => {
    const pool = new ClusterPool({ redis: redis.url, workers })
    pools.push(pool)
    return pool
  }

  beforeAll(async () => {
    redis = await startRedis()
    hosts = HOSTS.map((name) => startWorkerHost(cli, redis.url, name, { concurrency: 2 }))
    await Promise.all(hosts.map((host) => host.waitForLog(/waiting for runs/)))
  })
  afterEach(async () => {
    await Promise.all([...pools.splice(0).map((pool) => pool.terminate()), ...backends.splice(0).map((b) => b.dispose())])
  })
  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.killTree()))
    await redis?.stop()
  })

  it('a call\'s own timeoutMs shorter than its task fails it with TaskTimeoutError while the other calls succeed', async () => {
    const before = await restarts(redis)
    const pool = open(3)
    await pool.ready()
    const [late, quick, inTime] = await Promise.allSettled([
      pool.apply('builtin:sleep', [30_000], { timeoutMs: 500 }),
      pool.apply('square:square', [7, 0]),
      pool.apply('builtin:sleep', [300], { timeoutMs: 20_000 })
    ])
    expect(late.status === 'rejected' && late.reason).toBeInstanceOf(TaskTimeoutError)
    expect(late.status === 'rejected' && (late.reason as TaskTimeoutError).timeoutMs).toBe(500)
    expect(quick).toEqual({ status: 'fulfilled', value: 49 })
    expect(inTime).toEqual({ status: 'fulfilled', value: 300 })
    // The child that ran the overdue call was killed and replaced on its host.
    await waitFor('a replaced slot', async () => (await restarts(redis)) > before, { deadlineMs: 10_000 })
    expect(await pool.apply('square:square', [8, 0], { timeoutMs: 20_000 })).toBe(64)
  })

  it('the host enforces the timeout a unit carries: its job fails with TaskTimeoutError and its child is replaced', async () => {
    const before = await restarts(redis)
    // A run's backend and one virtual worker, driven as the engine drives it, with no pool defaults:
    // the only timeout is the one the unit carries.
    const backend = new RedisBackend({ target: parseRedisUrl(redis.url), workers: 1, label: 'per-unit timeout' })
    backends.push(backend)
    const adapter = backend.createAdapter({ workerScript: '', name: 'v1' })
    const outcomes: UnitOutcome[] = []
    adapter.onMessage((m: FromWorker) => m.type === 'results' && outcomes.push(...m.outcomes))
    adapter.send({ type: 'init', workerId: 0, name: 'v1' })
    await backend.connected
    const units: WireUnit[] = [
      { id: 1, fn: 'builtin:sleep', args: [20_000], timeoutMs: 300 },
      { id: 2, fn: 'square:square', args: [6, 0], timeoutMs: 20_000 }
    ]
    adapter.send({ type: 'run', units })
    await waitFor('two outcomes', () => outcomes.length >= 2, { deadlineMs: 30_000 })
    const byId = Object.fromEntries(outcomes.map((o) => [o.id, o]))
    expect(byId[1]).toMatchObject({ ok: false, error: { name: 'TaskTimeoutError' } })
    expect(byId[1]!.ok === false && byId[1]!.error.message).toMatch(/ran longer than 300 ms on (north|south); its process was killed and replaced/)
    expect(byId[2]).toMatchObject({ ok: true, value: 36 })
    await waitFor('a replaced slot', async () => (await restarts(redis)) > before, { deadlineMs: 10_000 })
  })

  it('bad timeoutMs or retries in raw job data fail that job naming the field and the reason; the hosts serve on', async () => {
    const pool = open(1)
    await pool.ready()
    const queue = new Queue(`run-${pool.runId}`, { connection: { url: redis.url }, prefix: PREFIX })
    try {
      const bad: [string, Record<string, unknown>][] = [
        ['raw-negative', { timeoutMs: -5 }],
        ['raw-text', { timeoutMs: 'soon' }],
        ['raw-huge', { timeoutMs: 1e12 }],
        ['raw-retries', { retries: 1.5 }],
        ['raw-extra', { extra: [1] }]
      ]
      for (const [jobId, extra] of bad) await queue.add('bad', { fn: 'square:square', args: [1, 0], ...extra }, { jobId })
      const failed = await waitFor('five failed jobs', async () => {
        const jobs = await queue.getFailed()
        return jobs.length === bad.length ? jobs : undefined
      }, { deadlineMs: 20_000 })
      const reasons = Object.fromEntries(failed.map((job) => [job.id, job.failedReason]))
      expect(reasons['raw-negative']).toMatch(/^JobDataError: job raw-negative: bad job data: timeoutMs must be a number of milliseconds > 0/)
      expect(reasons['raw-text']).toMatch(/timeoutMs must be a number of milliseconds/)
      expect(reasons['raw-huge']).toMatch(/timeoutMs must be ≤ 2147483647 ms/)
      expect(reasons['raw-retries']).toMatch(/retries must be an integer ≥ 0/)
      expect(reasons['raw-extra']).toMatch(/extra goes with inputs only/)
      expect(await pool.apply('square:square', [4, 0], { timeoutMs: 20_000 })).toBe(16)
    } finally {
      await queue.close()
    }
  })

  it('four virtual workers on four slots: imapUnordered yields each result as its job completes, map and imap in input order', async () => {
    await waitFor('every slot ready', () => allSlotsReady(redis), { deadlineMs: 20_000 })
    // One job per virtual worker, each on a slot of its own (2 hosts × 2), finishing 400 ms apart.
    const pool = open(4)
    await pool.ready()
    const delays = [1_600, 1_200, 800, 400]
    const unordered: number[] = []
    for await (const value of pool.imapUnordered<number>('builtin:sleep', delays, { chunksize: 1 })) unordered.push(value)
    expect(unordered).toEqual([...delays].reverse())
    expect(await pool.map('builtin:sleep', delays, { chunksize: 1 })).toEqual(delays)
    const ordered: number[] = []
    for await (const value of pool.imap<number>('builtin:sleep', delays, { chunksize: 1 })) ordered.push(value)
    expect(ordered).toEqual(delays)
  })
})
