/**
 * How a proxy reaches its owner: one function taking a method name and its arguments. In a worker
 * it is a `callParent` round trip; in the parent it calls the owner directly (see
 * `PrimitiveOwner`), so the same proxy classes serve both sides.
 */
import { callParent, currentWorker } from '../pool/worker-context'
import { NotInWorkerError, reviveError } from './errors'

/** Sends one call to an owner and resolves to its answer. */
export type Transport = (method: string, args: unknown[]) => Promise<unknown>

/**
 * The worker side of an owner registered as `service`. Fails at once outside a worker, where no
 * parent is listening: there the owner object itself is the thing to use.
 */
export function remoteTransport(service: string, what: string): Transport {
  if (!currentWorker().isWorker) {
    throw new NotInWorkerError(`${what}.connect() is for code running in a worker; in the parent, use the ${what} object itself`)
  }
  return async (method, args) => {
    try {
      return await callParent(service, 'invoke', method, args)
    } catch (error) {
      throw reviveError(error)
    }
  }
}
