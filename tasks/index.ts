/**
 * The catalog, parent side: every task of ../shared/TASKS.md, in the guides' order. Importing it
 * loads definitions only; no process starts until a task runs.
 */
import type { TaskInfo } from '../shared/contract'
import { describeParams } from './params'
import type { TaskDefinition } from './task-definition'
import hello from './hello'
import customProcess from './custom-process'
import isolation from './isolation'
import heavySum from './heavy-sum'
import square from './square'
import sumFile from './sum-file'
import crawl from './crawl'
import linreg from './linreg'
import fileScheduler from './file-scheduler'
import gameLoops from './game-loops'
import producerConsumer from './producer-consumer'
import pipe from './pipe'
import manager from './manager'
import sharedArray from './shared-array'

export const catalog: readonly TaskDefinition[] = [hello, customProcess, isolation, heavySum, square, sumFile, crawl, linreg, fileScheduler, gameLoops, producerConsumer, pipe, manager, sharedArray] as unknown as TaskDefinition[]

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
