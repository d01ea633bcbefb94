/**
 * What task code running inside a worker can ask of its surroundings: who it is (Python's
 * `current_process().name`, `os.getpid()`, `os.getppid()`) and a line to parent-side services
 * (the owners of queues, pipes, managers and shared values).
 *
 * The worker runtime installs the channel once at start-up; in the parent (no channel) the
 * functions describe the parent itself and service calls fail clearly.
 */
import { threadId } from 'node:worker_threads'

export interface WorkerIdentity {
  /** `<pool>-<n>` for pool workers, the `Process` name for single processes, `MainProcess` in the parent. */
  name: string
  workerId: number
  pid: number
  ppid: number
  threadId: number
  isWorker: boolean
}

export interface ParentChannel {
  call(service: string, method: string, args: unknown[]): Promise<unknown>
  onPush(topic: string, listener: (payload: unknown) => void): () => void
}

let identity: WorkerIdentity | undefined
let channel: ParentChannel | undefined

/** Called by the worker runtime only. */
export function installWorkerContext(id: WorkerIdentity, parent: ParentChannel): void {
  identity = id
  channel = parent
}

export function currentWorker(): WorkerIdentity {
  return (
    identity ?? { name: 'MainProcess', workerId: -1, pid: process.pid, ppid: process.ppid, threadId, isWorker: false }
  )
}

/** Calls a method of a service that lives in the parent (the pool that owns this worker). */
export function callParent(service: string, method: string, ...args: unknown[]): Promise<unknown> {
  if (!channel) return Promise.reject(new Error(`no parent channel: ${service}.${method} can only be called from a worker`))
  return channel.call(service, method, args)
}

/** Listens for messages a parent-side service pushes to this worker; returns the unsubscribe. */
export function onParentPush(topic: string, listener: (payload: unknown) => void): () => void {
  if (!channel) throw new Error('no parent channel: onParentPush can only be used in a worker')
  return channel.onPush(topic, listener)
}
