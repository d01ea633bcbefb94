/**
 * Lazy loaders for the worker-side half of each catalog task, keyed by task id. Workers load a
 * task module only when it is first called, so start-up stays cheap.
 */
export const taskModules: Record<string, () => Promise<Record<string, unknown>>> = {
  hello: () => import('./hello'),
  'custom-process': () => import('./custom-process'),
  isolation: () => import('./isolation'),
  'heavy-sum': () => import('./heavy-sum'),
  square: () => import('./square'),
  'sum-file': () => import('./sum-file'),
  crawl: () => import('./crawl'),
  linreg: () => import('./linreg'),
  'file-scheduler': () => import('./file-scheduler'),
  'game-loops': () => import('./game-loops'),
  'producer-consumer': () => import('./producer-consumer'),
  pipe: () => import('./pipe'),
  manager: () => import('./manager'),
  'shared-array': () => import('./shared-array')
}
