/**
 * How steady this host is at rest, before the bench measures anything on it. Three fixed loops are
 * timed every {@link SAMPLE_GAP_MS}: integer arithmetic in registers, a sum over 512 KB (a core's L2
 * cache on many x64 CPUs) and JSON like a worker's answers. On a shared VM the last two can run at
 * one speed now and half of it a moment later while the first stays put (bench/README, "nineteenth
 * session"): the host's memory and caches change speed under whatever the bench measures. The bench
 * prints what it saw, so a spread between runs can be read against it. It is a look of a few
 * seconds: a host found steady may still change later.
 */

import { median, quantile } from './stats'

/** The loops, by the name the report gives them. */
export const HOST_LOOPS = ['integers', 'array 512 KB', 'JSON'] as const
export type HostLoop = (typeof HOST_LOOPS)[number]

/** The 10th, 50th and 90th percentiles of one loop's samples, in µs. */
export interface LoopSpread {
  p10: number
  p50: number
  p90: number
}

export interface HostAtRest {
  seconds: number
  samples: number
  loops: Record<HostLoop, LoopSpread>
  /** Every sample of every loop, in µs, in the order taken. */
  series: Record<HostLoop, number[]>
}

const SAMPLE_GAP_MS = 200
/** A loop whose p90 is this many times its p10 ran at a changing speed. */
export const UNSTEADY_RATIO = 1.3

/** 300,000 rounds of integer arithmetic, touching no memory; returns the sum so V8 keeps the loop. */
export function integerLoop(): number {
  let x = 0
  for (let i = 0; i < 300_000; i++) x = (x * 31 + i) | 0
  return x
}

const PROBE_ARRAY = new Float64Array(1 << 16)

/** Four passes in order over 512 KB of doubles: as fast as the cache it fits in lets it be. */
export function arrayLoop(): number {
  let sum = 0
  for (let pass = 0; pass < 4; pass++) for (let i = 0; i < PROBE_ARRAY.length; i++) sum += PROBE_ARRAY[i]!
  return sum
}

const ANSWER_LINE = '{"type":"results","outcomes":[{"id":12345,"ok":true,"value":4,"startedAt":139644,"endedAt":139655}]}'

/** An answer line as a process worker writes it, parsed and written again 2,000 times: a round trip's kind of work. */
export function jsonLoop(): number {
  let length = 0
  for (let i = 0; i < 2000; i++) length += JSON.stringify(JSON.parse(ANSWER_LINE)).length
  return length
}

const LOOPS: Record<HostLoop, () => number> = { integers: integerLoop, 'array 512 KB': arrayLoop, JSON: jsonLoop }

/** Loops already run often enough for V8 to have compiled them. */
const warmed = new Set<() => number>()

/** How long `loop` takes here now, in µs: the median of five, once it is compiled (its first 20 calls warm it). */
export function probeUs(loop: () => number): number {
  if (!warmed.has(loop)) for (let i = 0; i < 20; i++) loop()
  warmed.add(loop)
  const times: number[] = []
  let sink = 0
  for (let k = 0; k < 5; k++) {
    const started = performance.now()
    sink += loop()
    times.push(performance.now() - started)
  }
  // The sum can never be 0.5: the comparison only keeps V8 from dropping the loops' results.
  return median(times) * 1000 + (sink === 0.5 ? 1 : 0)
}

/** p10, p50 and p90 of `values`, which must not be empty. */
export function spreadOf(values: readonly number[]): LoopSpread {
  if (values.length === 0) throw new Error('spreadOf: no samples')
  return { p10: quantile(values, 0.1), p50: quantile(values, 0.5), p90: quantile(values, 0.9) }
}

/** Samples each loop every {@link SAMPLE_GAP_MS} for `seconds` (at least one sample). */
export async function hostAtRest(seconds: number): Promise<HostAtRest> {
  const samples: Record<HostLoop, number[]> = { integers: [], 'array 512 KB': [], JSON: [] }
  const until = performance.now() + seconds * 1000
  do {
    for (const name of HOST_LOOPS) samples[name].push(probeUs(LOOPS[name]))
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_GAP_MS))
  } while (performance.now() < until)
  const loops = Object.fromEntries(HOST_LOOPS.map((name) => [name, spreadOf(samples[name])])) as Record<HostLoop, LoopSpread>
  return { seconds, samples: samples.integers.length, loops, series: samples }
}

/** The loops whose p90 was at least {@link UNSTEADY_RATIO} times their p10. */
export function unsteadyLoops(host: HostAtRest): HostLoop[] {
  return HOST_LOOPS.filter((name) => host.loops[name].p90 >= UNSTEADY_RATIO * host.loops[name].p10)
}

/** One line: each loop's p10–p90 and, where it changed speed, by how much. */
export function describeHostAtRest(host: HostAtRest): string {
  const loops = HOST_LOOPS.map((name) => {
    const { p10, p90 } = host.loops[name]
    const ratio = p90 / p10
    return `${name} ${p10.toFixed(0)}–${p90.toFixed(0)} µs${ratio >= UNSTEADY_RATIO ? ` (${ratio.toFixed(1)}×)` : ''}`
  })
  return `host at rest, p10–p90 of ${host.samples} samples over ${host.seconds} s: ${loops.join(', ')}`
}

/**
 * A warning where the memory loops changed speed at rest, `undefined` where none did. An unsteady
 * integer loop alone says the CPU was shared, which the bench's foreign-load warning covers.
 */
export function hostWarning(host: HostAtRest): string | undefined {
  const memory = unsteadyLoops(host).filter((name) => name !== 'integers')
  if (memory.length === 0) return undefined
  return (
    `warning: at rest, before the bench, this host ran ${memory.join(' and ')} at changing speed (p90 ≥ ${UNSTEADY_RATIO}× p10): ` +
    'its memory and caches change speed, and latencies measured on it (W2) may differ between runs for that alone'
  )
}
