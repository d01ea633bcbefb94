/**
 * The bytes a worker process writes on its numbers pipe (see `SentOutcome` in `protocol.ts`), as
 * the parent reads them: in pieces of any size, which `take` hands back as whole runs of doubles in
 * the order they were written. A run that lies inside one piece at an offset a `Float64Array` can
 * start at is a view on it, not a copy.
 */
const DOUBLE = Float64Array.BYTES_PER_ELEMENT

export class ByteQueue {
  #pieces: Uint8Array[] = []
  /** Where the unread part of the first piece starts. */
  #offset = 0
  #size = 0

  /** Bytes received and not yet taken. */
  get size(): number {
    return this.#size
  }

  push(piece: Uint8Array): void {
    if (piece.byteLength === 0) return
    this.#pieces.push(piece)
    this.#size += piece.byteLength
  }

  /** The next `count` doubles, or `undefined` (nothing taken) while fewer bytes have come. */
  take(count: number): Float64Array | undefined {
    const length = count * DOUBLE
    if (length > this.#size) return undefined
    this.#size -= length
    const first = this.#pieces[0]
    if (first !== undefined && first.byteLength - this.#offset >= length) {
      const start = first.byteOffset + this.#offset
      const run =
        start % DOUBLE === 0
          ? new Float64Array(first.buffer, start, count)
          : new Float64Array(first.buffer.slice(start, start + length))
      this.#advance(first, length)
      return run
    }
    // Spread over pieces: copied into one buffer of its own.
    const run = new Float64Array(count)
    const bytes = new Uint8Array(run.buffer)
    let filled = 0
    while (filled < length) {
      const piece = this.#pieces[0]!
      const n = Math.min(piece.byteLength - this.#offset, length - filled)
      bytes.set(piece.subarray(this.#offset, this.#offset + n), filled)
      filled += n
      this.#advance(piece, n)
    }
    return run
  }

  #advance(piece: Uint8Array, n: number): void {
    this.#offset += n
    if (this.#offset === piece.byteLength) {
      this.#pieces.shift()
      this.#offset = 0
    }
  }
}
