/**
 * Newline-delimited text from a byte stream read in pieces of any size, as a worker process reads
 * the pool's requests from their pipe (`requestsPipe` in `protocol.ts`). Each line is decoded as
 * UTF-8 once it is whole: a newline byte is never part of a multi-byte character, so a character
 * cut in two by a read is never decoded in halves. A line that lies inside one piece is decoded
 * straight from it; only the unfinished end of a piece is copied.
 */
const NEWLINE = 0x0a

export class LineReader {
  /** The start of a line whose newline has not come yet, as copies of the pieces it came in. */
  #partial: Buffer[] = []

  constructor(private readonly onLine: (line: string) => void) {}

  /** Reads the first `length` bytes of `bytes`, which the caller may overwrite once this returns. */
  push(bytes: Uint8Array, length: number): void {
    const piece = Buffer.from(bytes.buffer, bytes.byteOffset, length)
    let start = 0
    for (let end = piece.indexOf(NEWLINE); end !== -1; end = piece.indexOf(NEWLINE, start)) {
      let line: string
      if (this.#partial.length === 0) line = piece.toString('utf8', start, end)
      else {
        this.#partial.push(piece.subarray(start, end))
        line = Buffer.concat(this.#partial).toString('utf8')
        this.#partial = []
      }
      start = end + 1
      this.onLine(line)
    }
    if (start < length) this.#partial.push(Buffer.from(piece.subarray(start)))
  }
}
