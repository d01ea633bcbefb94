/**
 * W4 start-up: in a fresh Node process (Python: a fresh interpreter), a pool of 2 is constructed
 * and its first result awaited; the library is loaded before the clock starts. Then both workers
 * run a few tasks, and after 300 ms of quiet the parent reads the whole tree's RSS from /proc.
 */
import { emit, pause, runNodeChild, runPython, type ChildEvent } from '../child-process'
import { allKinds, kindById, poolScopeProcessWithExtraCa, warm } from '../pools'
import { treeRssBytes } from '../proc'
import { formats, medianOf, rowsFrom, type Metric, type Section } from '../report'
import { collectGarbage, runInterleaved, type Contender } from '../runner'
import type { BenchContext, Workload } from './workload'

const GROUP = 'pool of 2: constructor → first result; idle tree afterwards'
const SETTLE_MS = 300

const startup: Metric = { key: 'startupMs', label: 'start-up', better: 'lower', format: formats.ms }
const rss: Metric = { key: 'rssMB', label: 'tree RSS', better: 'lower', format: formats.megabytes }
const parentCpu: Metric = { key: 'parentCpuMs', label: 'driver CPU', better: 'lower', format: formats.ms }

/** Child side (`--child w4 <kind>`): runs in its own process, so the tree is only this pool's. */
export async function w4Child(kindId: string, workers: number): Promise<void> {
  const kind = kindById(kindId)
  await kind.load()
  // Loading this bench bundle leaves the driver a full collection to do soon after; run it now, so
  // it does not land inside one contender's timing and not another's (it once cost PoolScope's
  // row 18 ms of parent GC while the workers booted, and tinypool's none: the library loads differ).
  collectGarbage()
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const pool = kind.open(workers)
  await pool.call('identity', 1)
  const startupMs = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  const parentCpuMs = (cpu.user + cpu.system) / 1000
  await warm(pool, workers)
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  await pause({ event: 'settled', startupMs })
  await pool.close()
  emit({ event: 'done', startupMs, parentCpuMs })
}

async function measured(start: (onPause: (event: ChildEvent, pid: number) => void) => Promise<ChildEvent>) {
  let rssBytes = Number.NaN
  const done = await start((_event, pid) => {
    rssBytes = treeRssBytes(pid)
  })
  return { startupMs: done.startupMs as number, rssMB: rssBytes / 1024 / 1024, parentCpuMs: Number(done.parentCpuMs) }
}

export const w4Startup: Workload = {
  id: 'w4',
  title: 'start-up: pool of 2 constructed → first result, and the tree’s RSS',
  async run(context: BenchContext): Promise<Section> {
    const { runs, workers } = context
    // The extra row only means something where the variable is set (it is on this VM).
    const kinds = process.env.NODE_EXTRA_CA_CERTS ? [...allKinds, poolScopeProcessWithExtraCa] : allKinds
    const contenders: Contender[] = [
      ...kinds.map(
        (kind): Contender => ({
          id: kind.id,
          label: kind.label,
          group: GROUP,
          runs,
          run: () => measured((onPause) => runNodeChild(['w4', kind.id, String(workers)], onPause))
        })
      ),
      {
        id: 'python',
        label: 'Python Pool (fork)',
        group: GROUP,
        runs,
        run: () => measured((onPause) => runPython(['w4', '--workers', String(workers)], onPause))
      }
    ]
    const samples = await runInterleaved(contenders, context.log)
    const section: Section = {
      id: 'w4',
      title: this.title,
      notes: [
        'each run is a fresh process tree: a Node driver (this bundle; the peer library loaded before timing) or python3',
        `tree RSS = Σ VmRSS of the driver and its descendants (Linux /proc), ${SETTLE_MS} ms after both workers ran a task; shared pages count per process`,
        "Python's Pool uses its Linux default start method, fork, so its workers skip interpreter start-up",
        'PoolScope leaves NODE_EXTRA_CA_CERTS out of worker environments (Node 20 reads that whole CA bundle at every start; tinypool ' +
          'passes workers no environment at all); the "given NODE_EXTRA_CA_CERTS" row is a pool that names it in its env option',
        'on Linux PoolScope forks workers through setpriv --pdeathsig KILL instead of starting a watchdog thread in each (−10 MB and a few ms per worker)',
        'driver CPU = the Node driver’s CPU time (all its threads) during the timed start-up; the driver collects its garbage once before the clock starts, so the collection that loading this bundle makes due does not fall inside one contender’s timing'
      ],
      rows: rowsFrom(contenders, samples, [startup, rss, parentCpu], new Set(['poolscope-process'])),
      targets: []
    }
    const ours = medianOf(section, 'poolscope-process', 'startupMs')
    const peers = ['workerpool', 'tinypool'].map((id) => medianOf(section, id, 'startupMs'))
    section.targets.push({
      workload: 'w4',
      target: 'start-up no slower than workerpool / tinypool (process mode)',
      measured: `PoolScope ${formats.ms(ours)} vs ${peers.map(formats.ms).join(' / ')}`,
      isMet: [ours, ...peers].every(Number.isFinite) ? ours <= Math.min(...peers) : undefined
    })
    return section
  }
}
