/**
 * Lazy loaders for the worker-side half of each catalog task, keyed by task id. Workers load a
 * task module only when it is first called, so start-up stays cheap.
 */
export const taskModules: Record<string, () => Promise<Record<string, unknown>>> = {
  'heavy-sum': () => import('./heavy-sum'),
  square: () => import('./square')
}
