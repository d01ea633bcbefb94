/** The soak's work items: known answers, checked exactly, and inputs of one batch told apart by their results. */
import { describe, expect, it } from 'vitest'
import { sumRange } from '../../../tasks/heavy-sum'
import { sampleAt } from '../../../tasks/linreg'
import { square } from '../../../tasks/square'
import { SeededChoices } from '../../../main/soak/seeded-choices'
import { BATCH_ID_SPAN, isCorrect, makeWork } from '../../../main/soak/soak-work'

describe('makeWork', () => {
  it('expects what the catalog functions really return', async () => {
    const random = new SeededChoices(3)
    for (let id = 0; id < 50; id++) {
      const heavy = makeWork(id, 'heavy-sum', random)
      expect(isCorrect(heavy, sumRange(...(heavy.args as [number, number])))).toBe(true)
      const sample = makeWork(id, 'linreg-sample', random)
      expect(isCorrect(sample, JSON.parse(JSON.stringify(sampleAt(...(sample.args as [number, number, number])))))).toBe(true)
      const sleep = makeWork(id, 'sleep', random)
      expect(isCorrect(sleep, await square(...(sleep.args as [number, number])))).toBe(true)
    }
  })

  it('gives the sum-below inputs of a batch different answers', () => {
    const random = new SeededChoices(4)
    const expected = Array.from({ length: BATCH_ID_SPAN }, (_, i) => makeWork(5_000 + i, 'sum-below', random).expected)
    expect(new Set(expected).size).toBe(BATCH_ID_SPAN)
  })

  it('rejects a near miss', () => {
    const sample = makeWork(1, 'linreg-sample', new SeededChoices(5))
    const { x, y } = sample.expected as { x: number; y: number }
    expect(isCorrect(sample, { x, y: y + Number.EPSILON * 8 })).toBe(false)
    expect(isCorrect(sample, null)).toBe(false)
    expect(isCorrect(makeWork(3, 'square', new SeededChoices(5)), '9')).toBe(false)
  })
})
