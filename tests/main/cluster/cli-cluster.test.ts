/**
 * The CLI on a cluster, as users run it: `poolscope worker` hosts and `poolscope run --redis`,
 * all real processes of the built CLI, on a Redis of the test's own.
 */
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../helpers/cli'
import { requireRedisInCi, startRedis, startWorkerHost, type TestRedis, type TestWorkerHost } from '../../helpers/redis'
import { skipUnless } from '../../helpers/skip'
import { waitFor } from '../../helpers/wait-for'

const needs = requireRedisInCi(skipUnless('redis-server', 'build'))
const cli = resolve(__dirname, '../../../out/main/cli.js')
const runKeys = (keys: string[]) => keys.filter((key) => !key.startsWith('poolscope:hosts:'))

describe.skipIf(!needs.isAvailable)(needs.suite('poolscope run --redis on two worker hosts'), () => {
  let redis: TestRedis
  let hosts: TestWorkerHost[] = []

  beforeAll(async () => {
    redis = await startRedis()
    hosts = ['one', 'two'].map((name) => startWorkerHost(cli, redis.url, name, { concurrency: 1 }))
    await Promise.all(hosts.map((host) => host.waitForLog(/waiting for runs/)))
  })
  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.killTree()))
    await redis?.stop()
  })

  it('runs heavy-sum with its exact check, on both hosts', async () => {
    const run = await runCli(['run', 'heavy-sum', '--redis', redis.url, '--workers', '2', '--set', 'n=3000000', '--set', 'm=4', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout) as { ok: boolean; backend: string; redis: string; check: { ok: boolean; summary: string }; result: { sums: string[] } }
    expect(out).toMatchObject({ ok: true, backend: 'cluster', redis: redis.url, check: { ok: true } })
    expect(out.check.summary).toMatch(/all 4 sums equal n\(n−1\)\/2 = 4499998500000 exactly/)
    await waitFor('both hosts to have run jobs', () => hosts.every((h) => /serving run/.test(h.log())))
  })

  it('runs square over 2,000 inputs, every result in order', async () => {
    const run = await runCli(['run', 'square', '--redis', redis.url, '--workers', '2', '--set', 'count=2000', '--set', 'delayMs=0', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout) as { ok: boolean; result: { squares: number[]; allCorrect: boolean } }
    expect(out.result.squares).toEqual(Array.from({ length: 2_000 }, (_, i) => i * i))
    expect(await waitFor('no run left', async () => runKeys(await redis.keys()).length === 0 || undefined, { deadlineMs: 10_000 })).toBe(true)
  })

  it('on Ctrl-C stops the run, exits 130, and leaves nothing of the run in Redis', async () => {
    const run = await runCli(
      ['run', 'square', '--redis', redis.url, '--workers', '2', '--set', 'count=40', '--set', 'delayMs=20000'],
      async (child) => {
        await waitFor('jobs of this run running on the hosts', async () => {
          const client = redis.client()
          const runs = await client.hkeys('poolscope:runs')
          const records = await client.mget('poolscope:hosts:one', 'poolscope:hosts:two')
          return records.some((text) => text !== null && (JSON.parse(text) as { activeJobs: { run: string }[] }).activeJobs.some((job) => runs.includes(job.run)))
        }, { deadlineMs: 15_000 })
        process.kill(-child.pid!, 'SIGINT')
      },
      { isOwnProcessGroup: true }
    )
    expect(run.code, run.stderr).toBe(130)
    expect(run.stderr).toMatch(/square stopped after/)
    await waitFor('nothing of the run in Redis', async () => runKeys(await redis.keys()).length === 0, { deadlineMs: 10_000 })
  })

  it('bench --redis times worker counts across the hosts against this process, and its report names backend redis', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const dataHome = await mkdtemp(resolve(tmpdir(), 'poolscope-bench-redis-'))
    try {
      const run = await runCli(
        ['bench', 'heavy-sum', '--redis', redis.url, '--workers', '1,2', '--runs', '1', '--warmup', '0', '--set', 'n=2000000', '--set', 'm=4', '--json'],
        undefined,
        { env: { XDG_DATA_HOME: dataHome } }
      )
      expect(run.code, run.stderr).toBe(0)
      const report = JSON.parse(run.stdout) as { task: string; backend: string; results: { workers: number }[]; file?: string }
      expect(report).toMatchObject({ task: 'heavy-sum', backend: 'redis' })
      expect(report.results.map((row) => row.workers)).toEqual([1, 2])
      expect(JSON.stringify(report)).not.toContain('undefined')
    } finally {
      await rm(dataHome, { recursive: true, force: true })
    }
  })

  it('refuses a malformed --redis with exit 2, the value shown with its password masked', async () => {
    const run = await runCli(['run', 'square', '--redis', 'http://user:swordfish@h:1'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--redis: expected a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/user:\*\*\*@h:1"/)
    expect(run.stderr + run.stdout).not.toContain('swordfish')
  })
})

describe.skipIf(!needs.isAvailable)(needs.suite('poolscope run --redis without a usable Redis'), () => {
  it('exits 1 within seconds naming the URL when nothing listens there', async () => {
    const redis = await startRedis()
    const { port } = redis
    await redis.stop()
    const startedAt = Date.now()
    const run = await runCli(['run', 'square', '--redis', `redis://127.0.0.1:${port}`, '--set', 'count=5'])
    expect(run.code).toBe(1)
    expect(run.stdout + run.stderr).toMatch(new RegExp(`could not reach Redis at redis://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`))
    // No timing threshold: only that it ended by itself (runCli would wait forever on a hang).
    expect(Date.now()).toBeGreaterThan(startedAt)
  })

  it('exits 1 when the URL points at something that is not Redis', async () => {
    const { createServer } = await import('node:http')
    const server = createServer((_, res) => res.end('hello')).listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    const { port } = server.address() as { port: number }
    try {
      const run = await runCli(['run', 'square', '--redis', `redis://127.0.0.1:${port}`, '--set', 'count=5'])
      expect(run.code).toBe(1)
      expect(run.stdout + run.stderr).toMatch(new RegExp(`could not reach Redis at redis://127\\.0\\.0\\.1:${port}: the server there does not speak Redis`))
    } finally {
      server.close()
    }
  })

  it('masks the password in every line when Redis refuses it', async () => {
    const redis = await startRedis({ password: 'open-sesame' })
    try {
      const run = await runCli(['run', 'square', '--redis', `redis://:wrong-sesame@127.0.0.1:${redis.port}`, '--set', 'count=5', '--json'])
      expect(run.code).toBe(1)
      const text = run.stdout + run.stderr
      expect(text).toMatch(/could not reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: WRONGPASS/)
      expect(text).not.toContain('wrong-sesame')
    } finally {
      await redis.stop()
    }
  })

  it('fails the run with exit 1, and does not hang, when Redis is lost mid-run', async () => {
    const redis = await startRedis()
    const host = startWorkerHost(cli, redis.url, 'solo', { concurrency: 1 })
    try {
      await host.waitForLog(/waiting for runs/)
      const run = await runCli(['run', 'square', '--redis', redis.url, '--workers', '1', '--set', 'count=30', '--set', 'delayMs=1000'], async () => {
        await host.waitForLog(/serving run/)
        await redis.kill()
      })
      expect(run.code).toBe(1)
      expect(run.stdout + run.stderr).toMatch(/lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+/)
    } finally {
      await host.killTree()
      await redis.stop()
    }
  })
})
