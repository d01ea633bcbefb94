/**
 * The one place main parses a task's parameters: `parseTaskInput` checks them against the task's
 * own schema (filling in defaults) and returns a `TaskInput`, which is what the run layer takes.
 * Each way in calls it once, at its boundary: the `run:start` and `bench:start` handlers (after the
 * gatekeeper has checked the request against the contract) and the CLI's `run` and `bench`. Past
 * that point nothing parses again: `runTask`, the run manager and the bench target trust the type.
 */
import { findTask } from '../../tasks'
import { formatIssues } from '../../tasks/params'
import type { TaskDefinition } from '../../tasks/task-definition'

declare const parsedByTaskSchema: unique symbol

/** Parameters that passed their task's schema, defaults filled in; only `parseTaskInput` makes them. */
export type TaskParams = Record<string, unknown> & { readonly [parsedByTaskSchema]: true }

/** A catalog task and parameters it accepts. */
export interface TaskInput {
  task: TaskDefinition
  params: TaskParams
}

/**
 * An unknown task id or parameters its schema refuses: a usage problem, not a run failure. It
 * carries the contract's `invalid-payload` code and an issue on `params`, so a request refused with
 * it reaches the renderer as is; the CLI prints its message and exits 2.
 */
export class TaskParamsError extends Error {
  override readonly name = 'TaskParamsError'
  readonly code = 'invalid-payload'
  readonly issues: { path: string; message: string }[]

  constructor(message: string) {
    super(message)
    this.issues = [{ path: 'params', message }]
  }
}

/**
 * Finds the task and parses `params` with its schema.
 * @throws TaskParamsError naming the unknown task or each bad parameter ("heavy-sum: n must be an integer ≥ 1").
 */
export function parseTaskInput(taskId: string, params: Record<string, unknown>): TaskInput {
  const task = findTask(taskId)
  if (!task) throw new TaskParamsError(`unknown task "${taskId}" (see \`poolscope tasks\`)`)
  const parsed = task.params.safeParse(params)
  if (!parsed.success) throw new TaskParamsError(`${taskId}: ${formatIssues(parsed.error)}`)
  return { task, params: parsed.data as TaskParams }
}
