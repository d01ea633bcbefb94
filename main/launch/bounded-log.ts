import { RingBuffer } from '../../shared/ring-buffer'

/**
 * The last `maxLines` lines of one output stream, with a count of the lines that fell out.
 *
 * Text arrives in chunks that split lines anywhere; a trailing partial line is held until its
 * newline arrives (or `end()`). A "line" longer than `maxLineChars` is cut, so a program writing
 * megabytes without a newline cannot grow memory without bound either.
 */
export class BoundedLog {
  private readonly kept: RingBuffer<string>
  private partial = ''
  private dropped = 0
  private total = 0

  constructor(
    readonly maxLines: number,
    readonly maxLineChars = 16_384
  ) {
    this.kept = new RingBuffer(maxLines)
  }

  /** Lines that fell out of the log so far. */
  get droppedLines(): number {
    return this.dropped
  }

  /** Lines written so far, kept or not. */
  get totalLines(): number {
    return this.total
  }

  /** Adds a chunk of text; returns the lines it completed, oldest first. */
  write(text: string): string[] {
    const pieces = (this.partial + text).split('\n')
    this.partial = pieces.pop() as string
    const completed: string[] = []
    for (const piece of pieces) this.cut(stripCr(piece), completed)
    while (this.partial.length > this.maxLineChars) {
      completed.push(this.partial.slice(0, this.maxLineChars))
      this.partial = this.partial.slice(this.maxLineChars)
    }
    for (const line of completed) this.keep(line)
    return completed
  }

  /** The stream ended: keeps a last line that had no newline; returns it, if any. */
  end(): string[] {
    if (this.partial.length === 0) return []
    const last = stripCr(this.partial)
    this.partial = ''
    this.keep(last)
    return [last]
  }

  /** The kept lines, oldest first. */
  lines(): string[] {
    return this.kept.toArray()
  }

  private keep(line: string): void {
    this.total += 1
    if (this.kept.length === this.kept.capacity) this.dropped += 1
    this.kept.push(line)
  }

  private cut(line: string, into: string[]): void {
    for (let at = 0; at < line.length; at += this.maxLineChars) into.push(line.slice(at, at + this.maxLineChars))
    if (line.length === 0) into.push('')
  }
}

/** Programs writing CRLF (Windows, some TTY-minded tools) should not leave '\r' in the view. */
function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}
