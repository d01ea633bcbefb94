/**
 * `npm run bench`: PoolScope against its peers (Python's multiprocessing.Pool, piscina,
 * workerpool, tinypool, and plain child_process.fork as the floor) on the issue's workloads, each
 * in a fresh process of its own (one workload's heap and compiled code must not change the next
 * one's figures), contenders interleaved across runs. Prints per workload the median, min, max
 * and spread of every contender, the PoolScope ÷ peer ratios, and whether each target of the
 * issue is met. Linux-only (tree RSS and child CPU come from /proc).
 *
 * With `--child <mode> …` this bundle is instead one workload (`workload <id> <runs>`) or one
 * measurement (W4, W5, W6) in a fresh process.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { HelpRequested, parseArgs, WORKLOAD_IDS, type WorkloadId } from './args'
import { peerVersion } from './peer-libs'
import { emit, runNodeChild } from './child-process'
import { describeHostAtRest, hostAtRest, hostWarning } from './host-speed'
import { profileChild } from './profile'
import { measureForeignLoad } from './proc'
import { renderSection, renderSectionMarkdown, renderTargets, renderTargetsMarkdown, summaryOf, ratioOf, type Section, type TargetResult } from './report'
import { w1Dispatch } from './workloads/w1-dispatch'
import { w2Latency } from './workloads/w2-latency'
import { w3Scaling } from './workloads/w3-scaling'
import { w4Child, w4Startup } from './workloads/w4-startup'
import { w5Child, w5Imap } from './workloads/w5-imap'
import { w6Child, w6Monitor } from './workloads/w6-monitor'
import { w7ClusterThroughput, w7RawWorker } from './workloads/w7-cluster-throughput'
import { w8ClusterScaling } from './workloads/w8-cluster-scaling'
import { w9Signal } from './workloads/w9-signal'
import type { Workload } from './workloads/workload'

const WORKERS = 2
/** Above this share of the machine used by other processes, the report warns. */
const FOREIGN_WARNING_PERCENT = 10
/** How long the host is watched at rest before the first workload (`host-speed.ts`). */
const HOST_CHECK_SECONDS = 4

const workloads: Record<WorkloadId, Workload> = {
  w1: w1Dispatch,
  w2: w2Latency,
  w3: w3Scaling,
  w4: w4Startup,
  w5: w5Imap,
  w6: w6Monitor,
  w7: w7ClusterThroughput,
  w8: w8ClusterScaling,
  w9: w9Signal
}

/** One workload's results as its process sends them back: printed, as markdown and as JSON. */
interface WorkloadReport {
  text: string
  markdown: string
  json: ReturnType<typeof sectionJson>
  targets: TargetResult[]
  foreignPercent: number
}

function sectionJson(s: Section) {
  return {
    ...s,
    rows: s.rows.map((r) => ({
      group: r.group,
      contender: r.contenderId,
      label: r.label,
      metric: r.metric.key,
      better: r.metric.better,
      values: r.values,
      ...summaryOf(r),
      ratio: ratioOf(s, r) ?? null
    }))
  }
}

/** `--child workload <id> <runs>`: measures one workload here and sends back its report. */
async function workloadChild(id: WorkloadId, runs: number): Promise<void> {
  const workload = workloads[id]
  const { result: section, foreignPercent } = await measureForeignLoad(() =>
    workload.run({ runs, workers: WORKERS, log: (message) => emit({ event: 'progress', message }) })
  )
  // The VM is shared: CPU that neither the bench nor its children used was someone else's. Not
  // said of a workload that measured nothing: over its moment, the clock ticks' granularity made
  // nonsense of it (128 % of the cores).
  if (section.rows.length > 0) section.notes.push(`other processes on the machine used ${foreignPercent.toFixed(0)} % of its ${cpus().length} cores meanwhile`)
  const report: WorkloadReport = {
    text: renderSection(section),
    markdown: renderSectionMarkdown(section),
    json: sectionJson(section),
    targets: section.targets,
    foreignPercent
  }
  emit({ event: 'done', report })
}

async function runChild(mode: string, rest: string[]): Promise<void> {
  switch (mode) {
    case 'workload':
      if (!WORKLOAD_IDS.includes(rest[0] as WorkloadId)) throw new Error(`unknown workload "${rest[0]}"`)
      return workloadChild(rest[0] as WorkloadId, Number(rest[1]))
    case 'w4':
      return w4Child(rest[0], Number(rest[1]))
    case 'w5':
      return w5Child(rest[0] as 'process' | 'thread', Number(rest[1]), rest[2] === 'signal')
    case 'w6':
      return w6Child(rest[0] as Parameters<typeof w6Child>[0], Number(rest[1]))
    case 'w7-raw-worker':
      return w7RawWorker(rest[0], rest[1], Number(rest[2] ?? 8))
    case 'profile':
      return profileChild(rest[0], rest[1])
    default:
      throw new Error(`unknown child mode "${mode}"`)
  }
}

function pythonVersion(): string {
  try {
    return execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim().replace(/^Python /, '')
  } catch {
    return 'not found'
  }
}

function machine() {
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg(),
    node: process.versions.node,
    python: pythonVersion(),
    peers: Object.fromEntries(['piscina', 'workerpool', 'tinypool'].map((name) => [name, peerVersion(name)]))
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    await runChild(argv[1], argv.slice(2))
    return
  }
  const args = parseArgs(argv)
  if (process.platform !== 'linux') throw new Error('the bench reads /proc for RSS and child CPU: Linux only')
  const info = machine()
  const startedAt = performance.now()
  // Progress on one rewritten line when a person watches; nothing in logs and pipes.
  const isTty = process.stderr.isTTY === true
  const log = (message: string) => void (isTty && process.stderr.write(`\r\x1b[2K  ${message}`))
  console.log(
    `PoolScope peers bench — ${info.date}\n` +
      `${info.cores} cores, ${info.cpuModel}, ${info.memoryGB} GB, ${info.platform}; Node ${info.node}, Python ${info.python}; ` +
      `piscina ${info.peers.piscina}, workerpool ${info.peers.workerpool}, tinypool ${info.peers.tinypool}\n` +
      `${WORKERS} workers per pool, ${args.runs} runs per contender (slow peers ≤ 3), contenders interleaved; ` +
      `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`
  )
  log('watching the host at rest')
  const host = await hostAtRest(HOST_CHECK_SECONDS)
  if (isTty) process.stderr.write('\r\x1b[2K')
  console.log(describeHostAtRest(host))
  const reports: WorkloadReport[] = []
  const foreign = new Map<string, number>()
  for (const id of args.only) {
    const t0 = performance.now()
    log(`${id}: starting`)
    // A peer that fails to start says so on stderr, as it would in this process; the rest of the
    // workload goes on without it (see `runInterleaved`).
    const done = await runNodeChild(['workload', id, String(args.runs)], undefined, {
      echoStderr: true,
      onEvent: (event) => event.event === 'progress' && log(`${id}: ${String(event.message)}`)
    })
    const report = done.report as WorkloadReport
    foreign.set(id, report.foreignPercent)
    if (isTty) process.stderr.write('\r\x1b[2K')
    reports.push(report)
    console.log(report.text)
    console.log(`  (${id} took ${((performance.now() - t0) / 1000).toFixed(0)} s)`)
  }
  const targets = reports.flatMap((r) => r.targets)
  console.log(`\nTARGETS (issue 6), ${info.cores} cores, ${info.cpuModel}, Node ${info.node}, Python ${info.python}, ${info.date}`)
  console.log(renderTargets(targets))
  const busy = [...foreign].filter(([, percent]) => percent > FOREIGN_WARNING_PERCENT)
  if (busy.length > 0) {
    console.log(
      `warning: other processes used ${busy.map(([id, p]) => `${p.toFixed(0)} % (${id})`).join(', ')} of the machine's CPU during the bench; ` +
        'figures from those workloads, CPU-bound ratios (W3) most of all, are less trustworthy than on a quiet machine'
    )
  }
  const unsteady = hostWarning(host)
  if (unsteady) console.log(unsteady)
  const seconds = (performance.now() - startedAt) / 1000
  console.log(`whole bench: ${seconds.toFixed(0)} s`)
  if (args.json) {
    const report = {
      machine: info,
      runs: args.runs,
      seconds,
      sections: reports.map((r) => r.json),
      targets,
      foreignLoadPercent: Object.fromEntries(foreign),
      hostAtRest: host
    }
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`)
    console.log(`wrote ${args.json}`)
  }
  if (args.markdown) {
    const markdown = [
      `## Results — ${info.date.slice(0, 10)}, ${info.cores} cores (${info.cpuModel}), ${info.memoryGB} GB, ${info.platform}, Node ${info.node}, Python ${info.python}`,
      '',
      `piscina ${info.peers.piscina}, workerpool ${info.peers.workerpool}, tinypool ${info.peers.tinypool}; ` +
        `\`npm run bench -- --runs ${args.runs}${args.only.length < WORKLOAD_IDS.length ? ` --only ${args.only.join(',')}` : ''}\`, whole bench ${seconds.toFixed(0)} s.`,
      '',
      `${describeHostAtRest(host).replace(/^host/, 'Host')}.${unsteady ? ` ${unsteady.replace(/^warning: /, 'Warning: ')}.` : ''}`,
      ...reports.map((r) => `\n${r.markdown}`),
      '',
      renderTargetsMarkdown(targets),
      ''
    ].join('\n')
    writeFileSync(args.markdown, markdown)
    console.log(`wrote ${args.markdown}`)
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof HelpRequested) {
      process.stdout.write(error.message)
      process.exit(0)
    }
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  }
)
