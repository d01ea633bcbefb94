/**
 * A run in progress, as the runs hash holds it: what worker hosts need to serve it (its queue)
 * and what a dashboard shows of it.
 */
import { hostname } from 'node:os'

export interface RunRecord {
  id: string
  /** The BullMQ queue of this run (under the cluster's prefix). */
  queue: string
  /** What the pool runs (a catalog task id or the pool's name). */
  label: string
  /** Virtual workers of the pool: how many jobs it keeps going at once, roughly. */
  workers: number
  /** Machine and process of the pool that owns the run. */
  hostname: string
  pid: number
  createdAt: number
}

export function newRunRecord(id: string, queue: string, label: string, workers: number): RunRecord {
  return { id, queue, label, workers, hostname: hostname(), pid: process.pid, createdAt: Date.now() }
}

/** A record from the hash, or undefined when it is not one (someone else's data in a shared Redis). */
export function parseRunRecord(text: string | null | undefined): RunRecord | undefined {
  if (!text) return undefined
  try {
    const value = JSON.parse(text) as Partial<RunRecord>
    if (typeof value.id !== 'string' || typeof value.queue !== 'string') return undefined
    return value as RunRecord
  } catch {
    return undefined
  }
}
