/** The pool engine's public surface. Electron-free: safe to import from the CLI, tests and workers' parents. */
export { Pool } from './pool'
export { Process, type ProcessOptions, type ProcessState } from './process'
export { ProcessTask } from './process-task'
export { AsyncResult } from './async-result'
export * from './errors'
export type * from './types'
export type { AdapterOptions, WorkerAdapter, WorkerBackend, WorkerExit } from './worker-adapter'
export type { CallerInfo, ParentService } from './service-registry'
