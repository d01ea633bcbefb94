/**
 * The same pool API run inside the calling process, one call after another, with no worker at
 * all: the honest single-process baseline of the speedup lab ("the same work in one process, no
 * pool"). Task code runs unchanged; only where it runs differs. Functions named by
 * `"<scope>:<export>"` come from the modules registered in this process (`registerWorkerModules`).
 */
import { toAsyncResult, type AsyncCallbacks, type AsyncResult } from './async-result'
import { TaskAbortedError, TaskFailedError } from './errors'
import { resolveFn } from './fn-resolver'
import { serializeError } from './protocol'
import type { FnRef, MapOptions, TaskOptions } from './types'

export class InlinePool {
  readonly size: number = 1
  #nextId = 1

  async apply<R = unknown>(fn: FnRef, args: unknown[] = [], options: TaskOptions = {}): Promise<R> {
    const id = this.#nextId++
    if (options.signal?.aborted) throw new TaskAbortedError(id, options.signal.reason)
    const callable = await resolveFn(fn)
    try {
      return (await callable(...args)) as R
    } catch (error) {
      throw new TaskFailedError(id, serializeError(error))
    }
  }

  applyAsync<R = unknown>(
    fn: FnRef,
    args: unknown[] = [],
    options: TaskOptions & AsyncCallbacks<R> = {}
  ): AsyncResult<R> {
    return toAsyncResult(this.apply<R>(fn, args, options), options)
  }

  async map<R = unknown>(fn: FnRef, inputs: Iterable<unknown>, options: MapOptions = {}): Promise<R[]> {
    const { extraArgs = [], ...rest } = options
    return this.starmap<R>(fn, Array.from(inputs, (x) => [x, ...extraArgs]), rest)
  }

  async starmap<R = unknown>(fn: FnRef, argLists: Iterable<unknown[]>, options: MapOptions = {}): Promise<R[]> {
    const results: R[] = []
    for (const args of argLists) results.push(await this.apply<R>(fn, args, options))
    return results
  }

  async *imap<R = unknown>(fn: FnRef, inputs: Iterable<unknown> | AsyncIterable<unknown>, options: MapOptions = {}): AsyncGenerator<R> {
    const { extraArgs = [], ...rest } = options
    for await (const x of inputs) yield await this.apply<R>(fn, [x, ...extraArgs], rest)
  }

  imapUnordered<R = unknown>(fn: FnRef, inputs: Iterable<unknown> | AsyncIterable<unknown>, options: MapOptions = {}): AsyncGenerator<R> {
    return this.imap<R>(fn, inputs, options)
  }

  registerService(name: string, _service?: object): () => void {
    throw new Error(`service "${name}" needs worker processes; this task has no single-process baseline`)
  }

  ready(): Promise<void> {
    return Promise.resolve()
  }

  async terminate(): Promise<void> {}
}

/** What task code may use of a pool: the real `Pool` and the `InlinePool` baseline both offer it. */
export type TaskPool = Pick<InlinePool, 'apply' | 'applyAsync' | 'map' | 'starmap' | 'imap' | 'imapUnordered' | 'registerService' | 'size'>
