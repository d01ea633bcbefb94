import type { PoolScopeApi } from '../../../shared/api'
import { useBenchStore } from '../stores/use-bench-store'
import { useClusterStore } from '../stores/use-cluster-store'
import { useLaunchStore } from '../stores/use-launch-store'
import { useMonitorStore } from '../stores/use-monitor-store'
import { useRunStore } from '../stores/use-run-store'
import { useSubscription } from './use-subscription'

export interface EventFeedsOptions {
  api: PoolScopeApi
  /** Called when a benchmark ends, so the history list can be refreshed. */
  onBenchFinished?: () => void
}

/**
 * Routes every event channel into its store, for the lifetime of the calling component (the app
 * shell). Subscribing once at the top means a run keeps being recorded while its tab is hidden.
 */
export function useEventFeeds({ api, onBenchFinished }: EventFeedsOptions): void {
  const monitor = useMonitorStore()
  const run = useRunStore()
  const bench = useBenchStore()
  const launch = useLaunchStore()
  const cluster = useClusterStore()

  useSubscription(api, 'monitor:sample', (sample) => monitor.ingest(sample))
  useSubscription(api, 'monitor:processes', (event) => monitor.ingestProcesses(event))
  useSubscription(api, 'run:update', (update) => run.ingestUpdate(update))
  useSubscription(api, 'run:finished', (event) => run.ingestFinished(event))
  useSubscription(api, 'bench:progress', (event) => bench.ingestProgress(event))
  useSubscription(api, 'bench:finished', (event) => {
    if (bench.ingestFinished(event)) onBenchFinished?.()
  })
  useSubscription(api, 'launch:update', (update) => launch.ingestUpdate(update))
  useSubscription(api, 'launch:output', (output) => launch.ingestOutput(output))
  useSubscription(api, 'cluster:state', (state) => cluster.ingest(state))
}
