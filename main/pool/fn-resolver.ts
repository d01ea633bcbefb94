/**
 * Turns a `FnRef` into a callable inside the worker, loading each module once.
 * - `builtin:<name>`: from `builtins.ts`;
 * - `<task-id>:<export>`: an export of `tasks/<task-id>.ts`, loaded lazily so a worker that runs
 *   one task never pays for loading the whole catalog;
 * - `{ module, export }`: any CommonJS or ES module file (user code, test fixtures).
 */
import { pathToFileURL } from 'node:url'
import { builtins } from './builtins'
import { taskModules } from '../../tasks/worker-modules'
import type { FnRef } from './types'
import { isProcessTaskClass } from './process-task'
import { fnKey } from './protocol'

type AnyFn = (...args: unknown[]) => unknown

const cache = new Map<string, AnyFn>()
/** The last object ref looked up: units arrive as fresh JSON objects, so compare by content. */
let last: { module: string; export: string | undefined; fn: AnyFn } | undefined

/** The function for `ref` if it is already loaded; called once per unit, so it allocates nothing. */
export function cachedFn(ref: FnRef): AnyFn | undefined {
  if (typeof ref === 'string') return cache.get(ref)
  if (last !== undefined && last.module === ref.module && last.export === ref.export) return last.fn
  const fn = cache.get(fnKey(ref))
  if (fn !== undefined) last = { module: ref.module, export: ref.export, fn }
  return fn
}

export async function resolveFn(ref: FnRef): Promise<AnyFn> {
  const key = fnKey(ref)
  const hit = cache.get(key)
  if (hit) return hit
  let fn: unknown
  if (typeof ref === 'string') {
    const sep = ref.indexOf(':')
    const scope = sep > 0 ? ref.slice(0, sep) : ''
    const name = sep > 0 ? ref.slice(sep + 1) : ''
    if (scope === 'builtin') fn = builtins[name]
    else if (scope in taskModules) fn = (await taskModules[scope]())[name]
    else throw new Error(`unknown function "${ref}": expected "builtin:<name>" or "<task-id>:<export>"`)
  } else {
    const mod = await loadModule(ref.module)
    const name = ref.export ?? 'default'
    fn = mod[name] ?? (name === 'default' && typeof mod === 'function' ? mod : undefined)
  }
  if (typeof fn !== 'function') throw new Error(`"${key}" is not a function`)
  if (isProcessTaskClass(fn)) {
    // Class-based form (Python's Process subclass): construct with the args, then call `run()`.
    const Cls = fn
    fn = (...args: unknown[]) => new Cls(...args).run()
  }
  cache.set(key, fn as AnyFn)
  return fn as AnyFn
}

async function loadModule(file: string): Promise<Record<string, unknown>> {
  if (/\.(mjs|mts)$/.test(file)) return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as Record<string, unknown>
}
