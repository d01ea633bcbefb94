/**
 * Shared primitives for task code, Python's `multiprocessing` queues, pipes, managers and shared
 * values. Each has a parent-side owner (create it, `attach` it to a pool or process, pass its
 * `handle` to tasks) and a worker-side `connect(handle)` that gives the same methods there.
 */
export { Queue, type QueueOptions } from './queue'
export { JoinableQueue } from './joinable-queue'
export { QueueProxy, JoinableQueueProxy, type QueueHandle, type QueueLike, type JoinableQueueLike } from './queue-proxy'
export { Pipe, type PipeOptions } from './pipe'
export { Connection, type PipeEndHandle } from './connection'
export { Manager, type ManagerOptions } from './manager'
export { ListProxy, type ListHandle } from './list-proxy'
export { DictProxy, type DictHandle } from './dict-proxy'
export { SharedArray, type SharedArrayOptions } from './shared-array'
export { SharedValue, type SharedValueOptions, type SharedValueHandle, type SharedValueLike } from './shared-value'
export type { SharedArrayLike, SharedArrayHandle, ThreadArrayHandle, ProcessArrayHandle } from './shared-array-like'
export type { NumericType } from './numeric-type'
export { withLock, type LockLike } from './lock-like'
export { PrimitiveOwner } from './primitive-owner'
export type { PrimitiveHost } from './primitive-host'
export { primitivesOf, type MonitoredPrimitive } from './primitive-registry'
export type * from './primitive-stats'
export * from './errors'
