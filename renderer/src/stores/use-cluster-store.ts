import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import type { ClusterState } from '../../../shared/contract'
import { RingBuffer } from '../../../shared/ring-buffer'

/** One point of a host's per-core history, as the heat map draws it. */
export interface CoreReading {
  t: number
  cores: number[]
}

/** A minute of readings at the cluster's 1 Hz, with slack for jitter. */
export const HOST_HISTORY_CAPACITY = 90

/**
 * The cluster as `cluster:state` last described it, and each host's per-core history (a ring per
 * host that Vue does not observe; `version` ticks on every accepted state, which charts watch).
 * A gone host's history stops growing and is dropped once the host leaves the state.
 */
export const useClusterStore = defineStore('cluster', () => {
  const state = shallowRef<ClusterState>()
  const version = ref(0)
  const history = markRaw(new Map<string, RingBuffer<CoreReading>>())

  /** Takes a state; ignores one not newer than the last. */
  function ingest(next: ClusterState): boolean {
    if (state.value && next.at <= state.value.at) return false
    state.value = next
    const names = new Set(next.hosts.map((host) => host.name))
    for (const name of history.keys()) if (!names.has(name)) history.delete(name)
    if (next.isConnected) {
      for (const host of next.hosts) {
        if (host.status !== 'up') continue
        let ring = history.get(host.name)
        if (!ring) history.set(host.name, (ring = new RingBuffer<CoreReading>(HOST_HISTORY_CAPACITY)))
        ring.push({ t: next.at, cores: host.coreBusyPercent })
      }
    }
    version.value++
    return true
  }

  /** A host's per-core history, oldest first (an empty ring for a host never seen up). */
  function historyOf(name: string): RingBuffer<CoreReading> {
    return history.get(name) ?? new RingBuffer<CoreReading>(1)
  }

  return { state, version, ingest, historyOf }
})
