/**
 * Where the built worker entry lives. The pool's modules are bundled next to `worker.js` in
 * `out/main/` (see `electron.vite.config.ts`), so `__dirname` of the bundle is the place; code run
 * from source (tests) passes `workerScript` explicitly.
 */
import { join } from 'node:path'

export function defaultWorkerScript(): string {
  return join(__dirname, 'worker.js')
}
