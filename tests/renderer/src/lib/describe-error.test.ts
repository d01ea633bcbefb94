import { describe, expect, it } from 'vitest'
import { ContractError } from '../../../../shared/api'
import { ConnectionLostError } from '../../../../shared/ws-transport'
import { describeError } from '../../../../renderer/src/lib/describe-error'

describe('describeError', () => {
  it('leads an invalid-payload refusal with a sentence and keeps its issues', () => {
    const error = new ContractError({ code: 'invalid-payload', message: 'workers: must be ≥ 1', issues: [{ path: 'workers', message: 'must be ≥ 1' }] })
    expect(describeError(error)).toEqual({ code: 'invalid-payload', message: 'Some values were refused', issues: [{ path: 'workers', message: 'must be ≥ 1' }] })
  })

  it('keeps the message of a failure or a not-found', () => {
    expect(describeError(new ContractError({ code: 'failed', message: 'the pool could not start' })).message).toBe('the pool could not start')
    expect(describeError(new ContractError({ code: 'forbidden', message: '' })).message).toBe('Not allowed here')
  })

  it('recognises a contract error by shape, as it arrives from another realm', () => {
    const foreign = Object.assign(new Error('nope'), { payload: { code: 'not-found', message: 'no run run-9' } })
    expect(describeError(foreign)).toMatchObject({ code: 'not-found', message: 'no run run-9' })
  })

  it('marks a dropped connection as a network problem', () => {
    expect(describeError(new ConnectionLostError('the connection to the PoolScope server was lost')).code).toBe('network')
  })

  it('copes with things that are not errors', () => {
    expect(describeError('plain text')).toEqual({ code: 'unknown', message: 'plain text', issues: [] })
    expect(describeError(undefined).message).toBe('Something went wrong')
  })
})
