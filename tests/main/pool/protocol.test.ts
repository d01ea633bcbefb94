import { describe, expect, it } from 'vitest'
import { packRun, serializeError, type ToWorker, type WireUnit } from '../../../main/pool/protocol'

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

describe('packRun', () => {
  const chunkUnit = (id: number, chunk: unknown[][]): WireUnit => ({ id, fn: 'lab:add', chunk })

  it('sends a chunk whose calls share one arity by column, argument j of call i at columns[j][i]', () => {
    const packed = packRun({ type: 'run', units: [chunkUnit(1, [[1, 'a'], [2, 'b'], [3, 'c']])] })
    expect(packed).toEqual({ type: 'run', units: [{ id: 1, fn: 'lab:add', columns: [[1, 2, 3], ['a', 'b', 'c']] }] })
  })

  it('keeps a chunk as it is when its argument lists differ in length, are empty, or are not arrays', () => {
    for (const chunk of [[[1, 2], [3]], [[], []], [[1], 'x' as unknown as unknown[]]]) {
      const message: ToWorker = { type: 'run', units: [chunkUnit(2, chunk)] }
      expect(packRun(message)).toBe(message)
    }
  })

  it('returns the same message when nothing is packed, and leaves the original units untouched when something is', () => {
    const plain: ToWorker = { type: 'run', units: [{ id: 1, fn: 3, args: [1] }, { id: 2, fn: 3, inputs: [1, 2] }] }
    expect(packRun(plain)).toBe(plain)
    const cancel: ToWorker = { type: 'cancel', ids: [1] }
    expect(packRun(cancel)).toBe(cancel)
    const mixed: ToWorker = { type: 'run', units: [{ id: 1, fn: 3, args: [1] }, chunkUnit(2, [[1], [2]])] }
    const packed = packRun(mixed)
    expect(packed).not.toBe(mixed)
    expect(packed).toEqual({ type: 'run', units: [{ id: 1, fn: 3, args: [1] }, { id: 2, fn: 'lab:add', columns: [[1, 2]] }] })
    expect(mixed.units[1]).toEqual(chunkUnit(2, [[1], [2]]))
  })
})
