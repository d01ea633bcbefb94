/**
 * Two connected ends, Python's `multiprocessing.Pipe()`: whatever one end sends, the other
 * receives, in order. Duplex by default; `duplex: false` makes end 0 receive-only and end 1
 * send-only, as Python's `Pipe(duplex=False)` returns `(reader, writer)`.
 *
 * Closing an end is what the other end sees as EOF, after it has read what was sent before. As
 * with an OS pipe whose last holder exits, an end that workers used is closed for them when the
 * last of those workers ends without closing it, so a reader never waits on a dead writer. Like a
 * queue, a message handed to a receiver that dies before confirming it goes back to be received
 * again.
 */
import { RingQueue } from '../../pool/unit-queue'
import {
  BrokenPipeError,
  EOFError,
  integerArg,
  InvalidArgumentError,
  PipeClosedError,
  timeoutArg,
  UnsupportedOperationError,
  type PrimitiveClosedError
} from '../core/errors'
import { PARENT_CALLER, PrimitiveOwner, type OwnerCaller } from '../core/primitive-owner'
import type { PipeStats } from '../core/primitive-stats'
import { checkHandle, remoteTransport } from '../core/transport'
import { UnconfirmedDeliveries } from '../core/unconfirmed-deliveries'
import { WaiterLine } from '../core/waiter-line'
import type { Delivery } from '../queue/queue-proxy'
import { Connection, type PipeEndHandle } from './connection'

/** Options of a `Pipe`. */
export interface PipeOptions {
  /** Both ends send and receive (default); `false`: end 0 only receives, end 1 only sends. */
  duplex?: boolean
  /** A name for the monitor. */
  label?: string
}

type End = 0 | 1
type Pair<T> = [T, T]

const workerGone = () => new Error('the calling worker ended')
const other = (end: End): End => (end === 0 ? 1 : 0)

/** Owner of a two-ended pipe: `ends` for the parent, `handles` for tasks, `Pipe.connect()` in workers. */
export class Pipe<T = unknown> extends PrimitiveOwner {
  readonly isDuplex: boolean
  /** Pass one of these to a task; it calls `Pipe.connect(handle)`. */
  readonly handles: Pair<PipeEndHandle>
  /** Both ends for use in the parent. */
  readonly ends: Pair<Connection<T>>
  /** Messages waiting to be received at each end. */
  readonly #inbox: Pair<RingQueue<T>> = [new RingQueue(), new RingQueue()]
  readonly #receivers: Pair<WaiterLine<Delivery<T>>> = [new WaiterLine(), new WaiterLine()]
  readonly #pollers: Pair<WaiterLine<boolean>> = [new WaiterLine(), new WaiterLine()]
  readonly #deliveries = new UnconfirmedDeliveries<{ end: End; message: T }>()
  /** Who has used each end: when the last of them ends, so does the end. */
  readonly #holders: Pair<Set<string>> = [new Set(), new Set()]
  readonly #closed: Pair<boolean> = [false, false]
  readonly #sent: Pair<number> = [0, 0]
  readonly #received: Pair<number> = [0, 0]

  constructor(options: PipeOptions = {}) {
    super('pipe', options.label)
    const duplex = options.duplex ?? true
    if (typeof duplex !== 'boolean') throw new InvalidArgumentError('duplex must be true or false')
    this.isDuplex = duplex
    this.handles = [this.#handleFor(0), this.#handleFor(1)]
    const transport = this.localTransport()
    this.ends = [new Connection<T>(this.handles[0], transport), new Connection<T>(this.handles[1], transport)]
  }

  /** The worker side: the end of a pipe behind `handle`. */
  static connect<T = unknown>(handle: PipeEndHandle): Connection<T> {
    const checked = checkHandle<PipeEndHandle>(handle, ['pipe-end'], 'Pipe')
    return new Connection<T>(checked, remoteTransport(checked.service, 'Pipe'))
  }

  stats(): PipeStats {
    return {
      kind: 'pipe',
      service: this.service,
      label: this.label,
      isClosed: this.isClosed,
      isDuplex: this.isDuplex,
      pending: [this.#inbox[0].size, this.#inbox[1].size],
      sent: [...this.#sent],
      received: [...this.#received],
      closed: [...this.#closed],
      waitingReceivers: [this.#receivers[0].size, this.#receivers[1].size]
    }
  }

  protected serve(method: string, args: unknown[], caller: OwnerCaller): unknown {
    if (method === 'ack') {
      this.#deliveries.confirm(integerArg(args[0], 'deliveryId', 1), caller.key)
      return undefined
    }
    const end = args[0]
    if (end !== 0 && end !== 1) throw new InvalidArgumentError('end must be 0 or 1')
    this.#holders[end].add(caller.key)
    switch (method) {
      case 'send':
        return this.#send(end, args[1] as T)
      case 'recv':
        return this.#recv(end, caller)
      case 'poll':
        return this.#poll(end, timeoutArg(args[1]), caller)
      case 'close':
        this.#closeEnd(end)
        return undefined
      default:
        throw new UnsupportedOperationError(`a pipe end has no method "${method}"`)
    }
  }

  protected callerExited(key: string): void {
    for (const end of [0, 1] as const) {
      this.#receivers[end].dropKey(key, workerGone())
      this.#pollers[end].dropKey(key, workerGone())
    }
    const lost = this.#deliveries.takeLost(key)
    for (let i = lost.length - 1; i >= 0; i--) {
      this.#inbox[lost[i].end].unshift(lost[i].message)
      this.#received[lost[i].end]--
    }
    for (const end of [0, 1] as const) {
      // The OS closes a dead process's descriptors; here, the end its last user left open.
      if (this.#holders[end].delete(key) && this.#holders[end].size === 0 && !this.#closed[end]) this.#closeEnd(end)
      else this.#pump(end)
    }
  }

  protected onClose(error: PrimitiveClosedError): void {
    for (const end of [0, 1] as const) {
      this.#receivers[end].drain((waiter) => waiter.reject(error))
      this.#pollers[end].drain((waiter) => waiter.reject(error))
    }
    this.#deliveries.clear()
  }

  #handleFor(end: End): PipeEndHandle {
    return {
      kind: 'pipe-end',
      service: this.service,
      end,
      canSend: this.isDuplex || end === 1,
      canRecv: this.isDuplex || end === 0
    }
  }

  #send(end: End, message: T): void {
    if (!this.handles[end].canSend) throw new UnsupportedOperationError(`end ${end} of a one-way pipe can only receive`)
    if (this.#closed[end]) throw new PipeClosedError(`end ${end} of the pipe is closed: it cannot send`)
    const to = other(end)
    if (this.#closed[to]) throw new BrokenPipeError(`end ${to} of the pipe is closed: nobody can receive this`)
    this.#sent[end]++
    this.#inbox[to].push(message)
    this.#pump(to)
    this.#pollers[to].drain((waiter) => waiter.resolve(true))
  }

  #recv(end: End, caller: OwnerCaller): Delivery<T> | Promise<Delivery<T>> {
    if (!this.handles[end].canRecv) throw new UnsupportedOperationError(`end ${end} of a one-way pipe can only send`)
    if (this.#closed[end]) throw new PipeClosedError(`end ${end} of the pipe is closed: it cannot receive`)
    if (this.#inbox[end].size > 0) return this.#deliver(end, caller.key, this.#inbox[end].shift() as T)
    if (this.#closed[other(end)]) throw new EOFError()
    return this.#receivers[end].wait(caller.key, undefined, undefined, () => {
      throw new EOFError()
    })
  }

  #poll(end: End, timeoutMs: number | undefined, caller: OwnerCaller): boolean | Promise<boolean> {
    if (!this.handles[end].canRecv) throw new UnsupportedOperationError(`end ${end} of a one-way pipe can only send`)
    if (this.#closed[end]) throw new PipeClosedError(`end ${end} of the pipe is closed`)
    if (this.#inbox[end].size > 0 || this.#closed[other(end)]) return true
    if (timeoutMs === 0) return false
    return this.#pollers[end].wait(caller.key, undefined, timeoutMs, () => false)
  }

  #closeEnd(end: End): void {
    if (this.#closed[end]) return
    this.#closed[end] = true
    const closedHere = new PipeClosedError(`end ${end} of the pipe was closed`)
    this.#receivers[end].drain((waiter) => waiter.reject(closedHere))
    this.#pollers[end].drain((waiter) => waiter.reject(closedHere))
    // Nobody can read these any more.
    while (this.#inbox[end].size > 0) this.#inbox[end].shift()
    // Receivers wait only on an empty inbox, so at the other end this is EOF for each of them.
    const to = other(end)
    this.#receivers[to].drain((waiter) => waiter.reject(new EOFError()))
    this.#pollers[to].drain((waiter) => waiter.resolve(true))
  }

  #pump(end: End): void {
    while (this.#receivers[end].size > 0 && this.#inbox[end].size > 0) {
      const receiver = this.#receivers[end].shift()!
      receiver.resolve(this.#deliver(end, receiver.key, this.#inbox[end].shift() as T))
    }
  }

  #deliver(end: End, key: string, message: T): Delivery<T> {
    this.#received[end]++
    const deliveryId = key === PARENT_CALLER.key ? 0 : this.#deliveries.hand(key, { end, message })
    return { deliveryId, item: message }
  }
}
