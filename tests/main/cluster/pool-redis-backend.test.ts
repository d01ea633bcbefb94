/**
 * The API form, `new Pool({ backend: 'redis', redis: URL })`: the engine's own Pool, its
 * Redis backend loaded when it starts, on two real `poolscope worker` hosts of a Redis of the
 * test's own; and its options, checked by name before anything connects.
 */
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError, PoolTerminatedError, TaskAbortedError, TaskTimeoutError } from '../../../main/pool/errors'
import { Pool } from '../../../main/pool/pool'
import type { PoolOptions } from '../../../main/pool/types'
import { requireRedisInCi, runKeys, startRedis, useTestCluster } from '../../helpers/redis'
import { skipUnless } from '../../helpers/skip'
import { waitFor } from '../../helpers/wait-for'

const needs = requireRedisInCi(skipUnless('redis-server', 'build'))
const cli = resolve(__dirname, '../../../out/main/cli.js')
const squares = (n: number) => Array.from({ length: n }, (_, i) => i * i)
const squareArgs = (n: number, delayMs = 0) => Array.from({ length: n }, (_, i) => [i, delayMs])

function optionError(options: PoolOptions): InvalidOptionError {
  try {
    new Pool(options)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError)
    return error as InvalidOptionError
  }
  throw new Error('the pool was created')
}

describe('Pool backend "redis": options', () => {
  it('needs a redis URL, naming the field', () => {
    const error = optionError({ backend: 'redis', workers: 1 })
    expect(error.option).toBe('redis')
    expect(error.message).toMatch(/redis is required with backend "redis"/)
  })

  it('refuses a redis URL with any other backend', () => {
    for (const backend of [undefined, 'process', 'thread'] as const) {
      const error = optionError({ backend, redis: 'redis://127.0.0.1:6379', workers: 1 })
      expect(error.option).toBe('redis')
      expect(error.message).toMatch(/only for backend "redis" \(the backend is "(process|thread)"\)/)
    }
  })

  it('refuses a URL that is not a Redis one, password masked', () => {
    const error = optionError({ backend: 'redis', redis: 'http://user:hunter2@10.0.0.5:6379', workers: 1 })
    expect(error.option).toBe('redis')
    expect(error.message).toMatch(/expected a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/user:\*\*\*@10\.0\.0\.5:6379"/)
    expect(error.message).not.toContain('hunter2')
    expect(optionError({ backend: 'redis', redis: 42 as unknown as string }).message).toMatch(/redis must be a URL string/)
  })

  it.each(['initializer', 'workerScript', 'env', 'serialization'] as const)('refuses %s, which means nothing on remote hosts', (key) => {
    const values = { initializer: { fn: 'builtin:identity' }, workerScript: '/tmp/worker.js', env: { A: '1' }, serialization: 'advanced' } as const
    const error = optionError({ backend: 'redis', redis: 'redis://127.0.0.1:6379', [key]: values[key] })
    expect(error.option).toBe(key)
    expect(error.message).toMatch(/has no meaning with backend "redis"/)
  })
})

describe.skipIf(!needs.isAvailable)(needs.suite('Pool backend "redis" on two worker hosts'), () => {
  const cluster = useTestCluster(cli, ['east', 'west'])
  const open = (options: PoolOptions = {}) => cluster.track(new Pool({ backend: 'redis', redis: cluster.redis.url, workers: 2, ...options }))

  it('map over 2,000 inputs, submitted before the backend has loaded, gives every square in input order', async () => {
    const pool = open()
    expect(pool.backend).toBe('redis')
    // No ready() first: the work waits in the queue while the cluster's modules load.
    expect(await pool.starmap('square:square', squareArgs(2_000), { chunksize: 1 })).toEqual(squares(2_000))
    expect(pool.snapshot()).toMatchObject({ backend: 'redis', submitted: 2_000, completed: 2_000, failed: 0 })
  })

  it('map and imap with extraArgs: the hosts call fn(x, ...extraArgs), chunked and one by one', async () => {
    const pool = open()
    const xs = Array.from({ length: 200 }, (_, i) => i)
    expect(await pool.map('square:square', xs, { chunksize: 20, extraArgs: [0] })).toEqual(squares(200))
    expect(await pool.map('square:square', xs.slice(0, 10), { chunksize: 1, extraArgs: [0] })).toEqual(squares(10))
    const lazy: unknown[] = []
    for await (const value of pool.imap('square:square', xs, { chunksize: 7, extraArgs: [0] })) lazy.push(value)
    expect(lazy).toEqual(squares(200))
  })

  it('map with auto chunks, imap in order, imapUnordered, applyAsync with its callback', async () => {
    const pool = open()
    await pool.ready()
    const inputs = Array.from({ length: 300 }, (_, i) => i)
    expect(await pool.map('builtin:identity', inputs)).toEqual(inputs)
    const ordered: unknown[] = []
    for await (const value of pool.imap('builtin:identity', inputs, { chunksize: 7 })) ordered.push(value)
    expect(ordered).toEqual(inputs)
    const unordered: number[] = []
    for await (const value of pool.imapUnordered<number>('builtin:identity', inputs.slice(0, 40))) unordered.push(value)
    expect(unordered.sort((a, b) => a - b)).toEqual(inputs.slice(0, 40))
    const seen: number[] = []
    expect(await pool.applyAsync<number>('square:square', [12, 0], { callback: (value) => seen.push(value) }).get()).toBe(144)
    expect(seen).toEqual([144])
  })

  it('fails a task past the pool\'s timeout with TaskTimeoutError, and carries on', async () => {
    const pool = open({ taskTimeoutMs: 500 })
    await expect(pool.apply('builtin:sleep', [30_000])).rejects.toBeInstanceOf(TaskTimeoutError)
    expect(await pool.apply('square:square', [5, 0])).toBe(25)
  })

  it('an AbortSignal rejects the map with TaskAbortedError', async () => {
    const pool = open()
    await pool.ready()
    const controller = new AbortController()
    const all = pool.starmap('square:square', squareArgs(20, 10_000), { chunksize: 1, signal: controller.signal })
    await waitFor('units running', () => pool.snapshot().running > 0, { deadlineMs: 10_000 })
    controller.abort('stop')
    await expect(all).rejects.toBeInstanceOf(TaskAbortedError)
  })

  it('close() then join() ends the run in Redis', async () => {
    const pool = open()
    expect(await pool.map('builtin:identity', [1, 2, 3])).toEqual([1, 2, 3])
    pool.close()
    await pool.join()
    expect(pool.state).toBe('closed')
    // A host may still write a run key (its stalled-check marker) while it stops serving the run;
    // it sweeps the run's keys again once it has stopped (run-cleanup.ts).
    await waitFor('no key of the run', async () => runKeys(await cluster.redis.keys()).length === 0, { deadlineMs: 10_000 })
  })

  it('close() with work queued while the backend loads still runs that work', async () => {
    const pool = open()
    const all = pool.map('builtin:identity', [1, 2, 3], { chunksize: 1 })
    pool.close()
    expect(await all).toEqual([1, 2, 3])
    await pool.join()
    expect(pool.state).toBe('closed')
  })

  it('terminate() while the backend loads rejects the queued work and connects to nothing', async () => {
    const pool = open()
    const all = pool.map('builtin:identity', [1, 2, 3])
    await pool.terminate()
    await expect(all).rejects.toBeInstanceOf(PoolTerminatedError)
    await expect(pool.apply('builtin:identity', [1])).rejects.toBeInstanceOf(PoolTerminatedError)
    expect(runKeys(await cluster.redis.keys())).toEqual([])
  })
})

describe.skipIf(!needs.isAvailable)(needs.suite('Pool backend "redis" without Redis'), () => {
  it('ready() rejects naming the URL, password masked, and work fails with the same error', async () => {
    const redis = await startRedis()
    const { port } = redis
    await redis.stop()
    const pool = new Pool({ backend: 'redis', redis: `redis://user:hunter2@127.0.0.1:${port}`, workers: 1 })
    try {
      const error = (await pool.ready().catch((e: unknown) => e)) as Error
      expect(error.name).toBe('RedisUnavailableError')
      expect(error.message).toMatch(new RegExp(`could not reach Redis at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port}: `))
      expect(error.message).not.toContain('hunter2')
      await expect(pool.apply('square:square', [2, 0])).rejects.toThrow(/could not reach Redis/)
    } finally {
      await pool.terminate()
    }
  })
})
