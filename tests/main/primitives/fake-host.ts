/**
 * A pool-shaped host with no workers behind it: tests call an owner's service as a named worker
 * would, and announce that worker's end, to drive the owner through exact interleavings (a reply
 * sent and never confirmed, a holder dying) that real processes only hit by chance.
 */
import { EventEmitter } from 'node:events'
import type { CallerInfo } from '../../../main/pool/service-registry'

type Invoke = (method: string, args: unknown[], caller: CallerInfo) => Promise<unknown>

export function fakePool() {
  const services = new Map<string, { invoke: Invoke }>()
  const host = Object.assign(new EventEmitter(), {
    registerService(name: string, service: object): () => void {
      services.set(name, service as { invoke: Invoke })
      return () => services.delete(name)
    },
    // Marks it pool-shaped, so owners listen for `worker-exit`.
    killWorker(): undefined {
      return undefined
    }
  })
  return {
    host,
    /** Whether a service of this name is registered. */
    has: (service: string) => services.has(service),
    /** Calls `service` as the worker `workerName` would through `callParent`. */
    call(service: string, workerName: string, method: string, ...args: unknown[]): Promise<unknown> {
      const target = services.get(service)
      if (!target) return Promise.reject(new Error(`no service ${service}`))
      return target.invoke(method, args, { workerId: 0, workerName })
    },
    /** Announces that `workerName` ended, and lets the owner handle it (it does so one turn later). */
    async exit(workerName: string): Promise<void> {
      host.emit('worker-exit', { name: workerName }, { code: null, signal: 'SIGKILL', expected: false })
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
}

/** Lets pending promise callbacks and one turn of the event loop run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve))
