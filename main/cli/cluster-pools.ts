/**
 * The pool factory `run --redis` and `bench --redis` give the task runner: cluster pools on the
 * given Redis, and one note when no worker host has joined yet (the run then waits for one,
 * which would otherwise look like a hang). The cluster's modules (and BullMQ, slow to load) are
 * loaded only here, when a command is given `--redis`.
 */
import type { Pool } from '../pool/pool'
import type { PoolOptions } from '../pool/types'

export async function clusterPools(redis: string, note: (line: string) => void): Promise<(options: PoolOptions) => Pool> {
  const { clusterPoolFactory } = await import('../cluster/cluster-pool')
  const make = clusterPoolFactory(redis)
  let isChecked = false
  return (options) => {
    const pool = make(options)
    if (!isChecked) {
      isChecked = true
      pool
        .ready()
        .then(() => pool.hosts())
        .then((hosts) => {
          if (hosts.length === 0) note(`note: no worker host has joined the cluster at ${pool.redis} yet; the run waits for one (poolscope worker --redis URL)`)
        })
        .catch(() => undefined)
    }
    return pool
  }
}
