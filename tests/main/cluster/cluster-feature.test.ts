/**
 * The cluster feature on a Redis of the test's own with a real `poolscope worker` host: what
 * `cluster:state` says of hosts, slots, queue depth and failed jobs, `cluster:retry`, runs from
 * the app on the cluster (spans carrying the host), a killed host shown gone, and nothing at all
 * when no Redis is named.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ClusterState, EventChannel, EventPayloads } from '../../../shared/contract'
import { createApp, type App } from '../../../main/app'
import { createClusterFeature } from '../../../main/cluster/cluster-feature'
import { ClusterPool } from '../../../main/cluster/cluster-pool'
import { parseRedisUrl } from '../../../main/cluster/redis-url'
import type { Reply } from '../../../main/ipc/dispatcher'
import { EventHub } from '../../../main/ipc/event-hub'
import { requireRedisInCi, startRedis, startWorkerHost, type TestRedis, type TestWorkerHost } from '../../helpers/redis'
import { skipUnless } from '../../helpers/skip'
import { waitFor } from '../../helpers/wait-for'

const needs = requireRedisInCi(skipUnless('redis-server', 'build'))
const cli = resolve(__dirname, '../../../out/main/cli.js')
const ctx = { senderId: 'test:1' }

function valueOf<T>(reply: Reply): T {
  if (!reply.ok) throw new Error(`refused: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}

describe('the cluster feature without a Redis', () => {
  it('connects to nothing, tells the renderer there is no cluster, and refuses cluster requests', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'poolscope-cluster-none-'))
    const hub = new EventHub()
    const seen: EventChannel[] = []
    hub.subscribeAll((channel) => seen.push(channel))
    const app = await createApp({ hub, mode: 'browser', allowLaunch: false, dataDir })
    try {
      expect(valueOf<object>(await app.dispatch('app:info', {}, ctx))).not.toHaveProperty('cluster')
      const retry = await app.dispatch('cluster:retry', { runId: 'abc', jobId: 'w1-1' }, ctx)
      expect(retry).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringContaining('--redis') } })
      const run = await app.dispatch('run:start', { taskId: 'square', workers: 1, backend: 'redis' }, ctx)
      expect(run).toMatchObject({ ok: false, error: { code: 'invalid-payload', issues: [{ path: 'backend' }] } })
      expect(valueOf<unknown[]>(await app.dispatch('run:list', {}, ctx))).toEqual([])
      await new Promise((r) => setTimeout(r, 1_200))
      expect(seen).not.toContain('cluster:state')
    } finally {
      await app.dispose()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})

describe.skipIf(!needs.isAvailable)(needs.suite('the cluster feature on a worker host'), () => {
  let redis: TestRedis
  let east: TestWorkerHost
  const states: ClusterState[] = []
  const hub = { publish: <E extends EventChannel>(channel: E, payload: EventPayloads[E]) => channel === 'cluster:state' && states.push(payload as ClusterState) }
  let feature: ReturnType<typeof createClusterFeature> | undefined
  const pools: ClusterPool[] = []
  const latest = () => states.at(-1)

  beforeAll(async () => {
    redis = await startRedis({ password: 's3cret-pw' })
    east = startWorkerHost(cli, redis.url, 'east', { concurrency: 2 })
    await east.waitForLog(/waiting for runs/)
  })
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.terminate()))
    await feature?.dispose()
    feature = undefined
    states.length = 0
  })
  afterAll(async () => {
    await east?.killTree()
    await redis?.stop()
  })

  const start = () => (feature = createClusterFeature({ hub, redis: parseRedisUrl(redis.url) }))

  it('publishes the host with its cores and slots, and the Redis URL with its password masked', async () => {
    start()
    const state = await waitFor('east in cluster:state', () => latest()?.hosts.some((h) => h.name === 'east') && latest(), { deadlineMs: 10_000 })
    expect(state.isConnected).toBe(true)
    expect(state.redis).not.toContain('s3cret-pw')
    expect(state.redis).toContain('***')
    expect(feature!.info).toEqual({ redis: state.redis })
    const host = state.hosts.find((h) => h.name === 'east')!
    expect(host).toMatchObject({ status: 'up', goneAt: undefined })
    expect(host.coreBusyPercent).toHaveLength(availableParallelism())
    expect(host.slots.map((slot) => slot.slot)).toHaveLength(2)
    expect(JSON.stringify(states)).not.toContain('s3cret-pw')
  })

  it('counts a run\'s jobs by state, lists a failed job with its error, and retries it', async () => {
    start()
    const pool = new ClusterPool({ redis: redis.url, workers: 8, name: 'feature-test' })
    pools.push(pool)
    await pool.ready()
    // Two slots: two long jobs run, two wait.
    const sleeps = [0, 1, 2, 3].map(() => pool.apply('builtin:sleep', [3_000]))
    const busy = await waitFor('2 active and 2 waiting', () => {
      const run = latest()?.runs.find((r) => r.runId === pool.runId)
      return run && run.depth.active === 2 && run.depth.waiting === 2 && latest()
    }, { deadlineMs: 10_000 })
    expect(busy.runs.find((r) => r.runId === pool.runId)).toMatchObject({ label: 'feature-test', workers: 8 })
    expect(busy.depth.active).toBeGreaterThanOrEqual(2)
    expect(busy.hosts.find((h) => h.name === 'east')!.slots.filter((s) => s.state === 'busy')).toHaveLength(2)
    await Promise.all(sleeps)

    await expect(pool.apply('heavy-sum:sumRange', [-1, 5])).rejects.toThrow(/sumRange needs whole numbers/)
    const failed = await waitFor('the failed job', () => latest()?.failedJobs.find((job) => job.runId === pool.runId), { deadlineMs: 10_000 })
    expect(failed).toMatchObject({ fn: 'heavy-sum:sumRange', host: 'east', attemptsMade: 1, error: expect.stringMatching(/^RangeError: .*whole numbers/) })
    expect(latest()!.runs.find((r) => r.runId === pool.runId)!.depth.failed).toBe(1)
    const jobsFailed = latest()!.hosts.find((h) => h.name === 'east')!.jobsFailed

    expect(await feature!.handlers['cluster:retry']({ runId: pool.runId, jobId: failed.jobId })).toEqual({ retried: true })
    // It fails again (the same bad input), on the host, a second time.
    await waitFor('the job run a second time', () => latest()?.failedJobs.find((job) => job.jobId === failed.jobId && job.attemptsMade === 2), { deadlineMs: 10_000 })
    await waitFor('the host counting a second failure', () => (latest()?.hosts.find((h) => h.name === 'east')?.jobsFailed ?? 0) > jobsFailed, { deadlineMs: 10_000 })
    expect(await feature!.handlers['cluster:retry']({ runId: pool.runId, jobId: 'w1-999999' })).toEqual({ retried: false })
    expect(await feature!.handlers['cluster:retry']({ runId: 'no-such-run', jobId: failed.jobId })).toEqual({ retried: false })

    // The run's end takes its queue (and its failed jobs) out of the state.
    await pool.terminate()
    await waitFor('the run gone', () => latest() && !latest()!.runs.some((r) => r.runId === pool.runId) && latest()!.failedJobs.length === 0, { deadlineMs: 10_000 })
  }, 60_000)

  it('runs a dashboard run on the cluster, its spans carrying the host', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'poolscope-cluster-app-'))
    const appHub = new EventHub()
    const events: { channel: EventChannel; payload: unknown }[] = []
    appHub.subscribeAll((channel, payload) => events.push({ channel, payload }))
    let app: App | undefined
    try {
      app = await createApp({ hub: appHub, mode: 'browser', allowLaunch: false, dataDir, redis: parseRedisUrl(redis.url) })
      expect(valueOf<{ cluster?: { redis: string } }>(await app.dispatch('app:info', {}, ctx)).cluster?.redis).toMatch(/\*\*\*@127\.0\.0\.1/)
      const { runId } = valueOf<{ runId: string }>(await app.dispatch('run:start', { taskId: 'square', params: { count: 40 }, workers: 2, backend: 'redis' }, ctx))
      const finished = await waitFor('run:finished', () => events.find((e) => e.channel === 'run:finished')?.payload as EventPayloads['run:finished'] | undefined, { deadlineMs: 30_000 })
      expect(finished).toMatchObject({ runId, ok: true, state: 'succeeded' })
      const spans = events.filter((e) => e.channel === 'run:update').flatMap((e) => (e.payload as EventPayloads['run:update']).spans)
      expect(spans.length).toBeGreaterThan(0)
      expect(new Set(spans.map((span) => span.host))).toEqual(new Set(['east']))
      expect(valueOf<{ backend: string }[]>(await app.dispatch('run:list', {}, ctx))[0]).toMatchObject({ backend: 'redis' })
      await waitFor('cluster:state from the app', () => events.some((e) => e.channel === 'cluster:state'), { deadlineMs: 5_000 })
    } finally {
      await app?.dispose()
      await rm(dataDir, { recursive: true, force: true })
    }
  }, 60_000)

  it('shows a host that is killed as gone once its record expires', async () => {
    start()
    const west = startWorkerHost(cli, redis.url, 'west', { concurrency: 1 })
    try {
      await west.waitForLog(/waiting for runs/)
      await waitFor('west up', () => latest()?.hosts.some((h) => h.name === 'west' && h.status === 'up'), { deadlineMs: 10_000 })
      await west.killTree()
      const gone = await waitFor('west gone', () => latest()?.hosts.find((h) => h.name === 'west' && h.status === 'gone'), { deadlineMs: 15_000 })
      expect(gone.goneAt).toBeGreaterThan(0)
      expect(gone.slots.every((slot) => slot.state === 'exited')).toBe(true)
      expect(latest()!.hosts.find((h) => h.name === 'east')!.status).toBe('up')
    } finally {
      await west.killTree()
    }
  }, 40_000)
})
