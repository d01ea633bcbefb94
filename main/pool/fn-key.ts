/**
 * A string identity for a `FnRef`, the same on both sides of the wire: the worker caches resolved
 * functions by it and the pool keeps its per-function duration estimates by it.
 */
import type { FnRef } from './types'

/** Keys of object refs already seen; a caller usually passes the same object for every task. */
const objectKeys = new WeakMap<object, string>()

export function fnKey(ref: FnRef): string {
  if (typeof ref === 'string') return ref
  let key = objectKeys.get(ref)
  if (key === undefined) {
    key = `${ref.module}#${ref.export ?? 'default'}`
    objectKeys.set(ref, key)
  }
  return key
}
