/**
 * `poolscope run <task>`: runs one catalog task on a pool and prints its result and statistics
 * (`--json`: one object). A progress bar is drawn on a TTY only. Ctrl-C stops the run: work is
 * cancelled, every worker is gone, and a one-line summary is printed.
 */
import { availableParallelism } from 'node:os'
import { type Command } from 'commander'
import { SingleBar, Presets } from 'cli-progress'
import { findTask, taskInfo } from '../../tasks'
import { parseTaskInput, TaskParamsError, type TaskInput } from '../runs/task-input'
import { runTask, TaskRun, type TaskRunResult } from '../runs/task-runner'
import { backendOption, collectSet, intAtLeast, parseSets, redisTargetFlag } from './options'
import { clusterPools } from './cluster-pools'
import { maskRedisUrl } from '../cluster/redis-url'
import { UsageError } from './usage-error'
import { INTERRUPTED_EXIT_CODE, stopOnInterrupt } from './interrupt'

interface RunFlags {
  workers?: number
  backend: 'process' | 'thread'
  set?: string[]
  chunksize?: number
  timeout?: number
  retries?: number
  duration?: number
  json?: boolean
  redis?: string
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run a catalog task on a worker pool')
    .argument('<task>', 'task id (see `poolscope tasks`)')
    .option('-w, --workers <n>', 'number of workers (default: cores)', intAtLeast(1, 1024))
    .option('--backend <kind>', 'process or thread', backendOption, 'process')
    .option('--set <name=value>', 'set a task parameter (repeatable)', collectSet)
    .option('--chunksize <n>', 'inputs per message to a worker', intAtLeast(1))
    .option('--timeout <ms>', 'per-task timeout; the worker is replaced', intAtLeast(1))
    .option('--retries <n>', 're-runs of a task whose worker died', intAtLeast(0, 100))
    .option('--duration <ms>', 'stop a long-running task after this long', intAtLeast(1))
    .option('--json', 'print one JSON object: { task, backend, workers, params, ok, result, check, stats }')
    .option('--redis <url>', 'run on the cluster whose Redis is at URL (hosts join with `poolscope worker --redis URL`)')
    .action(async (taskId: string, flags: RunFlags) => {
      const stop = new AbortController()
      const release = stopOnInterrupt(() => stop.abort('interrupted'))
      try {
        process.exitCode = await runCommand(taskId, flags, stop.signal)
      } finally {
        release()
      }
    })
}

async function runCommand(taskId: string, flags: RunFlags, signal: AbortSignal): Promise<number> {
  const task = findTask(taskId)
  if (!task) throw new UsageError(`unknown task "${taskId}" (see \`poolscope tasks\`)`)
  const workers = flags.workers ?? availableParallelism()
  const cluster = flags.redis === undefined ? undefined : redisTargetFlag(flags.redis)
  if (cluster && flags.backend !== 'process') throw new UsageError('--backend: a cluster run\'s workers are the hosts\' processes; leave --backend out with --redis')
  let input: TaskInput
  try {
    input = parseTaskInput(taskId, parseSets(flags.set ?? [], taskInfo(task).params))
  } catch (err) {
    if (err instanceof TaskParamsError) throw new UsageError(err.message)
    throw err
  }

  const run = new TaskRun()
  const bar = !flags.json && process.stderr.isTTY ? new SingleBar({ format: ' {bar} {percentage}% | {value}/{total} tasks | {rate}/s', hideCursor: true, stream: process.stderr }, Presets.shades_classic) : undefined
  let ticker: NodeJS.Timeout | undefined
  if (bar) {
    const startedAt = Date.now()
    bar.start(1, 0, { rate: 0 })
    ticker = setInterval(() => {
      const c = run.counters()
      const done = run.progress?.done ?? c.inputsCompleted
      const total = run.progress?.total ?? Math.max(1, c.inputsSubmitted)
      bar.setTotal(total)
      bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - startedAt) / 1000)) })
    }, 100)
  }

  let result: TaskRunResult
  try {
    result = await runTask(
      {
        ...input,
        workers,
        backend: flags.backend,
        chunksize: flags.chunksize,
        timeoutMs: flags.timeout,
        retries: flags.retries,
        durationMs: flags.duration,
        signal,
        ...(cluster && { createPool: await clusterPools(cluster.url, (line) => process.stderr.write(`${line}\n`)) }),
        onLog: flags.json ? undefined : (line) => process.stderr.write(`${line}\n`)
      },
      run
    )
  } finally {
    clearInterval(ticker)
    bar?.stop()
  }

  if (result.state === 'stopped') {
    const s = result.stats
    // Stopped while the pool was still starting (its workers load the task's modules first): say
    // so, rather than a "0/0 tasks done" that reads as if the task had nothing to do.
    const done = s.tasks === 0 ? 'before any task was sent' : `${s.completed}/${s.tasks} tasks done`
    process.stderr.write(`poolscope: ${taskId} stopped after ${Math.round(s.wallMs)} ms — ${done}, all workers stopped\n`)
    if (flags.json) process.stdout.write(`${JSON.stringify(toJson(result, flags, workers))}\n`)
    return INTERRUPTED_EXIT_CODE
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(toJson(result, flags, workers))}\n`)
  } else {
    printHuman(result, flags, workers)
  }
  return result.ok ? 0 : 1
}

function toJson(result: TaskRunResult, flags: RunFlags, workers: number) {
  return {
    task: result.taskId,
    backend: flags.redis === undefined ? flags.backend : 'cluster',
    ...(flags.redis !== undefined && { redis: maskRedisUrl(flags.redis) }),
    workers,
    params: result.params,
    ok: result.ok,
    state: result.state,
    result: result.result,
    check: result.check,
    ...(result.error ? { error: result.error } : {}),
    stats: result.stats
  }
}

function printHuman(result: TaskRunResult, flags: RunFlags, workers: number): void {
  const s = result.stats
  const mark = result.ok ? '✓' : '✗'
  const out = process.stdout
  const where = flags.redis === undefined ? flags.backend : 'cluster'
  const at = flags.redis === undefined ? '' : ` at ${maskRedisUrl(flags.redis)}`
  out.write(`${mark} ${result.taskId} on ${workers} ${where} worker${workers === 1 ? '' : 's'}${at}: ${result.check?.summary ?? result.error ?? 'failed'}\n`)
  if (result.error && result.check) out.write(`  error: ${result.error}\n`)
  out.write(
    `  ${s.completed}/${s.tasks} tasks in ${s.wallMs.toFixed(1)} ms (${s.tasksPerSec.toLocaleString('en-US')} tasks/s), ` +
      `start-up ${s.startupMs.toFixed(1)} ms, failed ${s.failed}, retried ${s.retried}, crashed workers ${s.crashedWorkers}\n`
  )
}
