/**
 * Command line of `npm run soak`, parsed by commander as the CLI and the bench are:
 *   npm run soak -- --tasks N --seconds S [--seed N] [--json]           the chaos soak
 *   npm run soak -- --server --seconds S [--every-ms N] [--json]         the server leak run
 */
import { randomInt } from 'node:crypto'
import { Command, CommanderError, Option } from 'commander'
import { intAtLeast } from '../cli/options'
import { SOAK_DEFAULTS } from './chaos-soak'
import { MAX_SEED } from './seeded-choices'
import { SERVER_SOAK_DEFAULTS } from './server-soak'

export type SoakArgs =
  | {
      mode: 'chaos'
      tasks: number
      seconds: number | undefined
      seed: number
      workers: number
      killEveryMs: number
      canKillStarting: boolean
      json: boolean
    }
  | { mode: 'server'; seconds: number; everyMs: number; json: boolean }
  | { mode: 'help'; text: string }

interface Flags {
  tasks: number
  seconds?: number
  seed?: number
  workers: number
  killEveryMs: number
  killStarting?: boolean
  server?: boolean
  everyMs: number
  json?: boolean
}

function program(): Command {
  return new Command('npm run soak --')
    .description('Chaos soak of the pool engine (random worker kills, timeouts, aborts), or a leak run of the browser-mode server')
    .addOption(new Option('--tasks <n>', 'tasks to submit').argParser(intAtLeast(1)).default(SOAK_DEFAULTS.tasks))
    .addOption(new Option('--seconds <s>', 'chaos: spread the tasks over S seconds (default: as fast as they run); server: run for S seconds').argParser(intAtLeast(1)))
    .addOption(new Option('--seed <n>', 'seed of the random choices (printed; replays the same choices)').argParser(intAtLeast(0, MAX_SEED)))
    .addOption(new Option('--workers <n>', 'workers per pool').argParser(intAtLeast(1, 64)).default(SOAK_DEFAULTS.workers))
    .addOption(new Option('--kill-every-ms <ms>', 'mean time between worker kills; 0 kills none').argParser(intAtLeast(0)).default(SOAK_DEFAULTS.killEveryMs))
    .addOption(new Option('--no-kill-starting', 'kill only workers that have started (by default workers still starting are killed too)'))
    .addOption(new Option('--server', 'leak run: a browser-mode server given a run every --every-ms'))
    .addOption(new Option('--every-ms <ms>', 'server: time between two runs').argParser(intAtLeast(10)).default(SERVER_SOAK_DEFAULTS.everyMs))
    .option('--json', 'print one JSON object on stdout')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .allowExcessArguments(false)
}

/** @throws Error naming the flag and the reason, followed by the usage. */
export function parseSoakArgs(argv: readonly string[]): SoakArgs {
  const command = program()
  try {
    command.parse([...argv], { from: 'user' })
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    if (error.code === 'commander.helpDisplayed') return { mode: 'help', text: command.helpInformation() }
    throw new Error(`${error.message.replace(/^error: /, '')}\n${command.helpInformation()}`)
  }
  const flags = command.opts<Flags>()
  const json = flags.json === true
  if (flags.server) return { mode: 'server', seconds: flags.seconds ?? SERVER_SOAK_DEFAULTS.seconds, everyMs: flags.everyMs, json }
  return {
    mode: 'chaos',
    tasks: flags.tasks,
    seconds: flags.seconds,
    seed: flags.seed ?? randomInt(0, MAX_SEED),
    workers: flags.workers,
    killEveryMs: flags.killEveryMs,
    canKillStarting: flags.killStarting !== false,
    json
  }
}
