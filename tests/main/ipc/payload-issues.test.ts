import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { describeIssues, describeValue, formatPath, summarizeIssues } from '../../../main/ipc/payload-issues'

function issuesFor(schema: z.ZodType, input: unknown) {
  const parsed = schema.safeParse(input, { reportInput: true })
  if (parsed.success) throw new Error('expected the input to be refused')
  return describeIssues(schema, parsed.error.issues)
}

describe('formatPath', () => {
  it('joins names with dots and indexes with brackets', () => {
    expect(formatPath(['workers', 0])).toBe('workers[0]')
    expect(formatPath(['env', 'HOME'])).toBe('env.HOME')
  })

  it('quotes keys that are not plain names', () => {
    expect(formatPath(['params', 'two words'])).toBe('params["two words"]')
  })

  it('cuts very long keys', () => {
    expect(formatPath(['params', 'x'.repeat(1000)]).length).toBeLessThan(60)
  })

  it('is empty for the whole argument object', () => {
    expect(formatPath([])).toBe('')
  })
})

describe('describeValue', () => {
  it('names what was received without echoing long strings', () => {
    expect(describeValue(null)).toBe('null')
    expect(describeValue([1])).toBe('a list')
    expect(describeValue('gpu')).toBe('"gpu"')
    expect(describeValue('y'.repeat(500))).toBe('a string of 500 characters')
    expect(describeValue(Number.NaN)).toBe('NaN')
    expect(describeValue({})).toBe('an object')
  })
})

describe('describeIssues', () => {
  it('describes numeric bounds with the field’s integer-ness', () => {
    const schema = z.object({ n: z.number().int().min(1).max(8), rate: z.number().min(0.1) })
    expect(issuesFor(schema, { n: 9, rate: 0 })).toEqual([
      { path: 'n', message: 'must be an integer ≤ 8' },
      { path: 'rate', message: 'must be ≥ 0.1' }
    ])
  })

  it('describes string and list lengths', () => {
    const schema = z.object({ name: z.string().min(1), tags: z.array(z.string()).max(2) })
    expect(issuesFor(schema, { name: '', tags: ['a', 'b', 'c'] })).toEqual([
      { path: 'name', message: 'must not be empty' },
      { path: 'tags', message: 'must have at most 2 items' }
    ])
  })

  it('summarises beyond twenty bad fields so the reply stays small', () => {
    const schema = z.array(z.number())
    const issues = issuesFor(schema, Array.from({ length: 50 }, () => 'x'))
    expect(issues).toHaveLength(21)
    expect(issues.at(-1)).toEqual({ path: '', message: 'and 30 more bad fields' })
  })
})

describe('summarizeIssues', () => {
  it('joins fields and reasons into one line, calling the root "arguments"', () => {
    expect(
      summarizeIssues([
        { path: '', message: 'must be an object, got null' },
        { path: 'workers', message: 'is required' }
      ])
    ).toBe('arguments: must be an object, got null; workers: is required')
  })
})
