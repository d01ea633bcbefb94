/**
 * The headless CLI. Each subcommand lives in `main/cli/<name>-command.ts` and registers itself on
 * the program; this file only wires them and maps failures to exit codes:
 * 0 success, 1 a task or run failed, 2 bad usage or invalid parameters.
 */
import { Command, CommanderError } from 'commander'
import { registerTasksCommand } from './cli/tasks-command'
import { registerRunCommand } from './cli/run-command'
import { registerServeCommand } from './cli/serve-command'
import { registerBenchCommand } from './cli/bench-command'
import { registerLaunchCommand } from './cli/launch-command'
import { registerWorkerCommand } from './cli/worker-command'
import { UsageError } from './cli/usage-error'
import { version } from '../package.json'

export function buildProgram(): Command {
  const program = new Command('poolscope')
    .description('Launch worker pools, watch every core, and measure speedup.')
    .version(version)
    .showHelpAfterError('(run poolscope --help for usage)')
    .exitOverride()
  registerTasksCommand(program)
  registerRunCommand(program)
  registerBenchCommand(program)
  registerServeCommand(program)
  registerLaunchCommand(program)
  registerWorkerCommand(program)
  return program
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' })
    return process.exitCode === undefined ? 0 : Number(process.exitCode)
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other parse failure is bad usage.
      return err.exitCode === 0 ? 0 : 2
    }
    if (err instanceof UsageError) {
      process.stderr.write(`poolscope: ${err.message}\n`)
      return 2
    }
    process.stderr.write(`poolscope: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}

/**
 * Exits once stdout and stderr have flushed, rather than when the event loop runs dry: before a
 * natural exit Node closes its signal handles, which restores the default action, and a Ctrl-C
 * landing in that window (a user pressing it again and again while a run winds down lands one
 * often) killed the CLI by SIGINT after its summary, so the shell saw a signal, not the exit code.
 * `process.exit` keeps the handlers to the end.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}

/** Runs the CLI as the program (`bin/poolscope.js`, `node out/main/cli.js`): `main`, then the exit. */
export function runAsProgram(argv: string[]): void {
  main(argv).then(exitWhenFlushed, (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`)
    exitWhenFlushed(1)
  })
}

if (require.main === module) runAsProgram(process.argv.slice(2))
