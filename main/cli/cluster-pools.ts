/**
 * The pool factory `run --redis` and `bench --redis` give the task runner: cluster pools on the
 * given Redis, and one note when no worker host has joined yet (the run then waits for one,
 * which would otherwise look like a hang).
 */
import { clusterPoolFactory } from '../cluster/cluster-pool'
import type { Pool } from '../pool/pool'
import type { PoolOptions } from '../pool/types'

export function clusterPools(redis: string, note: (line: string) => void): (options: PoolOptions) => Pool {
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
