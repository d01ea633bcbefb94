/**
 * W3 scaling: 8 CPU-bound tasks (`spin`), in a plain loop in this process and on warm pools of 1
 * and 2 workers. Speedup = the same run's sequential loop time ÷ the pool's time, so each run's
 * ratio compares figures measured moments apart.
 */
import { createRequire } from 'node:module'
import { runPython } from '../child-process'
import { fixtures } from '../paths'
import { allKinds, poolScopeProcess, warm, type PoolKind } from '../pools'
import { formats, medianOf, type Metric, type Row, type Section } from '../report'
import { runInterleaved, type Contender } from '../runner'
import { assertEqual, type BenchContext, type Workload } from './workload'

const TASKS = 8
/** About 140 ms per call on the 2-core VM in JavaScript… */
const JS_SPIN = 7_000_000
/** …and about as long in CPython, whose loop is ~2.3× slower per iteration than V8's. */
const PY_SPIN = 3_000_000

const { spin } = createRequire(__filename)(fixtures.work) as { spin: (n: number) => number }
/** spin(JS_SPIN), computed on first use: the `--child` processes load this module too. */
let expected: number | undefined

const seconds: Metric = { key: 'seconds', label: 'time', better: 'lower', format: formats.seconds }
const speedup: Metric = { key: 'speedup', label: 'speedup', better: 'higher', format: formats.times }

function pooled(kind: PoolKind, workers: number, runs: number, isReadyAwaited = true): Contender {
  return {
    id: `${kind.id}-${workers}w${isReadyAwaited ? '' : '-no-ready'}`,
    label: `${kind.label}, ${workers} worker${workers > 1 ? 's' : ''}${isReadyAwaited ? '' : ', warm-up without ready()'}`,
    group: 'js',
    runs,
    async run() {
      await kind.load()
      const pool = kind.open(workers)
      try {
        await warm(pool, workers, isReadyAwaited)
        const started = performance.now()
        const results = await Promise.all(Array.from({ length: TASKS }, () => pool.call('spin', JS_SPIN)))
        const elapsed = (performance.now() - started) / 1000
        for (const r of results) assertEqual(r, expected, 'spin result')
        return { seconds: elapsed }
      } finally {
        await pool.close()
      }
    }
  }
}

function python(workers: number, runs: number): Contender {
  return {
    id: `python-${workers}w`,
    label: workers === 0 ? 'Python sequential loop' : `Python Pool.map, ${workers} workers`,
    group: 'python',
    runs,
    async run() {
      const done = await runPython(['w3', '--workers', String(workers), '--tasks', String(TASKS), '--spin', String(PY_SPIN)])
      return { seconds: done.seconds as number }
    }
  }
}

export const w3Scaling: Workload = {
  id: 'w3',
  title: 'scaling: 8 CPU-bound tasks, sequential loop vs 1 and 2 workers',
  async run(context: BenchContext): Promise<Section> {
    const { runs, workers } = context
    expected ??= spin(JS_SPIN)
    const sequential: Contender = {
      id: 'js-sequential',
      label: 'Node sequential loop (this process)',
      group: 'js',
      runs,
      async run() {
        const started = performance.now()
        for (let i = 0; i < TASKS; i++) assertEqual(spin(JS_SPIN), expected, 'spin result')
        return { seconds: (performance.now() - started) / 1000 }
      }
    }
    const parallel = [
      pooled(poolScopeProcess, 1, runs),
      ...allKinds.map((kind) => pooled(kind, workers, runs)),
      pooled(poolScopeProcess, workers, runs, false)
    ]
    const pythons = [python(0, runs), python(workers, runs)]
    const contenders = [sequential, ...parallel, ...pythons]
    const samples = await runInterleaved(contenders, context.log)

    const secondsOf = (id: string) => samples.get(id)!.map((s) => s.seconds)
    const reference = `${poolScopeProcess.id}-${workers}w`
    const rows: Row[] = []
    const jsGroup = `time of 8 × spin(${JS_SPIN.toLocaleString('en-US')}), the same JavaScript everywhere`
    for (const c of [sequential, ...parallel]) {
      rows.push({ group: jsGroup, contenderId: c.id, label: c.label, metric: seconds, values: secondsOf(c.id), isReference: c.id === reference })
    }
    const pyGroup = `time of 8 × spin(${PY_SPIN.toLocaleString('en-US')}) in CPython (its own loop; not comparable with the JS times)`
    for (const c of pythons) {
      rows.push({ group: pyGroup, contenderId: c.id, label: c.label, metric: seconds, values: secondsOf(c.id), isReference: false })
    }
    // Per run: the sequential time of the same language and the same run, over the pool's.
    const perRun = (base: number[], pool: number[]) => pool.map((t, i) => base[i] / t).filter(Number.isFinite)
    const speedGroup = 'speedup = sequential loop of the same language, same run ÷ pool time'
    for (const c of parallel) {
      rows.push({
        group: speedGroup,
        contenderId: c.id,
        label: c.label,
        metric: speedup,
        values: perRun(secondsOf(sequential.id), secondsOf(c.id)),
        isReference: c.id === reference
      })
    }
    rows.push({
      group: speedGroup,
      contenderId: 'python-speedup',
      label: pythons[1].label,
      metric: speedup,
      values: perRun(secondsOf('python-0w'), secondsOf(`python-${workers}w`)),
      isReference: false
    })
    const section: Section = {
      id: 'w3',
      title: this.title,
      notes: [
        'pools are started and warm; time runs from submitting the 8 tasks to the last result',
        '"warm-up without ready()": the 8 warm-up tasks are sent before PoolScope\'s second worker is up, so they all run on the ' +
          'first; the pipelining depth is learnt per function, so the spins that follow (not measured yet) go one per worker — ' +
          'before, one pool-wide estimate learnt on the tiny tasks lined five spins up on the first worker (1.64×)',
        `the JS loop is bench/fixtures/work.cjs spin(); Python's is the same loop with n scaled so a call takes about as long`
      ],
      rows: rows.filter((row) => row.values.length > 0),
      targets: []
    }
    const ours = medianOf(section, reference, 'speedup')
    section.targets.push({
      workload: 'w3',
      target: 'speedup on 2 workers ≥ 1.9',
      measured: `${ours.toFixed(2)}× (PoolScope process)`,
      isMet: Number.isFinite(ours) ? ours >= 1.9 : undefined
    })
    return section
  }
}
