import { describe, expect, it } from 'vitest'
import { BENCH_ID_PATTERN, createBenchId } from '../../../../main/bench/report/bench-id'

describe('createBenchId', () => {
  it('writes the UTC start time and the suffix in kebab case', () => {
    expect(createBenchId(new Date('2026-11-24T15:30:12.345Z'), 'ab12')).toBe('bench-20261124-153012-ab12')
  })

  it('adds four random hex digits when no suffix is given', () => {
    expect(createBenchId(new Date())).toMatch(BENCH_ID_PATTERN)
  })

  it('refuses a suffix that would make an invalid id', () => {
    expect(() => createBenchId(new Date(), '../x')).toThrow(RangeError)
  })
})
