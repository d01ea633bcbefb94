/**
 * Newline-delimited text from a byte stream read in pieces of any size, as a worker process reads
 * the pool's requests from their pipe (`requestsPipe` in `protocol.ts`). Each line is decoded as
 * UTF-8 once it is whole: a newline byte is never part of a multi-byte character, so a character
 * cut in two by a read is never decoded in halves. A line that lies inside one piece is decoded
 * straight from it; only the unfinished end of a piece is copied.
 *
 * A line may be followed by bytes that are not text (the integers of `packInts`): `onLine` returns
 * how many, and they are handed to `onBytes` in a buffer of their own once they have all come.
 *
 * The pool reads its side, the answers pipe, with `ByteQueue`, which keeps views on the pieces it
 * is given. Here every read lands in one buffer that the next read overwrites, so what is kept is
 * copied, and only that.
 */
const NEWLINE = 0x0a

export class LineReader {
  /** The start of a line whose newline has not come yet, as copies of the pieces it came in. */
  #partial: Buffer[] = []
  /** The bytes after the last line, while they are coming, and how many of them have come. */
  #bytes: Buffer | undefined
  #filled = 0

  constructor(
    private readonly onLine: (line: string) => number | void,
    private readonly onBytes: (bytes: Buffer) => void = () => {}
  ) {}

  /** Reads the first `length` bytes of `bytes`, which the caller may overwrite once this returns. */
  push(bytes: Uint8Array, length: number): void {
    const piece = Buffer.from(bytes.buffer, bytes.byteOffset, length)
    let start = 0
    while (start < length) {
      const after = this.#bytes
      if (after !== undefined) {
        const n = Math.min(after.length - this.#filled, length - start)
        piece.copy(after, this.#filled, start, start + n)
        this.#filled += n
        start += n
        if (this.#filled === after.length) {
          this.#bytes = undefined
          this.onBytes(after)
        }
        continue
      }
      const end = piece.indexOf(NEWLINE, start)
      if (end === -1) {
        this.#partial.push(Buffer.from(piece.subarray(start)))
        return
      }
      let line: string
      if (this.#partial.length === 0) line = piece.toString('utf8', start, end)
      else {
        this.#partial.push(piece.subarray(start, end))
        line = Buffer.concat(this.#partial).toString('utf8')
        this.#partial = []
      }
      start = end + 1
      const following = this.onLine(line)
      if (following) {
        // Its own memory, not a slice of Node's shared pool: the caller keeps views on it.
        this.#bytes = Buffer.allocUnsafeSlow(following)
        this.#filled = 0
      }
    }
  }
}
