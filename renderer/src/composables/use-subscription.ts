import { getCurrentScope, onScopeDispose } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'
import type { EventChannel, EventPayloads } from '../../../shared/contract'

/**
 * Listens to one event channel for as long as the calling component (or effect scope) lives, and
 * unsubscribes when it goes. Returns the unsubscribe function for an earlier exit.
 */
export function useSubscription<E extends EventChannel>(
  api: PoolScopeApi,
  channel: E,
  listener: (payload: EventPayloads[E]) => void
): () => void {
  const off = api.on(channel, listener)
  let isSubscribed = true
  const stop = () => {
    if (!isSubscribed) return
    isSubscribed = false
    off()
  }
  if (getCurrentScope()) onScopeDispose(stop)
  return stop
}
