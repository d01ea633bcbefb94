/** The soak's random choices replay from their seed. */
import { describe, expect, it } from 'vitest'
import { SeededChoices } from '../../../main/soak/seeded-choices'

const draws = (seed: number) => {
  const random = new SeededChoices(seed)
  return Array.from({ length: 100 }, () => random.int(0, 9))
}

describe('SeededChoices', () => {
  it('makes the same choices from the same seed and others from another', () => {
    expect(draws(42)).toEqual(draws(42))
    expect(draws(42)).not.toEqual(draws(43))
  })

  it('keeps integers within their bounds, reaching both ends', () => {
    const seen = new Set(Array.from({ length: 2_000 }, (_, i) => new SeededChoices(i).int(3, 5)))
    expect([...seen].sort()).toEqual([3, 4, 5])
  })

  it('picks only from the list given', () => {
    const random = new SeededChoices(7)
    for (let i = 0; i < 100; i++) expect(['a', 'b']).toContain(random.pick(['a', 'b']))
  })
})
