/**
 * Element types of shared values and arrays, Python's typecodes spelled out (`'i'` is `int32`,
 * `'d'` is `float64`). Both backends store elements in the typed array of that type, so a value
 * wraps or rounds the same way whichever backend holds it.
 */
import { InvalidArgumentError } from '../core/errors'

const constructors = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array
} as const

/** An element type of shared numbers. */
export type NumericType = keyof typeof constructors

/** The typed array that holds elements of some `NumericType`. */
export type NumericArray = InstanceType<(typeof constructors)[NumericType]>

/** Every `NumericType`, for messages and forms. */
export const NUMERIC_TYPES = Object.keys(constructors) as NumericType[]

/** `type` if it is a `NumericType`, else `InvalidArgumentError` listing them. */
export function checkNumericType(type: unknown): NumericType {
  if (typeof type !== 'string' || !Object.hasOwn(constructors, type)) {
    throw new InvalidArgumentError(`type must be one of ${NUMERIC_TYPES.join(', ')}`)
  }
  return type as NumericType
}

/** A typed array of `type` over `buffer` (shared memory) or, without one, over fresh private memory. */
export function numericArray(type: NumericType, length: number, buffer?: SharedArrayBuffer): NumericArray {
  // One constructor per call, but TypeScript sees the union of all eight and intersects their
  // overloads; typed as one of them, the call is the same at run time.
  const Ctor = constructors[type] as Float64ArrayConstructor
  return (buffer ? new Ctor(buffer, 0, length) : new Ctor(length)) as NumericArray
}

/** Size of one element of `type`, in bytes. */
export function bytesPerElement(type: NumericType): number {
  return constructors[type].BYTES_PER_ELEMENT
}

/** Whether `type` holds integers (and so can be accessed with `Atomics`). */
export function isIntegerType(type: NumericType): boolean {
  return !type.startsWith('float')
}
