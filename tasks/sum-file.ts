/**
 * sum-file — sums a generated file of integers, one a line, some lines invalid. The parent only
 * cuts the file into byte ranges; each worker opens the file itself and reads its own range, so no
 * line travels through the parent.
 *
 * Which worker owns a line: the one whose range holds the line's first byte. A worker whose range
 * starts mid-line skips to the next line start (the previous range finishes that line), and a
 * worker reads past its range's end to finish its last line. Every line is then counted exactly
 * once whatever the cut points.
 */
import { availableParallelism } from 'node:os'
import { open, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { defineTask } from './task-definition'
import { flag, integer, number } from './params'
import { uniformAt } from './seeded-random'

const NEWLINE = 0x0a
/** Bytes per read; lines are short, so a read holds many of them. */
const READ_BYTES = 64 * 1024
/** Values the generator writes are in −MAX_VALUE … MAX_VALUE. */
const MAX_VALUE = 1_000_000
/** Lines the generator builds in memory before writing them out. */
const WRITE_BATCH_LINES = 10_000
/**
 * A running sum of doubles stays exact while it is below 2^53. Each value added is below 10^15
 * (at most 15 digits) and the sum is moved into a BigInt once it reaches 10^15, so it never
 * exceeds 2·10^15.
 */
const FLUSH_AT = 1e15
const MAX_DOUBLE_DIGITS = 15

/** Invalid lines the generator writes, in turn: things `parseInt` would half-accept included. */
const INVALID_SAMPLES = ['', 'n/a', 'twelve', '3.5', '12abc', '--7', '0x1f', '+', '1e3', '4 2'] as const

/** What one worker found in its byte range. */
export interface RangeSum {
  start: number
  end: number
  /** Decimal string: exact whatever its size. */
  sum: string
  lines: number
  invalid: number
  /** Offset of the first line this range owns, and the offset just past its last line; null if it owns none. */
  firstLineAt: number | null
  endOfLastLine: number | null
}

/**
 * Parses one line as a base-10 integer: optional surrounding blanks (space, tab, CR), an optional
 * sign and at least one digit, nothing else. Returns undefined for an invalid line.
 */
export function parseIntegerLine(bytes: Uint8Array, from: number, to: number): number | bigint | undefined {
  while (from < to && isBlank(bytes[from])) from++
  while (to > from && isBlank(bytes[to - 1])) to--
  let negative = false
  if (from < to && (bytes[from] === 0x2d || bytes[from] === 0x2b)) {
    negative = bytes[from] === 0x2d
    from++
  }
  if (from === to) return undefined
  let value = 0
  for (let i = from; i < to; i++) {
    const digit = bytes[i] - 0x30
    if (digit < 0 || digit > 9) return undefined
    value = value * 10 + digit
  }
  if (to - from > MAX_DOUBLE_DIGITS) {
    const big = BigInt(Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1'))
    return negative ? -big : big
  }
  return negative ? -value : value
}

function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d
}

/** Accumulates line values exactly: doubles while that is exact, a BigInt beyond. */
class ExactSum {
  #small = 0
  #big = 0n

  add(value: number | bigint): void {
    if (typeof value === 'bigint') {
      this.#big += value
      return
    }
    this.#small += value
    if (Math.abs(this.#small) >= FLUSH_AT) {
      this.#big += BigInt(this.#small)
      this.#small = 0
    }
  }

  toString(): string {
    return (this.#big + BigInt(this.#small)).toString()
  }
}

/**
 * Worker side: sums the lines of `path` whose first byte lies in `[start, end)` and counts the
 * invalid ones. Reads one byte before `start` to learn whether `start` is a line start, and past
 * `end` only as far as its last line goes.
 */
export async function sumRange(path: string, start: number, end: number): Promise<RangeSum> {
  const found: RangeSum = { start, end, sum: '0', lines: 0, invalid: 0, firstLineAt: null, endOfLastLine: null }
  if (start >= end) return found
  const sum = new ExactSum()
  const file = await open(path, 'r')
  try {
    // Before the first newline at or after start−1 lies the tail of a line another range owns.
    let isSkipping = start > 0
    let position = start > 0 ? start - 1 : 0
    /** Bytes of an unfinished line carried from the previous read, and the offset of its first byte. */
    let carry: Uint8Array = new Uint8Array(0)
    let carryAt = position
    const readBuffer = Buffer.allocUnsafe(READ_BYTES)

    const takeLine = (bytes: Uint8Array, from: number, to: number, lineStartAt: number, lineEnd: number) => {
      found.firstLineAt ??= lineStartAt
      found.endOfLastLine = lineEnd
      found.lines++
      const value = parseIntegerLine(bytes, from, to)
      if (value === undefined) found.invalid++
      else sum.add(value)
    }

    for (;;) {
      const { bytesRead } = await file.read(readBuffer, 0, READ_BYTES, position)
      if (bytesRead === 0) {
        // End of file: a last line without a trailing newline is still a line.
        if (!isSkipping && carry.length > 0 && carryAt < end) takeLine(carry, 0, carry.length, carryAt, carryAt + carry.length)
        break
      }
      const chunk = readBuffer.subarray(0, bytesRead)
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk
      const dataAt = carryAt
      position += bytesRead
      let lineStart = 0
      let isDone = false
      for (;;) {
        if (!isSkipping && dataAt + lineStart >= end) {
          isDone = true
          break
        }
        const newline = data.indexOf(NEWLINE, lineStart)
        if (newline < 0) break
        if (isSkipping) isSkipping = false
        else takeLine(data, lineStart, newline, dataAt + lineStart, dataAt + newline + 1)
        lineStart = newline + 1
      }
      if (isDone) break
      if (isSkipping) {
        // Still inside another range's line: nothing here is ours, keep nothing.
        carry = new Uint8Array(0)
        carryAt = position
      } else {
        // Copied: `readBuffer` is reused by the next read.
        carry = Uint8Array.prototype.slice.call(data, lineStart)
        carryAt = dataAt + lineStart
      }
    }
  } finally {
    await file.close()
  }
  found.sum = sum.toString()
  return found
}

/** Splits `[0, size)` into `parts` byte ranges of near-equal length (some empty when size < parts). */
export function byteRanges(size: number, parts: number): [start: number, end: number][] {
  return Array.from({ length: parts }, (_, i) => [Math.floor((size * i) / parts), Math.floor((size * (i + 1)) / parts)])
}

/** What the generator wrote, to check the workers against. */
export interface GeneratedFile {
  path: string
  bytes: number
  lines: number
  invalid: number
  sum: string
}

/** What the generator writes: how many lines, how many of them invalid, from which seed. */
export interface GenerateOptions {
  lines: number
  invalidRatio: number
  seed: number
  hasTrailingNewline: boolean
}

/**
 * The `index`-th line of the data set: a pure function of the seed, so the file is the same on
 * every run. Two random numbers per line: one decides validity, one the value.
 */
export function lineAt(seed: number, index: number, invalidRatio: number): { text: string; value: number | undefined } {
  const isInvalid = uniformAt(seed, 2 * index) < invalidRatio
  const u = uniformAt(seed, 2 * index + 1)
  if (isInvalid) return { text: INVALID_SAMPLES[Math.floor(u * INVALID_SAMPLES.length)], value: undefined }
  const value = Math.floor(u * (2 * MAX_VALUE + 1)) - MAX_VALUE
  return { text: String(value), value }
}

/** Parent side: writes the data set to `<dir>/numbers.txt` and returns what it holds. */
export async function generateNumberFile(dir: string, options: GenerateOptions): Promise<GeneratedFile> {
  const path = join(dir, 'numbers.txt')
  const file = await open(path, 'w')
  // At most 5·10^6 lines of |value| ≤ 10^6: the double sum stays far below 2^53.
  let total = 0
  let invalid = 0
  let bytes = 0
  try {
    for (let from = 0; from < options.lines; from += WRITE_BATCH_LINES) {
      const to = Math.min(options.lines, from + WRITE_BATCH_LINES)
      const texts: string[] = []
      for (let i = from; i < to; i++) {
        const line = lineAt(options.seed, i, options.invalidRatio)
        // An empty last line with no newline after it leaves no trace in the file: write a visible
        // invalid line there instead, so the file holds exactly `lines` lines.
        const isInvisible = line.text === '' && i === options.lines - 1 && !options.hasTrailingNewline
        texts.push(isInvisible ? INVALID_SAMPLES[1] : line.text)
        if (line.value === undefined) invalid++
        else total += line.value
      }
      const isLastBatch = to === options.lines
      const block = texts.join('\n') + (isLastBatch && !options.hasTrailingNewline ? '' : '\n')
      const { bytesWritten } = await file.write(block)
      bytes += bytesWritten
    }
  } finally {
    await file.close()
  }
  return { path, bytes, lines: options.lines, invalid, sum: String(total) }
}

export default defineTask({
  id: 'sum-file',
  title: 'Sum a file by byte ranges',
  description:
    'Generates a file of integers, one a line, with some invalid lines mixed in (empty, words, decimals…), then cuts ' +
    'it into byte ranges, one task each. Every worker opens the file itself, aligns its range to whole lines (a line ' +
    'belongs to the range holding its first byte), sums the valid lines and counts the invalid ones, so nothing but ' +
    'offsets and totals crosses between processes. The total and the invalid count must match the generator’s.',
  pattern: 'Pool.starmap over byte ranges of one file (data-parallel I/O, no shipping of data)',
  params: (z) =>
    z
      .object({
        lines: integer({ min: 0, max: 5_000_000, default: 200_000, description: 'Lines in the generated file' }),
        invalidRatio: number({ min: 0, max: 1, default: 0.05, description: 'Share of invalid lines (0 … 1)' }),
        seed: integer({ min: 0, max: 4_294_967_295, default: 42, description: 'Seed of the generator: same seed, same file' }),
        parts: integer({ min: 1, max: 1024, default: () => availableParallelism(), description: 'Byte ranges (tasks) the file is cut into (default: one per core)' }),
        trailingNewline: flag({ default: true, description: 'End the file with a newline' })
      })
      .strict(),
  async run(ctx) {
    const { lines, invalidRatio, seed, parts, trailingNewline } = ctx.params
    const dir = await ctx.tempDir()
    const generated = await generateNumberFile(dir, { lines, invalidRatio, seed, hasTrailingNewline: trailingNewline })
    const { size } = await stat(generated.path)
    ctx.log(`generated ${generated.lines} lines (${generated.invalid} invalid), ${size} bytes`)

    const pool = await ctx.createPool()
    const ranges = byteRanges(size, parts)
    const found = await pool.starmap<RangeSum>(
      'sum-file:sumRange',
      ranges.map(([start, end]) => [generated.path, start, end]),
      { chunksize: ctx.chunksize ?? 1, signal: ctx.signal }
    )

    const total = found.reduce((acc, part) => acc + BigInt(part.sum), 0n).toString()
    const invalid = found.reduce((acc, part) => acc + part.invalid, 0)
    const counted = found.reduce((acc, part) => acc + part.lines, 0)
    const gaps = tilingGaps(found, size)
    const failures: string[] = []
    if (total !== generated.sum) failures.push(`total ${total} differs from the generator's ${generated.sum}`)
    if (invalid !== generated.invalid) failures.push(`${invalid} invalid lines counted, the generator wrote ${generated.invalid}`)
    if (counted !== generated.lines) failures.push(`${counted} lines counted, the generator wrote ${generated.lines}`)
    if (gaps.length > 0) failures.push(`the aligned ranges do not tile the file: ${gaps.join('; ')}`)

    return {
      result: {
        file: { bytes: size, lines: generated.lines, invalid: generated.invalid, sum: generated.sum },
        total,
        invalid,
        lines: counted,
        parts: found
      },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `${parts} byte ranges summed to ${total} with ${invalid} invalid lines of ${counted}, as generated`
            : failures.join('; ')
      }
    }
  }
})

/**
 * Checks that the lines the ranges claimed, in order, cover the file from byte 0 to its end with
 * no gap and no overlap; returns what is wrong, if anything.
 */
export function tilingGaps(parts: readonly RangeSum[], size: number): string[] {
  const gaps: string[] = []
  let expectedAt = 0
  for (const part of parts) {
    if (part.firstLineAt === null || part.endOfLastLine === null) continue
    if (part.firstLineAt !== expectedAt) gaps.push(`a range starts its lines at byte ${part.firstLineAt}, expected ${expectedAt}`)
    expectedAt = part.endOfLastLine
  }
  if (expectedAt !== size) gaps.push(`the last line claimed ends at byte ${expectedAt}, the file has ${size}`)
  return gaps
}
