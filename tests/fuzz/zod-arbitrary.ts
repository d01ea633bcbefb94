/**
 * fast-check generators read off a zod schema, so every request channel of the contract is fuzzed
 * from its own schema and a new channel is covered without a line of test code:
 *
 * - {@link validArbitrary}: values of the schema's shape (refinements aside: filter with the
 *   schema when it has any);
 * - {@link invalidArbitrary}: a value that breaks exactly one field **by construction**, not by
 *   asking zod, and the path of that field, so a test can check the refusal names it.
 *
 * A schema kind this file does not know fails loudly, naming the kind and where it sits, rather
 * than fuzzing a channel with nothing.
 */
import fc from 'fast-check'
import type { z } from 'zod'
import { hugeString, HUGE_ITEMS, PROTOTYPE_KEYS, withOwnKey, wrongType, type JsonKind } from './hostile-values'

/** Where a value sits inside the payload: object keys and array indexes. */
export type FieldPath = (string | number)[]

/** A payload broken in one place, and that place. */
export interface InvalidCase {
  value: unknown
  /** The field the refusal must name; `[]` is the payload itself. */
  path: FieldPath
  /** What was broken, for failure messages: "too long", "extra key", … */
  breakage: string
}

interface Def {
  type: string
  checks?: { _zod: { def: { check: string; minimum?: number; maximum?: number; format?: string; pattern?: RegExp } } }[]
  innerType?: z.ZodType
  in?: z.ZodType
  shape?: Record<string, z.ZodType>
  catchall?: z.ZodType
  element?: z.ZodType
  keyType?: z.ZodType
  valueType?: z.ZodType
  options?: z.ZodType[]
  entries?: Record<string, string | number>
  values?: unknown[]
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def
}

/** Length bounds and regexes of a string or array schema. */
function lengthChecks(schema: z.ZodType): { min: number; max: number; patterns: RegExp[] } {
  let min = 0
  let max = Number.POSITIVE_INFINITY
  const patterns: RegExp[] = []
  for (const check of defOf(schema).checks ?? []) {
    const d = check._zod.def
    if (d.check === 'min_length' && d.minimum !== undefined) min = Math.max(min, d.minimum)
    if (d.check === 'max_length' && d.maximum !== undefined) max = Math.min(max, d.maximum)
    if (d.check === 'string_format' && d.format === 'regex' && d.pattern) patterns.push(d.pattern)
  }
  return { min, max, patterns }
}

function numberBounds(schema: z.ZodType): { min: number; max: number; isInt: boolean } {
  const n = schema as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean }
  return {
    min: n.minValue ?? Number.NEGATIVE_INFINITY,
    max: n.maxValue ?? Number.POSITIVE_INFINITY,
    isInt: n.isInt
  }
}

/** Whether an object field may be left out (optional, or filled in by a default). */
function isOmittable(schema: z.ZodType): boolean {
  const type = defOf(schema).type
  return type === 'optional' || type === 'default'
}

function unsupported(schema: z.ZodType, path: FieldPath): never {
  throw new Error(`fuzz: no generator for a zod "${defOf(schema).type}" at ${JSON.stringify(path)}; extend tests/fuzz/zod-arbitrary.ts`)
}

/** The schema inside a wrapper that adds at most `undefined` or `null` to what it accepts. */
function innerOf(def: Def): z.ZodType | undefined {
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') return def.innerType
  return def.type === 'pipe' ? def.in : undefined
}

/** Values the schema accepts, as far as its shape goes (filter with the schema for refinements). */
export function validArbitrary(schema: z.ZodType, path: FieldPath = []): fc.Arbitrary<unknown> {
  const def = defOf(schema)
  const inner = innerOf(def)
  if (inner) return validArbitrary(inner, path)
  switch (def.type) {
    case 'unknown':
    case 'any':
      // The gatekeeper refuses a `__proto__` key anywhere (see main/ipc/prototype-keys.ts).
      return fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v).includes('"__proto__":'))
    case 'boolean':
      return fc.boolean()
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries!))
    case 'literal':
      return fc.constantFrom(...def.values!)
    case 'string': {
      const { min, max, patterns } = lengthChecks(schema)
      const fits = (s: string) => s.length >= min && s.length <= max && patterns.every((p) => p.test(s))
      if (patterns.length > 0) return fc.stringMatching(patterns[0]!).map((s) => s.slice(0, max)).filter(fits)
      // Odd but valid text: lone surrogates and NUL are still strings.
      return fc.oneof(fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, 40) }), fc.constant('x'.repeat(Math.min(max, 2_000))).filter(fits))
    }
    case 'number': {
      const { min, max, isInt } = numberBounds(schema)
      if (isInt) {
        const lo = Math.max(min, Number.MIN_SAFE_INTEGER)
        const hi = Math.min(max, Number.MAX_SAFE_INTEGER)
        // -0 passes `min(0)`: it must run the handler like 0, not break it.
        return lo <= 0 && hi >= 0 ? fc.oneof(fc.integer({ min: lo, max: hi }), fc.constant(-0)) : fc.integer({ min: lo, max: hi })
      }
      return fc.double({ min: Math.max(min, -Number.MAX_VALUE), max: Math.min(max, Number.MAX_VALUE), noNaN: true, noDefaultInfinity: true })
    }
    case 'array': {
      const { min, max } = lengthChecks(schema)
      return fc.array(validArbitrary(def.element!, [...path, 0]), { minLength: min, maxLength: Math.min(max, min + 6) })
    }
    case 'record': {
      const { max } = lengthChecks(def.keyType!)
      const key = fc.string({ maxLength: Math.min(max, 20) }).filter((k) => k !== '__proto__')
      return fc.dictionary(key, validArbitrary(def.valueType!, [...path, '*']), { maxKeys: 5, noNullPrototype: true })
    }
    case 'object': {
      const shape = def.shape!
      const model = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, validArbitrary(field, [...path, key])]))
      const requiredKeys = Object.keys(shape).filter((key) => !isOmittable(shape[key]!))
      const record = fc.record(model, { requiredKeys, noNullPrototype: true })
      // A refinement across fields ("exactly one of taskId or command") is the schema's to judge.
      return (def.checks ?? []).length > 0 ? record.filter((value) => schema.safeParse(value).success) : record
    }
    case 'union':
      return fc.oneof(...def.options!.map((option) => validArbitrary(option, path)))
    default:
      return unsupported(schema, path)
  }
}

/** The JSON kinds a schema accepts, so that {@link wrongType} picks from the others. */
function acceptedKinds(schema: z.ZodType): JsonKind[] {
  const def = defOf(schema)
  switch (def.type) {
    case 'optional':
    case 'default':
      return acceptedKinds(def.innerType!)
    case 'nullable':
      return [...acceptedKinds(def.innerType!), 'null']
    case 'pipe':
      return acceptedKinds(def.in!)
    case 'enum':
    case 'literal':
      return ['string', 'number']
    case 'string':
    case 'number':
    case 'boolean':
    case 'array':
    case 'object':
      return [def.type]
    case 'record':
      return ['object']
    case 'union':
      return def.options!.flatMap(acceptedKinds)
    default:
      return ['string', 'number', 'boolean', 'array', 'object', 'null']
  }
}

/**
 * A value the schema must refuse, broken in one place, or `undefined` when the schema accepts
 * anything (`z.unknown()`).
 */
export function invalidArbitrary(schema: z.ZodType, path: FieldPath = []): fc.Arbitrary<InvalidCase> | undefined {
  const arbitrary = invalidCases(schema, path)
  return arbitrary?.map((broken) => Object.assign(broken, { [fc.toStringMethod]: () => describeCase(broken) }))
}

/** A counterexample in a few hundred characters, not the whole 100,000-character value. */
function describeCase(broken: InvalidCase): string {
  let json: string
  try {
    json = JSON.stringify(broken.value) ?? String(broken.value)
  } catch {
    json = String(broken.value)
  }
  const shown = json.length > 400 ? `${json.slice(0, 400)}… (${json.length} characters)` : json
  const path = JSON.stringify(broken.path.map((key) => (typeof key === 'string' && key.length > 40 ? `${key.slice(0, 40)}… (${key.length} characters)` : key)))
  return `${broken.breakage} at ${path}: ${shown}`
}

function invalidCases(schema: z.ZodType, path: FieldPath): fc.Arbitrary<InvalidCase> | undefined {
  const def = defOf(schema)
  const inner = innerOf(def)
  if (inner) return def.type === 'nullable' ? invalidCases(inner, path)?.filter((c) => c.value !== null) : invalidCases(inner, path)
  const at = (breakage: string) => (value: unknown): InvalidCase => ({ value, path, breakage })
  const kinds = acceptedKinds(schema)
  const wrong = kinds.length >= 6 ? undefined : wrongType(kinds).map(at('wrong type'))
  const cases: fc.Arbitrary<InvalidCase>[] = wrong ? [wrong] : []
  switch (def.type) {
    case 'unknown':
    case 'any':
      return undefined
    case 'boolean':
      break
    case 'enum':
    case 'literal': {
      const allowed = new Set<unknown>(def.type === 'enum' ? Object.values(def.entries!) : def.values)
      cases.push(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...[...allowed].map((v) => `${String(v).toUpperCase()} `))).filter((s) => !allowed.has(s)).map(at('not one of the options')))
      break
    }
    case 'string': {
      const { min, max, patterns } = lengthChecks(schema)
      if (min > 0) cases.push(fc.string({ maxLength: min - 1 }).map(at('too short')))
      if (Number.isFinite(max)) {
        const over = fc.integer({ min: max + 1, max: Math.max(max + 1, HUGE_ITEMS) })
        cases.push(fc.tuple(fc.constantFrom('a', 'é', '\ud800'), over).map(([char, length]) => char.repeat(length)).map(at('too long')))
      }
      for (const pattern of patterns) {
        cases.push(
          fc
            .oneof(fc.string({ unit: 'binary', minLength: Math.max(min, 1), maxLength: Math.min(max, 30) }), fc.constantFrom('UPPER', '-lead', 'a b', 'a/b', '..', 'a\u0000', '\ud800', '__proto__'))
            .filter((s) => s.length >= min && s.length <= max && !pattern.test(s))
            .map(at('does not match the pattern'))
        )
      }
      break
    }
    case 'number': {
      const { min, max, isInt } = numberBounds(schema)
      cases.push(fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY).map(at('not finite')))
      // The filters drop -0 next to a bound of 0: it is not below 0, and `min(0)` accepts it.
      if (Number.isFinite(min)) cases.push(fc.double({ max: min, maxExcluded: true, noNaN: true, noDefaultInfinity: true }).filter((v) => v < min).map(at('below the minimum')))
      if (Number.isFinite(max)) cases.push(fc.double({ min: max, minExcluded: true, noNaN: true, noDefaultInfinity: true }).filter((v) => v > max).map(at('above the maximum')))
      if (isInt) {
        const lo = Math.max(min, -1e9)
        const hi = Math.min(max, 1e9)
        if (lo < hi) cases.push(fc.tuple(fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) - 1 }), fc.double({ min: 0.001, max: 0.999, noNaN: true })).map(([n, f]) => n + f).map(at('not an integer')))
      }
      break
    }
    case 'array': {
      const { min, max } = lengthChecks(schema)
      const element = smallestSample(validArbitrary(def.element!, [...path, 0]))
      if (min > 0) cases.push(fc.constant(new Array<unknown>(min - 1).fill(element)).map(at('too few items')))
      if (Number.isFinite(max)) cases.push(fc.integer({ min: max + 1, max: Math.max(max + 1, HUGE_ITEMS / 2) }).map((n) => new Array<unknown>(n).fill(element)).map(at('too many items')))
      const item = invalidCases(def.element!, [])
      if (item) {
        // At most `max` items in all: a list that is also too long might be refused for its length alone.
        const others = Math.min(Math.max(min - 1, 0), max - 1)
        cases.push(
          fc.tuple(fc.array(validArbitrary(def.element!), { minLength: others, maxLength: Math.min(others + 3, max - 1) }), item).chain(([items, bad]) =>
            fc.integer({ min: 0, max: items.length }).map((index): InvalidCase => {
              const value = [...items]
              value.splice(index, 0, bad.value)
              return { value, path: [...path, index, ...bad.path], breakage: `item ${bad.breakage}` }
            })
          )
        )
      }
      break
    }
    case 'record': {
      const { max: keyMax } = lengthChecks(def.keyType!)
      const base = validArbitrary(schema) as fc.Arbitrary<Record<string, unknown>>
      const someValue = smallestSample(validArbitrary(def.valueType!))
      if (Number.isFinite(keyMax)) {
        cases.push(fc.tuple(base, fc.integer({ min: keyMax + 1, max: Math.max(keyMax + 1, 5_000) })).map(([record, length]) => {
          const key = 'k'.repeat(length)
          return { value: { ...record, [key]: someValue }, path: [...path, key], breakage: 'key too long' }
        }))
      }
      // `__proto__` as a record key: zod drops it from its output, so unless refused it vanishes silently.
      cases.push(base.map((record) => ({ value: withOwnKey({ ...record }, '__proto__', someValue), path: [...path, '__proto__'], breakage: 'prototype key' })))
      const value = invalidCases(def.valueType!, [])
      if (value) {
        cases.push(fc.tuple(base, fc.string({ minLength: 1, maxLength: 10 }).filter((k) => k !== '__proto__'), value).map(([record, key, bad]) => ({
          value: withOwnKey({ ...record }, key, bad.value),
          path: [...path, key, ...bad.path],
          breakage: `value ${bad.breakage}`
        })))
      }
      break
    }
    case 'object': {
      const shape = def.shape!
      const base = validArbitrary(schema) as fc.Arbitrary<Record<string, unknown>>
      const required = Object.keys(shape).filter((key) => !isOmittable(shape[key]!))
      if (required.length > 0) {
        cases.push(fc.tuple(base, fc.constantFrom(...required)).map(([object, key]) => {
          const { [key]: _removed, ...rest } = object
          return { value: rest, path: [...path, key], breakage: 'required field missing' }
        }))
      }
      if (defOf(def.catchall ?? schema).type === 'never') {
        const extraKey = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ minLength: 1, maxLength: 12 }), hugeString.map((s) => s.slice(0, 5_000))).filter((k) => !Object.hasOwn(shape, k))
        cases.push(fc.tuple(base, extraKey, fc.jsonValue({ maxDepth: 2 })).map(([object, key, extra]) => ({
          value: withOwnKey({ ...object }, key, extra),
          path: [...path, key],
          breakage: 'extra key'
        })))
      }
      for (const [key, field] of Object.entries(shape)) {
        const bad = invalidCases(field, [])
        if (!bad) continue
        cases.push(fc.tuple(base, bad).map(([object, broken]) => ({
          value: withOwnKey({ ...object }, key, broken.value),
          path: [...path, key, ...broken.path],
          breakage: `${key}: ${broken.breakage}`
        })))
      }
      break
    }
    default:
      return unsupported(schema, path)
  }
  return fc.oneof(...cases)
}

/** A valid value with the shortest JSON, to fill a huge list without making a huge message. */
function smallestSample(arbitrary: fc.Arbitrary<unknown>): unknown {
  const samples = fc.sample(arbitrary, { numRuns: 20, seed: 1 })
  return samples.reduce((best, next) => ((JSON.stringify(next) ?? '').length < (JSON.stringify(best) ?? '').length ? next : best))
}
