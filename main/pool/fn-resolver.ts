/**
 * Turns a `FnRef` into a callable, loading each module once. It runs inside workers, and in the
 * parent for the inline pool. The engine knows no module by name: whoever owns functions
 * registers them (the catalog registers each task's module under its task id).
 * - `builtin:<name>`: the {@link builtins}, in every worker;
 * - `<scope>:<export>`: an export of the module registered as `scope` with
 *   {@link registerWorkerModules}, loaded on first use, so a worker that runs one task never pays
 *   for loading the others;
 * - `{ module, export }`: any CommonJS or ES module file (user code, test fixtures).
 */
import { pathToFileURL } from 'node:url'
import { isProcessTaskClass } from './process-task'
import { fnKey } from './protocol'
import type { FnRef } from './types'

/** A function a worker can run. */
export type WorkerFn = (...args: unknown[]) => unknown

/** Loads a module of worker functions; called at most once, on first use. */
export type ModuleLoader = () => Promise<Record<string, unknown>>

/**
 * Functions every worker has without loading a module, for benchmarks and smoke checks:
 * `builtin:identity` returns its argument; `builtin:sleep` waits `ms` then returns it.
 */
export const builtins: Readonly<Record<string, WorkerFn>> = {
  identity: (x: unknown) => x,
  sleep: (ms: unknown) => new Promise((resolve) => setTimeout(() => resolve(ms), ms as number))
}

const BUILTIN_SCOPE = 'builtin'

const registry = new Map<string, ModuleLoader>()
const cache = new Map<string, WorkerFn>()
/** The last object ref looked up: units arrive as fresh JSON objects, so compare by content. */
let last: { module: string; export: string | undefined; fn: WorkerFn } | undefined

/**
 * Makes each module reachable as `"<scope>:<export>"` in this process (a worker registers them
 * before it starts; a parent that runs an inline pool registers them too). Registering a scope
 * again replaces its loader. Returns a function that unregisters these scopes.
 */
export function registerWorkerModules(modules: Readonly<Record<string, ModuleLoader>>): () => void {
  const scopes = Object.keys(modules)
  for (const scope of scopes) {
    if (scope === BUILTIN_SCOPE || scope === '' || scope.includes(':')) throw new Error(`"${scope}" cannot name a module of worker functions`)
    registry.set(scope, modules[scope])
  }
  return () => {
    for (const scope of scopes) if (registry.get(scope) === modules[scope]) registry.delete(scope)
  }
}

/**
 * Loads the registered modules `scopes` now (a worker does it before it reports ready, so the first
 * unit does not pay for loading its module). A scope that is not registered, or whose module fails
 * to load, is skipped: the first unit that needs it reports the error, as it would without preload.
 */
export async function preloadModules(scopes: readonly string[]): Promise<void> {
  await Promise.all(scopes.map(async (scope) => {
    try {
      await registry.get(scope)?.()
    } catch {
      // Reported by the unit that needs it.
    }
  }))
}

/** The function for `ref` if it is already loaded; called once per unit, so it allocates nothing. */
export function cachedFn(ref: FnRef): WorkerFn | undefined {
  if (typeof ref === 'string') return cache.get(ref)
  if (last !== undefined && last.module === ref.module && last.export === ref.export) return last.fn
  const fn = cache.get(fnKey(ref))
  if (fn !== undefined) last = { module: ref.module, export: ref.export, fn }
  return fn
}

export function resolveFn(ref: FnRef): Promise<WorkerFn> {
  return typeof ref === 'string' ? resolveRegisteredFn(ref) : resolveModuleFn(ref)
}

/**
 * `"<scope>:<export>"` from the builtins and the registered modules only, never from a file: for
 * refs that come from outside (a cluster job off Redis). Rejects if the scope is not registered
 * or the export is not a function.
 */
export async function resolveRegisteredFn(ref: string): Promise<WorkerFn> {
  const hit = cache.get(ref)
  if (hit) return hit
  const sep = ref.indexOf(':')
  const scope = sep > 0 ? ref.slice(0, sep) : ''
  const name = sep > 0 ? ref.slice(sep + 1) : ''
  let fn: unknown
  if (scope === BUILTIN_SCOPE) fn = Object.hasOwn(builtins, name) ? builtins[name] : undefined
  else {
    const load = registry.get(scope)
    if (!load) throw new Error(`unknown function "${ref}": expected "builtin:<name>" or "<task-id>:<export>" of a registered module`)
    const exports = await load()
    // Own exports only: a name like "constructor" must not reach the prototype.
    fn = Object.hasOwn(exports, name) ? exports[name] : undefined
  }
  return remember(ref, fn)
}

async function resolveModuleFn(ref: { module: string; export?: string }): Promise<WorkerFn> {
  const key = fnKey(ref)
  const hit = cache.get(key)
  if (hit) return hit
  const mod = await loadModule(ref.module)
  const name = ref.export ?? 'default'
  return remember(key, mod[name] ?? (name === 'default' && typeof mod === 'function' ? mod : undefined))
}

function remember(key: string, found: unknown): WorkerFn {
  if (typeof found !== 'function') throw new Error(`"${key}" is not a function`)
  let fn = found as WorkerFn
  if (isProcessTaskClass(found)) {
    // Class-based form (Python's Process subclass): construct with the args, then call `run()`.
    const Cls = found
    fn = (...args: unknown[]) => new Cls(...args).run()
  }
  cache.set(key, fn)
  return fn
}

async function loadModule(file: string): Promise<Record<string, unknown>> {
  if (/\.(mjs|mts)$/.test(file)) return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as Record<string, unknown>
}
