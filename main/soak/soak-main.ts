/**
 * `npm run soak`: the chaos soak (default) or the server leak run (`--server`); see `soak-args.ts`.
 * The seed goes to stderr first, so a failing run can be replayed even if it dies; the figures go
 * to stdout (one JSON object with `--json`). Exits 0 when nothing was lost, duplicated, wrong or
 * left running (and, for the server, no run failed), 1 otherwise, 2 on bad usage.
 */
import { runSoak, SOAK_DEFAULTS, type SoakReport } from './chaos-soak'
import { parseSoakArgs, type SoakArgs } from './soak-args'
import { runServerSoak, type ServerSoakReport } from './server-soak'

const log = (line: string) => process.stderr.write(`soak: ${line}\n`)

async function main(argv: string[]): Promise<number> {
  let args: SoakArgs
  try {
    args = parseSoakArgs(argv)
  } catch (error) {
    process.stderr.write(`soak: ${(error as Error).message}\n`)
    return 2
  }
  if (args.mode === 'help') {
    process.stdout.write(args.text)
    return 0
  }
  if (args.mode === 'server') {
    log(`browser-mode server, a run every ${args.everyMs} ms for ${args.seconds} s`)
    const report = await runServerSoak({ seconds: args.seconds, everyMs: args.everyMs, onProgress: log })
    print(report, args.json, describeServer)
    return report.runsFailed === 0 && report.orphans === 0 ? 0 : 1
  }
  log(`seed ${args.seed} (replay the same choices with --seed ${args.seed})`)
  const report = await runSoak({
    ...SOAK_DEFAULTS,
    tasks: args.tasks,
    seconds: args.seconds,
    seed: args.seed,
    workers: args.workers,
    killEveryMs: args.killEveryMs,
    canKillStarting: args.canKillStarting,
    onProgress: (submitted, total) => log(`${submitted}/${total} tasks submitted`)
  })
  print(report, args.json, describeChaos)
  const isClean = report.lost === 0 && report.duplicated === 0 && report.wrong === 0 && report.orphans === 0 && report.poolCounterMismatches.length === 0
  return isClean ? 0 : 1
}

function print<R>(report: R, json: boolean, describe: (report: R) => string): void {
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : describe(report))
}

function describeChaos(r: SoakReport): string {
  const lines = [
    `${r.tasks} tasks in ${r.seconds} s (seed ${r.seed}): lost ${r.lost}, duplicated ${r.duplicated}, wrong ${r.wrong}, orphans ${r.orphans}`,
    `  ok ${r.outcomes.ok}, aborted ${r.outcomes.aborted}, timed out ${r.outcomes['timed-out']}, crashed ${r.outcomes.crashed} (retries used up)`,
    `  workers killed ${r.workersKilled} (${r.killed.process} processes by SIGKILL, ${r.killed.thread} threads by Worker.terminate()), units retried ${r.retried}`,
    `  RSS growth ${r.rssGrowthMb} MB (peak minus start)`,
    ...r.poolCounterMismatches.map((m) => `  pool counters do not add up: ${m}`),
    ...r.examples.map((e) => `  ${e}`)
  ]
  return `${lines.join('\n')}\n`
}

function describeServer(r: ServerSoakReport): string {
  const range = (name: string, f: { start: number; peak: number; end: number }, unit = '') => `  ${name}: start ${f.start}${unit}, peak ${f.peak}${unit}, end ${f.end}${unit}`
  const lines = [
    `${r.runs} runs in ${r.seconds} s: ${r.runsFailed} failed, ${r.runsLate} late, ${r.runsListed} still listed, orphans ${r.orphans}`,
    range('RSS', r.rssMb, ' MB'),
    range('heap used', r.heapUsedMb, ' MB'),
    range('handles', r.handles),
    r.heapAfterGcMb ? `  heap after GC: start ${r.heapAfterGcMb.start} MB, end ${r.heapAfterGcMb.end} MB` : '  heap after GC: not measured (run node with --expose-gc)',
    ...r.failures.map((f) => `  ${f}`)
  ]
  return `${lines.join('\n')}\n`
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`soak: ${(error as Error)?.stack ?? String(error)}\n`)
    process.exitCode = 1
  }
)
