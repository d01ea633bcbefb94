/**
 * Which primitives are attached to which pool or process, so the monitor can chart them: for each
 * host of a run, `primitivesOf(host)` lists the owners reachable from it, and `stats()` on each
 * gives depth, traffic and waiters. Keyed weakly: a finished pool takes its entries with it.
 */
import type { PrimitiveHost } from './primitive-host'
import type { PrimitiveStats } from './primitive-stats'

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
