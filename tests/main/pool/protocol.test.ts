import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  allInt32,
  attachInts,
  BYTES_FROM_VALUES,
  bytesOnPipe,
  intsAfter,
  numbersWorthBytes,
  packInts,
  packNumbers,
  packRun,
  serializeError,
  unpackResults,
  type ForPool,
  type PackedUnit,
  type PipeRuns,
  type ToWorker,
  type WireUnit
} from '../../../main/pool/protocol'

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

describe('packNumbers and unpackResults (a chunk of numbers as bytes on a JSON channel)', () => {
  /** What a JSON channel delivers for `values`: the meaning the bytes must keep. */
  const overJson = (values: readonly number[]) => JSON.parse(JSON.stringify(values)) as unknown[]
  const sentAsBytes = (doubles: string): ForPool => ({ type: 'results', outcomes: [{ id: 7, ok: true, doubles, startedAt: 1, endedAt: 2 }] })
  const unpacked = (doubles: string) => {
    const message = unpackResults(sentAsBytes(doubles))
    if (message.type !== 'results' || !message.outcomes[0]!.ok) throw new Error('not an ok result')
    return message.outcomes[0]!.value
  }

  it('gives back exactly what JSON would have, for any doubles (NaN and ±Infinity as null, -0 as 0)', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: BYTES_FROM_VALUES, maxLength: 3 * BYTES_FROM_VALUES }), (values) => {
        const doubles = packNumbers(values)
        if (doubles !== undefined) expect(unpacked(doubles)).toEqual(overJson(values))
      })
    )
  })

  it('packs a chunk whose sampled values are not all 32-bit integers, and only a chunk big enough', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: BYTES_FROM_VALUES, maxLength: 2 * BYTES_FROM_VALUES }),
        fc.oneof(fc.double({ noInteger: true }), fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER })),
        (integers, wide) => {
          expect(packNumbers(integers)).toBeUndefined()
          const values = [...integers, wide]
          const doubles = packNumbers(values)
          expect(doubles).toBeTypeOf('string')
          expect(unpacked(doubles!)).toEqual(overJson(values))
          expect(packNumbers(values.slice(-BYTES_FROM_VALUES + 1))).toBeUndefined()
        }
      )
    )
  })

  it('restores the outcomes whose numbers came on the pipe, doubles or 32-bit integers, in order, with the same meaning as JSON', () => {
    const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
    const aRun = fc.oneof(fc.array(fc.double(), { maxLength: 30 }), fc.array(int32, { maxLength: 30 }).map((values) => Int32Array.from(values)))
    fc.assert(
      fc.property(fc.array(aRun, { minLength: 1, maxLength: 5 }), (runs) => {
        // Outcomes announcing their numbers, with plain ones between them.
        const outcomes = runs.flatMap((run, i) => [
          run instanceof Int32Array
            ? { id: 2 * i, ok: true as const, ints: run.length, startedAt: 1, endedAt: 2 }
            : { id: 2 * i, ok: true as const, numbers: run.length, startedAt: 1, endedAt: 2 },
          { id: 2 * i + 1, ok: true as const, value: i, startedAt: 1, endedAt: 2 }
        ])
        const message: ForPool = { type: 'results', outcomes }
        expect(bytesOnPipe(message)).toBe(runs.reduce((n, run) => n + run.length * (run instanceof Int32Array ? 4 : 8), 0))
        const pipe = [...runs]
        const next = (count: number, ints: boolean) => {
          const run = pipe.shift()!
          expect(count).toBe(run.length)
          expect(run instanceof Int32Array).toBe(ints)
          return run
        }
        const restored = unpackResults(message, {
          doubles: (count) => new Float64Array(next(count, false)),
          ints: (count) => next(count, true) as Int32Array
        })
        expect(pipe).toEqual([])
        expect(restored).toEqual({
          type: 'results',
          outcomes: runs.flatMap((run, i) => [
            { id: 2 * i, ok: true, value: overJson(Array.from(run)), startedAt: 1, endedAt: 2 },
            { id: 2 * i + 1, ok: true, value: i, startedAt: 1, endedAt: 2 }
          ])
        })
      })
    )
  })

  it('refuses to restore numbers that have not come, and counts none where no outcome announces any', () => {
    const nothing: PipeRuns = { doubles: () => undefined, ints: () => undefined }
    const message: ForPool = { type: 'results', outcomes: [{ id: 4, ok: true, numbers: 3, startedAt: 1, endedAt: 2 }] }
    expect(() => unpackResults(message, nothing)).toThrow(/3 numbers of unit 4/)
    expect(() => unpackResults({ type: 'results', outcomes: [{ id: 5, ok: true, ints: 2, startedAt: 1, endedAt: 2 }] }, nothing)).toThrow(/2 integers of unit 5/)
    expect(() => unpackResults({ type: 'results', outcomes: [{ id: 4, ok: true, numbers: 3, startedAt: 1, endedAt: 2 }] })).toThrow(/have not come/)
    expect(bytesOnPipe({ type: 'ready', pid: 1 })).toBe(0)
    expect(bytesOnPipe({ type: 'results', outcomes: [{ id: 1, ok: true, doubles: 'AAAAAAAA8D8=', startedAt: 1, endedAt: 2 }] })).toBe(0)
  })

  it('finds bytes worth it exactly where a base64 chunk would be made', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.double()), { maxLength: 2 * BYTES_FROM_VALUES }), (values) => {
        expect(numbersWorthBytes(values)).toBe(packNumbers(values) !== undefined)
      })
    )
  })

  it("with the worker's origin, makes every kind of outcome's whole µs since then ms since the epoch again", () => {
    const micros = fc.integer({ min: 0, max: 2 ** 40 })
    fc.assert(
      fc.property(fc.double({ min: 0, max: 4e12, noNaN: true }), fc.array(fc.tuple(micros, micros, fc.constantFrom('value', 'doubles', 'ints', 'numbers')), { minLength: 1, maxLength: 8 }), (origin, stamps) => {
        const outcomes = stamps.map(([a, b, kind], id) => {
          const times = { id, ok: true as const, startedAt: Math.min(a, b), endedAt: Math.max(a, b) }
          if (kind === 'doubles') return { ...times, doubles: packNumbers(Array.from({ length: BYTES_FROM_VALUES }, () => 0.5))! }
          if (kind === 'ints') return { ...times, ints: 1 }
          if (kind === 'numbers') return { ...times, numbers: 1 }
          return { ...times, value: id }
        })
        const runs: PipeRuns = { doubles: () => new Float64Array([1.5]), ints: () => new Int32Array([7]) }
        const restored = unpackResults({ type: 'results', outcomes }, runs, origin)
        if (restored.type !== 'results') throw new Error('not results')
        stamps.forEach(([a, b], i) => {
          expect(restored.outcomes[i]!.startedAt).toBe(origin + Math.min(a, b) / 1000)
          expect(restored.outcomes[i]!.endedAt).toBe(origin + Math.max(a, b) / 1000)
        })
      })
    )
  })

  it('leaves every other message and outcome as it is', () => {
    const plain: ForPool = { type: 'results', outcomes: [{ id: 1, ok: true, value: [1.5, 2.5], startedAt: 1, endedAt: 2 }] }
    expect(unpackResults(plain)).toEqual({ type: 'results', outcomes: [{ id: 1, ok: true, value: [1.5, 2.5], startedAt: 1, endedAt: 2 }] })
    const ready: ForPool = { type: 'ready', pid: 3 }
    expect(unpackResults(ready)).toBe(ready)
  })
})

describe('packInts and attachInts (a chunk of 32-bit integers as bytes on the requests pipe)', () => {
  const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
  /** Anything an input can be that an Int32Array does not hold as JSON writes it. */
  const notInt32 = fc.oneof(
    fc.constantFrom(-0, 0.5, 2 ** 31, -(2 ** 31) - 1, NaN, Infinity, null, undefined, true, '1', [1], { valueOf: () => 1 }),
    fc.double().filter((x) => (x | 0) !== x || Object.is(x, -0))
  )
  const inputsUnit = (id: number, inputs: unknown[]): PackedUnit => ({ id, fn: 3, inputs, extra: [id] })
  /** A unit's inputs as the worker runs them, and as JSON would have given them. */
  const asRun = (unit: object) => ('inputs' in unit ? { ...unit, inputs: Array.from(unit.inputs as ArrayLike<unknown>) } : unit)

  it('allInt32 is true exactly where every value is a number an Int32Array holds as it is, and calls no valueOf', () => {
    fc.assert(
      fc.property(fc.array(int32, { maxLength: 20 }), notInt32, fc.nat(), (values, odd, at) => {
        expect(allInt32(values)).toBe(true)
        const mixed: unknown[] = [...values]
        mixed.splice(at % (values.length + 1), 0, odd)
        expect(allInt32(mixed)).toBe(false)
      })
    )
    const tricky = { valueOf: () => expect.unreachable('valueOf called') }
    expect(allInt32([1, tricky, 5n])).toBe(false)
  })

  it('sends a big chunk of 32-bit integers as its bytes and every other unit as it is; the worker gets back what JSON would give', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.array(int32, { minLength: BYTES_FROM_VALUES, maxLength: 2 * BYTES_FROM_VALUES }),
            fc.array(int32, { maxLength: BYTES_FROM_VALUES - 1 }),
            fc.tuple(fc.array(int32, { minLength: BYTES_FROM_VALUES, maxLength: 2 * BYTES_FROM_VALUES }), notInt32, fc.nat()).map(([values, odd, at]) => {
              const mixed: unknown[] = [...values]
              mixed.splice(at % values.length, 1, odd)
              return mixed
            })
          ),
          { maxLength: 4 }
        ),
        fc.nat({ max: 7 }),
        (chunks, misalign) => {
          const units: PackedUnit[] = [...chunks.map((inputs, i) => inputsUnit(i, inputs)), { id: 99, fn: 3, args: [1] }]
          const message: ToWorker = { type: 'run', units: units as WireUnit[] }
          const { message: piped, bytes } = packInts(message)
          const packed = chunks.map((inputs) => inputs.length >= BYTES_FROM_VALUES && allInt32(inputs))
          expect(bytes).toHaveLength(packed.filter(Boolean).length)
          if (bytes.length === 0) expect(piped).toBe(message)
          expect(intsAfter(piped)).toBe(bytes.reduce((n, b) => n + b.byteLength, 0))
          // As the worker's reader hands them over: one buffer, here at any offset in a bigger one.
          const after = new Uint8Array(intsAfter(piped) + misalign).subarray(misalign)
          let offset = 0
          for (const b of bytes) {
            after.set(b, offset)
            offset += b.byteLength
          }
          const received = attachInts(JSON.parse(JSON.stringify(piped)), after)
          if (received.type !== 'run') throw new Error('not a run')
          received.units.forEach((unit, i) => {
            if (i < chunks.length) expect('inputs' in unit && unit.inputs instanceof Int32Array).toBe(packed[i])
          })
          expect(received.units.map(asRun)).toEqual(JSON.parse(JSON.stringify(units)))
        }
      )
    )
  })

  it('leaves a message without chunks, and every other message, as it is', () => {
    const cancel: ToWorker = { type: 'cancel', ids: [1] }
    expect(packInts(cancel)).toEqual({ message: cancel, bytes: [] })
    expect(intsAfter(cancel)).toBe(0)
    expect(attachInts(cancel, new Uint8Array(0))).toBe(cancel)
  })
})
