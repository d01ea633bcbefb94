import { getCurrentScope, onScopeDispose, watch } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'
import { describeError } from '../lib/describe-error'
import { useAppStore } from '../stores/use-app-store'
import { useBenchStore } from '../stores/use-bench-store'
import { LOG_CAPACITY, useLaunchStore } from '../stores/use-launch-store'
import { useMonitorStore } from '../stores/use-monitor-store'

export interface ConnectionOptions {
  api: PoolScopeApi
  /** How often to check the connection, ms. */
  probeMs?: number
  /** Without a monitor sample for this long, the connection is probed, ms. */
  staleMs?: number
  clock?: () => number
}

/**
 * Loads what the app needs at start (info, catalog, monitor history, saved benchmarks, launches)
 * and keeps the connection status honest: the transport has no status of its own to read, so when
 * samples stop coming (or the first load failed) `app:info` is asked again until it answers, and
 * everything is reloaded then, because a restarted server has new state.
 */
export function useConnection({ api, probeMs = 3_000, staleMs = 10_000, clock = Date.now }: ConnectionOptions) {
  const app = useAppStore()
  const monitor = useMonitorStore()
  const bench = useBenchStore()
  const launch = useLaunchStore()
  let isProbing = false

  async function load(): Promise<boolean> {
    try {
      app.setOnline(await api.app.info())
    } catch (error) {
      app.setOffline(describeError(error).message)
      return false
    }
    // Each of these may fail on its own (the bench engine may be absent): the header stays online.
    await Promise.allSettled([
      api.catalog.list().then((tasks) => app.setCatalog(tasks), (error: unknown) => {
        app.setCatalogFailed()
        throw error
      }),
      api.monitor.history({}).then((history) => monitor.seed(history)),
      refreshBenchHistory(),
      loadLaunches()
    ])
    return true
  }

  /** The launches main knows, each with its tree, history and log tail: a reload misses nothing. */
  async function loadLaunches(): Promise<void> {
    const summaries = await api.launch.list()
    summaries.forEach((summary) => launch.upsert(summary))
    // One may be forgotten between the two requests; the others still load.
    await Promise.allSettled(summaries.map(async ({ launchId }) => launch.restore(await api.launch.get({ launchId, tailLines: LOG_CAPACITY }))))
  }

  async function refreshBenchHistory(): Promise<void> {
    bench.setHistory(await api.bench.list())
  }

  async function probe(): Promise<void> {
    if (isProbing) return
    const isStale = monitor.receivedAt === undefined || clock() - monitor.receivedAt > staleMs
    if (app.status === 'online' && !isStale) return
    isProbing = true
    try {
      if (app.status === 'online') {
        // Online but quiet: a failing info call means the link is gone.
        try {
          await api.app.info()
        } catch (error) {
          app.setOffline(describeError(error).message)
        }
      } else {
        await load()
      }
    } finally {
      isProbing = false
    }
  }

  // Browser mode: once the socket is back, the server may be a new one; reload everything.
  watch(
    () => app.transportStatus,
    (next, before) => {
      if (next === 'open' && (before === 'reconnecting' || app.status === 'offline')) void load()
    }
  )

  const timer = setInterval(() => void probe(), probeMs)
  if (getCurrentScope()) onScopeDispose(() => clearInterval(timer))

  return { load, probe, refreshBenchHistory }
}
