/** Command line of `npm run bench`: `--only w1,w2`, `--runs N`, `--json FILE`, `--markdown FILE` (parsed by commander, as the CLI is). */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'

export const WORKLOAD_IDS = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9'] as const
export type WorkloadId = (typeof WORKLOAD_IDS)[number]

export interface BenchArgs {
  only: WorkloadId[]
  runs: number
  json: string | undefined
  markdown: string | undefined
}

function parseOnly(value: string): WorkloadId[] {
  const ids = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
  const unknown = ids.filter((id) => !(WORKLOAD_IDS as readonly string[]).includes(id))
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown workload ${unknown.join(', ')} (known: ${WORKLOAD_IDS.join(', ')})`)
  if (ids.length === 0) throw new InvalidArgumentError('name at least one workload')
  return WORKLOAD_IDS.filter((id) => ids.includes(id))
}

function parseRuns(value: string): number {
  const runs = Number(value)
  if (!Number.isInteger(runs) || runs < 1) throw new InvalidArgumentError('must be an integer ≥ 1')
  return runs
}

function program(): Command {
  return new Command('npm run bench --')
    .description('PoolScope and its peers (Python multiprocessing, piscina, workerpool, tinypool) on workloads W1–W6, the cluster (W7, W8: needs redis-server) and the user’s path with an AbortSignal (W9)')
    .addOption(new Option('--only <ids>', `workloads to run, comma-separated (${WORKLOAD_IDS.join(', ')})`).argParser(parseOnly))
    .addOption(new Option('--runs <n>', 'runs per contender (slow peers get at most 3)').argParser(parseRuns).default(5))
    .option('--json <file>', 'also write every sample and summary to FILE')
    .option('--markdown <file>', 'also write the tables as Markdown to FILE (the results section of bench/README.md)')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .allowExcessArguments(false)
}

/** `--help`: the usage, to print on stdout and exit 0. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested'
}

/** @throws Error naming the flag and the reason, followed by the usage; {@link HelpRequested} for `--help`. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const command = program()
  try {
    command.parse([...argv], { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed') throw new HelpRequested(command.helpInformation())
      throw new Error(`${error.message.replace(/^error: /, '')}\n${command.helpInformation()}`)
    }
    throw error
  }
  const options = command.opts<{ only?: WorkloadId[]; runs: number; json?: string; markdown?: string }>()
  return { only: options.only ?? [...WORKLOAD_IDS], runs: options.runs, json: options.json, markdown: options.markdown }
}
