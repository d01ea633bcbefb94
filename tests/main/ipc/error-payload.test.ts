import { describe, expect, it } from 'vitest'
import { isContractErrorCode, toErrorPayload } from '../../../main/ipc/error-payload'

describe('toErrorPayload', () => {
  it('keeps a coded error’s code, message and issues', () => {
    class ParamsRefusedError extends Error {
      readonly code = 'invalid-payload'
      readonly issues = [{ path: 'params.n', message: 'too big' }]
    }
    const error = new ParamsRefusedError('params.n: too big')
    expect(toErrorPayload(error)).toEqual({ code: 'invalid-payload', message: 'params.n: too big', issues: [{ path: 'params.n', message: 'too big' }] })
  })

  it('keeps a contract code carried by any typed error', () => {
    class RunMissingError extends Error {
      readonly code = 'not-found'
    }
    expect(toErrorPayload(new RunMissingError('no run r-1'))).toEqual({ code: 'not-found', message: 'no run r-1' })
  })

  it('reports codes outside the contract, like Node’s, as failed', () => {
    expect(toErrorPayload(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toEqual({ code: 'failed', message: 'no such file' })
  })

  it('reports thrown non-errors as failed with their text', () => {
    expect(toErrorPayload(42)).toEqual({ code: 'failed', message: '42' })
    expect(toErrorPayload(undefined)).toEqual({ code: 'failed', message: 'undefined' })
  })

  it('falls back to the error name when the message is empty', () => {
    expect(toErrorPayload(new TypeError(''))).toEqual({ code: 'failed', message: 'TypeError' })
  })
})

describe('isContractErrorCode', () => {
  it('accepts exactly the contract’s codes', () => {
    expect(['invalid-payload', 'unknown-channel', 'forbidden', 'not-found', 'failed'].every(isContractErrorCode)).toBe(true)
    expect(isContractErrorCode('ENOENT')).toBe(false)
    expect(isContractErrorCode(undefined)).toBe(false)
  })
})
