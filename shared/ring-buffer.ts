/**
 * A fixed-capacity FIFO: pushing past capacity overwrites the oldest item. Every history kept in
 * main (samples, per-process points, log lines) and every live series in the renderer (samples,
 * spans, log lines) sits in one of these, so memory stays bounded however long the app runs.
 * Shared by both sides, so it uses no Node or DOM API.
 */
export class RingBuffer<T> implements Iterable<T> {
  readonly capacity: number
  private readonly items: (T | undefined)[]
  private head = 0
  private size = 0

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
    this.capacity = capacity
    this.items = new Array<T | undefined>(capacity)
  }

  get length(): number {
    return this.size
  }

  /** Appends an item; returns the item it evicted, if the buffer was full. */
  push(item: T): T | undefined {
    const tail = (this.head + this.size) % this.capacity
    if (this.size < this.capacity) {
      this.items[tail] = item
      this.size++
      return undefined
    }
    const evicted = this.items[this.head]
    this.items[this.head] = item
    this.head = (this.head + 1) % this.capacity
    return evicted
  }

  /** The item at `index` counted from the oldest (0) or, when negative, from the newest (-1). */
  at(index: number): T | undefined {
    const i = index < 0 ? this.size + index : index
    if (i < 0 || i >= this.size) return undefined
    return this.items[(this.head + i) % this.capacity]
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.at(-1)
  }

  /** Drops the `count` oldest items. */
  dropOldest(count: number): void {
    const n = Math.min(Math.max(0, Math.floor(count)), this.size)
    for (let i = 0; i < n; i++) this.items[(this.head + i) % this.capacity] = undefined
    this.head = (this.head + n) % this.capacity
    this.size -= n
  }

  clear(): void {
    this.items.fill(undefined)
    this.head = 0
    this.size = 0
  }

  /**
   * Index of the first item for which `isAtOrAfter` holds, assuming the buffer is ordered so that
   * once it holds it keeps holding (items sorted by time). Returns `length` when none does.
   */
  lowerBound(isAtOrAfter: (item: T) => boolean): number {
    let lo = 0
    let hi = this.size
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (isAtOrAfter(this.at(mid) as T)) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  /** The newest items that satisfy `keep`, oldest first, scanning back until one does not. */
  takeLastWhile(keep: (item: T) => boolean): T[] {
    let from = this.size
    while (from > 0 && keep(this.at(from - 1) as T)) from -= 1
    const out: T[] = new Array(this.size - from)
    for (let i = from; i < this.size; i++) out[i - from] = this.at(i) as T
    return out
  }

  /** All items, oldest first. */
  toArray(): T[] {
    const out: T[] = new Array(this.size)
    for (let i = 0; i < this.size; i++) out[i] = this.items[(this.head + i) % this.capacity] as T
    return out
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.size; i++) yield this.items[(this.head + i) % this.capacity] as T
  }
}
