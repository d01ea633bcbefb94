import { describe, expect, it } from 'vitest'
import { buildRunRequest, createRunForm } from '../../../../renderer/src/lib/run-request'
import { task } from '../../fixtures'

describe('createRunForm', () => {
  it('starts from the task defaults with one worker per core', () => {
    const form = createRunForm(task(), 8)
    expect(form.workers).toBe('8')
    expect(form.params.n).toBe('1000')
    expect(form.durationSeconds).toBe('')
  })

  it('suggests a duration for long-running tasks and caps workers at the contract maximum', () => {
    const form = createRunForm(task({ longRunning: true }), 512)
    expect(form.durationSeconds).toBe('30')
    expect(form.workers).toBe('256')
  })
})

describe('buildRunRequest', () => {
  it('builds the run:start arguments from valid input, converting seconds to milliseconds', () => {
    const form = { ...createRunForm(task(), 4), retries: '2', timeoutSeconds: '1.5', chunksize: '' }
    const built = buildRunRequest(task(), form)
    expect(built).toEqual({
      ok: true,
      request: {
        taskId: 'heavy-sum',
        params: { n: 1000, scale: 1.5, label: 'x', verbose: false, mode: 'fast', urls: ['a', 'b'] },
        workers: 4,
        backend: 'process',
        retries: 2,
        timeoutMs: 1500
      }
    })
  })

  it('reports parameter and pool errors together, keyed by field', () => {
    const form = createRunForm(task(), 4)
    form.params.n = '-3'
    form.workers = '300'
    form.retries = 'lots'
    const built = buildRunRequest(task(), form)
    expect(built.ok).toBe(false)
    if (built.ok) return
    expect(built.errors).toEqual({ 'params.n': 'At least 1', workers: 'At most 256', retries: 'Enter a number' })
  })

  it('states contract limits in the unit the field shows', () => {
    const form = { ...createRunForm(task(), 4), timeoutSeconds: '7200' }
    const built = buildRunRequest(task(), form)
    expect(built.ok ? undefined : built.errors.timeoutMs).toBe('At most 3,600 s')
  })

  it('requires a whole worker count', () => {
    expect(buildRunRequest(task(), { ...createRunForm(task(), 4), workers: '' })).toEqual({ ok: false, errors: { workers: 'Required' } })
    const fractional = buildRunRequest(task(), { ...createRunForm(task(), 4), workers: '2.5' })
    expect(fractional.ok ? undefined : fractional.errors.workers).toBe('Enter a whole number')
  })
})
