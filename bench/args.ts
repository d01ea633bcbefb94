/** Command line of `npm run bench`: `--only w1,w2`, `--runs N`, `--json FILE`. */

export const WORKLOAD_IDS = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'] as const
export type WorkloadId = (typeof WORKLOAD_IDS)[number]

export interface BenchArgs {
  only: WorkloadId[]
  runs: number
  json: string | undefined
}

export const USAGE = `usage: npm run bench -- [--only w1,w2,…] [--runs N] [--json FILE]
  --only   workloads to run (default: all of ${WORKLOAD_IDS.join(', ')})
  --runs   runs per contender, default 5 (slow peers get at most 3)
  --json   also write every sample and summary to FILE`

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { only: [...WORKLOAD_IDS], runs: 5, json: undefined }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    const value = () => {
      const v = inline ?? argv[++i]
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`)
      return v
    }
    switch (flag) {
      case '--only': {
        const ids = value().split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)
        const unknown = ids.filter((id) => !(WORKLOAD_IDS as readonly string[]).includes(id))
        if (unknown.length > 0 || ids.length === 0) throw new Error(`--only: unknown workload ${unknown.join(', ')}\n${USAGE}`)
        args.only = WORKLOAD_IDS.filter((id) => ids.includes(id))
        break
      }
      case '--runs': {
        const runs = Number(value())
        if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be an integer ≥ 1\n${USAGE}`)
        args.runs = runs
        break
      }
      case '--json':
        args.json = value()
        break
      case '--help':
      case '-h':
        throw new Error(USAGE)
      default:
        throw new Error(`unknown option ${argv[i]}\n${USAGE}`)
    }
  }
  return args
}
