/**
 * W2's bimodality probe (issue 15): fresh pools of PoolScope (process), workerpool and a plain
 * fork, round after round, each running W2's 2,000 sequential round trips; per run it prints the
 * p50 and where the scheduler ran the two sides: the share of samples with the parent and the
 * busy worker on the same CPU, and their context switches per round trip. Linux only (/proc).
 *
 *   node out/main/bench-peers.js --child profile placement [rounds]
 */
import { readFileSync } from 'node:fs'
import { parseStatLine } from '../main/platform/proc-stat'
import { poolScopeProcess, warm, workerpool, type BenchPool, type PoolKind } from './pools'
import { processTree } from './proc'
import { RawForkPool } from './raw-fork'
import { quantile } from './stats'

const TASKS = 2_000
const WARM_UP = 200
const SAMPLE_EVERY = 20

interface Stat {
  cpu: number
  ticks: number
  voluntary: number
  involuntary: number
}

function statOf(pid: number): Stat | undefined {
  try {
    const fields = parseStatLine(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.fields ?? []
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return {
      // Fields 14/15 (utime, stime) and 39 (processor), counted from field 3.
      ticks: Number(fields[11]) + Number(fields[12]),
      cpu: Number(fields[36]),
      voluntary: Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0),
      involuntary: Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0)
    }
  } catch {
    return undefined
  }
}

const rawFork: PoolKind = {
  id: 'raw-fork',
  label: 'plain fork',
  isProcess: true,
  isPoolScope: false,
  load: async () => undefined,
  open() {
    const pool = new RawForkPool(1)
    return { ready: async () => undefined, call: (_fn, x) => pool.ping(x), close: () => pool.close() } satisfies BenchPool
  }
}

async function probe(kind: PoolKind): Promise<string> {
  await kind.load()
  const pool = kind.open(2)
  try {
    if (kind.id === 'raw-fork') await pool.call('identity', 0)
    else await warm(pool, 2)
    for (let i = 0; i < WARM_UP; i++) await pool.call('identity', i)
    const children = processTree(process.pid).filter((pid) => pid !== process.pid)
    const before = new Map(children.map((pid) => [pid, statOf(pid)]))
    const self0 = statOf(process.pid)!
    const cpus: [number, number[]][] = []
    const latencies = new Array<number>(TASKS)
    for (let i = 0; i < TASKS; i++) {
      const started = performance.now()
      await pool.call('identity', i)
      latencies[i] = performance.now() - started
      if (i % SAMPLE_EVERY === 0) cpus.push([statOf(process.pid)!.cpu, children.map((pid) => statOf(pid)?.cpu ?? -1)])
    }
    const self1 = statOf(process.pid)!
    // The busy worker: the child whose voluntary switches grew most (it woke once per task).
    let busy = 0
    let busiest = -1
    children.forEach((pid, index) => {
      const grew = (statOf(pid)?.voluntary ?? 0) - (before.get(pid)?.voluntary ?? 0)
      if (grew > busiest) {
        busiest = grew
        busy = index
      }
    })
    const same = cpus.filter(([parent, kids]) => parent === kids[busy]).length / cpus.length
    const perKid = children.map((_, k) => `${Math.round((100 * cpus.filter(([parent, kids]) => parent === kids[k]).length) / cpus.length)}%`).join('/')
    const p50 = quantile(latencies, 0.5) * 1000
    const p99 = quantile(latencies, 0.99) * 1000
    const parentSwitches = (self1.voluntary - self0.voluntary) / TASKS
    const parentInvol = (self1.involuntary - self0.involuntary) / TASKS
    return `${kind.id.padEnd(18)} p50 ${p50.toFixed(1).padStart(6)} µs  p99 ${p99.toFixed(0).padStart(5)} µs  same CPU ${(same * 100).toFixed(0).padStart(3)} %  parent cs/task vol ${parentSwitches.toFixed(2)} invol ${parentInvol.toFixed(2)}  worker cs/task ${(busiest / TASKS).toFixed(2)} busy #${busy} per child same ${perKid}`
  } finally {
    await pool.close()
  }
}

export async function placementProbe(rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const kind of [poolScopeProcess, workerpool, rawFork]) console.log(`round ${round + 1} ${await probe(kind)}`)
  }
}
