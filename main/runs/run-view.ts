/**
 * What a live run looks like on the dashboard, read from the engine at each update: a row per
 * worker (pool slots, then the single processes a task started), the units that finished, and the
 * queues, pipes and other primitives the task attached to its pools and processes. Pure mappings
 * from the engine's types to the contract's, so the contract does not follow the engine's names.
 */
import type { PrimitiveGauge, UnitSpanDto, WorkerRow } from '../../shared/contract'
import type { Pool } from '../pool/pool'
import type { Process } from '../pool/process'
import type { UnitSpan } from '../pool/types'
import { primitivesOf, type PrimitiveHost, type PrimitiveStats } from '../primitives'

/** Rows for single processes (hello, game-loops…) follow the pool slots, from this id on. */
export const PROCESS_ROW_OFFSET = 1000

/** One row per pool slot, then one per process the task started. */
export function workerRows(pools: readonly Pool[], processes: readonly Process[]): WorkerRow[] {
  const rows: WorkerRow[] = []
  for (const pool of pools) {
    for (const w of pool.snapshot().workers) {
      rows.push({ id: w.id, name: w.name, pid: w.pid, state: w.state, currentUnitId: w.currentUnitId, unitsDone: w.unitsDone, restarts: w.restarts })
    }
  }
  processes.forEach((p, i) =>
    rows.push({
      id: PROCESS_ROW_OFFSET + i,
      name: p.name,
      pid: p.pid,
      state: p.isAlive() ? 'busy' : 'exited',
      currentUnitId: undefined,
      unitsDone: p.isAlive() ? 0 : 1,
      restarts: 0
    })
  )
  return rows
}

/** The engine's span as the contract carries it. */
export function toUnitSpan(span: UnitSpan): UnitSpanDto {
  return { unitId: span.unitId, workerId: span.workerId, size: span.size, startedAt: span.startedAt, endedAt: span.endedAt, ok: span.ok }
}

/**
 * The primitives attached to any of `hosts`, each once (a queue attached to eight processes is one
 * queue), in the order they were attached.
 */
export function primitiveGauges(hosts: Iterable<PrimitiveHost>): PrimitiveGauge[] {
  const byService = new Map<string, PrimitiveGauge>()
  for (const host of hosts) {
    for (const primitive of primitivesOf(host)) {
      if (!byService.has(primitive.service)) byService.set(primitive.service, toGauge(primitive.stats()))
    }
  }
  return [...byService.values()]
}

function toGauge(stats: PrimitiveStats): PrimitiveGauge {
  const base = { service: stats.service, kind: stats.kind, label: stats.label, isClosed: stats.isClosed }
  switch (stats.kind) {
    case 'queue':
      return {
        ...base,
        depth: stats.depth,
        peakDepth: stats.peakDepth,
        capacity: stats.maxsize > 0 ? stats.maxsize : undefined,
        throughput: stats.gets,
        waiting: stats.waitingGetters + stats.waitingPutters
      }
    case 'pipe': {
      const depth = stats.pending[0] + stats.pending[1]
      return { ...base, depth, peakDepth: undefined, capacity: undefined, throughput: stats.received[0] + stats.received[1], waiting: stats.waitingReceivers[0] + stats.waitingReceivers[1] }
    }
    case 'manager': {
      const depth = stats.lists.reduce((sum, list) => sum + list.length, 0) + stats.dicts.reduce((sum, dict) => sum + dict.size, 0)
      return { ...base, depth, peakDepth: undefined, capacity: undefined, throughput: stats.writes, waiting: 0 }
    }
    case 'shared-array':
    case 'shared-value':
      return { ...base, depth: undefined, peakDepth: undefined, capacity: undefined, throughput: stats.writes, waiting: stats.lock?.waiting ?? 0 }
  }
}
