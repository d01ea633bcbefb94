/** Small payload builders for renderer tests; each takes overrides for the fields a test is about. */
import type { BenchReport, MonitorSample, RunFinished, RunUpdate, TaskInfo, UnitSpanDto, WorkerRow } from '../../shared/contract'

export function sample(t: number, cores: number[] = [10, 20], overrides: Partial<MonitorSample> = {}): MonitorSample {
  return {
    t,
    cores,
    totalPercent: cores.reduce((a, b) => a + b, 0) / Math.max(1, cores.length),
    memUsedBytes: 4 * 2 ** 30,
    memTotalBytes: 16 * 2 ** 30,
    loadAvg: [1, 1, 1],
    samplerCpuPercent: 0.5,
    ...overrides
  }
}

export function worker(id: number, overrides: Partial<WorkerRow> = {}): WorkerRow {
  return {
    id,
    name: `pool-${id}`,
    pid: 1000 + id,
    state: 'busy',
    currentUnitId: undefined,
    unitsDone: 0,
    restarts: 0,
    ...overrides
  }
}

export function span(unitId: number, workerId: number, startedAt: number, endedAt: number, ok = true): UnitSpanDto {
  return { unitId, workerId, size: 1, startedAt, endedAt, ok }
}

export function runUpdate(overrides: Partial<RunUpdate> = {}): RunUpdate {
  return {
    runId: 'run-1',
    taskId: 'heavy-sum',
    state: 'running',
    at: 1_000,
    counters: { submitted: 10, pending: 6, running: 2, completed: 2, failed: 0, retried: 0, crashedWorkers: 0 },
    workers: [worker(0), worker(1)],
    spans: [],
    primitives: [],
    progress: { done: 2, total: 10, perSecond: 4, etaMs: 2000 },
    ...overrides
  }
}

export function runFinished(overrides: Partial<RunFinished> = {}): RunFinished {
  return {
    runId: 'run-1',
    taskId: 'heavy-sum',
    state: 'succeeded',
    ok: true,
    result: { sums: [1, 2] },
    check: { ok: true, summary: 'all 2 sums equal n(n-1)/2' },
    error: undefined,
    stats: { tasks: 10, completed: 10, failed: 0, retried: 0, crashedWorkers: 0, startupMs: 50, wallMs: 1500, tasksPerSec: 6.7 },
    ...overrides
  }
}

export function task(overrides: Partial<TaskInfo> = {}): TaskInfo {
  return {
    id: 'heavy-sum',
    title: 'Heavy sum',
    description: 'Sums integers.',
    pattern: 'Pool.map',
    longRunning: false,
    params: [
      { name: 'n', type: 'integer', description: 'count', default: 1000, min: 1, max: 1_000_000 },
      { name: 'scale', type: 'number', description: 'factor', default: 1.5 },
      { name: 'label', type: 'string', description: 'a label', default: 'x' },
      { name: 'verbose', type: 'boolean', description: 'talk', default: false },
      { name: 'mode', type: 'enum', description: 'how', default: 'fast', options: ['fast', 'slow'] },
      { name: 'urls', type: 'string-list', description: 'where', default: ['a', 'b'] }
    ],
    ...overrides
  }
}

export function benchReport(overrides: Partial<BenchReport> = {}): BenchReport {
  const row = (workers: number, medianMs: number, minMs: number, maxMs: number) => ({
    workers,
    medianMs,
    minMs,
    maxMs,
    meanMs: medianMs,
    stddevMs: 1,
    runsMs: [minMs, medianMs, maxMs],
    speedup: 1000 / medianMs,
    efficiency: 1000 / medianMs / workers,
    karpFlatt: undefined,
    coreBusyPercent: Array.from({ length: 4 }, (_, i) => (i < workers ? 95 : 5))
  })
  return {
    id: 'b-1',
    createdAt: '2026-11-24T10:00:00.000Z',
    task: 'heavy-sum',
    params: { n: 1000 },
    backend: 'process',
    cores: 4,
    baseline: { medianMs: 1000, minMs: 990, maxMs: 1010, meanMs: 1000, stddevMs: 5, runsMs: [990, 1000, 1010], coreBusyPercent: [100, 3, 2, 1] },
    results: [row(4, 300, 250, 400), row(1, 1050, 1000, 1100), row(2, 520, 500, 550)],
    amdahl: {
      serialFraction: 0.05,
      projected: [
        { workers: 8, speedup: 5.9 },
        { workers: 1, speedup: 1 },
        { workers: 2, speedup: 1.9 },
        { workers: 4, speedup: 3.5 }
      ]
    },
    warnings: [],
    ...overrides
  }
}
