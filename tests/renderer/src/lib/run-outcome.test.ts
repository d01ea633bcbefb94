import { describe, expect, it } from 'vitest'
import { describeRunOutcome, plainError, previewJson } from '../../../../renderer/src/lib/run-outcome'
import { runFinished } from '../../fixtures'

describe('describeRunOutcome', () => {
  it('reports a checked success with a tick', () => {
    expect(describeRunOutcome(runFinished())).toEqual({
      tone: 'ok',
      headline: 'Finished in 1.50 s, result checked',
      check: { ok: true, text: '✓ all 2 sums equal n(n-1)/2' },
      problem: undefined
    })
  })

  it('flags a run that finished with a wrong result', () => {
    const outcome = describeRunOutcome(runFinished({ check: { ok: false, summary: 'sum 3 is off by 1' } }))
    expect(outcome.tone).toBe('danger')
    expect(outcome.headline).toBe('Finished in 1.50 s, but the result is wrong')
    expect(outcome.check?.text).toBe('✗ sum 3 is off by 1')
  })

  it('words failures and stops', () => {
    const failed = describeRunOutcome(runFinished({ state: 'failed', ok: false, check: undefined, error: 'TypeError: n must be finite\n    at task.js:3' }))
    expect(failed).toMatchObject({ tone: 'danger', headline: 'Failed after 1.50 s', problem: 'n must be finite' })
    expect(describeRunOutcome(runFinished({ state: 'failed', ok: false, check: undefined })).problem).toBe('The run failed without saying why.')
    expect(describeRunOutcome(runFinished({ state: 'stopped', check: undefined })).headline).toBe('Stopped after 1.50 s')
  })
})

describe('plainError and previewJson', () => {
  it('keeps the first line of an error without its class name', () => {
    expect(plainError('\nError: worker 3 exited with code 1\nstack')).toBe('worker 3 exited with code 1')
    expect(plainError('timed out after 2 s')).toBe('timed out after 2 s')
  })

  it('pretty-prints results, cutting long ones', () => {
    expect(previewJson({ a: 1 })).toEqual({ text: '{\n  "a": 1\n}', isCut: false })
    const long = previewJson('x'.repeat(100), 10)
    expect(long.isCut).toBe(true)
    expect(long.text).toBe('"xxxxxxxxx\n…')
  })
})
