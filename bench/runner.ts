/**
 * Runs contenders interleaved: run 1 goes A, B, C…, run 2 starts one further along (B, C, …, A),
 * and so on, so slow drift of a shared VM (another tenant, thermal state, page cache) hits every
 * contender alike instead of whichever happened to run last.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** One measured thing: a pool and the way it is driven. Its run returns named metrics. */
export interface Contender {
  id: string
  label: string
  /** Rows are compared (ratios) within a group, against the group's PoolScope reference. */
  group: string
  /** How many runs this contender gets; slow peers get fewer so the whole bench stays short. */
  runs: number
  run(): Promise<Record<string, number>>
}

export type Samples = Map<string, Record<string, number>[]>

setFlagsFromString('--expose-gc')
/** `gc()` without `--expose-gc` on the command line (`npm run bench` passes no flags). */
export const collectGarbage = runInNewContext('gc') as () => void

export interface InterleaveOptions {
  /**
   * One untimed run of every contender before the timed rounds. A workload runs in a process of
   * its own, and whichever contender ran first in it also paid for Node's own code (streams,
   * timers, promises) that every later one found compiled: for a steady-state figure (W2), that
   * first run measured the bench's process more than the pool.
   */
  untimedRoundFirst?: boolean
}

export async function runInterleaved(
  contenders: readonly Contender[],
  onStep: (message: string) => void = () => undefined,
  options: InterleaveOptions = {}
): Promise<Samples> {
  const samples: Samples = new Map(contenders.map((c) => [c.id, []]))
  if (options.untimedRoundFirst) {
    for (const contender of contenders) {
      onStep(`untimed run: ${contender.label}`)
      collectGarbage()
      // A failure here shows again in the timed runs, where it is reported.
      await contender.run().catch(() => undefined)
    }
  }
  const rounds = Math.max(...contenders.map((c) => c.runs))
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(k + round) % contenders.length]
      if (round >= contender.runs) continue
      onStep(`run ${round + 1}/${rounds}: ${contender.label}`)
      // The previous contender's garbage is collected now, not during this one's timing.
      collectGarbage()
      try {
        samples.get(contender.id)!.push(await contender.run())
      } catch (error) {
        // One peer failing (python3 missing, a library that will not start) must not cost the
        // others their figures: the run is dropped, and its targets read n/a.
        console.error(`\n${contender.label}, run ${round + 1}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }
  return samples
}
