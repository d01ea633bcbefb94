import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ClusterHost, ClusterState } from '../../../../shared/contract'
import { HOST_HISTORY_CAPACITY, useClusterStore } from '../../../../renderer/src/stores/use-cluster-store'

function host(name: string, cores: number[], overrides: Partial<ClusterHost> = {}): ClusterHost {
  return {
    name,
    hostname: `${name}.local`,
    pid: 100,
    status: 'up',
    goneAt: undefined,
    slots: [{ slot: 1, pid: 200, state: 'idle', unitsDone: 0, restarts: 0 }],
    coreBusyPercent: cores,
    activeJobs: [],
    jobsDone: 0,
    jobsFailed: 0,
    runs: [],
    startedAt: 0,
    updatedAt: 0,
    ...overrides
  }
}

function state(at: number, hosts: ClusterHost[], overrides: Partial<ClusterState> = {}): ClusterState {
  const depth = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 }
  return { at, redis: 'redis://127.0.0.1:6379', isConnected: true, error: undefined, hosts, runs: [], depth, failedJobs: [], ...overrides }
}

describe('useClusterStore', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('keeps the latest state and a per-core history per host, one reading per state', () => {
    const cluster = useClusterStore()
    expect(cluster.ingest(state(1000, [host('east', [10, 20]), host('west', [5])]))).toBe(true)
    expect(cluster.ingest(state(2000, [host('east', [30, 40]), host('west', [6])]))).toBe(true)
    expect([...cluster.historyOf('east')]).toEqual([
      { t: 1000, cores: [10, 20] },
      { t: 2000, cores: [30, 40] }
    ])
    expect([...cluster.historyOf('west')].map((r) => r.cores)).toEqual([[5], [6]])
    expect(cluster.state?.at).toBe(2000)
    expect(cluster.version).toBe(2)
  })

  it('ignores a state that is not newer than the last', () => {
    const cluster = useClusterStore()
    cluster.ingest(state(2000, [host('east', [1])]))
    expect(cluster.ingest(state(2000, [host('east', [2])]))).toBe(false)
    expect(cluster.ingest(state(1500, [host('east', [3])]))).toBe(false)
    expect([...cluster.historyOf('east')].map((r) => r.cores)).toEqual([[1]])
  })

  it('stops a gone host\'s history, skips readings while Redis is unreachable, and forgets hosts that leave the state', () => {
    const cluster = useClusterStore()
    cluster.ingest(state(1000, [host('east', [1]), host('west', [1])]))
    cluster.ingest(state(2000, [host('east', [2]), host('west', [2], { status: 'gone', goneAt: 2000 })]))
    cluster.ingest(state(3000, [host('east', [3]), host('west', [3], { status: 'gone', goneAt: 2000 })], { isConnected: false, error: 'down' }))
    expect([...cluster.historyOf('west')].map((r) => r.t)).toEqual([1000])
    expect([...cluster.historyOf('east')].map((r) => r.t)).toEqual([1000, 2000])
    cluster.ingest(state(4000, [host('east', [4])]))
    expect(cluster.historyOf('west').length).toBe(0)
  })

  it('keeps a bounded history per host', () => {
    const cluster = useClusterStore()
    for (let i = 1; i <= HOST_HISTORY_CAPACITY + 10; i++) cluster.ingest(state(i * 1000, [host('east', [i])]))
    const ring = cluster.historyOf('east')
    expect(ring.length).toBe(HOST_HISTORY_CAPACITY)
    expect(ring.last()?.t).toBe((HOST_HISTORY_CAPACITY + 10) * 1000)
  })
})
