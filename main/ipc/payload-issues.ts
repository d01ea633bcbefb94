/**
 * Turns zod's issues into sentences a person filling a form can act on: one per bad field, named
 * by its path, saying what the field must be and what it got ("workers: must be an integer ≥ 1").
 * zod's own messages ("Too small: expected number to be >=1") describe the check, not the field, and
 * a single huge number trips two checks (safe integer range and our maximum) for the same field.
 */
import { z } from 'zod'
import type { ContractErrorPayload } from '../../shared/contract'

/** One bad field: `path` like `workers` or `env.HOME` or `workers[0]`, `''` for the whole object. */
export type PayloadIssue = NonNullable<ContractErrorPayload['issues']>[number]

/** Field names longer than this are cut in messages, so a hostile 1 MiB key is not echoed back. */
const MAX_KEY_CHARS = 40
/** More bad fields than this are summarised: the reply stays small whatever was sent. */
const MAX_ISSUES = 20

type Issue = z.core.$ZodIssue
type Key = PropertyKey

/**
 * Describes why `schema` refused an input, one entry per bad field, in path order of appearance.
 * Pass issues from `safeParse(input, { reportInput: true })` so messages can say what was received.
 */
export function describeIssues(schema: z.ZodType, issues: readonly Issue[]): PayloadIssue[] {
  const byPath = new Map<string, string>()
  for (const issue of issues) {
    for (const [path, message] of explain(schema, issue)) {
      // The first reason per field wins: later ones are consequences of the same bad value.
      const key = formatPath(path)
      if (!byPath.has(key)) byPath.set(key, message)
    }
  }
  const described = [...byPath].map(([path, message]) => ({ path, message }))
  if (described.length <= MAX_ISSUES) return described
  const rest = described.length - MAX_ISSUES
  return [...described.slice(0, MAX_ISSUES), { path: '', message: `and ${rest} more bad field${rest === 1 ? '' : 's'}` }]
}

/** Joins issues into the one-line `message` of an `invalid-payload` error. */
export function summarizeIssues(issues: readonly PayloadIssue[]): string {
  return issues.map((issue) => `${issue.path === '' ? 'arguments' : issue.path}: ${issue.message}`).join('; ')
}

/** `['env', 'HOME']` → `env.HOME`, `['workers', 0]` → `workers[0]`, odd keys quoted. */
export function formatPath(path: readonly Key[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else {
      const name = String(key)
      const cut = name.length > MAX_KEY_CHARS ? `${name.slice(0, MAX_KEY_CHARS)}…` : name
      out += /^[A-Za-z_$][\w$-]*$/.test(name) ? (out === '' ? cut : `.${cut}`) : `[${JSON.stringify(cut)}]`
    }
  }
  return out
}

function explain(schema: z.ZodType, issue: Issue): [readonly Key[], string][] {
  const path = issue.path
  const target = schemaAt(schema, path)
  const input = (issue as { input?: unknown }).input
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => [[...path, key], 'is not an accepted field'])
    case 'invalid_type':
      return [[path, input === undefined ? 'is required' : `must be ${expectedNoun(issue.expected, target)}, got ${describeValue(input)}`]]
    case 'too_small':
      return [[path, tooSmall(issue, target)]]
    case 'too_big':
      return [[path, tooBig(issue, target)]]
    case 'invalid_value':
      if (input === undefined) return [[path, 'is required']]
      return [[path, `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(input)}`]]
    case 'invalid_format':
      // The contract's own regex messages ("must be kebab-case …") are already sentences; zod's
      // defaults start with "Invalid".
      return [[path, issue.message.startsWith('Invalid') ? `must be a valid ${issue.format}` : issue.message]]
    case 'invalid_key': {
      const inner = issue.issues[0]
      const reason = inner === undefined ? 'is not accepted' : (explain(z.string(), inner)[0]?.[1] ?? inner.message)
      return [[path, `key ${reason}`]]
    }
    default:
      return [[path, issue.message]]
  }
}

function tooSmall(issue: z.core.$ZodIssueTooSmall, target: z.ZodType | undefined): string {
  const minimum = Number(issue.minimum)
  switch (issue.origin) {
    case 'string':
      return minimum <= 1 ? 'must not be empty' : `must be at least ${minimum} characters`
    case 'array':
    case 'set':
      return `must have at least ${minimum} item${minimum === 1 ? '' : 's'}`
    default: {
      const number = target instanceof z.ZodNumber ? target : undefined
      // Report the field's own bound, not the safe-integer bound zod checks first.
      const bound = number?.minValue != null && Number.isFinite(number.minValue) ? number.minValue : minimum
      return `must be ${number?.isInt ? 'an integer ' : ''}${issue.inclusive ? '≥' : '>'} ${bound}`
    }
  }
}

function tooBig(issue: z.core.$ZodIssueTooBig, target: z.ZodType | undefined): string {
  const maximum = Number(issue.maximum)
  switch (issue.origin) {
    case 'string':
      return `must be at most ${maximum} characters`
    case 'array':
    case 'set':
      return `must have at most ${maximum} item${maximum === 1 ? '' : 's'}`
    default: {
      const number = target instanceof z.ZodNumber ? target : undefined
      const bound = number?.maxValue != null && Number.isFinite(number.maxValue) ? number.maxValue : maximum
      return `must be ${number?.isInt ? 'an integer ' : ''}${issue.inclusive ? '≤' : '<'} ${bound}`
    }
  }
}

function expectedNoun(expected: string, target: z.ZodType | undefined): string {
  if (expected === 'int' || (target instanceof z.ZodNumber && target.isInt)) return 'an integer'
  switch (expected) {
    case 'object':
      return 'an object'
    case 'array':
      return 'a list'
    case 'boolean':
      return 'true or false'
    case 'number':
      return 'a number'
    case 'string':
      return 'a string'
    default:
      return `a ${expected}`
  }
}

/** What was received, short enough to echo: never the whole of a long string. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  switch (typeof value) {
    case 'number':
      return String(value)
    case 'string':
      return value.length <= MAX_KEY_CHARS ? JSON.stringify(value) : `a string of ${value.length} characters`
    case 'boolean':
      return String(value)
    case 'undefined':
      return 'nothing'
    case 'object':
      return 'an object'
    default:
      return `a ${typeof value}`
  }
}

/** The schema that checks the value at `path`, looking through optional and default wrappers. */
function schemaAt(schema: z.ZodType, path: readonly Key[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema)
  for (const key of path) {
    if (current instanceof z.ZodObject) {
      const shape = current.shape as Record<string, z.ZodType>
      current = Object.hasOwn(shape, key) ? shape[String(key)] : undefined
    }
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType
    else return undefined
    current = current === undefined ? undefined : unwrap(current)
  }
  return current
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType
  }
  return current
}
