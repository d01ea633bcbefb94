/**
 * The catalog, parent side: every task of ../shared/TASKS.md, in the guides' order. Importing it
 * loads definitions only; no process starts until a task runs.
 */
import type { TaskInfo } from '../preload/contract'
import { describeParams } from './params'
import type { TaskDefinition } from './task-definition'
import heavySum from './heavy-sum'
import square from './square'

export const catalog: readonly TaskDefinition[] = [heavySum, square] as unknown as TaskDefinition[]

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
