/**
 * What a worker host publishes about itself every second, under a key that expires within
 * seconds: a host that is killed disappears from the cluster's view by itself.
 */
import type { Redis } from 'ioredis'
import type { WorkerState } from '../pool/types'
import { HOSTS_PATTERN } from './keys'

/** One slot of a host: a sandboxed child process that runs jobs one at a time. */
export interface HostSlot {
  slot: number
  pid: number | undefined
  state: WorkerState
  unitsDone: number
  /** How many processes this slot has had before this one (crashes, timeouts, cancelled jobs). */
  restarts: number
}

/** A job a host is running now. */
export interface HostJob {
  run: string
  jobId: string
  fn: string
  startedAt: number
}

export interface HostRecord {
  name: string
  hostname: string
  pid: number
  slots: HostSlot[]
  /** Busy % (0–100) of each core of the host's machine over the last second. */
  coreBusyPercent: number[]
  activeJobs: HostJob[]
  jobsDone: number
  jobsFailed: number
  /** Runs this host serves now. */
  runs: string[]
  startedAt: number
  updatedAt: number
}

/** Every host whose record has not expired, by name. */
export async function listHosts(client: Redis): Promise<HostRecord[]> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', HOSTS_PATTERN, 'COUNT', 1_000)
    cursor = next
    keys.push(...found)
  } while (cursor !== '0')
  if (keys.length === 0) return []
  const values = await client.mget(...keys)
  const hosts: HostRecord[] = []
  for (const value of values) {
    if (!value) continue
    try {
      hosts.push(JSON.parse(value) as HostRecord)
    } catch {
      // Not ours: skip it.
    }
  }
  return hosts.sort((a, b) => a.name.localeCompare(b.name))
}
