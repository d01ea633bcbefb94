/**
 * Index and value checks shared by both backends of `SharedArray`, so a bad index fails the same
 * way in shared memory and over the wire.
 */
import { IndexOutOfRangeError, InvalidArgumentError } from './errors'

/** Python's indexing: negative counts from the end. */
export function elementIndex(index: unknown, length: number): number {
  if (typeof index !== 'number' || !Number.isInteger(index)) throw new InvalidArgumentError('index must be an integer')
  const resolved = index < 0 ? index + length : index
  if (resolved < 0 || resolved >= length) throw new IndexOutOfRangeError(`index ${index} out of range (length ${length})`)
  return resolved
}

/** An element value: any number (the element type then wraps or rounds it). */
export function elementValue(value: unknown): number {
  if (typeof value !== 'number') throw new InvalidArgumentError('values must be numbers')
  return value
}

/** A whole array's worth of values, exactly `length` numbers. */
export function elementValues(values: unknown, length: number): number[] {
  if (!Array.isArray(values) || values.length !== length) {
    throw new InvalidArgumentError(`setAll() needs an array of exactly ${length} numbers`)
  }
  return values.map(elementValue)
}
