/**
 * Handles are plain objects that travel to workers as task arguments; `connect()` checks one
 * before trusting it, because a handle can arrive mangled (wrong object, or a thread-only handle
 * flattened by a process worker's JSON channel).
 */
import { InvalidHandleError } from './errors'

/** Returns `value` as a handle of one of `kinds`, or throws `InvalidHandleError` naming `what`. */
export function checkHandle<H extends { kind: string; service: string }>(value: unknown, kinds: readonly H['kind'][], what: string): H {
  const handle = value as Partial<H> | null
  if (handle === null || typeof handle !== 'object' || !kinds.includes(handle.kind as H['kind']) || typeof handle.service !== 'string') {
    throw new InvalidHandleError(`${what}.connect() needs the handle of a ${what} (its .handle, passed as a task argument)`)
  }
  return handle as H
}
