/**
 * Checks for arguments that arrive from task code, often over JSON. JSON turns an `undefined`
 * element of an argument list into `null`, so "not given" is either of the two.
 */
import { InvalidArgumentError } from './errors'

/** A wait limit in ms: `undefined` waits for ever, `0` does not wait. */
export function timeoutArg(value: unknown, name = 'timeoutMs'): number | undefined {
  if (value === undefined || value === null || value === Infinity) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a number ≥ 0 (or left out to wait for ever)`)
  }
  return value
}

/** An integer of at least `min`; `name` goes into the error. */
export function integerArg(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`)
  }
  return value
}
