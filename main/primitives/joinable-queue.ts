/**
 * Python's `JoinableQueue`: a `Queue` whose consumers call `taskDone()` once per item they have
 * processed, so a producer can `join()` until every item put has been dealt with, not merely
 * taken. An item given back from a dead consumer was never received, so it stays unfinished and
 * is done by whoever receives it next.
 */
import { UnsupportedOperationError } from './errors'
import { checkHandle } from './handle-check'
import { Queue, type QueueOptions } from './queue'
import { JoinableQueueProxy, type JoinableQueueLike, type QueueHandle } from './queue-proxy'
import { remoteTransport } from './transport'

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
