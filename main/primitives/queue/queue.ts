/**
 * A multi-producer, multi-consumer FIFO queue shared by the parent and any number of worker
 * processes or threads: Python's `multiprocessing.Queue`. The items live here, in the parent;
 * workers reach them through `Queue.connect(handle)`.
 *
 * Every item is received exactly once. An item goes to a blocked consumer only when that
 * consumer's `get` is answered, and the answer is remembered until the worker confirms it (see
 * `UnconfirmedDeliveries`). When a worker ends, its blocked `get`s and `put`s are dropped (a put
 * that never returned never happened, as in Python) and whatever it was handed but never received
 * goes back to the front of the queue for the next consumer.
 *
 * Bounded (`maxsize` > 0): `put` waits while the queue is full, first come first served.
 *
 * `JoinableQueue` is Python's: a `Queue` whose consumers call `taskDone()` once per item they have
 * processed, so a producer can `join()` until every item put has been dealt with, not merely
 * taken. An item given back from a dead consumer was never received, so it stays unfinished and
 * is done by whoever receives it next.
 */
import { RingQueue } from '../../pool/unit-queue'
import {
  InvalidArgumentError,
  QueueEmptyError,
  QueueFullError,
  TaskDoneError,
  UnsupportedOperationError,
  integerArg,
  timeoutArg,
  type PrimitiveClosedError
} from '../core/errors'
import { PARENT_CALLER, PrimitiveOwner, type OwnerCaller } from '../core/primitive-owner'
import type { QueueStats } from '../core/primitive-stats'
import { checkHandle, remoteTransport } from '../core/transport'
import { UnconfirmedDeliveries } from '../core/unconfirmed-deliveries'
import { WaiterLine } from '../core/waiter-line'
import { JoinableQueueProxy, QueueProxy, type Delivery, type JoinableQueueLike, type QueueHandle, type QueueLike } from './queue-proxy'

/** Options of a `Queue`. */
export interface QueueOptions {
  /** Most items held at once; 0 (the default) for no bound, as in Python. */
  maxsize?: number
  /** A name for the monitor. */
  label?: string
}

/** Rejects the calls a dead worker was blocked in; nobody is left to read the answer. */
const workerGone = () => new Error('the calling worker ended')

/** Owner of a shared FIFO queue; the parent uses it directly, workers through `Queue.connect(handle)`. */
export class Queue<T = unknown> extends PrimitiveOwner implements QueueLike<T> {
  /** Pass this to tasks; they call `Queue.connect(handle)`. */
  readonly handle: QueueHandle
  readonly maxsize: number
  protected readonly local: JoinableQueueProxy<T> | QueueProxy<T>
  readonly #items = new RingQueue<T>()
  readonly #getters = new WaiterLine<Delivery<T>>()
  readonly #putters = new WaiterLine<void, T>()
  readonly #joiners = new WaiterLine<void>()
  readonly #deliveries = new UnconfirmedDeliveries<T>()
  #puts = 0
  #gets = 0
  #requeued = 0
  #peakDepth = 0
  #unfinished = 0

  constructor(options: QueueOptions = {}) {
    super('queue', options.label)
    const maxsize = options.maxsize ?? 0
    if (!Number.isInteger(maxsize) || maxsize < 0) throw new InvalidArgumentError('maxsize must be an integer ≥ 0 (0: unbounded)')
    this.maxsize = maxsize
    this.handle = { kind: 'queue', service: this.service, isJoinable: this.isJoinable, maxsize }
    const transport = this.localTransport()
    this.local = this.isJoinable ? new JoinableQueueProxy<T>(this.handle, transport) : new QueueProxy<T>(this.handle, transport)
  }

  /** The worker side: a proxy for the queue behind `handle`. */
  static connect<T = unknown>(handle: QueueHandle): QueueProxy<T> {
    const checked = checkHandle<QueueHandle>(handle, ['queue'], 'Queue')
    return new QueueProxy<T>(checked, remoteTransport(checked.service, 'Queue'))
  }

  /** Overridden by `JoinableQueue`; read during construction, so it must not depend on fields. */
  protected get isJoinable(): boolean {
    return false
  }

  put(item: T, timeoutMs?: number): Promise<void> {
    return this.local.put(item, timeoutMs)
  }

  get(timeoutMs?: number): Promise<T> {
    return this.local.get(timeoutMs)
  }

  size(): Promise<number> {
    return this.local.size()
  }

  stats(): QueueStats {
    return {
      kind: 'queue',
      service: this.service,
      label: this.label,
      isClosed: this.isClosed,
      isJoinable: this.isJoinable,
      maxsize: this.maxsize,
      depth: this.#items.size,
      peakDepth: this.#peakDepth,
      puts: this.#puts,
      gets: this.#gets,
      inFlight: this.#deliveries.size,
      requeued: this.#requeued,
      waitingGetters: this.#getters.size,
      waitingPutters: this.#putters.size,
      unfinished: this.#unfinished
    }
  }

  protected serve(method: string, args: unknown[], caller: OwnerCaller): unknown {
    switch (method) {
      case 'put':
        return this.#put(args[0] as T, timeoutArg(args[1]), caller)
      case 'get':
        return this.#get(timeoutArg(args[0]), caller)
      case 'ack':
        this.#deliveries.confirm(integerArg(args[0], 'deliveryId', 1), caller.key)
        return undefined
      case 'size':
        return this.#items.size
      case 'taskDone':
        return this.#taskDone()
      case 'join':
        this.#requireJoinable('join')
        if (this.#unfinished === 0) return undefined
        return this.#joiners.wait(caller.key, undefined, undefined, () => undefined)
      default:
        throw new UnsupportedOperationError(`a queue has no method "${method}"`)
    }
  }

  protected callerExited(key: string): void {
    this.#getters.dropKey(key, workerGone())
    this.#putters.dropKey(key, workerGone())
    this.#joiners.dropKey(key, workerGone())
    const lost = this.#deliveries.takeLost(key)
    // Back to the front, oldest first: these were taken before anything now queued.
    for (let i = lost.length - 1; i >= 0; i--) this.#items.unshift(lost[i])
    this.#requeued += lost.length
    this.#gets -= lost.length
    this.#peakDepth = Math.max(this.#peakDepth, this.#items.size)
    this.#pump()
  }

  protected onClose(error: PrimitiveClosedError): void {
    for (const line of [this.#getters, this.#putters, this.#joiners] as WaiterLine<unknown, unknown>[]) {
      line.drain((waiter) => waiter.reject(error))
    }
    this.#deliveries.clear()
  }

  #put(item: T, timeoutMs: number | undefined, caller: OwnerCaller): void | Promise<void> {
    // Behind producers already waiting, even if a slot just freed: first come, first served.
    if (this.#putters.size === 0 && this.#hasRoom()) {
      this.#accept(item)
      this.#pump()
      return
    }
    if (timeoutMs === 0) throw new QueueFullError(`the queue is full (maxsize ${this.maxsize})`)
    return this.#putters.wait(caller.key, item, timeoutMs, () => {
      throw new QueueFullError(`the queue stayed full (maxsize ${this.maxsize}) for ${timeoutMs} ms`)
    })
  }

  #get(timeoutMs: number | undefined, caller: OwnerCaller): Delivery<T> | Promise<Delivery<T>> {
    // Items only wait while no consumer does (`#pump` keeps it so), so taking one here is fair.
    if (this.#items.size > 0) {
      const delivery = this.#deliver(caller.key, this.#items.shift() as T)
      this.#pump()
      return delivery
    }
    if (timeoutMs === 0) throw new QueueEmptyError()
    return this.#getters.wait(caller.key, undefined, timeoutMs, () => {
      throw new QueueEmptyError(`no item arrived within ${timeoutMs} ms`)
    })
  }

  #taskDone(): void {
    this.#requireJoinable('taskDone')
    if (this.#unfinished === 0) throw new TaskDoneError()
    this.#unfinished--
    if (this.#unfinished === 0) this.#joiners.drain((waiter) => waiter.resolve())
  }

  #requireJoinable(method: string): void {
    if (!this.isJoinable) throw new UnsupportedOperationError(`${method}() needs a JoinableQueue`)
  }

  #hasRoom(): boolean {
    return this.maxsize === 0 || this.#items.size < this.maxsize
  }

  #accept(item: T): void {
    this.#items.push(item)
    this.#puts++
    if (this.isJoinable) this.#unfinished++
    this.#peakDepth = Math.max(this.#peakDepth, this.#items.size)
  }

  #deliver(key: string, item: T): Delivery<T> {
    this.#gets++
    // The parent cannot die under its own call: nothing to confirm.
    const deliveryId = key === PARENT_CALLER.key ? 0 : this.#deliveries.hand(key, item)
    return { deliveryId, item }
  }

  /** Moves items to waiting consumers and waiting producers' items into freed room, until neither can move. */
  #pump(): void {
    for (;;) {
      let moved = false
      while (this.#getters.size > 0 && this.#items.size > 0) {
        const getter = this.#getters.shift()!
        getter.resolve(this.#deliver(getter.key, this.#items.shift() as T))
        moved = true
      }
      while (this.#putters.size > 0 && this.#hasRoom()) {
        const putter = this.#putters.shift()!
        this.#accept(putter.data)
        putter.resolve()
        moved = true
      }
      if (!moved) return
    }
  }
}

/** A `Queue` with `taskDone()` and `join()`. */
export class JoinableQueue<T = unknown> extends Queue<T> implements JoinableQueueLike<T> {
  constructor(options: QueueOptions = {}) {
    super(options)
  }

  /** The worker side: a joinable proxy for the queue behind `handle`. */
  static override connect<T = unknown>(handle: QueueHandle): JoinableQueueProxy<T> {
    const checked = checkHandle<QueueHandle>(handle, ['queue'], 'JoinableQueue')
    if (!checked.isJoinable) throw new UnsupportedOperationError('this queue is not joinable: create a JoinableQueue to use taskDone() and join()')
    return new JoinableQueueProxy<T>(checked, remoteTransport(checked.service, 'JoinableQueue'))
  }

  protected override get isJoinable(): boolean {
    return true
  }

  taskDone(): Promise<void> {
    return (this.local as JoinableQueueProxy<T>).taskDone()
  }

  join(): Promise<void> {
    return (this.local as JoinableQueueProxy<T>).join()
  }
}
