import { requests, type BackendName, type RequestArgs, type TaskInfo } from '../../../shared/contract'
import { fieldErrorsFromIssues, hasErrors, type FieldErrors } from './field-errors'
import { coerceParams, parseOptionalNumber, type FieldValue } from './param-form'
import type { BuiltRequest } from './run-request'

/** What the benchmark measures: a catalog task through the pool, or an arbitrary command. */
export type BenchSource = 'task' | 'command'

export interface BenchForm {
  source: BenchSource
  taskId: string
  params: Record<string, FieldValue>
  command: string
  isShell: boolean
  /** Comma-separated worker counts, ranges allowed: `1, 2, 4-6, 8`. */
  workers: string
  runs: string
  warmup: string
  backend: BackendName
}

export const BENCH_FORM_FIELDS = ['taskId', 'command', 'workers', 'runs', 'warmup', 'backend'] as const

/** Worker counts to try by default: powers of two up to the core count, and the count itself. */
export function defaultWorkerList(cores: number): number[] {
  const top = Math.max(1, Math.min(256, Math.floor(cores) || 1))
  const list: number[] = []
  for (let w = 1; w <= top; w *= 2) list.push(w)
  if (list[list.length - 1] !== top) list.push(top)
  return list.slice(-16)
}

/**
 * Parses `1, 2, 4-6, 8` into sorted unique worker counts. Ranges are inclusive. Bounds and the
 * number of entries are left to the contract's schema.
 */
export function parseWorkerList(text: string): { ok: true; workers: number[] } | { ok: false; error: string } {
  const out = new Set<number>()
  for (const part of text.split(/[,\s]+/).filter(Boolean)) {
    const range = /^(\d+)\s*(?:-|\.\.)\s*(\d+)$/.exec(part)
    if (range) {
      const from = Number(range[1])
      const to = Number(range[2])
      if (to < from) return { ok: false, error: `Range ${part} runs backwards` }
      if (to - from > 256) return { ok: false, error: `Range ${part} is too long` }
      for (let w = from; w <= to; w++) out.add(w)
    } else if (/^\d+$/.test(part)) {
      out.add(Number(part))
    } else {
      return { ok: false, error: `"${part}" is not a whole number` }
    }
  }
  if (out.size === 0) return { ok: false, error: 'Add at least one worker count' }
  return { ok: true, workers: [...out].sort((a, b) => a - b) }
}

/** Validates the benchmark form against the task's specs and the contract's `bench:start` schema. */
export function buildBenchRequest(form: BenchForm, task: TaskInfo | undefined): BuiltRequest<'bench:start'> {
  const errors: FieldErrors = {}
  let params: Record<string, unknown> = {}
  if (form.source === 'task') {
    if (!task) errors.taskId = 'Choose a task'
    else {
      const coerced = coerceParams(task.params, form.params)
      params = coerced.params
      Object.assign(errors, coerced.errors)
    }
  } else if (form.command.trim() === '') {
    errors.command = 'Enter a command'
  }

  const workers = parseWorkerList(form.workers)
  if (!workers.ok) errors.workers = workers.error
  const runs = parseOptionalNumber(form.runs)
  if (!runs.ok) errors.runs = runs.error
  const warmup = parseOptionalNumber(form.warmup)
  if (!warmup.ok) errors.warmup = warmup.error

  const request: RequestArgs<'bench:start'> = {
    ...(form.source === 'task' ? { taskId: form.taskId, params, backend: form.backend } : { command: form.command.trim(), shell: form.isShell }),
    workers: workers.ok ? workers.workers : [],
    ...(runs.ok && runs.value !== undefined && { runs: runs.value }),
    ...(warmup.ok && warmup.value !== undefined && { warmup: warmup.value })
  }
  const checked = requests['bench:start'].args.safeParse(request)
  if (!checked.success) {
    for (const [key, message] of Object.entries(fieldErrorsFromIssues(checked.error.issues))) {
      // The workers list is one text field: "workers.3" issues belong to it.
      const field = key.startsWith('workers.') ? 'workers' : key
      errors[field] ??= message
    }
  }
  return hasErrors(errors) ? { ok: false, errors } : { ok: true, request }
}
