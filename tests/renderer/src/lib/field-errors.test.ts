import { describe, expect, it } from 'vitest'
import { requests } from '../../../../shared/contract'
import { describeIssue, fieldErrorsFromIssues, mapServerIssues, normalizeIssuePath } from '../../../../renderer/src/lib/field-errors'

describe('describeIssue', () => {
  it('words zod issues for people, in the unit the field shows', () => {
    const result = requests['run:start'].args.safeParse({ taskId: 'x', workers: 0, timeoutMs: 9_999_999, backend: 'gpu' })
    expect(result.success).toBe(false)
    if (result.success) return
    const errors = fieldErrorsFromIssues(result.error.issues, { timeoutMs: { divisor: 1000, suffix: 's' } })
    expect(errors).toEqual({ workers: 'At least 1', timeoutMs: 'At most 3,600 s', backend: 'Choose one of process, thread, redis' })
  })

  it('uses the schema’s own message for format checks and refinements', () => {
    const result = requests['run:start'].args.safeParse({ taskId: 'Not Kebab', workers: 1 })
    if (result.success) throw new Error('expected a failure')
    expect(fieldErrorsFromIssues(result.error.issues).taskId).toBe('must be kebab-case letters, digits and dashes')
    expect(describeIssue({ code: 'invalid_type', expected: 'int', path: [], message: '' })).toBe('Enter a whole number')
  })
})

describe('mapServerIssues', () => {
  it('puts issues on the fields the form shows and keeps the rest as general lines', () => {
    const mapped = mapServerIssues(
      [
        { path: 'params.n', message: 'must be an integer ≥ 1' },
        { path: 'workers[3]', message: 'must be ≤ 256' },
        { path: 'env.HOME', message: 'is not an accepted field' },
        { path: '', message: 'give exactly one of taskId or command' }
      ],
      ['params.n', 'workers']
    )
    expect(mapped.fieldErrors).toEqual({ 'params.n': 'must be an integer ≥ 1', workers: 'must be ≤ 256' })
    expect(mapped.general).toEqual(['env.HOME: is not an accepted field', 'give exactly one of taskId or command'])
  })

  it('normalizes the path spellings main may use', () => {
    expect(normalizeIssuePath('workers[0]')).toBe('workers.0')
    expect(normalizeIssuePath('/params/n')).toBe('params.n')
    expect(normalizeIssuePath('env["a b"]')).toBe('env.a b')
  })
})
