import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ByteQueue } from '../../../main/pool/byte-queue'

/** The bytes of a run, exactly (NaN payloads and -0 included). */
const bytesOf = (run: Float64Array | Int32Array) => Array.from(new Uint8Array(run.buffer, run.byteOffset, run.byteLength))

/** A run of doubles or of 32-bit integers, as a worker writes either after a message. */
const aRun = fc.oneof(
  fc.array(fc.double(), { maxLength: 40 }).map((values) => new Float64Array(values)),
  fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 40 }).map((values) => new Int32Array(values))
)
const take = (queue: ByteQueue, like: Float64Array | Int32Array) => (like instanceof Int32Array ? queue.ints(like.length) : queue.doubles(like.length))

describe('ByteQueue', () => {
  it('gives back runs of doubles and of 32-bit integers exactly as written, however the bytes were cut into pieces', () => {
    fc.assert(
      fc.property(
        fc.array(aRun, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (runs, cuts, pushAllFirst) => {
          const stream = new Uint8Array(runs.flatMap(bytesOf))
          // Pieces at arbitrary byte offsets, and sometimes inside a bigger buffer at an odd offset.
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b)
          const pieces: Uint8Array[] = []
          let from = 0
          for (const to of [...points, stream.length]) {
            const piece = new Uint8Array(to - from + 3).subarray(3)
            piece.set(stream.subarray(from, to))
            pieces.push(piece)
            from = to
          }
          const queue = new ByteQueue()
          const taken: (Float64Array | Int32Array)[] = []
          let next = 0
          const takeWhatFits = () => {
            for (let run = runs[next]; run !== undefined; run = runs[next]) {
              const got = take(queue, run)
              if (!got) return
              expect(got).toBeInstanceOf(run.constructor)
              expect(got.byteOffset % run.BYTES_PER_ELEMENT).toBe(0)
              taken.push(got)
              next++
            }
          }
          for (const piece of pieces) {
            queue.push(piece)
            if (!pushAllFirst) takeWhatFits()
          }
          takeWhatFits()
          expect(next).toBe(runs.length)
          expect(queue.size).toBe(0)
          expect(taken.map(bytesOf)).toEqual(runs.map(bytesOf))
        }
      )
    )
  })

  it('gives back lines and the runs of numbers after them as written, however the bytes were cut into pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text: fc.string({ unit: 'grapheme', maxLength: 20 }), run: aRun }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 16 }),
        (items, cuts) => {
          // As a worker writes them: each message a line of JSON, the numbers it announces right after.
          const lines = items.map(({ text, run }) => JSON.stringify({ text, count: run.length, ints: run instanceof Int32Array }))
          const stream = Buffer.concat(items.flatMap(({ run }, i) => [Buffer.from(`${lines[i]}\n`, 'utf8'), Buffer.from(bytesOf(run))]))
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b)
          const queue = new ByteQueue()
          const gotLines: string[] = []
          const gotRuns: (Float64Array | Int32Array)[] = []
          let announced: { count: number; ints: boolean } | undefined
          const readWhatFits = () => {
            for (;;) {
              if (announced !== undefined) {
                const run = announced.ints ? queue.ints(announced.count) : queue.doubles(announced.count)
                if (run === undefined) return
                gotRuns.push(run)
                announced = undefined
                continue
              }
              const line = queue.takeLine()
              if (line === undefined) return
              gotLines.push(line)
              announced = JSON.parse(line) as { count: number; ints: boolean }
            }
          }
          let from = 0
          for (const to of [...points, stream.length]) {
            queue.push(stream.subarray(from, to))
            readWhatFits()
            from = to
          }
          expect(gotLines).toEqual(lines)
          expect(gotRuns.map(bytesOf)).toEqual(items.map(({ run }) => bytesOf(run)))
          expect(queue.size).toBe(0)
        }
      )
    )
  })

  it('takes no line until its newline has come', () => {
    const queue = new ByteQueue()
    queue.push(Buffer.from('{"a":'))
    expect(queue.takeLine()).toBeUndefined()
    queue.push(Buffer.from('"é"}'))
    expect(queue.takeLine()).toBeUndefined()
    queue.push(Buffer.from('\nrest'))
    expect(queue.takeLine()).toBe('{"a":"é"}')
    expect(queue.size).toBe(4)
    expect(queue.takeLine()).toBeUndefined()
  })

  it('takes nothing while a run has not fully come, and counts what has', () => {
    const queue = new ByteQueue()
    const doubles = new Float64Array([1.5, -0, Number.NaN])
    const bytes = new Uint8Array(doubles.buffer)
    queue.push(bytes.subarray(0, 20))
    expect(queue.doubles(3)).toBeUndefined()
    expect(queue.size).toBe(20)
    queue.push(bytes.subarray(20))
    expect(bytesOf(queue.doubles(3)!)).toEqual(Array.from(bytes))
    expect(queue.doubles(1)).toBeUndefined()
    expect(queue.ints(1)).toBeUndefined()
    expect(queue.size).toBe(0)
  })
})
