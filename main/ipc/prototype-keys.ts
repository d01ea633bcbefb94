/**
 * Finds an own `__proto__` key anywhere in a request. `JSON.parse` (and structured clone) make such
 * keys ordinary own properties, but zod's records skip them without a word, so
 * `params: { "__proto__": … }` used to pass as `params: {}`: a field the caller sent, silently
 * dropped instead of refused by name. Strict objects already report it; this covers the rest.
 */

/** Nesting deeper than this is not walked: no field is that deep, and its schema refuses such a value. */
const MAX_DEPTH = 10_000

interface Visit {
  value: unknown
  key: string | number | undefined
  parent: Visit | undefined
  depth: number
}

/** The path of the first own `__proto__` key in `value`, or `undefined` when there is none. */
export function findPrototypeKey(value: unknown): (string | number)[] | undefined {
  // Iterative, so a payload nested 100,000 deep cannot overflow the stack; paths are built only
  // for the key found, from parent links, so deep nesting costs no copying.
  // Structured clone (Electron IPC) carries cycles and shared branches: visit each object once.
  const seen = new Set<object>()
  const pending: Visit[] = [{ value, key: undefined, parent: undefined, depth: 0 }]
  while (pending.length > 0) {
    const visit = pending.pop()!
    const current = visit.value
    if (current === null || typeof current !== 'object' || visit.depth > MAX_DEPTH || seen.has(current)) continue
    seen.add(current)
    if (!Array.isArray(current) && Object.hasOwn(current, '__proto__')) return [...pathOf(visit), '__proto__']
    const entries: [string | number, unknown][] = Array.isArray(current) ? current.map((item, index) => [index, item]) : Object.entries(current)
    for (const [key, item] of entries) {
      if (item !== null && typeof item === 'object') pending.push({ value: item, key, parent: visit, depth: visit.depth + 1 })
    }
  }
  return undefined
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = []
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) path.unshift(at.key)
  return path
}
