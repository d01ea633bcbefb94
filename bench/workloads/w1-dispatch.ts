/**
 * W1 dispatch: 100,000 tiny tasks (`identity`) on 2 warm workers, as a chunked map and as one
 * promise per task. Only the dispatch is timed: each run opens a pool, warms it, times the work
 * and closes the pool.
 */
import { Pool } from '../../main/pool'
import { runPython } from '../child-process'
import { fixtures } from '../paths'
import { piscina, poolScopeProcess, poolScopeThread, tinypool, warm, workerpool, type PoolKind } from '../pools'
import { RawForkPool } from '../raw-fork'
import { formats, medianOf, rowsFrom, type Metric, type Section, type TargetResult } from '../report'
import { runInterleaved, type Contender } from '../runner'
import { assertEqual, slowRuns, type BenchContext, type Workload } from './workload'

const TASKS = 100_000
const IDENTITY = { module: fixtures.work, export: 'identity' }
const CHUNKED = 'chunked map (100,000 inputs), the first on a warm pool'
const STEADY = 'chunked map (100,000 inputs), the 4th of 4 on the same pool (steady state)'
/** Maps of 100,000 per pool in the steady-state group; only the last is timed. */
const STEADY_MAPS = 4
const PER_TASK = 'one promise per task (100,000 tasks)'

const rate: Metric = { key: 'rate', label: 'inputs/s', better: 'higher', format: formats.rate }

const inputs = Array.from({ length: TASKS }, (_, i) => i)

function checkResults(results: readonly unknown[]): void {
  assertEqual(results.length, TASKS, 'result count')
  assertEqual(results[TASKS - 1], TASKS - 1, 'last result')
}

async function timed(work: () => Promise<unknown[]>): Promise<Record<string, number>> {
  const started = performance.now()
  const results = await work()
  const seconds = (performance.now() - started) / 1000
  checkResults(results)
  return { rate: TASKS / seconds }
}

function poolScopeMap(backend: 'process' | 'thread', runs: number, maps = 1, serialization?: 'advanced', withSignal = false): Contender {
  const variant = serialization ? `-${serialization}` : ''
  return {
    id: `poolscope-${backend}${variant}-map${maps > 1 ? '-steady' : ''}${withSignal ? '-signal' : ''}`,
    label: `PoolScope (${backend}${serialization ? `, serialization: '${serialization}'` : ''}) map, chunksize auto${withSignal ? ', with an AbortSignal' : ''}`,
    group: maps > 1 ? STEADY : CHUNKED,
    runs,
    async run() {
      const pool = new Pool({ workers: 2, backend, name: 'bench', serialization })
      try {
        await pool.ready()
        // Warms the chunked path itself (125 inputs a chunk), on both workers.
        await pool.map(IDENTITY, inputs.slice(0, 1000))
        for (let i = 1; i < maps; i++) await pool.map(IDENTITY, inputs)
        const signal = withSignal ? new AbortController().signal : undefined
        return await timed(() => pool.map(IDENTITY, inputs, { signal }))
      } finally {
        await pool.terminate()
      }
    }
  }
}

function perTask(kind: PoolKind, runs: number, workers: number): Contender {
  return {
    id: `${kind.id}-per-task`,
    label: kind.isPoolScope ? `${kind.label} apply × 100,000` : kind.label,
    group: PER_TASK,
    runs,
    async run() {
      await kind.load()
      const pool = kind.open(workers)
      try {
        await warm(pool, workers)
        return await timed(() => Promise.all(inputs.map((x) => pool.call('identity', x))))
      } finally {
        await pool.close()
      }
    }
  }
}

/** PoolScope's `apply` per task as the CLI and the app drive it: every call with the run's one signal. */
function perTaskWithSignal(runs: number, workers: number): Contender {
  return {
    id: 'poolscope-process-per-task-signal',
    label: 'PoolScope (process) apply × 100,000, one AbortSignal',
    group: PER_TASK,
    runs,
    async run() {
      const pool = new Pool({ workers, name: 'bench' })
      try {
        await pool.ready()
        await Promise.all(inputs.slice(0, workers * 4).map((x) => pool.apply(IDENTITY, [x])))
        const { signal } = new AbortController()
        return await timed(() => Promise.all(inputs.map((x) => pool.apply(IDENTITY, [x], { signal }))))
      } finally {
        await pool.terminate()
      }
    }
  }
}

function rawFork(perMessage: number, runs: number, workers: number): Contender {
  const messages =
    perMessage === 1
      ? inputs.map((x) => ({ x }))
      : Array.from({ length: Math.ceil(TASKS / perMessage) }, (_, i) => ({ xs: inputs.slice(i * perMessage, (i + 1) * perMessage) }))
  return {
    id: `raw-fork-${perMessage}`,
    label: perMessage === 1 ? 'plain fork, 1 JSON message per task' : `plain fork, ${perMessage.toLocaleString('en-US')} inputs per message`,
    group: perMessage === 1 ? PER_TASK : CHUNKED,
    runs,
    async run() {
      const pool = new RawForkPool(workers)
      try {
        await pool.exchange(Array.from({ length: workers * 4 }, (_, x) => ({ x })))
        return await timed(async () => {
          const replies = await pool.exchange(messages)
          if (perMessage === 1) return replies.map((r) => r.y)
          // A plain copy loop: Array.prototype.flat/flatMap cost more than the whole IPC here.
          const results: unknown[] = new Array(TASKS)
          replies.forEach((reply, i) => {
            for (let j = 0; j < reply.ys!.length; j++) results[i * perMessage + j] = reply.ys![j]
          })
          return results
        })
      } finally {
        await pool.close()
      }
    }
  }
}

function python(chunksize: 'auto' | 1, runs: number, maps = 1): Contender {
  return {
    id: `python-chunksize-${chunksize}${maps > 1 ? '-steady' : ''}`,
    label: `Python Pool.map(chunksize=${chunksize === 'auto' ? 'auto' : 1})`,
    group: maps > 1 ? STEADY : chunksize === 'auto' ? CHUNKED : PER_TASK,
    runs,
    async run() {
      const done = await runPython(['w1', '--n', String(TASKS), '--chunksize', String(chunksize), '--maps', String(maps)])
      return { rate: done.rate as number }
    }
  }
}

export const w1Dispatch: Workload = {
  id: 'w1',
  title: 'dispatch: 100,000 tiny tasks on 2 workers',
  async run(context: BenchContext): Promise<Section> {
    const { runs, workers } = context
    const slow = slowRuns(runs)
    const contenders: Contender[] = [
      poolScopeMap('process', runs),
      poolScopeMap('thread', runs),
      poolScopeMap('process', runs, 1, 'advanced'),
      poolScopeMap('process', runs, 1, undefined, true),
      python('auto', runs),
      rawFork(TASKS / (workers * 4), runs, workers),
      poolScopeMap('process', runs, STEADY_MAPS),
      poolScopeMap('process', runs, STEADY_MAPS, 'advanced'),
      python('auto', runs, STEADY_MAPS),
      perTask(poolScopeProcess, runs, workers),
      perTaskWithSignal(runs, workers),
      perTask(poolScopeThread, runs, workers),
      perTask(piscina, slow, workers),
      perTask(workerpool, slow, workers),
      perTask(tinypool, slow, workers),
      python(1, slow),
      rawFork(1, runs, workers)
    ]
    const samples = await runInterleaved(contenders, context.log)
    const section: Section = {
      id: 'w1',
      title: this.title,
      notes: [
        'rate = inputs ÷ time from submission to the last result, pool started and warm; every run checks the results',
        `steady state: ${STEADY_MAPS - 1} untimed maps of the same 100,000 first, on both sides; the first big map on a fresh pool runs slower than later ones (a cold start in Node: the JIT has not yet optimised the workers' code; see bench/README.md), CPython shows no such gap`,
        `piscina, workerpool, tinypool and Python chunksize=1 take seconds per run, so they get ${slow} runs, the rest ${runs}`,
        'the plain-fork rows are the transport floor (no pool), not a peer',
        'PoolScope calls { module, export } of bench/fixtures/work.cjs, the file the peers load',
        'the rows "with an AbortSignal" pass one never-aborted signal to the whole map or to every apply, as runs from the CLI and the app do (W9 takes them from 10,000 to 1,000,000 inputs)',
        "serialization: 'advanced' is a pool option (V8's serializer on the IPC channel instead of JSON): it carries values JSON cannot; slower per small message (see W2), and for this map too, since the JSON channel sends big chunks of 32-bit integers as their bytes"
      ],
      rows: rowsFrom(contenders, samples, [rate], new Set(['poolscope-process-map', 'poolscope-process-map-steady', 'poolscope-process-per-task'])),
      targets: []
    }
    const ps = (id: string) => medianOf(section, id, 'rate')
    const chunked = ps('poolscope-process-map') / ps('python-chunksize-auto')
    const vsPiscina = ps('poolscope-process-per-task') / ps('piscina-per-task')
    const vsPython1 = ps('poolscope-process-per-task') / ps('python-chunksize-1')
    const steady = ps('poolscope-process-map-steady') / ps('python-chunksize-auto-steady')
    const advanced = ps('poolscope-process-advanced-map') / ps('python-chunksize-auto')
    const signalPerTask = ps('poolscope-process-per-task-signal') / ps('poolscope-process-per-task')
    section.targets.push(
      target('chunked map ≥ 1.0× Python Pool.map (auto chunksize)', chunked, 1),
      target("the same with the pool option serialization: 'advanced' (not the default)", advanced, 1, "PoolScope process, 'advanced'"),
      target('the same, steady state (4th map on each pool; not the issue’s wording)', steady, 1),
      target('one promise per task ≥ 5× piscina', vsPiscina, 5),
      target('one promise per task with an AbortSignal ≥ 0.8× without (not the issue’s wording)', signalPerTask, 0.8),
      target('one promise per task ≥ 2× Python Pool.map(chunksize=1)', vsPython1, 2)
    )
    return section
  }
}

function target(text: string, ratio: number, atLeast: number, who = 'PoolScope process'): TargetResult {
  return {
    workload: 'w1',
    target: text,
    measured: `${ratio.toFixed(2)}× (${who})`,
    isMet: Number.isFinite(ratio) ? ratio >= atLeast : undefined
  }
}
