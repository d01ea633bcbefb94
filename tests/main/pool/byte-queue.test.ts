import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ByteQueue } from '../../../main/pool/byte-queue'

/** The bytes of `doubles`, exactly (NaN payloads and -0 included). */
const bytesOf = (doubles: Float64Array) => Array.from(new Uint8Array(doubles.buffer, doubles.byteOffset, doubles.byteLength))

describe('ByteQueue', () => {
  it('gives back runs of doubles exactly as written, however the bytes were cut into pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double(), { maxLength: 40 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (runs, cuts, pushAllFirst) => {
          const written = new Float64Array(runs.flat())
          const stream = new Uint8Array(written.buffer)
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
          const taken: Float64Array[] = []
          let next = 0
          const takeWhatFits = () => {
            for (let run = runs[next]; run !== undefined; run = runs[next]) {
              const doubles = queue.take(run.length)
              if (!doubles) return
              expect(doubles.byteOffset % Float64Array.BYTES_PER_ELEMENT).toBe(0)
              taken.push(doubles)
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
          expect(taken.map(bytesOf)).toEqual(runs.map((run) => bytesOf(new Float64Array(run))))
        }
      )
    )
  })

  it('gives back lines and the runs of doubles after them as written, however the bytes were cut into pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text: fc.string({ unit: 'grapheme', maxLength: 20 }), run: fc.array(fc.double(), { maxLength: 6 }) }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 16 }),
        (items, cuts) => {
          // As a worker writes them: each message a line of JSON, the doubles it announces right after.
          const lines = items.map(({ text, run }) => JSON.stringify({ text, numbers: run.length }))
          const stream = Buffer.concat(items.flatMap(({ run }, i) => [Buffer.from(`${lines[i]}\n`, 'utf8'), Buffer.from(new Float64Array(run).buffer)]))
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b)
          const queue = new ByteQueue()
          const gotLines: string[] = []
          const gotRuns: Float64Array[] = []
          let announced: number | undefined
          const readWhatFits = () => {
            for (;;) {
              if (announced !== undefined) {
                const run = queue.take(announced)
                if (run === undefined) return
                gotRuns.push(run)
                announced = undefined
                continue
              }
              const line = queue.takeLine()
              if (line === undefined) return
              gotLines.push(line)
              announced = (JSON.parse(line) as { numbers: number }).numbers
            }
          }
          let from = 0
          for (const to of [...points, stream.length]) {
            queue.push(stream.subarray(from, to))
            readWhatFits()
            from = to
          }
          expect(gotLines).toEqual(lines)
          expect(gotRuns.map(bytesOf)).toEqual(items.map(({ run }) => bytesOf(new Float64Array(run))))
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
    expect(queue.take(3)).toBeUndefined()
    expect(queue.size).toBe(20)
    queue.push(bytes.subarray(20))
    expect(bytesOf(queue.take(3)!)).toEqual(Array.from(bytes))
    expect(queue.take(1)).toBeUndefined()
    expect(queue.size).toBe(0)
  })
})
