import { describe, expect, it } from 'vitest'
import { serializeError } from '../../../main/pool/protocol'

describe('serializeError', () => {
  it("keeps an Error's name, message, stack and string code", () => {
    const error = Object.assign(new RangeError('out of range'), { code: 'E_RANGE' })
    expect(serializeError(error)).toEqual({ name: 'RangeError', message: 'out of range', stack: error.stack, code: 'E_RANGE' })
  })

  it('drops a code that is not a string', () => {
    expect(serializeError(Object.assign(new Error('x'), { code: 42 }))).not.toHaveProperty('code')
  })

  it('turns a thrown string into an Error-shaped object with that message', () => {
    expect(serializeError('plain text')).toEqual({ name: 'Error', message: 'plain text' })
  })

  it('turns other thrown values into their JSON text', () => {
    expect(serializeError({ reason: 'bad' })).toEqual({ name: 'Error', message: '{"reason":"bad"}' })
    expect(serializeError(undefined)).toEqual({ name: 'Error', message: 'undefined' })
  })

  it('describes thrown values that have no JSON text without throwing itself', () => {
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(serializeError(5n)).toEqual({ name: 'Error', message: '5' })
    expect(serializeError(cycle)).toEqual({ name: 'Error', message: '[object Object]' })
  })
})
