/**
 * Parent-side services that task code in workers reaches with `callParent(service, method, …)`:
 * the owners of queues, pipes, managers and shared values on the process backend. Each call runs
 * the method with the caller appended as the last argument, and the reply goes back to the worker.
 */
import type { FromWorker } from './protocol'
import type { WorkerAdapter } from './worker-adapter'

/** Appended to every service call: who is calling. */
export interface CallerInfo {
  workerId: number
  workerName: string
}

export type ParentService = object

export class ServiceRegistry {
  readonly #services = new Map<string, ParentService>()

  register(name: string, service: ParentService): () => void {
    this.#services.set(name, service)
    return () => this.#services.delete(name)
  }

  async answer(adapter: WorkerAdapter, call: Extract<FromWorker, { type: 'call' }>, caller: CallerInfo): Promise<void> {
    try {
      const service = this.#services.get(call.service) as Record<string, unknown> | undefined
      const method = service?.[call.method]
      if (typeof method !== 'function') throw new Error(`no service method ${call.service}.${call.method}`)
      const value = await (method as (...args: unknown[]) => unknown).apply(service, [...call.args, caller])
      adapter.send({ type: 'reply', callId: call.callId, ok: true, value })
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error))
      const code = (err as { code?: unknown }).code
      adapter.send({
        type: 'reply',
        callId: call.callId,
        ok: false,
        error: { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) }
      })
    }
  }
}
