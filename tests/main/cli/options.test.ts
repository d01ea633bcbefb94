import { describe, expect, it } from 'vitest'
import type { ParamSpec } from '../../../shared/contract'
import { parseSetFlags } from '../../../main/cli/bench-command'
import { parseSets } from '../../../main/cli/options'
import { UsageError } from '../../../main/cli/usage-error'

const specs: ParamSpec[] = [{ name: 'n', type: 'integer', description: '', default: 1 }]

describe('parseSets', () => {
  it('types values by the task specs and keeps unknown names for validation to reject', () => {
    expect({ ...parseSets(['n=5', 'mode=fast'], specs) }).toEqual({ n: 5, mode: 'fast' })
  })

  it('refuses a name given twice', () => {
    expect(() => parseSets(['n=1', 'n=2'], specs)).toThrow(new UsageError('parameter n is set twice'))
  })
})

describe('bug: --set toString=1 said "parameter toString is set twice"', () => {
  it('keeps names that Object.prototype has as ordinary unknown names', () => {
    const params = parseSets(['toString=1', 'constructor=2', 'hasOwnProperty=3'], specs)
    expect(Object.entries(params)).toEqual([['toString', '1'], ['constructor', '2'], ['hasOwnProperty', '3']])
  })
})

describe('bug: bench --set __proto__=1 vanished and the benchmark ran with the defaults', () => {
  it('keeps __proto__ as an own name, for the task schema to refuse as unknown', () => {
    expect(Object.keys(parseSetFlags(['__proto__=1']))).toEqual(['__proto__'])
    expect(Object.keys(parseSets(['__proto__=1'], specs))).toEqual(['__proto__'])
  })
})
