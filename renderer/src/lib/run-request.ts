import { requests, type RequestArgs, type RunBackend, type TaskInfo } from '../../../shared/contract'
import { fieldErrorsFromIssues, hasErrors, type FieldErrors, type FieldUnit } from './field-errors'
import { coerceParams, initialFieldValues, parseOptionalNumber, type FieldValue } from './param-form'

/** The launcher form as the user edits it: text as typed, converted only on submit. */
export interface RunForm {
  params: Record<string, FieldValue>
  workers: string
  backend: RunBackend
  chunksize: string
  retries: string
  /** Seconds on screen; `timeoutMs` on the wire. */
  timeoutSeconds: string
  /** Seconds on screen; `durationMs` on the wire. */
  durationSeconds: string
}

/** Fields keyed as the contract names them (so server issues land on them too). */
export const RUN_FORM_FIELDS = ['workers', 'backend', 'chunksize', 'retries', 'timeoutMs', 'durationMs'] as const

const SECONDS: FieldUnit = { divisor: 1000, suffix: 's' }
const RUN_UNITS: Record<string, FieldUnit> = { timeoutMs: SECONDS, durationMs: SECONDS }

/** A fresh form for a task: its parameter defaults and one worker per core. */
export function createRunForm(task: TaskInfo, cores: number): RunForm {
  return {
    params: initialFieldValues(task.params),
    workers: String(Math.max(1, Math.min(256, cores || 1))),
    backend: 'process',
    chunksize: '',
    retries: '',
    timeoutSeconds: '',
    durationSeconds: task.longRunning ? '30' : ''
  }
}

export type BuiltRequest<C extends 'run:start' | 'bench:start'> =
  | { ok: true; request: RequestArgs<C> }
  | { ok: false; errors: FieldErrors }

/**
 * Validates the form against the task's parameter specs and the contract's own `run:start` schema
 * (the limits the server enforces), returning the request or errors keyed by field.
 */
export function buildRunRequest(task: TaskInfo, form: RunForm): BuiltRequest<'run:start'> {
  const { params, errors } = coerceParams(task.params, form.params)
  const numbers = {
    workers: parseOptionalNumber(form.workers),
    chunksize: parseOptionalNumber(form.chunksize),
    retries: parseOptionalNumber(form.retries),
    timeoutMs: parseOptionalNumber(form.timeoutSeconds, 1000),
    durationMs: parseOptionalNumber(form.durationSeconds, 1000)
  }
  const parsed: Partial<Record<keyof typeof numbers, number>> = {}
  for (const [key, result] of Object.entries(numbers) as [keyof typeof numbers, (typeof numbers)[keyof typeof numbers]][]) {
    if (!result.ok) errors[key] = result.error
    else if (result.value !== undefined) parsed[key] = result.value
  }
  if (String(form.workers).trim() === '') errors.workers ??= 'Required'

  const request = {
    taskId: task.id,
    params,
    workers: parsed.workers ?? 0,
    backend: form.backend,
    ...(parsed.chunksize !== undefined && { chunksize: parsed.chunksize }),
    ...(parsed.retries !== undefined && { retries: parsed.retries }),
    ...(parsed.timeoutMs !== undefined && { timeoutMs: parsed.timeoutMs }),
    ...(parsed.durationMs !== undefined && { durationMs: parsed.durationMs })
  } satisfies RequestArgs<'run:start'>

  const checked = requests['run:start'].args.safeParse(request)
  if (!checked.success) {
    for (const [key, message] of Object.entries(fieldErrorsFromIssues(checked.error.issues, RUN_UNITS))) errors[key] ??= message
  }
  return hasErrors(errors) ? { ok: false, errors } : { ok: true, request }
}
