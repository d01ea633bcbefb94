import { describeError } from './describe-error'

/** A form's errors keyed by field path: `workers`, `timeoutMs`, `params.n`. Empty when valid. */
export type FieldErrors = Record<string, string>

/** The parts of a zod issue we read (zod 4's issue union, structurally). */
export interface SchemaIssue {
  code: string
  path: readonly PropertyKey[]
  message: string
  origin?: string
  minimum?: number | bigint
  maximum?: number | bigint
  expected?: string
  values?: readonly unknown[]
}

/** How a field is shown when its unit differs from the contract's (seconds on screen, ms on the wire). */
export interface FieldUnit {
  /** Wire value ÷ divisor = shown value. */
  divisor: number
  suffix: string
}

/**
 * One schema issue in plain words for a person filling a form, with limits in the unit the field
 * shows. zod's own messages ("Too big: expected number to be <=3600000") read like a compiler.
 */
export function describeIssue(issue: SchemaIssue, unit?: FieldUnit): string {
  const shown = (n: number | bigint | undefined) => {
    const value = Number(n) / (unit?.divisor ?? 1)
    return `${value.toLocaleString('en-US')}${unit ? ` ${unit.suffix}` : ''}`
  }
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'array') return Number(issue.minimum) <= 1 ? 'Add at least one value' : `Add at least ${issue.minimum} values`
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'Required' : `At least ${issue.minimum} characters`
      return `At least ${shown(issue.minimum)}`
    case 'too_big':
      if (issue.origin === 'array') return `At most ${issue.maximum} values`
      if (issue.origin === 'string') return `At most ${issue.maximum} characters`
      return `At most ${shown(issue.maximum)}`
    case 'invalid_type':
      if (issue.expected === 'int') return 'Enter a whole number'
      if (issue.expected === 'number') return 'Enter a number'
      return issue.message
    case 'invalid_value':
      return issue.values ? `Choose one of ${issue.values.map(String).join(', ')}` : issue.message
    default:
      return issue.message
  }
}

/** Field key for an issue path: `['params', 'n']` → `params.n`. */
export function fieldKey(path: readonly PropertyKey[]): string {
  return path.map(String).join('.')
}

/**
 * Turns schema issues into field errors (the first issue per field wins: it is usually the most
 * basic one). Issues on the object itself land under the empty key.
 */
export function fieldErrorsFromIssues(issues: readonly SchemaIssue[], units: Record<string, FieldUnit> = {}): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of issues) {
    const key = fieldKey(issue.path)
    errors[key] ??= describeIssue(issue, units[key])
  }
  return errors
}

/**
 * Splits the `issues` of an `invalid-payload` refusal into errors for fields the form shows and
 * general lines for the rest. Paths come as main formats them (`params.n`, `workers[0]`,
 * `env["odd key"]`); an issue inside a field the form edits whole lands on that field.
 */
export function mapServerIssues(
  issues: readonly { path: string; message: string }[],
  knownFields: readonly string[]
): { fieldErrors: FieldErrors; general: string[] } {
  const known = new Set(knownFields)
  const fieldErrors: FieldErrors = {}
  const general: string[] = []
  for (const issue of issues) {
    const key = normalizeIssuePath(issue.path)
    // `workers.3` (one entry of a list the form edits as one text field) belongs to `workers`.
    const segments = key.split('.')
    let field: string | undefined
    for (let n = segments.length; n > 0 && field === undefined; n--) {
      const prefix = segments.slice(0, n).join('.')
      if (known.has(prefix)) field = prefix
    }
    if (field !== undefined) fieldErrors[field] ??= issue.message
    else general.push(key ? `${key}: ${issue.message}` : issue.message)
  }
  return { fieldErrors, general }
}

/**
 * The form errors of a failed request: its refusal's issues mapped onto `knownFields` (see
 * `mapServerIssues`), or `undefined` when the error carries no issues (the form keeps its errors).
 */
export function serverFormErrors(error: unknown, knownFields: readonly string[]): { fieldErrors: FieldErrors; general: string[] } | undefined {
  const { issues } = describeError(error)
  return issues.length > 0 ? mapServerIssues(issues, knownFields) : undefined
}

/** `workers[0]` → `workers.0`, `env["a b"]` → `env.a b`, `/params/n` → `params.n`. */
export function normalizeIssuePath(path: string): string {
  return path
    .split(/[./[\]]+/)
    .map((segment) => segment.replace(/^"(.*)"$/, '$1'))
    .filter((segment) => segment !== '')
    .join('.')
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0
}
