import type { PoolScopeApi } from '../../../shared/api'
import { useLaunchStore, type LaunchSession, type SignalAction } from '../stores/use-launch-store'
import { useToastStore } from '../stores/use-toast-store'

/** Stop, kill or interrupt one process of a launch, or its whole tree. */
export function useProcessSignals({ api, clock = Date.now }: { api: PoolScopeApi; clock?: () => number }) {
  const launch = useLaunchStore()
  const toasts = useToastStore()

  async function signal(session: LaunchSession, action: SignalAction, scope: 'process' | 'tree', pid?: number): Promise<void> {
    // Recorded before sending, so the grace countdown starts with the click.
    launch.requestStop(session.launchId, { action, scope, pid, at: clock() })
    try {
      const { signalled } = await api.launch.signal({ launchId: session.launchId, action, scope, ...(pid !== undefined && { pid }) })
      if (signalled.length === 0) toasts.info('Nothing to signal', 'The processes had already exited.')
    } catch (cause) {
      toasts.error(`Sending ${action}`, cause)
    }
  }

  return { signal }
}
