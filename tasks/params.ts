/**
 * Parameter schema helpers: every bound carries a message that reads after the parameter's name
 * ("n must be an integer ≥ 1"), and schemas describe themselves as `ParamSpec`s for forms.
 */
import type { z as Zod } from 'zod'
import type { ParamSpec } from '../shared/contract'

let loadedZod: typeof Zod | undefined

/**
 * zod, loaded the first time a schema is built. A task's module is also what a worker loads for
 * its functions, and zod (95 files) took 45 ms of the start of every worker a run preloads it in;
 * workers never validate, so they never load it. Schemas are built by `defineTask`'s `params`
 * factory and these helpers, on first use in the parent.
 */
export function zod(): typeof Zod {
  return (loadedZod ??= (require('zod') as typeof import('zod')).z)
}

export function integer(options: { min: number; max: number; default: number | (() => number); description: string }) {
  const msg = `must be an integer between ${options.min} and ${options.max}`
  const lower = options.min === 1 || options.min === 0 ? `must be an integer ≥ ${options.min}` : msg
  return zod()
    .number({ error: lower })
    .int({ error: lower })
    .min(options.min, { error: lower })
    .max(options.max, { error: `must be ≤ ${options.max}` })
    .default(options.default as number)
    .describe(options.description)
}

export function number(options: { min: number; max: number; default: number; description: string }) {
  const msg = `must be a number between ${options.min} and ${options.max}`
  return zod()
    .number({ error: msg })
    .min(options.min, { error: msg })
    .max(options.max, { error: msg })
    .default(options.default)
    .describe(options.description)
}

export function choice<const T extends readonly [string, ...string[]]>(values: T, options: { default: T[number]; description: string }) {
  return zod()
    .enum(values, { error: `must be one of ${values.join(', ')}` })
    .default(options.default as never)
    .describe(options.description)
}

export function text(options: { default: string; maxLength: number; description: string }) {
  return zod()
    .string({ error: 'must be text' })
    .max(options.maxLength, { error: `must be at most ${options.maxLength} characters` })
    .default(options.default)
    .describe(options.description)
}

export function flag(options: { default: boolean; description: string }) {
  return zod().boolean({ error: 'must be true or false' }).default(options.default).describe(options.description)
}

export function textList(options: { default: string[]; maxItems: number; description: string }) {
  const z = zod()
  return z
    .array(z.string({ error: 'must be a list of text' }).max(4096), { error: 'must be a list of text' })
    .max(options.maxItems, { error: `must have at most ${options.maxItems} items` })
    .default(options.default)
    .describe(options.description)
}

/** Describes an object schema's fields for forms and `poolscope tasks --json`. */
export function describeParams(schema: Zod.ZodObject): ParamSpec[] {
  const json = zod().toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonField>
  }
  return Object.entries(json.properties ?? {}).map(([name, field]) => toSpec(name, field))
}

interface JsonField {
  type?: string
  enum?: string[]
  default?: unknown
  minimum?: number
  maximum?: number
  description?: string
  items?: { type?: string }
}

function toSpec(name: string, field: JsonField): ParamSpec {
  const base = { name, description: field.description ?? '', default: field.default }
  if (field.enum) return { ...base, type: 'enum', options: field.enum }
  if (field.type === 'integer' || field.type === 'number') {
    return { ...base, type: field.type, min: field.minimum, max: field.maximum }
  }
  if (field.type === 'boolean') return { ...base, type: 'boolean' }
  if (field.type === 'array') return { ...base, type: 'string-list' }
  return { ...base, type: 'string' }
}

/** "n must be an integer ≥ 1; delayMs must be ≤ 60000" */
export function formatIssues(error: Zod.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.join('.')
      if (issue.code === 'unrecognized_keys') return `unknown parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
      return field ? `${field} ${issue.message}` : issue.message
    })
    .join('; ')
}

/**
 * Converts `name=value` strings from the command line to typed values by the schema's field types,
 * before validation (which then names any bad field).
 */
export function coerceParam(spec: ParamSpec | undefined, raw: string): unknown {
  if (!spec) return raw
  switch (spec.type) {
    case 'integer':
    case 'number':
      return raw.trim() === '' ? raw : Number(raw)
    case 'boolean':
      return raw === 'true' || raw === '1' || raw === 'yes' ? true : raw === 'false' || raw === '0' || raw === 'no' ? false : raw
    case 'string-list':
      return raw === '' ? [] : raw.split(',').map((s) => s.trim())
    default:
      return raw
  }
}
