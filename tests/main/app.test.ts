import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { requestChannels, type EventChannel, type EventPayloads, type LaunchSummary } from '../../shared/contract'
import { createApp, type App } from '../../main/app'
import type { Reply } from '../../main/ipc/dispatcher'
import { EventHub } from '../../main/ipc/event-hub'
import { workerScript } from '../helpers/paths'
import { isRunning } from '../helpers/processes'
import { waitFor } from '../helpers/wait-for'

const ctx = { senderId: 'test:1' }
let app: App | undefined
let dataDir: string | undefined

afterEach(async () => {
  await app?.dispose()
  app = undefined
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
  dataDir = undefined
})

async function setup(allowLaunch: boolean) {
  dataDir = await mkdtemp(join(tmpdir(), 'poolscope-app-test-'))
  const hub = new EventHub()
  const events: { channel: EventChannel; payload: unknown }[] = []
  hub.subscribeAll((channel, payload) => events.push({ channel, payload }))
  app = await createApp({ hub, mode: 'browser', allowLaunch, dataDir, workerScript })
  const of = <E extends EventChannel>(channel: E) => events.filter((e) => e.channel === channel).map((e) => e.payload as EventPayloads[E])
  const call = (channel: string, args: unknown) => app!.dispatch(channel, args, ctx)
  return { app, of, call }
}

function valueOf<T>(reply: Reply): T {
  if (!reply.ok) throw new Error(`refused: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}

describe('createApp', () => {
  it('answers every contract channel, each with the handler of its feature', async () => {
    const { app } = await setup(false)
    expect(Object.keys(app.handlers).sort()).toEqual([...requestChannels].sort())
  })

  it('tells the renderer what it is and where it keeps benchmarks', async () => {
    const { call } = await setup(false)
    expect(valueOf(await call('app:info', {}))).toMatchObject({
      mode: 'browser',
      canLaunch: false,
      launchDisabledReason: expect.stringContaining('--allow-launch'),
      dataDir: expect.stringContaining(dataDir!)
    })
    expect(valueOf<{ id: string }[]>(await call('catalog:list', {})).map((t) => t.id)).toContain('heavy-sum')
  })

  it('refuses bad task parameters as invalid-payload naming them, and starts nothing', async () => {
    const { call } = await setup(false)
    const reply = await call('run:start', { taskId: 'heavy-sum', workers: 1, params: { n: -5 } })
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'invalid-payload',
        message: 'heavy-sum: n must be an integer ≥ 1',
        issues: [{ path: 'params', message: 'heavy-sum: n must be an integer ≥ 1' }]
      }
    })
    expect((await call('run:start', { taskId: 'no-such-task', workers: 1 })).ok).toBe(false)
    expect((await call('bench:start', { taskId: 'heavy-sum', workers: [1], params: { m: 0 } })).ok).toBe(false)
    expect(valueOf(await call('run:list', {}))).toEqual([])
  })

  it('refuses every command-running request when launching is off, and nothing else', async () => {
    const { call } = await setup(false)
    for (const [channel, args] of [
      ['launch:start', { argv: [process.execPath, '-e', ''] }],
      ['launch:signal', { launchId: 'launch-1', action: 'kill', scope: 'tree' }],
      ['bench:start', { command: 'true', workers: [1] }]
    ] as const) {
      expect(await call(channel, args)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('--allow-launch') } })
    }
    expect(valueOf(await call('launch:list', {}))).toEqual([])
  })

  it('refuses a blank or unsplittable benchmark command as invalid-payload when launching is on', async () => {
    const { call } = await setup(true)
    expect(await call('bench:start', { command: '   ', workers: [1] })).toMatchObject({ ok: false, error: { code: 'invalid-payload', message: 'the command is empty' } })
    expect(await call('bench:start', { command: 'echo "open', workers: [1] })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } })
    expect(await call('launch:get', { launchId: 'launch-9' })).toMatchObject({ ok: false, error: { code: 'not-found' } })
  })

  it('stops every run, benchmark and launched tree on dispose', async () => {
    const { app, of, call } = await setup(true)
    const { runId } = valueOf<{ runId: string }>(await call('run:start', { taskId: 'square', workers: 2, params: { count: 200, delayMs: 300 } }))
    const launch = valueOf<LaunchSummary>(await call('launch:start', { argv: [process.execPath, '-e', 'setInterval(() => {}, 1000)'] }))
    const { benchId } = valueOf<{ benchId: string }>(await call('bench:start', { taskId: 'square', workers: [1], runs: 3, params: { count: 50, delayMs: 100 } }))
    const workers = await waitFor('the run’s two workers', () => {
      const pids = of('run:update').at(-1)?.workers.map((w) => w.pid).filter((pid) => pid !== undefined)
      return pids?.length === 2 && pids
    })
    await waitFor('the benchmark under way', () => of('bench:progress').some((p) => p.benchId === benchId))
    expect(isRunning(launch.pid!)).toBe(true)

    await app.dispose()
    expect(of('run:finished')).toContainEqual(expect.objectContaining({ runId, state: 'stopped' }))
    for (const pid of workers) expect(isRunning(pid)).toBe(false)
    expect(isRunning(launch.pid!)).toBe(false)
    await waitFor('the benchmark to end', () => of('bench:finished').find((f) => f.benchId === benchId))
    expect(of('bench:finished').find((f) => f.benchId === benchId)).toMatchObject({ report: undefined, error: expect.any(String) })
  })
})
