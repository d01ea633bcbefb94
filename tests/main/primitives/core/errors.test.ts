import { describe, expect, it } from 'vitest'
import { EOFError, PrimitiveError, QueueEmptyError, reviveError } from '../../../../main/primitives/core/errors'

describe('reviveError', () => {
  it('rebuilds the typed error named by the code that crossed the wire', () => {
    const wire = Object.assign(new Error('no item arrived within 50 ms'), { name: 'QueueEmptyError', code: 'queue-empty' })
    const revived = reviveError(wire)
    expect(revived).toBeInstanceOf(QueueEmptyError)
    expect(revived).toBeInstanceOf(PrimitiveError)
    expect(revived).toMatchObject({ message: 'no item arrived within 50 ms', code: 'queue-empty', name: 'QueueEmptyError' })
  })

  it('decides by code, not by name', () => {
    const wire = Object.assign(new Error('x'), { name: 'QueueEmptyError', code: 'pipe-eof' })
    expect(reviveError(wire)).toBeInstanceOf(EOFError)
  })

  it('leaves errors without a known code, and non-errors, as they are', () => {
    const plain = new Error('boom')
    const foreign = Object.assign(new Error('x'), { code: 'ENOENT' })
    expect(reviveError(plain)).toBe(plain)
    expect(reviveError(foreign)).toBe(foreign)
    expect(reviveError('text')).toBe('text')
  })
})
