/**
 * The parent-side half every primitive shares. An owner holds the state (items, messages, values),
 * answers calls from proxies in workers and in the parent, and learns when a worker ends so it can
 * give back what that worker held but never received, or release the lock it died holding.
 *
 * `attach(host)` makes the owner reachable from a pool's workers or a process: it registers a
 * service that tags each caller with its host, so two pools whose workers share a name
 * (`PoolWorker-1`) are still told apart, and it watches the host's workers end.
 */
import type { CallerInfo } from '../../pool/service-registry'
import { InvalidArgumentError, PrimitiveClosedError } from './errors'
import { onWorkerEnd, trackPrimitive, type PrimitiveHost } from './primitive-host'
import type { PrimitiveStats } from './primitive-stats'
import type { Transport } from './transport'

/** Who is calling an owner. */
export interface OwnerCaller {
  /** Stable for one worker of one host; the key an owner files waiters and holdings under. */
  key: string
  /** The worker's name, for stats and messages. */
  name: string
  /** The parent itself, which never "dies" from the owner's point of view. */
  isParent: boolean
}

/** The parent as a caller of its own owners: it never ends, so it holds nothing that must be given back. */
export const PARENT_CALLER: OwnerCaller = Object.freeze({ key: 'parent', name: 'MainProcess', isParent: true })

let nextServiceId = 1
let nextHostTag = 1
const hostTags = new WeakMap<PrimitiveHost, number>()

function hostTag(host: PrimitiveHost): number {
  let tag = hostTags.get(host)
  if (tag === undefined) hostTags.set(host, (tag = nextHostTag++))
  return tag
}

/** Base of every parent-side owner: service name, attach/detach, calls, worker ends, close. */
export abstract class PrimitiveOwner {
  /** The service name task code reaches this owner by (carried in every handle). */
  readonly service: string
  readonly label: string | undefined
  #isClosed = false
  readonly #attachments = new Map<PrimitiveHost, () => void>()

  protected constructor(kind: string, label: string | undefined) {
    if (label !== undefined && typeof label !== 'string') throw new InvalidArgumentError('label must be text')
    this.service = `poolscope:${kind}:${nextServiceId++}`
    this.label = label
  }

  get isClosed(): boolean {
    return this.#isClosed
  }

  /**
   * Makes this owner reachable from `host`'s workers and lists it for the monitor; returns the
   * function that detaches it again. Attaching to several hosts is fine (one queue, many
   * processes); attaching twice to the same host is a no-op.
   */
  attach(host: PrimitiveHost): () => void {
    if (this.#isClosed) throw new PrimitiveClosedError()
    const existing = this.#attachments.get(host)
    if (existing) return existing
    const tag = hostTag(host)
    const unregister = host.registerService(this.service, {
      invoke: (method: unknown, args: unknown, info: CallerInfo) =>
        this.#dispatch(method, args, { key: `${tag}/${info.workerName}`, name: info.workerName, isParent: false })
    })
    const unwatch = onWorkerEnd(host, (workerName) => {
      // Node may report a child's exit before it has handed over the last IPC messages the child
      // sent (an acknowledgement, a release); one turn of the event loop lets those arrive first,
      // so what the worker did receive is not mistaken for lost.
      setImmediate(() => {
        if (!this.#isClosed) this.callerExited(`${tag}/${workerName}`)
      })
    })
    const untrack = trackPrimitive(host, this)
    const detach = () => {
      if (this.#attachments.get(host) !== detach) return
      this.#attachments.delete(host)
      unregister()
      unwatch()
      untrack()
    }
    this.#attachments.set(host, detach)
    return detach
  }

  /**
   * The entry point when the owner itself is registered by hand, `host.registerService(owner.service,
   * owner)`: calls work, but without `attach` the owner never learns that a worker died.
   */
  invoke(method: unknown, args: unknown, caller: CallerInfo): Promise<unknown> {
    return this.#dispatch(method, args, { key: `?/${caller.workerName}`, name: caller.workerName, isParent: false })
  }

  /** Detaches from every host and fails every waiting call with `PrimitiveClosedError`. Idempotent. */
  close(): void {
    if (this.#isClosed) return
    this.#isClosed = true
    for (const detach of [...this.#attachments.values()]) detach()
    this.onClose(new PrimitiveClosedError())
  }

  abstract stats(): PrimitiveStats

  /**
   * A transport for proxies used in the parent. Arguments and results are copied as the wire would
   * copy them, so an object put on a queue and then changed by the parent stays as it was put.
   */
  protected localTransport(): Transport {
    return async (method, args) => structuredClone(await this.#dispatch(method, structuredClone(args), PARENT_CALLER))
  }

  /** Runs one call; unknown methods must throw `UnsupportedOperationError`. */
  protected abstract serve(method: string, args: unknown[], caller: OwnerCaller): unknown

  /** The worker filed under `key` has ended: drop its waiters, give back what it held. */
  protected abstract callerExited(key: string): void

  /** Fail every waiter with `error`. */
  protected abstract onClose(error: PrimitiveClosedError): void

  async #dispatch(method: unknown, args: unknown, caller: OwnerCaller): Promise<unknown> {
    // Calls come from task code over the wire: check their shape before trusting it.
    if (typeof method !== 'string' || !Array.isArray(args)) throw new InvalidArgumentError('malformed call: expected a method name and an argument list')
    if (this.#isClosed) throw new PrimitiveClosedError()
    return this.serve(method, args, caller)
  }
}
