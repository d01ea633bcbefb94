import { afterEach, describe, expect, it } from 'vitest'
import type { EventChannel, EventPayloads, RunFinished, RunUpdate } from '../../../shared/contract'
import { EventHub } from '../../../main/ipc/event-hub'
import { RunManager, type RunRequest } from '../../../main/runs/run-manager'
import { parseTaskInput } from '../../../main/runs/task-input'
import { workerScript } from '../../helpers/paths'
import { isRunning } from '../../helpers/processes'
import { waitFor } from '../../helpers/wait-for'

let manager: RunManager | undefined

afterEach(async () => {
  await manager?.dispose()
  manager = undefined
})

/** A manager on a real hub, and every event it published, in order. */
function setup() {
  const hub = new EventHub()
  const events: { channel: EventChannel; payload: unknown }[] = []
  hub.subscribeAll((channel, payload) => events.push({ channel, payload }))
  manager = new RunManager({ hub, workerScript, updateIntervalMs: 50 })
  const of = <E extends EventChannel>(channel: E) => events.filter((e) => e.channel === channel).map((e) => e.payload as EventPayloads[E])
  const finished = (runId: string) => waitFor(`${runId} to finish`, () => of('run:finished').find((f) => f.runId === runId), { deadlineMs: 20_000 })
  return { manager, events, of, finished }
}

function request(taskId: string, params: Record<string, unknown>, settings: Partial<RunRequest> = {}): RunRequest {
  return { ...parseTaskInput(taskId, params), workers: 2, backend: 'process', ...settings }
}

describe('RunManager', () => {
  it('runs a task, publishing updates with its workers and finished units, then one run:finished', async () => {
    const { manager, of, finished } = setup()
    const { runId } = manager.start(request('heavy-sum', { n: 200_000, m: 4 }))
    expect(runId).toBe('run-1')
    const done: RunFinished = await finished(runId)
    expect(done).toMatchObject({ runId, taskId: 'heavy-sum', state: 'succeeded', ok: true, error: undefined })
    expect(done.stats).toMatchObject({ tasks: 4, completed: 4, failed: 0 })
    const updates: RunUpdate[] = of('run:update').filter((u) => u.runId === runId)
    // The last update is published before run:finished, with the final state and every unit.
    expect(updates.at(-1)).toMatchObject({ state: 'succeeded', counters: { completed: 4, pending: 0, running: 0 } })
    expect(updates.flatMap((u) => u.workers.map((w) => w.name))).toContain(updates.at(-1)!.workers[0]!.name)
    const spans = updates.flatMap((u) => u.spans)
    expect(spans.reduce((sum, s) => sum + s.size, 0)).toBe(4)
    expect(spans.every((s) => typeof s.unitId === 'number' && s.ok)).toBe(true)
    expect(manager.list()).toEqual([expect.objectContaining({ runId, state: 'succeeded', params: { n: 200_000, m: 4 }, workers: 2, backend: 'process' })])
  })

  it('stops a live run on request: every worker is gone when stop() resolves', async () => {
    const { manager, of, finished } = setup()
    const { runId } = manager.start(request('square', { count: 200, delayMs: 200 }))
    const pids = await waitFor('workers with pids', () => {
      const live = manager.livePids()
      return live.length === 2 && live
    })
    expect(await manager.stop(runId)).toEqual({ stopped: true })
    expect((await finished(runId)).state).toBe('stopped')
    for (const pid of pids) expect(isRunning(pid)).toBe(false)
    expect(manager.livePids()).toEqual([])
    expect(await manager.stop(runId)).toEqual({ stopped: false })
    expect(await manager.stop('run-99')).toEqual({ stopped: false })
    expect(of('run:update').at(-1)?.state).toBe('stopped')
  })

  it('kills one worker on request; the pool replaces it and the run still checks out', async () => {
    const { manager, finished } = setup()
    const { runId } = manager.start(request('square', { count: 12, delayMs: 150 }, { retries: 3 }))
    const pid = await waitFor('a worker pid', () => manager.livePids()[0])
    const killed = manager.killWorker(runId, 0)
    expect(killed.killed).toBe(true)
    expect(typeof killed.pid).toBe('number')
    await waitFor('the killed worker gone', () => !isRunning(killed.pid!))
    const done = await finished(runId)
    expect(done).toMatchObject({ ok: true, state: 'succeeded' })
    expect(done.stats.crashedWorkers).toBeGreaterThanOrEqual(1)
    expect(manager.killWorker('run-99', 0)).toEqual({ killed: false, pid: undefined })
    expect(pid).toBeGreaterThan(0)
  })

  it('publishes the live workers’ CPU and RSS as monitor:processes while the run is live, then an empty reading', async () => {
    const { manager, of, finished } = setup()
    const { runId } = manager.start(request('square', { count: 16, delayMs: 250 }))
    const reading = await waitFor('a monitor:processes reading with the workers', () =>
      of('monitor:processes').find((r) => r.processes.length === 2)
    )
    const pids = new Set(manager.livePids())
    for (const stat of reading.processes) {
      expect(pids.has(stat.pid)).toBe(true)
      expect(stat.rssBytes).toBeGreaterThan(0)
      expect(stat.cpuPercent).toBeGreaterThanOrEqual(0)
    }
    await finished(runId)
    expect(of('monitor:processes').at(-1)?.processes).toEqual([])
  })

  it('shows the queue a task attached to its processes in its run updates', async () => {
    const { manager, of, finished } = setup()
    const { runId } = manager.start(request('producer-consumer', { producers: 1, consumers: 1, itemsPerProducer: 40, maxsize: 4, workMs: 5 }))
    expect((await finished(runId)).ok).toBe(true)
    const gauges = of('run:update').flatMap((u) => u.primitives)
    expect(gauges.length).toBeGreaterThan(0)
    expect(gauges[0]).toMatchObject({ kind: 'queue', label: 'items', capacity: 4 })
    expect(Math.max(...gauges.map((g) => g.peakDepth ?? 0))).toBeLessThanOrEqual(4)
  })

  it('stops every run on dispose, leaving no worker behind', async () => {
    const { manager, finished } = setup()
    const first = manager.start(request('square', { count: 100, delayMs: 300 }))
    const second = manager.start(request('square', { count: 100, delayMs: 300 }, { workers: 1 }))
    const pids = await waitFor('three workers', () => {
      const live = manager.livePids()
      return live.length === 3 && live
    })
    await manager.dispose()
    expect((await finished(first.runId)).state).toBe('stopped')
    expect((await finished(second.runId)).state).toBe('stopped')
    for (const pid of pids) expect(isRunning(pid)).toBe(false)
  })
})
