import { createPinia, setActivePinia } from 'pinia'
import { effectScope, nextTick } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AppInfo } from '../../../../shared/contract'
import { useConnection } from '../../../../renderer/src/composables/use-connection'
import { useAppStore } from '../../../../renderer/src/stores/use-app-store'
import { useBenchStore } from '../../../../renderer/src/stores/use-bench-store'
import { LOG_CAPACITY, useLaunchStore } from '../../../../renderer/src/stores/use-launch-store'
import { useMonitorStore } from '../../../../renderer/src/stores/use-monitor-store'
import { createFakeApi } from '../../fake-api'
import { sample, task } from '../../fixtures'
import { launchDetail, launchSummary, procNode } from '../../launch-fixtures'

const info: AppInfo = { name: 'PoolScope', version: '0.1.0', mode: 'electron', platform: 'linux', cores: 2, canLaunch: true, launchDisabledReason: undefined, dataDir: '/tmp' }

describe('useConnection', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  it('loads info, catalog, history and saved benchmarks, and tolerates parts that fail', async () => {
    const fake = createFakeApi({
      'app:info': () => info,
      'catalog:list': () => [task()],
      'monitor:history': () => [sample(1), sample(2)],
      'bench:list': () => {
        throw new Error('bench engine not ready')
      },
      'launch:list': () => []
    })
    const scope = effectScope()
    const connection = scope.run(() => useConnection({ api: fake.api }))!
    expect(await connection.load()).toBe(true)
    expect(useAppStore().status).toBe('online')
    expect(useAppStore().catalog).toHaveLength(1)
    expect(useAppStore().catalogState).toBe('loaded')
    expect(useMonitorStore().samples.length).toBe(2)
    expect(useBenchStore().history).toEqual([])
    scope.stop()
  })

  it('says the catalog is loading until it answers, and failed when it could not be read', async () => {
    let answerCatalog: (() => void) | undefined
    const fake = createFakeApi({
      'app:info': () => info,
      'catalog:list': () =>
        new Promise((resolve, reject) => {
          answerCatalog = () => reject(new Error('catalog unreadable'))
        }),
      'monitor:history': () => [],
      'bench:list': () => [],
      'launch:list': () => []
    })
    const scope = effectScope()
    const connection = scope.run(() => useConnection({ api: fake.api }))!
    const loading = connection.load()
    await vi.waitFor(() => expect(answerCatalog).toBeDefined())
    expect(useAppStore().status).toBe('online')
    expect(useAppStore().catalogState).toBe('loading')
    answerCatalog!()
    expect(await loading).toBe(true)
    expect(useAppStore().catalogState).toBe('failed')
    expect(useAppStore().catalog).toEqual([])
    scope.stop()
  })

  it('loads the launches main knows with their trees and logs, skipping one that is gone by then', async () => {
    const fake = createFakeApi({
      'app:info': () => info,
      'catalog:list': () => [],
      'monitor:history': () => [],
      'bench:list': () => [],
      'launch:list': () => [launchSummary('launch-1'), launchSummary('launch-2')],
      'launch:get': ({ launchId }) => {
        if (launchId === 'launch-2') throw new Error('no launch with id launch-2')
        return launchDetail(launchId, { tree: [procNode(10)], output: { stdout: { lines: ['hello'], droppedLines: 0 }, stderr: { lines: [], droppedLines: 0 } } })
      }
    })
    const scope = effectScope()
    const connection = scope.run(() => useConnection({ api: fake.api }))!
    expect(await connection.load()).toBe(true)
    const launch = useLaunchStore()
    expect(launch.sessions['launch-1']?.tree.map((n) => n.pid)).toEqual([10])
    expect(launch.sessions['launch-1']?.log.last()?.text).toBe('hello')
    expect(launch.sessions['launch-2']?.argv).toEqual(['sleep', '1'])
    expect(fake.calls.find((c) => c.channel === 'launch:get')?.args).toEqual({ launchId: 'launch-1', tailLines: LOG_CAPACITY })
    scope.stop()
  })

  it('goes offline when info fails and comes back by probing', async () => {
    let isUp = false
    const fake = createFakeApi({
      'app:info': () => {
        if (!isUp) throw new Error('WebSocket closed')
        return info
      },
      'catalog:list': () => [],
      'monitor:history': () => [],
      'bench:list': () => [],
      'launch:list': () => []
    })
    const scope = effectScope()
    const connection = scope.run(() => useConnection({ api: fake.api, probeMs: 1000 }))!
    await connection.load()
    expect(useAppStore().status).toBe('offline')
    expect(useAppStore().statusDetail).toBe('WebSocket closed')
    isUp = true
    await vi.advanceTimersByTimeAsync(1000)
    expect(useAppStore().status).toBe('online')
    scope.stop()
  })

  it('reloads everything when the browser-mode socket reconnects', async () => {
    const fake = createFakeApi({ 'app:info': () => info, 'catalog:list': () => [], 'monitor:history': () => [], 'bench:list': () => [], 'launch:list': () => [] })
    const scope = effectScope()
    scope.run(() => useConnection({ api: fake.api }))
    const app = useAppStore()
    app.setTransportStatus('reconnecting')
    expect(app.status).toBe('offline')
    await nextTick()
    app.setTransportStatus('open')
    await nextTick()
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.calls.filter((c) => c.channel === 'app:info')).toHaveLength(1)
    expect(app.status).toBe('online')
    scope.stop()
  })

  it('stops probing when its scope ends', async () => {
    const fake = createFakeApi({ 'app:info': () => info })
    const scope = effectScope()
    scope.run(() => useConnection({ api: fake.api, probeMs: 1000 }))
    scope.stop()
    await vi.advanceTimersByTimeAsync(5000)
    expect(fake.calls).toHaveLength(0)
  })

  it('checks a quiet connection: no samples for a while and a failing info call mean offline', async () => {
    let isUp = true
    const fake = createFakeApi({
      'app:info': () => {
        if (!isUp) throw new Error('connection lost')
        return info
      },
      'catalog:list': () => [],
      'monitor:history': () => [],
      'bench:list': () => [],
      'launch:list': () => []
    })
    let now = 0
    const scope = effectScope()
    const connection = scope.run(() => useConnection({ api: fake.api, probeMs: 1000, staleMs: 5000, clock: () => now }))!
    await connection.load()
    useMonitorStore().ingest(sample(1), 0)
    isUp = false
    now = 3000
    await vi.advanceTimersByTimeAsync(1000)
    expect(useAppStore().status).toBe('online')
    now = 6000
    await vi.advanceTimersByTimeAsync(1000)
    expect(useAppStore().status).toBe('offline')
    scope.stop()
  })
})
