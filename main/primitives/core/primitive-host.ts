/**
 * Where a primitive's owner can be reached from: a `Pool` (any of its workers), a single
 * `Process`, or the pool a task gets from `ctx.createPool()`. All let task code call parent-side
 * services, and pools and processes announce when a worker ends, which is what an owner needs to
 * give back what a dead worker held (queue items, a lock).
 *
 * Also which primitives are attached to which host, so the monitor can chart them: for each host
 * of a run, `primitivesOf(host)` lists the owners reachable from it, and `stats()` on each gives
 * depth, traffic and waiters. Keyed weakly: a finished pool takes its entries with it.
 */
import type { EventEmitter } from 'node:events'
import type { PrimitiveStats } from './primitive-stats'

/** Anything that can make a service reachable from its workers. */
export interface PrimitiveHost {
  registerService(name: string, service: object): () => void
}

type WorkerExitEmitter = Pick<EventEmitter, 'on' | 'off'>

/**
 * Calls `listener` with the name of each worker of `host` that ends; returns the unsubscribe.
 * Told apart by shape rather than `instanceof`, so worker bundles that load the primitives never
 * load the pool's classes: a `Pool` has `killWorker` and emits `worker-exit`; a `Process` has
 * `isAlive` and emits `exit` once. A host that is neither (a pool without workers) never ends any.
 */
export function onWorkerEnd(host: PrimitiveHost, listener: (workerName: string) => void): () => void {
  const emitter = host as Partial<WorkerExitEmitter> & { killWorker?: unknown; isAlive?: unknown; name?: unknown }
  if (typeof emitter.on !== 'function' || typeof emitter.off !== 'function') return () => undefined
  const { on, off } = emitter as WorkerExitEmitter
  if (typeof emitter.killWorker === 'function') {
    const onExit = (worker: { name: string }) => listener(worker.name)
    on.call(emitter, 'worker-exit', onExit)
    return () => off.call(emitter, 'worker-exit', onExit)
  }
  if (typeof emitter.isAlive === 'function' && typeof emitter.name === 'string') {
    const name = emitter.name
    const onExit = () => listener(name)
    on.call(emitter, 'exit', onExit)
    return () => off.call(emitter, 'exit', onExit)
  }
  return () => undefined
}

/** What the monitor sees of an owner. */
export interface MonitoredPrimitive {
  /** The service name task code reaches it by, unique in this process. */
  readonly service: string
  stats(): PrimitiveStats
}

const byHost = new WeakMap<PrimitiveHost, Set<MonitoredPrimitive>>()

/** Records that `primitive` is reachable from `host`; returns the function that forgets it. */
export function trackPrimitive(host: PrimitiveHost, primitive: MonitoredPrimitive): () => void {
  let set = byHost.get(host)
  if (!set) byHost.set(host, (set = new Set()))
  set.add(primitive)
  return () => set.delete(primitive)
}

/** The primitives attached to `host`, in attach order. */
export function primitivesOf(host: PrimitiveHost): MonitoredPrimitive[] {
  return [...(byHost.get(host) ?? [])]
}
