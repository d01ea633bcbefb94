import type { ParamSpec } from '../../../shared/contract'

/** What a generated form control holds: text for inputs and selects, a flag for checkboxes. */
export type FieldValue = string | boolean

export type Coerced = { ok: true; value: unknown } | { ok: false; error: string }

/** The control's starting value for a parameter: its default, as the control shows it. */
export function initialFieldValue(spec: ParamSpec): FieldValue {
  const value = spec.default
  switch (spec.type) {
    case 'boolean':
      return value === true
    case 'string-list':
      return Array.isArray(value) ? value.map(String).join(', ') : typeof value === 'string' ? value : ''
    case 'enum':
      return typeof value === 'string' ? value : (spec.options?.[0] ?? '')
    default:
      return value === undefined || value === null ? '' : String(value)
  }
}

/** Initial values for every parameter of a task, keyed by parameter name. */
export function initialFieldValues(specs: readonly ParamSpec[]): Record<string, FieldValue> {
  return Object.fromEntries(specs.map((spec) => [spec.name, initialFieldValue(spec)]))
}

/** Field keys of a task's parameters as errors name them: `params.n`. */
export function paramFieldKeys(specs: readonly ParamSpec[]): string[] {
  return specs.map((spec) => `params.${spec.name}`)
}

/** Splits comma-separated text into trimmed, non-empty items. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/**
 * Turns a control's value into the typed value the task expects, or says in plain words what is
 * wrong with it. Bounds come from the spec, so the form and the task agree.
 */
export function coerceParam(spec: ParamSpec, raw: FieldValue): Coerced {
  switch (spec.type) {
    case 'boolean':
      return { ok: true, value: raw === true || raw === 'true' }
    case 'string':
      return { ok: true, value: String(raw) }
    case 'string-list':
      return { ok: true, value: splitList(String(raw)) }
    case 'enum': {
      const value = String(raw)
      const options = spec.options ?? []
      return options.includes(value) ? { ok: true, value } : { ok: false, error: `Choose one of ${options.join(', ')}` }
    }
    case 'integer':
    case 'number': {
      const text = String(raw).trim().replace(/[_\s]/g, '')
      if (text === '') return { ok: false, error: 'Required' }
      const value = Number(text)
      if (!Number.isFinite(value)) return { ok: false, error: spec.type === 'integer' ? 'Enter a whole number' : 'Enter a number' }
      if (spec.type === 'integer' && !Number.isInteger(value)) return { ok: false, error: 'Enter a whole number' }
      if (spec.min !== undefined && value < spec.min) return { ok: false, error: `At least ${spec.min.toLocaleString('en-US')}` }
      if (spec.max !== undefined && value > spec.max) return { ok: false, error: `At most ${spec.max.toLocaleString('en-US')}` }
      return { ok: true, value }
    }
  }
}

/**
 * Coerces every parameter; errors are keyed `params.<name>` like the contract's issue paths, so
 * local and server-side errors land on the same field.
 */
export function coerceParams(
  specs: readonly ParamSpec[],
  values: Readonly<Record<string, FieldValue>>
): { params: Record<string, unknown>; errors: Record<string, string> } {
  const params: Record<string, unknown> = {}
  const errors: Record<string, string> = {}
  for (const spec of specs) {
    const result = coerceParam(spec, values[spec.name] ?? initialFieldValue(spec))
    if (result.ok) params[spec.name] = result.value
    else errors[`params.${spec.name}`] = result.error
  }
  return { params, errors }
}

/**
 * Parses an optional numeric text field: empty means "not given". `scale` converts the shown unit
 * to the wire unit (seconds → ms is 1000); the result is rounded when scaled.
 */
export function parseOptionalNumber(text: string, scale = 1): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const trimmed = String(text).trim().replace(/[_\s]/g, '')
  if (trimmed === '') return { ok: true, value: undefined }
  const value = Number(trimmed)
  if (!Number.isFinite(value)) return { ok: false, error: 'Enter a number' }
  return { ok: true, value: scale === 1 ? value : Math.round(value * scale) }
}
