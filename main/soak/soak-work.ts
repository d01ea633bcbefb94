/**
 * The soak's work: catalog task functions whose answers are known in advance, so every result can
 * be checked, and which tell their inputs apart, so a result delivered twice is seen. Mixed on
 * purpose: instant calls (many messages), short sleeps (units in flight when a kill lands) and
 * CPU blocks (a worker busy in a loop, deaf to its IPC channel while it runs).
 */
import { expectedRangeSum, expectedSum } from '../../tasks/heavy-sum'
import { sampleAt } from '../../tasks/linreg'
import type { SeededChoices } from './seeded-choices'

/** What a unit of soak work calls; `sum-below` is the one-argument function `imapUnordered` maps. */
export type WorkKind = 'square' | 'sleep' | 'heavy-sum' | 'linreg-sample' | 'sum-below'

/** The kinds called with an argument list (`apply`, `applyAsync`, `starmap`). */
export const ARGUMENT_KINDS = ['square', 'sleep', 'heavy-sum', 'linreg-sample'] as const satisfies readonly WorkKind[]

export interface WorkItem {
  /** The soak task's number, unique within a soak. */
  id: number
  kind: WorkKind
  fn: string
  /** The arguments; `sum-below` items are mapped with `args[0]` as their input. */
  args: unknown[]
  /** What a correct result equals (`isCorrect` compares). */
  expected: unknown
  /** How long the function sleeps, ms; 0 for the rest. A timeout below it is sure to expire. */
  sleepMs: number
}

/** The largest block `heavy-sum` and `sum-below` add up: about a millisecond of CPU. */
const MAX_BLOCK = 1_000_000

/** A batch holds fewer items than this; see `sum-below`. */
export const BATCH_ID_SPAN = 1000

export function makeWork(id: number, kind: WorkKind, random: SeededChoices): WorkItem {
  switch (kind) {
    case 'square':
      return { id, kind, fn: 'square:square', args: [id, 0], expected: id * id, sleepMs: 0 }
    case 'sleep': {
      const sleepMs = random.int(1, 10)
      return { id, kind, fn: 'square:square', args: [id, sleepMs], expected: id * id, sleepMs }
    }
    case 'heavy-sum': {
      const start = random.int(0, 1_000_000_000)
      const end = start + random.int(1, MAX_BLOCK)
      return { id, kind, fn: 'heavy-sum:sumRange', args: [start, end], expected: expectedRangeSum(start, end).toString(), sleepMs: 0 }
    }
    case 'linreg-sample': {
      const seed = random.int(0, 1_000_000)
      const noise = random.int(0, 3)
      return { id, kind, fn: 'linreg:sampleAt', args: [seed, id, noise], expected: sampleAt(seed, id, noise), sleepMs: 0 }
    }
    case 'sum-below': {
      // n ≥ 2, and different for any two ids less than BATCH_ID_SPAN apart: Σ0..n−1 (increasing
      // in n) then tells apart the inputs of one batch, whose ids are consecutive.
      const n = 2 + (id % BATCH_ID_SPAN) + random.int(0, MAX_BLOCK / BATCH_ID_SPAN) * BATCH_ID_SPAN
      return { id, kind, fn: 'heavy-sum:sumBelow', args: [n], expected: expectedSum(n).toString(), sleepMs: 0 }
    }
  }
}

/** Whether `value` is the item's known answer (a linreg sample compares both coordinates exactly). */
export function isCorrect(item: WorkItem, value: unknown): boolean {
  if (item.kind !== 'linreg-sample') return value === item.expected
  const expected = item.expected as { x: number; y: number }
  const got = value as { x?: unknown; y?: unknown } | null
  return typeof got === 'object' && got !== null && got.x === expected.x && got.y === expected.y
}
