/**
 * The catalog's worker entry, built to `out/main/worker.js` (the engine's default worker script,
 * so every pool and process the app, the CLI and the tests start runs it): registers each task's
 * module under its task id, then starts the engine's worker runtime. Only the module of a task a
 * unit names is ever loaded.
 */
import { registerWorkerModules } from '../main/pool/fn-resolver'
import { startWorkerRuntime } from '../main/pool/worker-runtime'
import { taskModules } from './catalog'

// Module-file code reaches the runtime's context through the entry (see `startWorkerRuntime`).
export { callParent, currentWorker, onParentPush } from '../main/pool/worker-context'

registerWorkerModules(taskModules)
startWorkerRuntime()
