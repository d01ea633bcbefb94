/**
 * Small drivers for profiling PoolScope where it misses a target, run as
 * `node --cpu-prof --cpu-prof-dir=DIR out/main/bench-peers.js --child profile <scenario>`.
 * Process workers are forked with the parent's `execArgv`, so they write their own profiles
 * into DIR too; `bench/tools/cpuprofile-top.cjs` summarises them.
 *
 * Knobs for the W2 scenarios, by environment: `WARM` (untimed round trips first), `DRIFT_WINDOWS` and
 * `DRIFT_WINDOW` (`drift`: how many windows of how many round trips), `DRIFT_PROBE=1` (`drift`: after
 * each window, how long a fixed loop of integer arithmetic and a sum over 512 KB took: a window
 * that is slow because the CPU or its caches ran slow shows as such), `COUNT`
 * (`rt-cpu`'s round trips), `KIND=poolscope|workerpool` (one of the two alone, to profile it with
 * `perf`), `THREAD_CPU=1` (`tail-vs`: each thread's CPU time in the window), `TAIL_AT=1` (`tail-vs`:
 * which round trips were slow), `HIST=1` (`tail-vs`: how many round trips fell in each band of
 * µs), `ALLOC_SITES=1` (`tail-vs`: where this process allocated in the window, by V8's sampling
 * heap profiler, collected objects included), `BENCH_WORKER_OUTPUT=1` (workers' stdout and stderr
 * on this process's stderr, with markers of the warm-up and the window: for `--trace-opt`,
 * `--trace-gc`). For W9's `runtask`: `RUNS` (how many runs), `PROF_MARK=1` (each run's start on the
 * profile's clock, for `tools/cpuprofile-top.cjs --window`); for `w9-rounds`: `BIG=0` (no
 * 1,000,000-input runs); for `first-map`: `WARM_MAP=1` (a 1,000-input map first, as W1 warms) and
 * `SPANS=1` (each chunk's run in its worker, and when this process saw its result).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { PerformanceObserver } from 'node:perf_hooks'
import { Pool } from '../main/pool'
import { fixtures } from './paths'
import { arrayLoop, describeHostAtRest, HOST_LOOPS, hostAtRest, integerLoop, probeUs } from './host-speed'
import { placementProbe } from './placement'
import { minorFaults, rssBytes } from './proc'
import { collectGarbage } from './runner'
import { poolScopeProcess, relayOutput, workerpool, type BenchPool, type PoolKind } from './pools'

const IDENTITY = { module: fixtures.work, export: 'identity' }
const PAIR = { module: fixtures.work, export: 'first' }

function* numbers(count: number): Generator<number> {
  for (let i = 0; i < count; i++) yield i
}

/**
 * Runs `work`, `count` repetitions of something, and prints the minor page faults of this process
 * and of each worker per repetition, and this process's system CPU time per repetition. Where
 * touching fresh memory is dear (a VM whose freed memory goes back to its host), it shows here.
 */
async function withFaults(pool: Pool, count: number, work: () => Promise<void>): Promise<void> {
  const pids = ['self', ...pool.snapshot().workers.map((w) => w.pid!)]
  const before = pids.map(minorFaults)
  const system = process.cpuUsage().system
  await work()
  const each = pids.map((pid, k) => ((minorFaults(pid) - before[k]!) / count).toFixed(1))
  const systemMs = (process.cpuUsage().system - system) / 1000 / count
  console.log(`minor page faults per repetition, this process / each worker: ${each.join(' / ')}; this process's system CPU ${systemMs.toFixed(2)} ms each`)
}

const scenarios: Record<string, (pool: Pool) => Promise<void>> = {
  /** W1 chunked: Pool.map of 100,000 inputs, ten times (MAPS=n: n times), each one's time and its workers' busy time. */
  async map(pool) {
    const inputs = Array.from({ length: 100_000 }, (_, i) => i)
    const maps = Number(process.env.MAPS ?? 10)
    await withFaults(pool, maps, async () => {
      // Each map's wall time, and its units' time in the workers (spans), ms.
      const walls: number[] = []
      const busy: number[] = []
      pool.on('spans', (spans: { startedAt: number; endedAt: number }[]) => {
        for (const span of spans) busy[busy.length - 1]! += span.endedAt - span.startedAt
      })
      for (let i = 0; i < maps; i++) {
        busy.push(0)
        const started = performance.now()
        await pool.map(IDENTITY, inputs)
        walls.push(performance.now() - started)
      }
      console.log(`maps: ${walls.map((t) => t.toFixed(1)).join(' ')} ms`)
      console.log(`busy: ${busy.map((t) => t.toFixed(2)).join(' ')} ms in the workers`)
    })
  },
  /** W1 per task: 100,000 apply() promises at once, three times. */
  async apply(pool) {
    const inputs = Array.from({ length: 100_000 }, (_, i) => i)
    for (let i = 0; i < 3; i++) await Promise.all(inputs.map((x) => pool.apply(IDENTITY, [x])))
  },
  /** W1 per task on more workers than cores: 3 × 100,000 apply() promises on a pool of 8. */
  async oversubscribed(pool) {
    const inputs = Array.from({ length: 100_000 }, (_, i) => i)
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      await Promise.all(inputs.map((x) => pool.apply(IDENTITY, [x])))
      console.log(`  apply × 100,000: ${(performance.now() - started).toFixed(0)} ms`)
    }
  },
  /** W2: 10,000 sequential round trips (RT=n: n). */
  async latency(pool) {
    const count = Number(process.env.RT ?? 10_000)
    await withFaults(pool, count, async () => {
      for (let i = 0; i < count; i++) await pool.apply(IDENTITY, [i])
    })
  },
  /** W9 chunked: `starmap` of 100,000 two-argument calls, as the `square` task sends them, ten times. */
  async starmap(pool) {
    const pairs = Array.from({ length: 100_000 }, (_, i) => [i, 0])
    for (let i = 0; i < 10; i++) await pool.starmap(PAIR, pairs, { chunksize: 12_500 })
  },
  /** W9 chunked on a warm pool: `square` over 100,000 inputs as runTask maps it, ten times (MAPS=n: n), each timed. */
  async square(pool) {
    const inputs = Array.from({ length: 100_000 }, (_, i) => i)
    const times: string[] = []
    const maps = Number(process.env.MAPS ?? 10)
    await withFaults(pool, maps, async () => {
      for (let i = 0; i < maps; i++) {
        const started = performance.now()
        await pool.map('square:square', inputs, { chunksize: 12_500, signal: new AbortController().signal })
        times.push((performance.now() - started).toFixed(1))
      }
    })
    console.log(`  maps: ${times.slice(0, 20).join(' ')}${maps > 20 ? ' …' : ''} ms (the first loads the task's module)`)
  },
  /** W5: a million inputs through imap. */
  async imap(pool) {
    for await (const value of pool.imap(IDENTITY, numbers(1_000_000))) void value
  }
}

/** For each round, PoolScope (process) then workerpool: a warm pool of 2 given to `measure`, whose line is printed. */
async function inTurn(rounds: number, warmCalls: number, measure: (kind: PoolKind, pool: BenchPool) => Promise<string>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    // KIND=poolscope or KIND=workerpool measures one of them alone (to profile it on its own).
    for (const kind of [poolScopeProcess, workerpool].filter((k) => !process.env.KIND || k.label.toLowerCase().startsWith(process.env.KIND!))) {
      await kind.load()
      const pool = kind.open(2)
      await pool.ready()
      for (let i = 0; i < warmCalls; i++) {
        if (i % 500 === 0) markOutput(`warm ${i}`)
        await pool.call('identity', i)
      }
      const line = await measure(kind, pool)
      await pool.close()
      console.log(line)
    }
  }
}

/**
 * With `BENCH_WORKER_OUTPUT`, a line `--- text` on both of this process's outputs: a marker between
 * this process's trace lines (stdout) and its workers' (relayed to stderr).
 */
function markOutput(text: string): void {
  if (process.env.BENCH_WORKER_OUTPUT) for (const out of [process.stdout, process.stderr]) out.write(`--- ${text}\n`)
}

/** `count` sequential calls of `identity`, each awaited before the next: their times in µs. */
async function roundTrips(pool: BenchPool, count: number): Promise<number[]> {
  const lat: number[] = []
  for (let i = 0; i < count; i++) {
    const t = performance.now()
    await pool.call('identity', i)
    lat.push((performance.now() - t) * 1000)
  }
  return lat
}

/** Nanoseconds a task (a process's main thread, or a thread) has run on a CPU: its `schedstat` (Linux `/proc`). */
function onCpuNs(schedstat: string): number {
  return Number(readFileSync(schedstat, 'utf8').split(' ')[0])
}

/** The pids of this process's children (Linux `/proc`). */
function childPids(): string[] {
  return readdirSync('/proc/self/task').flatMap((tid) => readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(' ').filter(Boolean))
}

/**
 * Starts V8's sampling heap profiler with collected objects kept (every allocation counts, not only
 * survivors); the returned function stops it and gives the top sites by bytes, as lines.
 */
interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: SamplingNode[]
}

async function allocationSampling(): Promise<() => Promise<string>> {
  const { Session } = await import('node:inspector')
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))))
  await post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
  return async () => {
    const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } }
    session.disconnect()
    const sites = new Map<string, number>()
    const walk = (node: SamplingNode, stack: string[]) => {
      const frame = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`
      const here = [...stack, frame].slice(-3)
      if (node.selfSize > 0) sites.set(here.join(' < '), (sites.get(here.join(' < ')) ?? 0) + node.selfSize)
      for (const child of node.children) walk(child, here)
    }
    walk(profile.head, [])
    const total = [...sites.values()].reduce((a, b) => a + b, 0)
    return [`  total ${(total / 1024).toFixed(0)} KB`, ...[...sites].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([site, bytes]) => `  ${(bytes / 1024).toFixed(0).padStart(6)} KB  ${site}`)].join('\n')
  }
}

export async function profileChild(scenario: string, arg?: string): Promise<void> {
  if (scenario === 'placement') return placementProbe(Number(arg ?? 6))
  const backend = arg === 'thread' ? 'thread' : 'process'
  // W2's tail: which of 2,000 sequential round trips are slow, and whether a GC of this process overlaps them.
  if (scenario === 'tail') {
    const gcs: [number, number, number][] = []
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcs.push([e.startTime, e.startTime + e.duration, (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? -1])
    })
    observer.observe({ entryTypes: ['gc'] })
    for (let round = 0; round < 4; round++) {
      const pool = new Pool({ workers: 2, backend, name: 'profile' })
      await pool.ready()
      for (let i = 0; i < 200; i++) await pool.apply(IDENTITY, [i])
      gcs.length = 0
      const lat: [number, number][] = []
      for (let i = 0; i < 2000; i++) {
        const t = performance.now()
        await pool.apply(IDENTITY, [i])
        lat.push([t, performance.now() - t])
      }
      const sorted = lat.map(([, d]) => d).sort((a, b) => a - b)
      const p99 = sorted[1980]!
      const slow = lat.filter(([, d]) => d >= p99)
      const withGc = slow.filter(([t, d]) => gcs.some(([a, b]) => a < t + d && b > t)).length
      console.log(`round ${round + 1}: p50 ${(sorted[1000]! * 1000).toFixed(1)} µs p99 ${(p99 * 1000).toFixed(0)} µs; ${gcs.length} GCs here (${gcs.map(([a, b, k]) => `${k}:${((b - a) * 1000).toFixed(0)}µs`).join(' ')}); slowest 1 %: ${withGc} of ${slow.length} overlap a GC here; their indices ${slow.map(([t]) => lat.findIndex(([u]) => u === t)).slice(0, 20).join(',')}`)
      pool.close()
      await pool.join()
    }
    observer.disconnect()
    return
  }
  // W9's chunked rows in W9's order: five rounds of `square` through runTask at 100,000 inputs, the
  // first three also at 1,000,000 (BIG=0 leaves those out), each run's wall time and the time
  // spent in the run after the map (ms).
  if (scenario === 'w9-rounds') {
    const { runTask } = await import('../main/runs/task-runner')
    const { parseTaskInput } = await import('../main/runs/task-input')
    const run = async (count: number) => {
      collectGarbage()
      const input = parseTaskInput('square', { count, delayMs: 0 })
      const r = await runTask({ ...input, workers: 2, backend: 'process', chunksize: count / 8 })
      return r.stats.wallMs
    }
    const rows: string[] = []
    for (let round = 0; round < 5; round++) {
      markOutput(`round ${round + 1} at 100,000`)
      const small = await run(100_000)
      markOutput(`round ${round + 1} done`)
      const big = round < 3 && process.env.BIG !== '0' ? await run(1_000_000) : undefined
      rows.push(`${small.toFixed(1)}${big === undefined ? '' : ` (1M ${big.toFixed(0)})`}`)
    }
    console.log(`100,000 chunked, by round: ${rows.join(', ')} ms`)
    return
  }
  // W9 chunked: `square` through runTask as `poolscope run square --chunksize 12500` runs it.
  if (scenario === 'runtask') {
    const { runTask } = await import('../main/runs/task-runner')
    const { parseTaskInput } = await import('../main/runs/task-input')
    for (let i = 0; i < Number(process.env.RUNS ?? 6); i++) {
      const input = parseTaskInput('square', { count: 100_000, delayMs: 0 })
      // The timed part's start on the monotonic clock (µs), to cut a `--cpu-prof` profile to it.
      let readyAtUs = 0n
      const onPool = (pool: { ready(): Promise<void> }) => void pool.ready().then(() => (readyAtUs = process.hrtime.bigint() / 1000n))
      const r = await runTask({ ...input, workers: 2, backend: 'process', chunksize: 12_500, onPool: onPool as never })
      console.log(`runTask wall ${r.stats.wallMs} ms startup ${r.stats.startupMs} ms ${r.stats.tasksPerSec}/s${process.env.PROF_MARK ? `; timed from ${readyAtUs} µs` : ''}`)
    }
    return
  }
  // W9 chunked, the map alone: three maps of `square` on each of six fresh pools, with the
  // workers' busy time (spans) and the units' times of the first map.
  if (scenario === 'square-fresh') {
    const inputs = Array.from({ length: 100_000 }, (_, i) => i)
    for (let i = 0; i < 6; i++) {
      const pool = new Pool({ workers: 2, backend, name: 'profile', preload: ['square'] })
      relayOutput(pool)
      await pool.ready()
      const times: string[] = []
      let spans: { startedAt: number; endedAt: number; workerId: number }[] = []
      const seen: number[] = []
      pool.on('spans', (s: typeof spans) => {
        spans.push(...s)
        for (const _ of s) seen.push(performance.now() + performance.timeOrigin)
      })
      for (let j = 0; j < 3; j++) {
        spans = []
        const started = performance.now() + performance.timeOrigin
        markOutput(`map ${j + 1} starts`)
        await pool.map('square:square', inputs, { chunksize: 12_500, extraArgs: [0], signal: new AbortController().signal })
        markOutput(`map ${j + 1} ends`)
        const end = performance.now() + performance.timeOrigin
        const busy = spans.reduce((t, x) => t + x.endedAt - x.startedAt, 0)
        const first = Math.min(...spans.map((x) => x.startedAt)) - started
        const lastEnd = end - Math.max(...spans.map((x) => x.endedAt))
        if (j === 0) console.log(spans.map((x, k) => `w${x.workerId} ${(x.startedAt - started).toFixed(1)}–${(x.endedAt - started).toFixed(1)} seen ${(seen[k]! - started).toFixed(1)}`).join(' | '))
        seen.length = 0
        times.push(`${(end - started).toFixed(1)} (worker busy ${busy.toFixed(1)}, first start +${first.toFixed(1)}, after last end ${lastEnd.toFixed(1)})`)
      }
      console.log(`fresh pool maps: ${times.join(' ')} ms`)
      pool.close()
      await pool.join()
    }
    return
  }
  // W9 chunked, where the CPU goes: on each of eight fresh pools, the first and the second map of
  // `square` (100,000 inputs, chunks of 12,500), with the CPU of this process and of each worker
  // (all threads, `/proc/…/task/*/schedstat`, Linux) and the minor page faults of each during
  // each. `map-cpu runtask` runs the `square` task through runTask on the same fresh pool (lent),
  // timed as the task reports it; POOLS=n in the environment takes n pools instead of eight.
  if (scenario === 'map-cpu') {
    const cpuMs = (pid: number | string) =>
      readdirSync(`/proc/${pid}/task`).reduce((t, tid) => t + onCpuNs(`/proc/${pid}/task/${tid}/schedstat`) / 1e6, 0)
    const { runTask } = await import('../main/runs/task-runner')
    const { parseTaskInput } = await import('../main/runs/task-input')
    const viaRunTask = arg === 'runtask'
    const inputs = Array.from({ length: 100_000 }, (_, i) => i)
    const rows: number[][] = [[], []]
    for (let i = 0; i < Number(process.env.POOLS ?? 8); i++) {
      const pool = new Pool({ workers: 2, backend, name: 'profile', preload: ['square'] })
      await pool.ready()
      const pids = pool.snapshot().workers.map((w) => w.pid!)
      const processes = ['self', ...pids]
      const parts: string[] = []
      for (let j = 0; j < 2; j++) {
        const faultsBefore = processes.map(minorFaults)
        const before = [cpuMs('self'), ...pids.map(cpuMs)]
        const started = performance.now()
        let wall: number
        if (viaRunTask) {
          const r = await runTask({ ...parseTaskInput('square', { count: 100_000, delayMs: 0 }), workers: 2, backend: 'process', chunksize: 12_500, pool })
          wall = r.stats.wallMs
        } else {
          await pool.map('square:square', inputs, { chunksize: 12_500, signal: new AbortController().signal })
          wall = performance.now() - started
        }
        const used = [cpuMs('self'), ...pids.map(cpuMs)].map((x, k) => x - before[k]!)
        rows[j]!.push(wall)
        const faults = processes.map((pid, k) => minorFaults(pid) - faultsBefore[k]!)
        parts.push(`map ${j + 1}: ${wall.toFixed(1)} ms, CPU parent ${used[0]!.toFixed(1)} workers ${used.slice(1).map((x) => x.toFixed(1)).join(' + ')} = ${used.reduce((a, b) => a + b, 0).toFixed(1)} ms, minor page faults ${faults.join(' / ')}`)
      }
      console.log(parts.join('; '))
      await pool.terminate()
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(1)
    console.log(`medians: first map ${median(rows[0]!)} ms, second ${median(rows[1]!)} ms`)
    return
  }
  // W9 chunked, a fresh pool's first map as the parent sees it: every read and write on each
  // worker's IPC channel (time, bytes) and each unit's span, relative to the map's start.
  if (scenario === 'map-trace') {
    // Node's IPC channel is a pipe handle (pipe_wrap): its reads and writes are timed by wrapping the
    // prototype's write and each handle's `onread` as Node sets it. Nothing here may print: stdout
    // is a pipe too.
    const events: [number, string][] = []
    const { Pipe } = (process as unknown as { binding(name: string): { Pipe: { prototype: Record<string, unknown> } } }).binding('pipe_wrap')
    const names = new WeakMap<object, string>()
    const nameOf = (handle: object) => {
      let name = names.get(handle)
      if (name === undefined) names.set(handle, (name = `channel ${++named}`))
      return name
    }
    let named = 0
    Object.defineProperty(Pipe.prototype, 'onread', {
      configurable: true,
      set(this: object, fn: (...a: unknown[]) => unknown) {
        const handle = this
        // The real `onread` is a native accessor further up the chain, which stores the function where C++ reads it.
        Reflect.set(Object.getPrototypeOf(Pipe.prototype) as object, 'onread', function (this: unknown, ...a: unknown[]) {
          const t = performance.now()
          const r = fn.apply(this, a)
          events.push([t, `read ${nameOf(handle)} (${(performance.now() - t).toFixed(2)} ms in JS)`])
          return r
        }, handle)
      }
    })
    const write = Pipe.prototype.writeUtf8String as (...a: unknown[]) => unknown
    Pipe.prototype.writeUtf8String = function (this: object, ...a: unknown[]) {
      const t = performance.now()
      const r = write.apply(this, a)
      events.push([t, `write ${nameOf(this)} ${(a[1] as string).length} B (${(performance.now() - t).toFixed(2)} ms)`])
      return r
    }
    const inputs = Array.from({ length: 100_000 }, (_, i) => i)
    for (let i = 0; i < Number(arg ?? 3); i++) {
      const pool = new Pool({ workers: 2, backend, name: 'profile', preload: ['square'] })
      await pool.ready()
      const spans: { startedAt: number; endedAt: number; workerId: number }[] = []
      pool.on('spans', (s: typeof spans) => {
        const t = performance.now()
        for (const x of s) events.push([t, `seen w${x.workerId} (ran ${(x.startedAt - performance.timeOrigin - started).toFixed(1)}–${(x.endedAt - performance.timeOrigin - started).toFixed(1)})`])
      })
      events.length = 0
      const started = performance.now()
      await pool.map('square:square', inputs, { chunksize: 12_500, signal: new AbortController().signal })
      events.push([performance.now(), 'map resolved'])
      console.log(events.map(([t, e]) => `${(t - started).toFixed(2).padStart(6)} ${e}`).join('\n') + '\n')
      pool.close()
      await pool.join()
    }
    return
  }
  // W1 chunked as the bench times it: the first map of 100,000 inputs on each of ten fresh pools
  // warmed with 8 single calls; prints the median and every time.
  if (scenario === 'first-map') {
    const inputs = Array.from({ length: 100_000 }, (_, i) => i)
    const times: number[] = []
    for (let i = 0; i < 10; i++) {
      const pool = new Pool({ workers: 2, backend, name: 'profile' })
      relayOutput(pool)
      await pool.ready()
      await Promise.all(inputs.slice(0, 8).map((x) => pool.apply(IDENTITY, [x])))
      if (process.env.WARM_MAP) await pool.map(IDENTITY, inputs.slice(0, 1000))
      // SPANS=1: each chunk's run in its worker and when this process saw it (ms from the map's start).
      const spans: string[] = []
      const origin = performance.timeOrigin
      const onSpans = (s: { startedAt: number; endedAt: number; workerId: number }[]) => {
        const seen = performance.now() - started
        for (const x of s) spans.push(`w${x.workerId} ${(x.startedAt - origin - started).toFixed(1)}–${(x.endedAt - origin - started).toFixed(1)} seen ${seen.toFixed(1)}`)
      }
      if (process.env.SPANS) pool.on('spans', onSpans)
      const started = performance.now()
      await pool.map(IDENTITY, inputs)
      times.push(performance.now() - started)
      if (process.env.SPANS) console.log(`  ${(performance.now() - started).toFixed(1)} ms: ${spans.join(' | ')}`)
      await pool.terminate()
    }
    const sorted = [...times].sort((a, b) => a - b)
    console.log(`first maps: median ${sorted[5]!.toFixed(1)} ms (${times.map((t) => t.toFixed(1)).join(' ')})`)
    return
  }
  // W2's slow round trips taken apart: parent to worker, the unit itself, worker to parent (µs),
  // from the span the worker reports (its clock and this process's share an origin).
  if (scenario === 'tail-split') {
    for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++) {
      const pool = new Pool({ workers: 2, backend, name: 'profile' })
      relayOutput(pool)
      await pool.ready()
      for (let i = 0; i < Number(process.env.WARM ?? 2000); i++) await pool.apply(IDENTITY, [i])
      let span: { startedAt: number; endedAt: number } | undefined
      pool.on('spans', (spans: { startedAt: number; endedAt: number }[]) => (span = spans[0]))
      const rows: number[][] = []
      for (let i = 0; i < 2000; i++) {
        const sent = performance.timeOrigin + performance.now()
        await pool.apply(IDENTITY, [i])
        const back = performance.timeOrigin + performance.now()
        rows.push([back - sent, span!.startedAt - sent, span!.endedAt - span!.startedAt, back - span!.endedAt].map((ms) => ms * 1000))
        if (process.env.BENCH_WORKER_OUTPUT) process.stderr.write(rows[i]![0]! > 300 ? `SPIKE ${i}: ${rows[i]!.map((x) => x.toFixed(0)).join(' ')}\n` : i % 100 === 0 ? `at ${i}\n` : '')
      }
      const slow = rows.map((r, i) => [i, ...r]).filter((r) => r[1]! > 300)
      const sorted = rows.map((r) => r[0]!).sort((a, b) => a - b)
      console.log(`p50 ${sorted[1000]!.toFixed(0)} p99 ${sorted[1980]!.toFixed(0)} µs; over 300 µs (index: total = to worker + unit + back): ${slow.map((r) => `${r[0]}: ${r[1]!.toFixed(0)} = ${r[2]!.toFixed(0)} + ${r[3]!.toFixed(0)} + ${r[4]!.toFixed(0)}`).join('; ')}`)
      await pool.terminate()
    }
    return
  }
  // W2's tail, PoolScope (process) against workerpool in turn: percentiles of 2,000 sequential
  // round trips per round, and how many took over 100 and 200 µs.
  if (scenario === 'tail-vs') {
    await inTurn(Number(arg ?? 3), Number(process.env.WARM ?? 200), async (kind, pool) => {
      // This process's collections during the window: W2's p99 is 20 round trips of 2,000.
      const gcs: number[] = []
      const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries().map((e) => e.duration * 1000)))
      observer.observe({ entryTypes: ['gc'] })
      // CPU time of each thread of this process and of the workers during the window (Linux), by thread name.
      const threadCpu = (pid: string) =>
        new Map(readdirSync(`/proc/${pid}/task`).map((tid) => [`${pid === 'self' ? 'parent' : 'worker'} ${readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()} ${tid}`, onCpuNs(`/proc/${pid}/task/${tid}/schedstat`) / 1e6] as const))
      const pids = ['self', ...childPids()]
      const before = new Map(pids.flatMap((pid) => [...threadCpu(pid)]))
      markOutput('window starts')
      const sampling = process.env.ALLOC_SITES ? await allocationSampling() : undefined
      const lat = await roundTrips(pool, 2000)
      if (sampling) console.log(`${kind.label}: this process's allocations in the window, by site\n${await sampling()}`)
      markOutput('window ends')
      await new Promise((resolve) => setImmediate(resolve))
      observer.disconnect()
      if (process.env.THREAD_CPU) {
        const after = new Map(pids.flatMap((pid) => [...threadCpu(pid)]))
        console.log([...after].map(([name, ms]) => [name, ms - (before.get(name) ?? 0)] as const).filter(([, ms]) => ms > 0.05).map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join('; '))
      }
      const sorted = [...lat].sort((a, b) => a - b)
      const at = (q: number) => sorted[Math.floor(q * sorted.length)]!.toFixed(0)
      if (process.env.HIST) {
        const edges = [20, 30, 40, 50, 60, 70, 80, 90, 100, 120, 150, 200, 300, 500, 1000, Infinity]
        console.log(`${kind.label.padEnd(22)} ${edges.map((e, i) => `<${e}:${lat.filter((x) => x < e && x >= (edges[i - 1] ?? 0)).length}`).join(' ')}`)
      }
      const rssMb = (pid: string) => (rssBytes(Number(pid)) / 2 ** 20).toFixed(1)
      const rss = `workers' RSS ${childPids().map(rssMb).join(' / ')} MB; `
      return `${rss}${kind.label.padEnd(22)} p50 ${at(0.5)} p90 ${at(0.9)} p95 ${at(0.95)} p98 ${at(0.98)} p99 ${at(0.99)} p99.5 ${at(0.995)} µs; over 100 µs ${lat.filter((x) => x > 100).length}, over 200 µs ${lat.filter((x) => x > 200).length}${process.env.TAIL_AT ? ` at ${lat.flatMap((x, i) => (x > 100 ? [`${i}:${x.toFixed(0)}`] : [])).join(' ')}` : ''}; this process's GCs ${gcs.length} (${gcs.map((d) => d.toFixed(0)).join(', ')} µs)`
    })
    return
  }
  // The host alone, no pool: every 0.2 s for `arg` seconds (20), how long each of three fixed loops
  // takes (`host-speed.ts`): integer arithmetic, a sum over 512 KB, and JSON. Where the last two
  // change and the first does not, the host's memory and caches change speed, not its CPU.
  if (scenario === 'host') {
    const host = await hostAtRest(Number(arg ?? 20))
    console.log(describeHostAtRest(host))
    console.log(`each sample, ${HOST_LOOPS.join(' / ')} (µs): ${host.series.integers.map((_, i) => HOST_LOOPS.map((name) => host.series[name][i]!.toFixed(0)).join('/')).join(' ')}`)
    return
  }
  // W2 over a long run: the p50 of each of ten windows of 2,000 sequential round trips on one warm
  // pool (`DRIFT_WINDOWS`, `DRIFT_WINDOW`), PoolScope (process) and workerpool in turn, with the
  // CPU the parent and each worker last ran on at each window's end (Linux) and each worker's
  // context switches meanwhile.
  if (scenario === 'drift') {
    const statOf = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    const cpuOf = (pid: string) => statOf(pid)[36]
    const switches = (pid: string) => {
      const text = readFileSync(`/proc/${pid}/status`, 'utf8')
      return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(text)?.[1]) + Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(text)?.[1])
    }
    const size = Number(process.env.DRIFT_WINDOW ?? 2000)
    const windows = Number(process.env.DRIFT_WINDOWS ?? 10)
    await inTurn(Number(arg ?? 2), 200, async (kind, pool) => {
      const workers = childPids()
      const parts: string[] = []
      for (let w = 0; w < windows; w++) {
        const before = workers.map(switches)
        const lat = (await roundTrips(pool, size)).sort((a, b) => a - b)
        const busy = workers.map((pid, i) => switches(pid) - before[i]!)
        markOutput(`drift window ${w} p50 ${lat[size >> 1]!.toFixed(0)} µs`)
        const probe = process.env.DRIFT_PROBE ? ` integers ${probeUs(integerLoop).toFixed(0)}µs array ${probeUs(arrayLoop).toFixed(0)}µs` : ''
        parts.push(`${lat[size >> 1]!.toFixed(0)}µs cpu ${cpuOf('self')}/${workers.map(cpuOf).join(',')} cs ${busy.join(',')}${probe}`)
      }
      return `${kind.label.padEnd(22)} ${parts.join(' | ')}`
    })
    return
  }
  // W2 per round trip: CPU time of the parent's and each worker's main thread (`schedstat`, Linux),
  // PoolScope (process) and workerpool in turn, 5,000 sequential round trips per round.
  if (scenario === 'rt-cpu') {
    const onCpuUs = (pid: string) => onCpuNs(`/proc/${pid}/schedstat`) / 1000
    const count = Number(process.env.COUNT ?? 5000)
    await inTurn(Number(arg ?? 3), Number(process.env.WARM ?? 500), async (kind, pool) => {
      const workers = childPids()
      const parentBefore = onCpuUs('self')
      const workersBefore = workers.map(onCpuUs)
      const lat = await roundTrips(pool, count)
      const parent = (onCpuUs('self') - parentBefore) / count
      const perWorker = workers.map((pid, i) => ((onCpuUs(pid) - workersBefore[i]!) / count).toFixed(1))
      const mean = lat.reduce((sum, x) => sum + x, 0) / count
      lat.sort((a, b) => a - b)
      return `${kind.label.padEnd(22)} p50 ${lat[count / 2]!.toFixed(1)} µs, mean ${mean.toFixed(1)} µs; on CPU per round trip: parent ${parent.toFixed(1)} µs, workers ${perWorker.join(' / ')} µs`
    })
    return
  }
  if (scenario === 'startup') {
    // W4: constructor → first result, five fresh pools in a row.
    for (let i = 0; i < 5; i++) {
      const started = performance.now()
      const pool = new Pool({ workers: 2, backend, name: 'profile' })
      const constructed = performance.now() - started
      const cpu0 = process.cpuUsage()
      const starts: string[] = []
      pool.on('worker-start', () => {
        const cpu = process.cpuUsage(cpu0)
        starts.push(`${(performance.now() - started).toFixed(1)} (this process's CPU since the constructor: ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms)`)
      })
      await pool.apply(IDENTITY, [1])
      console.log(`start-up ${(performance.now() - started).toFixed(1)} ms (constructor ${constructed.toFixed(1)} ms, workers ready at ${starts.join(', ')} ms)`)
      // close(), not terminate(): a SIGKILLed worker writes no profile.
      pool.close()
      await pool.join()
    }
    return
  }
  const run = scenarios[scenario]
  if (!run) throw new Error(`unknown scenario "${scenario}": ${[...Object.keys(scenarios), 'startup', 'tail', 'runtask', 'w9-rounds', 'square-fresh', 'map-cpu', 'map-trace', 'first-map', 'tail-vs', 'rt-cpu', 'placement', 'drift', 'host'].join(', ')}`)
  const pool = new Pool({ workers: scenario === 'oversubscribed' ? 8 : 2, backend, name: 'profile' })
  try {
    await pool.ready()
    await pool.map(IDENTITY, numbers(64), { chunksize: 1 })
    const started = performance.now()
    await run(pool)
    console.log(`${scenario}: ${(performance.now() - started).toFixed(0)} ms`)
  } finally {
    // close() rather than terminate(): workers then exit normally and write their profiles.
    pool.close()
    await pool.join()
  }
}
