/// <reference types="vite/types/import-meta.d.ts" />
/**
 * The catalog, parent side: the definitions of the tasks `catalog.ts` lists, in its order.
 * Importing it loads definitions only (no process starts until a task runs), and registers the
 * tasks' modules with the engine in this process too, for the inline pool and for refs checked
 * here (a cluster host's jobs).
 */
import type { TaskInfo } from '../shared/contract'
import { registerWorkerModules } from '../main/pool/fn-resolver'
import { taskModules } from './catalog'
import { describeParams } from './params'
import type { TaskDefinition } from './task-definition'

/**
 * Every module of this folder, loaded now: the parent needs the definitions at once, and the
 * bundler turns this into plain imports. Only those `catalog.ts` names are read; the worker entry
 * is left out because loading it starts a worker runtime wherever there is an IPC channel.
 */
const modules = import.meta.glob<{ default?: TaskDefinition }>(['./*.ts', '!./index.ts', '!./worker-entry.ts'], { eager: true })

export const catalog: readonly TaskDefinition[] = Object.keys(taskModules).map((id) => {
  const task = modules[`./${id}.ts`]?.default
  if (task?.id !== id) throw new Error(`tasks/${id}.ts must export its task (id "${id}") as its default export`)
  return task
})

registerWorkerModules(taskModules)

export function findTask(id: string): TaskDefinition | undefined {
  return catalog.find((task) => task.id === id)
}

export function taskInfo(task: TaskDefinition): TaskInfo {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    pattern: task.pattern,
    params: describeParams(task.params),
    longRunning: task.longRunning ?? false
  }
}
