/**
 * W6 the monitor's own cost: CPU used by a process that does nothing but sample, at 1 Hz and
 * 10 Hz, with the machine idle and with both cores kept busy by two burner processes.
 *
 * Each sampler runs alone in a fresh Node process (this bundle, `--child w6 …`). After a warm-up
 * the child measures its own CPU over a fixed window: `process.cpuUsage()` (all of its threads)
 * plus the CPU of children it has waited for (`cutime + cstime` in /proc/self/stat), because
 * systeminformation runs shell commands whose cost `process.cpuUsage()` never sees. A child with
 * no sampler is the control: what an idle Node process costs by itself.
 *
 * To fit the bench's time budget, the samplers of one phase run side by side (each in its own
 * process); each is cheap enough not to disturb the others.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { SystemSampler } from '../../main/monitor/system-sampler'
import { ProcessSampler } from '../../main/monitor/process-sampler'
import { emit, runNodeChild } from '../child-process'
import { fixtures } from '../paths'
import { loadSysteminformation } from '../peer-libs'
import { processCpuMs, processTree } from '../proc'
import { formats, medianOf, rowsFrom, type Metric, type Section } from '../report'
import { runInterleaved, type Contender } from '../runner'
import { slowRuns, type BenchContext, type Workload } from './workload'

const WARM_UP_MS = 1500
const WINDOW_MS = 8000

type SamplerKind = 'none' | 'system' | 'monitor' | 'si'

const SAMPLERS: Record<SamplerKind, string> = {
  none: 'control: idle Node process, no sampler',
  system: 'SystemSampler (cores, memory, load)',
  monitor: 'SystemSampler + ProcessSampler (bench tree pids)',
  si: 'systeminformation currentLoad() + mem(), direct'
}

const cpu: Metric = { key: 'cpuPercent', label: 'CPU, % of one core', better: 'lower', format: formats.percent }

/** Starts one sampler at `hz`; returns its stop function. */
function startSampler(kind: SamplerKind, hz: number): () => void {
  switch (kind) {
    case 'none':
      return () => undefined
    case 'system': {
      const sampler = new SystemSampler({ rateHz: hz })
      sampler.start()
      return () => sampler.stop()
    }
    case 'monitor': {
      const system = new SystemSampler({ rateHz: hz })
      const processes = new ProcessSampler({ rateHz: hz })
      // What the app watches: the pools' processes; here, the bench's whole tree (~10 pids).
      processes.setPids(processTree(process.ppid))
      system.start()
      processes.start()
      return () => {
        system.stop()
        processes.stop()
      }
    }
    case 'si': {
      const si = loadSysteminformation()
      let busy = false
      const timer = setInterval(() => {
        if (busy) return
        busy = true
        void Promise.all([si.currentLoad(), si.mem()]).finally(() => (busy = false))
      }, 1000 / hz)
      return () => clearInterval(timer)
    }
  }
}

/** Child side (`--child w6 <sampler> <hz>`). */
export async function w6Child(kind: SamplerKind, hz: number): Promise<void> {
  const stop = startSampler(kind, hz)
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  await sleep(WARM_UP_MS)
  const usage = process.cpuUsage()
  const reaped = processCpuMs(process.pid).reapedChildrenMs
  const started = performance.now()
  await sleep(WINDOW_MS)
  const spent = process.cpuUsage(usage)
  const reapedMs = processCpuMs(process.pid).reapedChildrenMs - reaped
  const wallMs = performance.now() - started
  stop()
  const cpuMs = (spent.user + spent.system) / 1000 + reapedMs
  emit({ event: 'done', cpuPercent: (cpuMs / wallMs) * 100 })
}

/** Two processes that keep both cores busy until stopped. */
function startLoad(): () => Promise<void> {
  const burners: ChildProcess[] = [0, 1].map(() => fork(fixtures.burn, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] }))
  return () =>
    Promise.all(
      burners.map(
        (burner) =>
          new Promise<void>((resolve) => {
            burner.once('exit', () => resolve())
            burner.kill('SIGKILL')
          })
      )
    ).then(() => undefined)
}

const configs: { kind: SamplerKind; hz: number }[] = [
  { kind: 'none', hz: 0 },
  { kind: 'system', hz: 1 },
  { kind: 'system', hz: 10 },
  { kind: 'monitor', hz: 1 },
  { kind: 'monitor', hz: 10 },
  { kind: 'si', hz: 1 },
  { kind: 'si', hz: 10 }
]

const idOf = (phase: string, kind: SamplerKind, hz: number) => `${phase}-${kind}-${hz}`

export const w6Monitor: Workload = {
  id: 'w6',
  title: 'the monitor’s own cost: sampler CPU at 1 Hz and 10 Hz, idle and under load',
  async run(context: BenchContext): Promise<Section> {
    const runs = slowRuns(context.runs)
    const phases = [
      { phase: 'idle', group: 'no load from the bench', isLoaded: false },
      { phase: 'load', group: 'both cores kept busy by 2 burner processes', isLoaded: true }
    ]
    // One contender per phase, running every sampler of that phase side by side.
    const contenders: Contender[] = phases.map(({ phase, group, isLoaded }) => ({
      id: phase,
      label: group,
      group,
      runs,
      async run() {
        const stopLoad = isLoaded ? startLoad() : undefined
        try {
          const results = await Promise.all(configs.map(({ kind, hz }) => runNodeChild(['w6', kind, String(hz)])))
          return Object.fromEntries(configs.map(({ kind, hz }, i) => [idOf(phase, kind, hz), results[i].cpuPercent as number]))
        } finally {
          await stopLoad?.()
        }
      }
    }))
    const samples = await runInterleaved(contenders, context.log)
    // Re-shape: one row per (phase, sampler, rate).
    const rowContenders = phases.flatMap(({ phase, group }) =>
      configs.map(({ kind, hz }) => ({ id: idOf(phase, kind, hz), label: hz ? `${SAMPLERS[kind]} @ ${hz} Hz` : SAMPLERS[kind], group }))
    )
    const perRow = new Map(
      rowContenders.map((c) => {
        const phaseRuns = samples.get(c.id.split('-')[0]) ?? []
        return [c.id, phaseRuns.map((r) => ({ cpuPercent: r[c.id] }))]
      })
    )
    const section: Section = {
      id: 'w6',
      title: this.title,
      notes: [
        `CPU over an ${WINDOW_MS / 1000} s window after ${WARM_UP_MS / 1000} s of warm-up: process.cpuUsage() (all threads) + reaped children (/proc/self/stat)`,
        `${runs} runs of each phase; the samplers of one phase run side by side, each in its own process`,
        'figures include the idle Node process itself (see the control row); nothing is subtracted',
        'systeminformation is the issue’s reference: it execs a shell per currentLoad() on Linux'
      ],
      rows: rowsFrom(rowContenders, perRow, [cpu], new Set()),
      targets: []
    }
    const idle1 = medianOf(section, idOf('idle', 'system', 1), 'cpuPercent')
    const load1 = medianOf(section, idOf('load', 'system', 1), 'cpuPercent')
    section.targets.push({
      workload: 'w6',
      target: 'sampler under 1 % of one core at 1 Hz (idle and under load)',
      measured: `SystemSampler ${formats.percent(idle1)} idle, ${formats.percent(load1)} under load`,
      isMet: Number.isFinite(idle1) && Number.isFinite(load1) ? idle1 < 1 && load1 < 1 : undefined
    })
    return section
  }
}
