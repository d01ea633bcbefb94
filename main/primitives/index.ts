/**
 * Shared primitives for task code, Python's `multiprocessing` queues, pipes, managers and shared
 * values. Each has a parent-side owner (create it, `attach` it to a pool or process, pass its
 * `handle` to tasks) and a worker-side `connect(handle)` that gives the same methods there.
 */
export { Queue, JoinableQueue, type QueueOptions } from './queue/queue'
export { QueueProxy, JoinableQueueProxy, type QueueHandle, type QueueLike, type JoinableQueueLike } from './queue/queue-proxy'
export { Pipe, type PipeOptions } from './pipe/pipe'
export { Connection, type PipeEndHandle } from './pipe/connection'
export { Manager, type ManagerOptions } from './manager/manager'
export { ListProxy, DictProxy, type ListHandle, type DictHandle } from './manager/collection-proxies'
export { SharedArray, type SharedArrayOptions } from './shared-memory/shared-array'
export { SharedValue, type SharedValueOptions, type SharedValueHandle, type SharedValueLike } from './shared-memory/shared-value'
export {
  withLock,
  type LockLike,
  type SharedArrayLike,
  type SharedArrayHandle,
  type ThreadArrayHandle,
  type ProcessArrayHandle
} from './shared-memory/shared-array-like'
export type { NumericType } from './shared-memory/numeric-type'
export { PrimitiveOwner } from './core/primitive-owner'
export { primitivesOf, type MonitoredPrimitive, type PrimitiveHost } from './core/primitive-host'
export type * from './core/primitive-stats'
export * from './core/errors'
