/**
 * The engine's own worker entry (built to `out/main/pool-worker.js`): builtins and module files
 * (`{ module, export }`) only, no registered modules. An application whose workers run functions
 * by name ships an entry of its own that registers its modules, then starts the same runtime (the
 * app's catalog has one, built as `worker.js`).
 */
import { startWorkerRuntime } from './worker-runtime'

// Module-file code reaches the runtime's context through the entry (see `startWorkerRuntime`).
export { callParent, currentWorker, onParentPush } from './worker-context'

startWorkerRuntime()
