import { describe, expect, it } from 'vitest'
import type { FromWorker, UnitOutcome } from '../../../main/pool/protocol'
import type { WorkerExit } from '../../../main/pool/worker-adapter'
import type { JobData } from '../../../main/cluster/job-data'
import { RedisWorkerAdapter, type JobChannel } from '../../../main/cluster/redis-worker-adapter'

/** A channel that records what the adapter asks of Redis; the test settles jobs by hand. */
function fakeChannel(connected: Promise<void> = Promise.resolve()) {
  const added: { jobId: string; data: JobData }[] = []
  const cancelled: string[] = []
  const channel: JobChannel = {
    connected,
    failure: undefined,
    jobDefaults: { timeoutMs: 500, retries: 2 },
    addJobs: (_owner, jobs) => void added.push(...jobs),
    cancelJobs: (jobIds) => void cancelled.push(...jobIds)
  }
  return { channel, added, cancelled }
}

function listen(adapter: RedisWorkerAdapter) {
  const messages: FromWorker[] = []
  adapter.onMessage((m) => messages.push(m))
  const outcomes = () => messages.flatMap((m) => (m.type === 'results' ? m.outcomes : []))
  return { messages, outcomes }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))
const ok = (value: unknown) => ({ ok: true as const, value, startedAt: 1, endedAt: 2 })
const ids = (outcomes: UnitOutcome[]) => outcomes.map((o) => o.id)

describe('RedisWorkerAdapter', () => {
  it('answers init with ready once the run\'s queue is usable, also when Redis could not be reached', async () => {
    let fail!: (error: Error) => void
    const { channel } = fakeChannel(new Promise((_, reject) => (fail = reject)))
    const adapter = new RedisWorkerAdapter(channel, 1)
    const { messages } = listen(adapter)
    adapter.send({ type: 'init', workerId: 0, name: 'w' })
    await tick()
    expect(messages).toEqual([])
    fail(new Error('unreachable'))
    await tick()
    expect(messages).toEqual([{ type: 'ready', pid: process.pid }])
  })

  it('turns every unit into one job naming its function by ref, with the pool\'s timeout and retries', () => {
    const { channel, added } = fakeChannel()
    const adapter = new RedisWorkerAdapter(channel, 3)
    adapter.send({
      type: 'run',
      units: [
        { id: 1, fn: 'square:square', fnId: 0, args: [2, 0] },
        { id: 2, fn: 0, inputs: [1, 2, 3] },
        { id: 3, fn: 0, chunk: [[4, 0]] }
      ]
    })
    expect(added).toEqual([
      { jobId: 'w3-1', data: { fn: 'square:square', args: [2, 0], timeoutMs: 500, retries: 2 } },
      { jobId: 'w3-2', data: { fn: 'square:square', inputs: [1, 2, 3], timeoutMs: 500, retries: 2 } },
      { jobId: 'w3-3', data: { fn: 'square:square', chunk: [[4, 0]], timeoutMs: 500, retries: 2 } }
    ])
  })

  it('carries each unit\'s own timeout and re-runs left, over the defaults; no re-runs left means none', () => {
    const { channel, added } = fakeChannel()
    const adapter = new RedisWorkerAdapter(channel, 2)
    expect(adapter.wantsUnitOptions).toBe(true)
    adapter.send({
      type: 'run',
      units: [
        { id: 1, fn: 'square:square', fnId: 0, args: [2, 0], timeoutMs: 75, retries: 4 },
        { id: 2, fn: 0, args: [3, 0], retries: 0 },
        { id: 3, fn: 0, args: [4, 0], timeoutMs: 20_000 }
      ]
    })
    expect(added.map((job) => job.data)).toEqual([
      { fn: 'square:square', args: [2, 0], timeoutMs: 75, retries: 4 },
      { fn: 'square:square', args: [3, 0], timeoutMs: 500 },
      { fn: 'square:square', args: [4, 0], timeoutMs: 20_000, retries: 2 }
    ])
  })

  it('hands each outcome to the engine as its job finishes, in any order; one turn\'s outcomes as one message', async () => {
    const { channel } = fakeChannel()
    const adapter = new RedisWorkerAdapter(channel, 1)
    expect(adapter.completesOutOfOrder).toBe(true)
    const { messages, outcomes } = listen(adapter)
    adapter.send({ type: 'run', units: [1, 2, 3].map((id) => ({ id, fn: 'builtin:identity', args: [id] })) })
    adapter.settle('w1-3', ok(3))
    await tick()
    expect(ids(outcomes())).toEqual([3])
    adapter.settle('w1-2', ok(2))
    adapter.settle('w1-1', ok(1))
    await tick()
    expect(ids(outcomes())).toEqual([3, 2, 1])
    expect(messages).toHaveLength(2)
  })

  it('takes a job\'s outcome once: a second completion of the same job is ignored', async () => {
    const { channel } = fakeChannel()
    const adapter = new RedisWorkerAdapter(channel, 1)
    const { outcomes } = listen(adapter)
    adapter.send({ type: 'run', units: [{ id: 7, fn: 'builtin:identity', args: [7] }] })
    expect(adapter.settle('w1-7', ok('first'))).toBe(true)
    expect(adapter.settle('w1-7', ok('second'))).toBe(false)
    await tick()
    expect(adapter.settle('w1-7', ok('third'))).toBe(false)
    await tick()
    expect(outcomes()).toEqual([{ id: 7, ...ok('first') }])
  })

  it('cancel drops the jobs and tells the channel; a cancelled job\'s late outcome is not taken', async () => {
    const { channel, cancelled } = fakeChannel()
    const adapter = new RedisWorkerAdapter(channel, 1)
    const { outcomes } = listen(adapter)
    adapter.send({ type: 'run', units: [1, 2].map((id) => ({ id, fn: 'builtin:identity', args: [id] })) })
    adapter.settle('w1-2', ok(2))
    adapter.send({ type: 'cancel', ids: [1] })
    expect(adapter.settle('w1-1', ok(1))).toBe(false)
    await tick()
    expect(cancelled).toEqual(['w1-1'])
    expect(ids(outcomes())).toEqual([2])
  })

  it('kill drops every open job and exits with SIGKILL on a later turn, sending nothing after', async () => {
    const { channel, cancelled } = fakeChannel()
    const adapter = new RedisWorkerAdapter(channel, 1)
    const { outcomes } = listen(adapter)
    const exits: WorkerExit[] = []
    adapter.onExit((exit) => exits.push(exit))
    adapter.send({ type: 'run', units: [1, 2].map((id) => ({ id, fn: 'builtin:identity', args: [id] })) })
    adapter.kill()
    expect(exits).toEqual([])
    adapter.settle('w1-1', ok(1))
    await tick()
    expect(cancelled).toEqual(['w1-1', 'w1-2'])
    expect(exits).toEqual([{ code: null, signal: 'SIGKILL' }])
    expect(outcomes()).toEqual([])
  })

  it('refuses a module path (hosts run catalog refs only) with a failed outcome, and sends no job', async () => {
    const { channel, added } = fakeChannel()
    const adapter = new RedisWorkerAdapter(channel, 1)
    const { outcomes } = listen(adapter)
    adapter.send({ type: 'run', units: [{ id: 1, fn: { module: '/tmp/evil.js' }, args: [] }] })
    await tick()
    expect(added).toEqual([])
    const [outcome] = outcomes()
    expect(outcome).toMatchObject({ id: 1, ok: false, error: { name: 'ClusterRefError' } })
    expect(outcome.ok === false && outcome.error.message).toMatch(/catalog functions only.*\/tmp\/evil\.js/)
  })

  it('throws from send for arguments JSON cannot carry, recording nothing (the engine then fails only that unit)', () => {
    const { channel, added } = fakeChannel()
    const adapter = new RedisWorkerAdapter(channel, 1)
    expect(() => adapter.send({ type: 'run', units: [{ id: 1, fn: 'builtin:identity', fnId: 0, args: [1n] }] })).toThrow(/BigInt/)
    expect(added).toEqual([])
    // The definition in the failed message did not take: the number is unknown.
    adapter.send({ type: 'run', units: [{ id: 2, fn: 0, args: [2] }] })
    expect(added).toEqual([])
  })

  it('failAll fails every open job with the connection\'s error', async () => {
    const { channel } = fakeChannel()
    const adapter = new RedisWorkerAdapter(channel, 1)
    const { outcomes } = listen(adapter)
    adapter.send({ type: 'run', units: [1, 2].map((id) => ({ id, fn: 'builtin:identity', args: [id] })) })
    adapter.settle('w1-2', ok(2))
    const lost = Object.assign(new Error('lost the connection to Redis at redis://h:1: gone'), { name: 'RedisUnavailableError' })
    adapter.failAll(lost)
    await tick()
    expect(outcomes().map((o) => [o.id, o.ok])).toEqual([[2, true], [1, false]])
    expect(outcomes()[1]).toMatchObject({ error: { name: 'RedisUnavailableError', message: lost.message } })
  })
})
