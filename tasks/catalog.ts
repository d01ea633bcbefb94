/**
 * The catalog, listed once: every task of ../shared/TASKS.md, in the guides' order, by task id
 * (equal to its file name), each loaded on first use. Workers register these loaders with the
 * engine (`worker-entry.ts`), so a worker loads only the task it runs; the parent's definitions
 * (`index.ts`) are the default exports of the same modules.
 */
import type { TaskDefinition } from './task-definition'

/** A catalog task's module: its definition as the default export, its worker functions by name. */
export type TaskModule = { default: TaskDefinition } & Record<string, unknown>

const modules = {
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
} satisfies Record<string, () => Promise<TaskModule>>

export type TaskId = keyof typeof modules

/** Each task's module loader by task id (the keys' order is the catalog's). */
export const taskModules: Readonly<Record<string, () => Promise<TaskModule>>> = modules
