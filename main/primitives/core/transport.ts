/**
 * How a proxy reaches its owner: one function taking a method name and its arguments. In a worker
 * it is a `callParent` round trip; in the parent it calls the owner directly (see
 * `PrimitiveOwner`), so the same proxy classes serve both sides. A proxy is built from a handle,
 * which `checkHandle` checks first.
 */
import { callParent, currentWorker } from '../../pool/worker-context'
import { InvalidHandleError, NotInWorkerError, reviveError } from './errors'

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

/**
 * Returns `value` as a handle of one of `kinds`, or throws `InvalidHandleError` naming `what`.
 * Handles are plain objects that travel to workers as task arguments; `connect()` checks one
 * before trusting it, because a handle can arrive mangled (wrong object, or a thread-only handle
 * flattened by a process worker's JSON channel).
 */
export function checkHandle<H extends { kind: string; service: string }>(value: unknown, kinds: readonly H['kind'][], what: string): H {
  const handle = value as Partial<H> | null
  if (handle === null || typeof handle !== 'object' || !kinds.includes(handle.kind as H['kind']) || typeof handle.service !== 'string') {
    throw new InvalidHandleError(`${what}.connect() needs the handle of a ${what} (its .handle, passed as a task argument)`)
  }
  return handle as H
}
