/**
 * Values an attacker (or a broken client) sends instead of a payload: wrong types, huge strings and
 * arrays, deep nesting, prototype keys, odd numbers and broken text. All of them survive
 * {@link toWireJson}, so the same cases go through the dispatcher and over the WebSocket.
 */
import fc from 'fast-check'

/** Longest generated string or array: big enough to hurt, small enough for one 1 MiB frame. */
export const HUGE_ITEMS = 100_000
/** Deepest generated nesting: JSON.stringify (the test's, not the server's) overflows near 10,000. */
export const DEEP_LEVELS = 2_000

/** Keys that reach `Object.prototype` if a parser or a copy is careless. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const

/** Numbers that break naive checks: JSON cannot even carry some of them. */
export const specialNumber = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER + 2,
  1e21,
  -1e21,
  0.1 + 0.2
)

/** Text with lone surrogates, NUL, quotes, escapes and numbers-as-text. */
export const brokenText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\udfff', 'a\ud800b', '\ufeff', '"', '\\', 'NaN', '-0', '1e400', 'true', 'null', '{}', '[]', '../../etc/passwd', '<script>alert(1)</script>', ...PROTOTYPE_KEYS)
)

/** One character repeated up to {@link HUGE_ITEMS} times (generated in O(1), not char by char). */
export const hugeString = fc
  .tuple(fc.constantFrom('x', 'é', '\u{1F600}', '\ud800', '\u0000', '"', '-'), fc.integer({ min: 1_000, max: HUGE_ITEMS }))
  .map(([char, count]) => char.repeat(Math.ceil(count / char.length)))

/** An array of up to {@link HUGE_ITEMS} items of one cheap value. */
export const hugeArray = fc
  .tuple(fc.constantFrom<unknown>(0, 'x', null, true, {}), fc.integer({ min: 1_000, max: HUGE_ITEMS }))
  .map(([item, count]) => new Array<unknown>(count).fill(item))

/** Arrays or objects nested up to {@link DEEP_LEVELS} deep, built without recursion. */
export const deepNesting = fc.tuple(fc.integer({ min: 50, max: DEEP_LEVELS }), fc.boolean()).map(([levels, isArray]) => {
  let value: unknown = 1
  for (let i = 0; i < levels; i++) value = isArray ? [value] : { a: value }
  return value
})

/** An object whose own keys are prototype names, as `JSON.parse` makes them (own, not inherited). */
export const prototypeKeyObject = fc
  .tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ polluted: true })))
  .map(([key, value]) => withOwnKey({}, key, value))

/** The JSON kind a schema expects, so that everything else is a wrong type. */
export type JsonKind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null'

/** A value of any kind but `expected`: primitives, hostile strings, huge and deep values. */
export function wrongType(expected: readonly JsonKind[]): fc.Arbitrary<unknown> {
  const byKind: Record<JsonKind, fc.Arbitrary<unknown>[]> = {
    string: [brokenText, hugeString],
    number: [fc.integer(), fc.double(), specialNumber],
    boolean: [fc.boolean()],
    array: [fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), hugeArray, deepNesting.map((v) => [v])],
    object: [fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), prototypeKeyObject, deepNesting.map((v) => ({ a: v }))],
    null: [fc.constant(null)]
  }
  const choices = (Object.keys(byKind) as JsonKind[]).filter((kind) => !expected.includes(kind)).flatMap((kind) => byKind[kind])
  return fc.oneof(...choices)
}

/** The JSON kind of a value, as a schema sees it. */
export function jsonKindOf(value: unknown): JsonKind | 'other' {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  const type = typeof value
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'object' ? type : 'other'
}

/** `target` with an own enumerable property `key`, even when `key` is `__proto__`. */
export function withOwnKey<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true })
  return target
}

/**
 * JSON text for a value, keeping what `JSON.stringify` would lose: Infinity becomes `1e400` and -0
 * stays `-0` (both parse back to themselves); NaN, which JSON cannot write, becomes `null`.
 */
export function toWireJson(value: unknown): string {
  const marker = `@@fuzz-${Math.random().toString(36).slice(2)}@@`
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'number') return v
    if (v === Number.POSITIVE_INFINITY) return `${marker}inf`
    if (v === Number.NEGATIVE_INFINITY) return `${marker}-inf`
    if (Object.is(v, -0)) return `${marker}-0`
    return v
  })
  return text
    .replaceAll(`"${marker}inf"`, '1e400')
    .replaceAll(`"${marker}-inf"`, '-1e400')
    .replaceAll(`"${marker}-0"`, '-0')
}

/** What a value looks like after a trip through {@link toWireJson} and `JSON.parse`. */
export function throughWire(value: unknown): unknown {
  return JSON.parse(toWireJson(value))
}
