/**
 * A fixed-capacity FIFO: pushing onto a full buffer overwrites the oldest item. Used for sample
 * histories, so memory stays bounded however long the app runs.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[]
  /** Index of the oldest item. */
  private head = 0
  private count = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
    this.items = new Array<T | undefined>(capacity)
  }

  get size(): number {
    return this.count
  }

  /** Adds `item` as the newest; returns the item it pushed out, if the buffer was full. */
  push(item: T): T | undefined {
    const tail = (this.head + this.count) % this.capacity
    const evicted = this.count === this.capacity ? this.items[tail] : undefined
    this.items[tail] = item
    if (this.count === this.capacity) this.head = (this.head + 1) % this.capacity
    else this.count += 1
    return evicted
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.head + this.count - 1) % this.capacity]
  }

  /** All items, oldest first. */
  toArray(): T[] {
    const out: T[] = []
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.head + i) % this.capacity] as T)
    return out
  }

  /** The newest items that satisfy `keep`, oldest first, scanning back until one does not. */
  takeLastWhile(keep: (item: T) => boolean): T[] {
    let from = this.count
    while (from > 0 && keep(this.items[(this.head + from - 1) % this.capacity] as T)) from -= 1
    const out: T[] = []
    for (let i = from; i < this.count; i++) out.push(this.items[(this.head + i) % this.capacity] as T)
    return out
  }

  clear(): void {
    this.items.fill(undefined)
    this.head = 0
    this.count = 0
  }
}
