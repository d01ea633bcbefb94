/**
 * `poolscope worker --redis URL [--name NAME] [--concurrency N]`: joins a cluster as a worker host
 * and serves its runs until stopped. Ctrl-C (or SIGTERM) leaves cleanly: running jobs finish,
 * the host's record goes; a second Ctrl-C leaves at once (its running jobs go back to the queue
 * when their locks expire, and another host takes them).
 */
import { availableParallelism, hostname } from 'node:os'
import { InvalidArgumentError, type Command } from 'commander'
import { catalog } from '../../tasks'
import type { WorkerHost } from '../cluster/worker-host'
import { intAtLeast, redisTargetFlag } from './options'
import { INTERRUPTED_EXIT_CODE } from './interrupt'

/** Running jobs may take this long to finish when the host is asked to leave. */
const LEAVE_GRACE_MS = 30_000
const NAME = /^[A-Za-z0-9][\w.-]{0,63}$/

interface WorkerFlags {
  redis: string
  name?: string
  concurrency?: number
}

function hostNameOption(raw: string): string {
  if (!NAME.test(raw)) throw new InvalidArgumentError('must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  return raw
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('join a cluster as a worker host: run catalog tasks\' jobs from Redis in sandboxed child processes')
    .requiredOption('--redis <url>', 'the cluster\'s Redis: redis://[user:password@]HOST:PORT (rediss:// for TLS)')
    .option('--name <name>', 'this host\'s name in the cluster (default: <hostname>-<pid>)', hostNameOption)
    .option('--concurrency <n>', 'slots: jobs run at once, each in its own child process (default: cores)', intAtLeast(1, 1024))
    .action(async (flags: WorkerFlags) => {
      const target = redisTargetFlag(flags.redis)
      const name = flags.name ?? `${hostname()}-${process.pid}`
      const log = (line: string) => process.stderr.write(`poolscope worker ${name}: ${line}\n`)
      // Importing the catalog registered its tasks' modules with the engine: the only functions
      // this host's jobs may name (besides the builtins).
      log(`runs the ${catalog.length} catalog tasks' functions and the builtins; nothing else`)
      // Loaded here, not with the CLI: BullMQ takes a while to load, and only this command needs it.
      const { WorkerHost } = await import('../cluster/worker-host')
      const host = new WorkerHost({ target, name, slots: flags.concurrency ?? availableParallelism(), log })
      process.exitCode = await serveUntilStopped(host, log)
    })
}

/** Serves until a signal (exit 0 once left cleanly, 130 on a second signal) or a fatal refusal (1). */
function serveUntilStopped(host: WorkerHost, log: (line: string) => void): Promise<number> {
  return new Promise((resolve) => {
    let isLeaving = false
    const onSignal = () => {
      if (isLeaving) {
        log('leaving at once; running jobs go back to the queue')
        process.exit(INTERRUPTED_EXIT_CODE)
      }
      isLeaving = true
      log('leaving: finishing running jobs (press Ctrl-C again to leave at once)')
      void host.stop(LEAVE_GRACE_MS).then(() => {
        log('left the cluster')
        resolve(0)
      })
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    host.start((error) => {
      log(error.message)
      void host.stop(0).then(() => resolve(1))
    })
  })
}
