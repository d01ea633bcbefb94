import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseTaskInput } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import {
  byteRanges,
  generateNumberFile,
  parseIntegerLine,
  sumRange,
  tilingGaps,
  type RangeSum
} from '../../tasks/sum-file'
import { workerScript } from '../helpers/paths'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poolscope-sum-file-test-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function fileWith(content: string): Promise<string> {
  const path = join(dir, 'numbers.txt')
  await writeFile(path, content)
  return path
}

function parse(line: string): number | bigint | undefined {
  return parseIntegerLine(Buffer.from(line, 'latin1'), 0, line.length)
}

/** Sums a file range by range and combines the parts, as the parent does. */
async function sumInParts(path: string, cuts: number[], size: number) {
  const bounds = [0, ...cuts, size]
  const parts: RangeSum[] = []
  for (let i = 0; i + 1 < bounds.length; i++) parts.push(await sumRange(path, bounds[i], bounds[i + 1]))
  return {
    sum: parts.reduce((acc, part) => acc + BigInt(part.sum), 0n),
    lines: parts.reduce((acc, part) => acc + part.lines, 0),
    invalid: parts.reduce((acc, part) => acc + part.invalid, 0),
    parts
  }
}

describe('parseIntegerLine', () => {
  it('accepts optional blanks, a sign and digits', () => {
    expect(parse('42')).toBe(42)
    expect(parse('-7')).toBe(-7)
    expect(parse('+5')).toBe(5)
    expect(parse('  12\t\r')).toBe(12)
    expect(parse('007')).toBe(7)
  })

  it('rejects empty lines, decimals, words, hex, exponents and inner blanks', () => {
    for (const line of ['', ' ', '+', '-', '3.5', 'n/a', '12abc', '--7', '0x1f', '1e3', '4 2']) expect(parse(line)).toBeUndefined()
  })

  it('parses numbers past 2^53 exactly as BigInts', () => {
    expect(parse('123456789012345678901234567890')).toBe(123456789012345678901234567890n)
    expect(parse('-9007199254740993')).toBe(-9007199254740993n)
  })
})

describe('sumRange', () => {
  const content = '10\n-3\nx\n200\n\n5\n'

  it('finishes its last line past the end of its range', async () => {
    const path = await fileWith(content)
    const part = await sumRange(path, 0, 1)
    expect(part).toMatchObject({ sum: '10', lines: 1, invalid: 0, firstLineAt: 0, endOfLastLine: 3 })
  })

  it('skips the partial first line when its range starts mid-line', async () => {
    const path = await fileWith(content)
    const part = await sumRange(path, 1, 6)
    expect(part).toMatchObject({ sum: '-3', lines: 1, firstLineAt: 3, endOfLastLine: 6 })
  })

  it('owns the line that starts exactly at the start of its range', async () => {
    const path = await fileWith(content)
    const part = await sumRange(path, 3, 4)
    expect(part).toMatchObject({ sum: '-3', lines: 1, firstLineAt: 3 })
  })

  it('owns no line when its range lies inside one line', async () => {
    const path = await fileWith('123456\n')
    const part = await sumRange(path, 2, 5)
    expect(part).toMatchObject({ sum: '0', lines: 0, firstLineAt: null, endOfLastLine: null })
  })

  it('counts blank and malformed lines as invalid', async () => {
    const path = await fileWith(content)
    expect(await sumRange(path, 0, content.length)).toMatchObject({ sum: '212', lines: 6, invalid: 2 })
  })

  it('finds nothing in an empty file', async () => {
    const path = await fileWith('')
    expect(await sumRange(path, 0, 0)).toMatchObject({ sum: '0', lines: 0, invalid: 0 })
    expect(await sumRange(path, 0, 100)).toMatchObject({ sum: '0', lines: 0, invalid: 0 })
  })

  it('counts a last line that has no trailing newline', async () => {
    const path = await fileWith('1\n2\n30')
    expect(await sumRange(path, 0, 6)).toMatchObject({ sum: '33', lines: 3, endOfLastLine: 6 })
    expect(await sumRange(path, 5, 6)).toMatchObject({ sum: '0', lines: 0 })
    expect(await sumRange(path, 4, 6)).toMatchObject({ sum: '30', lines: 1, firstLineAt: 4 })
  })

  it('counts every line exactly once wherever two cut points fall', async () => {
    for (const text of [content, '1\n2\n30', '\n\n7\n', '5', '-1\r\n2\r\n', '12\n\n\n34\n5']) {
      const path = await fileWith(text)
      const whole = await sumRange(path, 0, text.length)
      for (let a = 0; a <= text.length; a++) {
        for (let b = a; b <= text.length; b++) {
          const split = await sumInParts(path, [a, b], text.length)
          expect({ text, a, b, sum: split.sum, lines: split.lines, invalid: split.invalid }).toEqual({
            text,
            a,
            b,
            sum: BigInt(whole.sum),
            lines: whole.lines,
            invalid: whole.invalid
          })
          expect(tilingGaps(split.parts, text.length)).toEqual([])
        }
      }
    }
  })

  it('carries lines longer than one read across reads, skipping one that began in the previous range', async () => {
    const long = 'x'.repeat(200_000)
    const text = `1\n${long}\n2\n${'9'.repeat(70_000)}\n3`
    const path = await fileWith(text)
    const whole = await sumRange(path, 0, text.length)
    expect(whole.lines).toBe(5)
    expect(whole.invalid).toBe(1)
    expect(whole.sum).toBe((1n + 2n + 3n + BigInt('9'.repeat(70_000))).toString())
    const split = await sumInParts(path, [10, 150_000, 200_010], text.length)
    expect(split.sum.toString()).toBe(whole.sum)
    expect(split.lines).toBe(5)
  })
})

describe('byteRanges', () => {
  it('cuts [0, size) into contiguous ranges, some empty when there are more parts than bytes', () => {
    expect(byteRanges(10, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 10]
    ])
    expect(byteRanges(2, 4)).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 2]
    ])
  })
})

describe('tilingGaps', () => {
  it('reports two ranges that claim the same line', () => {
    const part = (firstLineAt: number, endOfLastLine: number): RangeSum => ({
      start: 0,
      end: 0,
      sum: '0',
      lines: 1,
      invalid: 0,
      firstLineAt,
      endOfLastLine
    })
    expect(tilingGaps([part(0, 4), part(2, 8)], 8)).toHaveLength(1)
    expect(tilingGaps([part(0, 4), part(4, 8)], 8)).toEqual([])
  })
})

describe('generateNumberFile', () => {
  it('writes the same file for the same seed', async () => {
    const options = { lines: 500, invalidRatio: 0.2, seed: 7, hasTrailingNewline: true }
    const first = await generateNumberFile(dir, options)
    const firstBytes = await readFile(first.path)
    const second = await generateNumberFile(dir, options)
    expect(await readFile(second.path)).toEqual(firstBytes)
    expect(second).toEqual(first)
  })

  it('holds exactly the promised number of lines with or without a trailing newline', async () => {
    for (const hasTrailingNewline of [true, false]) {
      for (const seed of [1, 2, 3, 4, 5]) {
        const made = await generateNumberFile(dir, { lines: 40, invalidRatio: 0.9, seed, hasTrailingNewline })
        const part = await sumRange(made.path, 0, made.bytes)
        expect({ lines: part.lines, invalid: part.invalid, sum: part.sum }).toEqual({ lines: 40, invalid: made.invalid, sum: made.sum })
      }
    }
  })
})

describe('sum-file', () => {
  it("matches the generator's total and invalid count", async () => {
    const run = await runTask({
      ...parseTaskInput('sum-file', { lines: 5_000, invalidRatio: 0.1, seed: 3, parts: 3 }),
      workers: 2,
      backend: 'process',
      workerScript
    })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    const result = run.result as { total: string; invalid: number; file: { sum: string; invalid: number } }
    expect(result.total).toBe(result.file.sum)
    expect(result.invalid).toBe(result.file.invalid)
    expect(result.invalid).toBeGreaterThan(0)
  })

  it('passes with no trailing newline and more ranges than lines', async () => {
    const run = await runTask({
      ...parseTaskInput('sum-file', { lines: 3, invalidRatio: 0.5, seed: 9, parts: 40, trailingNewline: false }),
      workers: 2,
      backend: 'process',
      workerScript
    })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
  })

  it('passes on an empty file', async () => {
    const run = await runTask({ ...parseTaskInput('sum-file', { lines: 0, parts: 2 }), workers: 1, backend: 'thread', workerScript })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect((run.result as { total: string }).total).toBe('0')
  })

  it('rejects an invalid ratio above 1, naming the parameter', () => {
    expect(() => parseTaskInput('sum-file', { invalidRatio: 1.5 })).toThrow(/invalidRatio/)
  })
})
