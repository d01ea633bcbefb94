import type { PipeRuns } from './protocol'

/**
 * The bytes a worker process writes on its answers pipe (see `SentFromWorker` in `protocol.ts`), as
 * the parent reads them: in pieces of any size. `takeLine` hands back the next message, a line of
 * JSON, and `doubles` and `ints` the runs of numbers a message announced after it, in the order they
 * were written. A run that lies inside one piece at an offset its typed array can start at is a
 * view on it, not a copy, and so is a line that lies inside one piece until it is decoded.
 */
const NEWLINE = 0x0a

/** `Float64Array` or `Int32Array`: a run of either is taken the same way. */
interface RunType<A> {
  new (length: number): A
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A
  new (buffer: ArrayBufferLike): A
  readonly BYTES_PER_ELEMENT: number
}

export class ByteQueue implements PipeRuns {
  #pieces: Uint8Array[] = []
  /** Where the unread part of the first piece starts. */
  #offset = 0
  #size = 0
  /** Pieces from the first on that hold no newline after the unread start (`takeLine`). */
  #searched = 0

  /** Bytes received and not yet taken. */
  get size(): number {
    return this.#size
  }

  push(piece: Uint8Array): void {
    if (piece.byteLength === 0) return
    this.#pieces.push(piece)
    this.#size += piece.byteLength
  }

  /**
   * The next line, decoded as UTF-8 without its newline, or `undefined` (nothing taken) while its
   * newline has not come. Pieces already searched in vain are not searched again.
   */
  takeLine(): string | undefined {
    const pieces = this.#pieces
    for (let p = this.#searched; p < pieces.length; p++) {
      const piece = pieces[p]!
      const from = p === 0 ? this.#offset : 0
      const end = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).indexOf(NEWLINE, from)
      if (end === -1) continue
      this.#searched = 0
      if (p === 0) {
        const line = Buffer.from(piece.buffer, piece.byteOffset + from, end - from).toString('utf8')
        this.#size -= end - from + 1
        this.#advance(piece, end - from + 1)
        return line
      }
      const parts = [pieces[0]!.subarray(this.#offset)]
      for (let q = 1; q < p; q++) parts.push(pieces[q]!)
      parts.push(piece.subarray(0, end))
      const line = Buffer.concat(parts).toString('utf8')
      this.#size -= parts.reduce((n, part) => n + part.byteLength, 0) + 1
      pieces.splice(0, p)
      this.#offset = 0
      this.#advance(piece, end + 1)
      return line
    }
    this.#searched = pieces.length
    return undefined
  }

  /** The next `count` doubles, or `undefined` (nothing taken) while fewer bytes have come. */
  doubles(count: number): Float64Array | undefined {
    return this.#run(count, Float64Array)
  }

  /** The next `count` 32-bit integers, or `undefined` (nothing taken) while fewer bytes have come. */
  ints(count: number): Int32Array | undefined {
    return this.#run(count, Int32Array)
  }

  #run<A extends Float64Array | Int32Array>(count: number, Type: RunType<A>): A | undefined {
    const length = count * Type.BYTES_PER_ELEMENT
    if (length > this.#size) return undefined
    this.#size -= length
    this.#searched = 0
    const first = this.#pieces[0]
    if (first !== undefined && first.byteLength - this.#offset >= length) {
      const start = first.byteOffset + this.#offset
      const run = start % Type.BYTES_PER_ELEMENT === 0 ? new Type(first.buffer, start, count) : new Type(first.buffer.slice(start, start + length))
      this.#advance(first, length)
      return run
    }
    // Spread over pieces: copied into one buffer of its own.
    const run = new Type(count)
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
