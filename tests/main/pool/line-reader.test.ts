import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LineReader } from '../../../main/pool/line-reader'

/** Feeds `stream` to `reader` cut at `cuts`, through one scratch buffer overwritten after each read (as a socket's `onread` buffer is). */
function feedInPieces(reader: LineReader, stream: Buffer, cuts: number[], scratchSize: number): void {
  const scratch = Buffer.alloc(Math.max(scratchSize, stream.length, 1))
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b)
  let from = 0
  for (const to of [...points, stream.length]) {
    stream.copy(scratch, 0, from, to)
    reader.push(scratch, to - from)
    // What a later read writes there must not change what was read before.
    scratch.fill(0x0a)
    from = to
  }
}

function readInPieces(stream: Buffer, cuts: number[], scratchSize: number): string[] {
  const lines: string[] = []
  const reader = new LineReader((line) => {
    lines.push(line)
  })
  feedInPieces(reader, stream, cuts, scratchSize)
  return lines
}

describe('LineReader', () => {
  it('gives back each line whole and in order, however the bytes were cut, multi-byte characters included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.nat({ max: 64 }),
        (values, cuts, scratchSize) => {
          // Lines as the pool writes them: JSON has no raw newline, so each value is one line.
          const sent = values.map((v) => JSON.stringify({ type: 'push', topic: 't', payload: v }))
          const lines = readInPieces(Buffer.from(sent.map((line) => `${line}\n`).join(''), 'utf8'), cuts, scratchSize)
          expect(lines).toEqual(sent)
          expect(lines.map((line) => (JSON.parse(line) as { payload: string }).payload)).toEqual(values)
        }
      )
    )
  })

  it('decodes a four-byte character cut in the middle by a read, and holds back a line until its newline comes', () => {
    const line = 'a😀b'
    const bytes = Buffer.from(`${line}\n`, 'utf8')
    expect(readInPieces(bytes, [2], 0)).toEqual([line])
    const lines: string[] = []
    const reader = new LineReader((l) => {
      lines.push(l)
    })
    reader.push(Buffer.from('{"a":'), 5)
    expect(lines).toEqual([])
    reader.push(Buffer.from('1}\n{"b"'), 4)
    expect(lines).toEqual(['{"a":1}'])
  })

  it('reads only the bytes it is told were read, not what lies after them in the buffer', () => {
    const lines: string[] = []
    const reader = new LineReader((l) => {
      lines.push(l)
    })
    reader.push(Buffer.from('one\ntw\nstale\n'), 6)
    reader.push(Buffer.from('o\nstale\n'), 2)
    expect(lines).toEqual(['one', 'two'])
  })

  it('hands over the bytes a line says follow it, whole, in a buffer of their own, however the stream was cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text: fc.string({ unit: 'grapheme', maxLength: 20 }), after: fc.uint8Array({ maxLength: 300 }) }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.nat({ max: 64 }),
        (items, cuts, scratchSize) => {
          // As the pool writes a run message and the integers that follow it: newline bytes among them too.
          const sent = items.map(({ text, after }) => JSON.stringify({ text, bytes: after.length }))
          const stream = Buffer.concat(items.flatMap(({ after }, i) => [Buffer.from(`${sent[i]}\n`, 'utf8'), after]))
          const got: { line?: string; bytes?: number[] }[] = []
          const reader = new LineReader(
            (line) => {
              got.push({ line })
              return (JSON.parse(line) as { bytes: number }).bytes
            },
            (bytes) => {
              expect(bytes.byteOffset).toBe(0)
              expect(bytes.buffer.byteLength).toBe(bytes.length)
              got.push({ bytes: Array.from(bytes) })
            }
          )
          feedInPieces(reader, stream, cuts, scratchSize)
          expect(got).toEqual(items.flatMap(({ after }, i) => [{ line: sent[i] }, ...(after.length > 0 ? [{ bytes: Array.from(after) }] : [])]))
        }
      )
    )
  })
})
