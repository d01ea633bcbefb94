import { createPinia, setActivePinia } from 'pinia'
import { effectScope } from 'vue'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { eventChannels } from '../../../../shared/contract'
import { useEventFeeds } from '../../../../renderer/src/composables/use-event-feeds'
import { useBenchStore } from '../../../../renderer/src/stores/use-bench-store'
import { useLaunchStore } from '../../../../renderer/src/stores/use-launch-store'
import { useMonitorStore } from '../../../../renderer/src/stores/use-monitor-store'
import { useRunStore } from '../../../../renderer/src/stores/use-run-store'
import { createFakeApi } from '../../fake-api'
import { benchReport, runFinished, runUpdate, sample } from '../../fixtures'
import { launchUpdate } from '../../launch-fixtures'

describe('useEventFeeds', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('routes every event channel into its store', () => {
    const fake = createFakeApi()
    const onBenchFinished = vi.fn()
    const scope = effectScope()
    scope.run(() => useEventFeeds({ api: fake.api, onBenchFinished }))

    fake.emit('monitor:sample', sample(1000))
    fake.emit('monitor:processes', { t: 1000, processes: [{ pid: 5, cpuPercent: 3, rssBytes: 9 }] })
    fake.emit('run:update', runUpdate())
    fake.emit('run:finished', runFinished())
    fake.emit('bench:progress', { benchId: 'b-1', phase: 'baseline', workers: 0, run: 1, of: 3, done: 1, total: 9 })
    fake.emit('bench:finished', { benchId: 'b-1', report: benchReport(), error: undefined })
    fake.emit('launch:update', launchUpdate('l-1', { at: 1, exit: { code: 0, signal: null } }))
    fake.emit('launch:output', { launchId: 'l-1', stream: 'stdout', lines: ['hi'], droppedLines: 0 })

    expect(useMonitorStore().latest?.t).toBe(1000)
    expect(useMonitorStore().processes.get(5)?.cpuPercent).toBe(3)
    expect(useRunStore().finished?.runId).toBe('run-1')
    expect(useBenchStore().current?.id).toBe('b-1')
    expect(onBenchFinished).toHaveBeenCalledOnce()
    expect(useLaunchStore().sessions['l-1']?.log.last()?.text).toBe('hi')
    scope.stop()
  })

  it('subscribes to each channel once and leaves none behind', () => {
    const fake = createFakeApi()
    const scope = effectScope()
    scope.run(() => useEventFeeds({ api: fake.api }))
    for (const channel of eventChannels) expect(fake.listenerCount(channel)).toBe(1)
    scope.stop()
    for (const channel of eventChannels) expect(fake.listenerCount(channel)).toBe(0)
  })
})
