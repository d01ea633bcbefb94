/**
 * What one BullMQ job carries: one dispatch unit of the engine (a call, or a chunk of calls), by
 * function *reference* — never code. A worker host validates every job's data against
 * {@link jobDataSchema} before it runs anything, because the queue is shared and anyone who can
 * reach Redis can put a job in it: bad data fails that job, naming the field and the reason.
 *
 * Outcomes go back through BullMQ's own completion and failure: a completed job's return value is
 * a {@link JobResult}; a failed job's reason is `"<ErrorName>: <message>"` (see {@link failureReason}),
 * which reads well in any BullMQ dashboard and keeps the error's name for the pool.
 */
import { z } from 'zod'
import { formatIssues } from '../../tasks/params'
import { UNSENDABLE_RESULT, type SerializedError } from '../pool/protocol'

/** `<task-id>:<export>` or `builtin:<name>`: the only functions a job may name. */
export const WIRE_REF = /^[a-z][a-z0-9-]*:[A-Za-z_$][\w$]*$/

const MAX_RETRIES = 100
/** Node's timers fire at once past this (2^31 − 1 ms, about 24.8 days): a longer timeout would kill every job. */
const MAX_TIMEOUT_MS = 2_147_483_647

export const jobDataSchema = z
  .object({
    fn: z.string({ error: 'must be a function reference "<task-id>:<export>"' }).regex(WIRE_REF, {
      error: 'must be a function reference "<task-id>:<export>" (a worker runs catalog functions only, never a module path)'
    }),
    args: z.array(z.unknown(), { error: 'must be an array of arguments' }).optional(),
    inputs: z.array(z.unknown(), { error: 'must be an array of inputs' }).optional(),
    /** With `inputs`: the arguments after each input, `fn(x, ...extra)`. */
    extra: z.array(z.unknown(), { error: 'must be an array of the arguments after each input' }).optional(),
    chunk: z.array(z.array(z.unknown(), { error: 'must hold argument arrays' }), { error: 'must be an array of argument arrays' }).optional(),
    /** The unit's own timeout (the call's, else the pool's): the host kills and replaces an overdue child. */
    timeoutMs: z
      .number({ error: 'must be a number of milliseconds' })
      .gt(0, { error: 'must be a number of milliseconds > 0' })
      .max(MAX_TIMEOUT_MS, { error: `must be ≤ ${MAX_TIMEOUT_MS} ms (Node's longest timer)` })
      .optional(),
    /** Re-runs the engine still allows the unit if the child running it dies under it. */
    retries: z.number({ error: 'must be an integer ≥ 0' }).int({ error: 'must be an integer ≥ 0' }).min(0, { error: 'must be an integer ≥ 0' }).max(MAX_RETRIES, { error: `must be ≤ ${MAX_RETRIES}` }).optional()
  }, { error: 'must be an object' })
  .strict()
  .refine((data) => [data.args, data.inputs, data.chunk].filter((part) => part !== undefined).length === 1, {
    error: 'must carry exactly one of args, inputs or chunk'
  })
  .refine((data) => data.extra === undefined || data.inputs !== undefined, { error: 'extra goes with inputs only', path: ['extra'] })

export type JobData = z.output<typeof jobDataSchema>

/** A completed job's return value. Times are the host's epoch ms around the call. */
export interface JobResult {
  value: unknown
  host: string
  startedAt: number
  endedAt: number
}

/** Job data that fails the schema: `reason` names each bad field ("args must be an array of arguments"). */
export class JobDataError extends Error {
  override readonly name = 'JobDataError'
}

/** The job's data, checked; throws {@link JobDataError}. */
export function parseJobData(data: unknown): JobData {
  const parsed = jobDataSchema.safeParse(data)
  if (!parsed.success) throw new JobDataError(`bad job data: ${formatIssues(parsed.error)}`)
  return parsed.data
}

/** Errors whose name the pool turns back into a code (the engine maps the code to its error class). */
const CODE_BY_NAME: Record<string, string> = { TaskDataError: UNSENDABLE_RESULT }

/** A failed job's reason, as BullMQ stores it: `"<name>: <message>"`. */
export function failureReason(error: Pick<SerializedError, 'name' | 'message'>): string {
  return `${error.name}: ${error.message}`
}

/** Back from a failed job's reason (and its stack, when the job was still there to read it). */
export function parseFailure(reason: string, stack?: string): SerializedError {
  const match = /^([A-Za-z_$][\w$]*): ([\s\S]*)$/.exec(reason)
  const name = match ? match[1] : 'Error'
  const message = match ? match[2] : reason
  const code = CODE_BY_NAME[name]
  return { name, message, ...(stack ? { stack } : {}), ...(code ? { code } : {}) }
}
