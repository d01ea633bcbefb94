/**
 * The queue as task code sees it: `Queue.connect(handle)` in a worker gives a `QueueProxy`, and
 * the parent-side `Queue` offers the same methods. Items travel as JSON to process workers and
 * by structured clone to threads, so they are copies: put plain data.
 */
import { UnsupportedOperationError } from '../core/errors'
import type { Transport } from '../core/transport'

/** What a worker needs to reach a queue; pass it to tasks as an argument. */
export interface QueueHandle {
  kind: 'queue'
  service: string
  isJoinable: boolean
  /** 0 when unbounded. */
  maxsize: number
}

/** An item as the owner hands it over: `deliveryId` 0 needs no confirmation (the parent's own gets). */
export interface Delivery<T> {
  deliveryId: number
  item: T
}

/** Python's `multiprocessing.Queue`, promise-shaped. */
export interface QueueLike<T> {
  /** Adds an item; on a full bounded queue waits for room, or rejects with `QueueFullError` after `timeoutMs`. */
  put(item: T, timeoutMs?: number): Promise<void>
  /** Takes the oldest item; waits for one, or rejects with `QueueEmptyError` after `timeoutMs` (0: do not wait). */
  get(timeoutMs?: number): Promise<T>
  /** Items waiting now; stale as soon as it returns, as Python's `qsize()`. */
  size(): Promise<number>
}

/** Python's `JoinableQueue`: consumers mark each item done, `join()` waits until all are. */
export interface JoinableQueueLike<T> extends QueueLike<T> {
  /** Marks one received item as processed; more calls than items reject with `TaskDoneError`. */
  taskDone(): Promise<void>
  /** Resolves once every item ever put has been marked done. */
  join(): Promise<void>
}

/** A queue's methods over a transport: a worker's `Queue.connect()`, or the parent's own queue. */
export class QueueProxy<T = unknown> implements QueueLike<T> {
  readonly handle: QueueHandle
  protected readonly transport: Transport

  constructor(handle: QueueHandle, transport: Transport) {
    this.handle = handle
    this.transport = transport
  }

  async put(item: T, timeoutMs?: number): Promise<void> {
    await this.transport('put', [item, timeoutMs ?? null])
  }

  async get(timeoutMs?: number): Promise<T> {
    const delivery = (await this.transport('get', [timeoutMs ?? null])) as Delivery<T>
    // Confirm receipt before the caller sees the item: once the owner has the confirmation the
    // item is this worker's (as in Python, a taken item is gone with its taker); until then, the
    // owner gives it back if the worker dies. Awaited rather than fire-and-forget, so no reply is
    // still on its way when the task returns and the worker is told to exit.
    if (delivery.deliveryId > 0) await this.transport('ack', [delivery.deliveryId])
    return delivery.item
  }

  async size(): Promise<number> {
    return (await this.transport('size', [])) as number
  }
}

/** A joinable queue's methods over a transport. */
export class JoinableQueueProxy<T = unknown> extends QueueProxy<T> implements JoinableQueueLike<T> {
  constructor(handle: QueueHandle, transport: Transport) {
    if (!handle.isJoinable) throw new UnsupportedOperationError('this queue is not joinable: create a JoinableQueue to use taskDone() and join()')
    super(handle, transport)
  }

  async taskDone(): Promise<void> {
    await this.transport('taskDone', [])
  }

  async join(): Promise<void> {
    await this.transport('join', [])
  }
}
