import { describe, expect, it } from 'vitest'
import { createHandlers } from '../../../main/ipc/handlers'
import { createRecordingServices } from '../server/test-services'

const ctx = { senderId: 'test:1' }

describe('createHandlers', () => {
  it('routes each request channel to its service method with the arguments it needs', async () => {
    const services = createRecordingServices()
    const handlers = createHandlers(services)
    await handlers['app:info']({}, ctx)
    await handlers['catalog:list']({}, ctx)
    await handlers['run:start']({ taskId: 't', workers: 2, params: {}, backend: 'thread' }, ctx)
    await handlers['run:stop']({ runId: 'run-1' }, ctx)
    await handlers['run:list']({}, ctx)
    await handlers['worker:kill']({ runId: 'run-1', workerId: 3 }, ctx)
    await handlers['monitor:history']({ sinceMs: 5 }, ctx)
    await handlers['monitor:configure']({ rateHz: 4 }, ctx)
    await handlers['bench:start']({ taskId: 't', workers: [1], shell: false, params: {}, runs: 3, warmup: 1, backend: 'process' }, ctx)
    await handlers['bench:cancel']({ benchId: 'b' }, ctx)
    await handlers['bench:list']({}, ctx)
    await handlers['bench:export']({ id: 'b', format: 'csv' }, ctx)
    await handlers['launch:start']({ argv: ['ls'], shell: false }, ctx)
    await handlers['launch:signal']({ launchId: 'l', action: 'kill', scope: 'tree' }, ctx)
    await handlers['launch:list']({}, ctx)
    await expect(Promise.resolve().then(() => handlers['launch:get']({ launchId: 'l', tailLines: 10 }, ctx))).rejects.toThrow('no launch with id l')
    expect(services.calls).toEqual([
      ['info', []],
      ['catalog.list', []],
      ['runs.start', [{ taskId: 't', workers: 2, params: {}, backend: 'thread' }]],
      ['runs.stop', ['run-1']],
      ['runs.list', []],
      ['runs.killWorker', ['run-1', 3]],
      ['monitor.history', [5]],
      ['monitor.configure', [4]],
      ['bench.start', [{ taskId: 't', workers: [1], shell: false, params: {}, runs: 3, warmup: 1, backend: 'process' }]],
      ['bench.cancel', ['b']],
      ['bench.list', []],
      ['bench.export', ['b', 'csv']],
      ['launcher.start', [{ argv: ['ls'], shell: false }]],
      ['launcher.signal', [{ launchId: 'l', action: 'kill', scope: 'tree' }]],
      ['launcher.list', []],
      ['launcher.get', [{ launchId: 'l', tailLines: 10 }]]
    ])
  })

  it('asks bench.get for the requested id', async () => {
    const services = createRecordingServices()
    await expect(Promise.resolve().then(() => createHandlers(services)['bench:get']({ id: 'b-2' }, ctx))).rejects.toThrow('no benchmark b-2')
    expect(services.calls).toEqual([['bench.get', ['b-2']]])
  })
})
