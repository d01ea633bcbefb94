/**
 * The engine's own Pool over RedisWorkerAdapters whose jobs a fake channel finishes after each
 * input's delay (no Redis): what reaches the wire per call, and that outcomes handed over out of
 * order keep `map` ordered and let `imapUnordered` yield in completion order.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { JobData } from '../../../main/cluster/job-data'
import { RedisWorkerAdapter, type JobChannel } from '../../../main/cluster/redis-worker-adapter'
import { Pool } from '../../../main/pool/pool'
import type { WorkerBackend } from '../../../main/pool/worker-adapter'

/**
 * Each job finishes `input` ms after it is added, with the input as its value, reported as having
 * run `reportedMs` (what the engine learns its depth from).
 */
function delayBackend(Adapter: typeof RedisWorkerAdapter = RedisWorkerAdapter, reported = { ms: 0 }) {
  const sent: JobData[] = []
  /** How many jobs each addJobs call carried (one Redis transaction each). */
  const batches: number[] = []
  let seq = 0
  const channel: JobChannel = {
    connected: Promise.resolve(),
    failure: undefined,
    jobDefaults: {},
    addJobs(owner, jobs) {
      batches.push(jobs.length)
      for (const { jobId, data } of jobs) {
        sent.push(data)
        const values = data.args ?? data.inputs ?? data.chunk ?? []
        const delay = Math.max(0, ...values.map(Number).filter(Number.isFinite))
        setTimeout(() => {
          const now = Date.now()
          owner.settle(jobId, { ok: true, value: data.args ? values[0] : values, startedAt: now - reported.ms, endedAt: now })
        }, delay)
      }
    },
    cancelJobs: () => undefined
  }
  const backend: WorkerBackend = { name: 'fake-redis', createAdapter: () => new Adapter(channel, ++seq) }
  return { backend, sent, batches }
}

describe('the engine on RedisWorkerAdapters', () => {
  const pools: Pool[] = []
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.terminate()))
  })

  it('sends each call\'s own timeout and retries with its job, else the pool\'s', async () => {
    const { backend, sent } = delayBackend()
    const pool = new Pool({ backend, workers: 1, taskTimeoutMs: 9_000, retries: 1 })
    pools.push(pool)
    expect(await pool.apply('builtin:identity', [1], { timeoutMs: 1_234, retries: 3 })).toBe(1)
    expect(await pool.apply('builtin:identity', [2])).toBe(2)
    expect(await pool.apply('builtin:identity', [3], { retries: 0 })).toBe(3)
    expect(sent).toEqual([
      { fn: 'builtin:identity', args: [1], timeoutMs: 1_234, retries: 3 },
      { fn: 'builtin:identity', args: [2], timeoutMs: 9_000, retries: 1 },
      { fn: 'builtin:identity', args: [3], timeoutMs: 9_000 }
    ])
  })

  it('sends a map\'s extraArgs with each chunk\'s job, once, not once per input', async () => {
    const { backend, sent } = delayBackend()
    const pool = new Pool({ backend, workers: 1 })
    pools.push(pool)
    expect(await pool.map('builtin:identity', [0, 0, 0, 0], { chunksize: 2, extraArgs: [9] })).toEqual([0, 0, 0, 0])
    expect(sent.filter((data) => data.inputs)).toEqual([
      { fn: 'builtin:identity', inputs: [0, 0], extra: [9] },
      { fn: 'builtin:identity', inputs: [0, 0], extra: [9] }
    ])
  })

  it('one worker holding many units: map stays in input order, imapUnordered yields in completion order', async () => {
    const { backend, sent } = delayBackend()
    const pool = new Pool({ backend, workers: 1 })
    pools.push(pool)
    // Measured as taking no time, so the engine lines many units up on the one worker.
    await pool.apply('builtin:identity', [0])
    // Four: imapUnordered keeps up to four units per worker out at once.
    const delays = [240, 160, 80, 0]
    expect(await pool.map('builtin:identity', delays, { chunksize: 1 })).toEqual(delays)
    const before = sent.length
    const order: unknown[] = []
    for await (const value of pool.imapUnordered('builtin:identity', delays, { chunksize: 1 })) order.push(value)
    // All four were out at once on the one worker: a result held back behind a slower one would come late.
    expect(sent.length - before).toBe(delays.length)
    expect(order).toEqual([...delays].reverse())
    let index = 0
    for await (const value of pool.imap('builtin:identity', delays, { chunksize: 1 })) expect(value).toBe(delays[index++])
    expect(index).toBe(delays.length)
  })

  it.each([
    ['half a line at a time', RedisWorkerAdapter, (batches: number[]) => expect(batches.length).toBeLessThanOrEqual(6)],
    [
      'one per finished job without refillsInBatches',
      class extends RedisWorkerAdapter {
        override readonly refillsInBatches = false
      },
      (batches: number[]) => expect(batches.length).toBeGreaterThan(50)
    ]
  ])('tiny jobs finishing one by one are added %s', async (_how, Adapter, check) => {
    const { backend, batches } = delayBackend(Adapter)
    const pool = new Pool({ backend, workers: 2 })
    pools.push(pool)
    await pool.apply('builtin:identity', [0]) // measured as taking no time: lines 256 deep
    batches.length = 0
    // Every job is out at once (the fake channel runs them side by side) and finishes after its input's ms.
    const waits = Array.from({ length: 1_000 }, (_, i) => (i % 50) + 1)
    expect(await pool.map('builtin:identity', waits, { chunksize: 1 })).toEqual(waits)
    expect(batches.reduce((a, b) => a + b, 0)).toBe(waits.length)
    check(batches)
  })

  it.each([
    ['its own 50 ms', RedisWorkerAdapter, 50],
    [
      'the engine\'s default 2 ms',
      class extends RedisWorkerAdapter {
        override readonly pipelineTargetMs = undefined
      },
      2
    ]
  ])('with a pipeline target of %s, a virtual worker is sent jobs of 1 ms %i at a time, and jobs of 30 ms one at a time', async (_target, Adapter, short) => {
    const reported = { ms: 1 }
    const { backend, batches } = delayBackend(Adapter, reported)
    const pool = new Pool({ backend, workers: 1 })
    pools.push(pool)
    const firstBatch = async (ms: number) => {
      reported.ms = ms
      await pool.apply('builtin:identity', [0]) // learnt: `ms` a job
      batches.length = 0
      const zeros = Array(80).fill(0)
      expect(await pool.map('builtin:identity', zeros, { chunksize: 1 })).toEqual(zeros)
      return batches[0]
    }
    expect(await firstBatch(1)).toBe(short)
    // Not short (over 2 ms): one at a time whatever the target, so that `workers` still bounds how
    // many long jobs run at once on the cluster (a virtual worker's lined-up jobs may run side by side).
    expect(await firstBatch(30)).toBe(1)
  })
})
