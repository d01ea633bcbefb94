import { describe, expect, it } from 'vitest'
import type { ParamSpec } from '../../../../shared/contract'
import { coerceParam, coerceParams, initialFieldValue, initialFieldValues, parseOptionalNumber, splitList } from '../../../../renderer/src/lib/param-form'
import { task } from '../../fixtures'

const spec = (overrides: Partial<ParamSpec>): ParamSpec => ({ name: 'p', type: 'string', description: '', default: undefined, ...overrides })

describe('initialFieldValue', () => {
  it('shows each default the way its control holds it', () => {
    expect(initialFieldValue(spec({ type: 'integer', default: 42 }))).toBe('42')
    expect(initialFieldValue(spec({ type: 'boolean', default: true }))).toBe(true)
    expect(initialFieldValue(spec({ type: 'string-list', default: ['a', 'b'] }))).toBe('a, b')
    expect(initialFieldValue(spec({ type: 'enum', default: undefined, options: ['x', 'y'] }))).toBe('x')
    expect(initialFieldValue(spec({ type: 'number', default: undefined }))).toBe('')
  })

  it('covers every parameter of a task by name', () => {
    expect(initialFieldValues(task().params)).toEqual({ n: '1000', scale: '1.5', label: 'x', verbose: false, mode: 'fast', urls: 'a, b' })
  })
})

describe('coerceParam', () => {
  const integer = spec({ type: 'integer', min: 1, max: 1000 })

  it('turns integer text into a number within the bounds', () => {
    expect(coerceParam(integer, ' 250 ')).toEqual({ ok: true, value: 250 })
    expect(coerceParam(integer, '1_000')).toEqual({ ok: true, value: 1000 })
  })

  it('says in words what is wrong with a number', () => {
    expect(coerceParam(integer, '')).toEqual({ ok: false, error: 'Required' })
    expect(coerceParam(integer, 'ten')).toEqual({ ok: false, error: 'Enter a whole number' })
    expect(coerceParam(integer, '2.5')).toEqual({ ok: false, error: 'Enter a whole number' })
    expect(coerceParam(integer, '0')).toEqual({ ok: false, error: 'At least 1' })
    expect(coerceParam(integer, '5000')).toEqual({ ok: false, error: 'At most 1,000' })
    expect(coerceParam(spec({ type: 'number' }), 'x')).toEqual({ ok: false, error: 'Enter a number' })
  })

  it('accepts fractions for number parameters', () => {
    expect(coerceParam(spec({ type: 'number', min: 0 }), '0.25')).toEqual({ ok: true, value: 0.25 })
  })

  it('splits string lists on commas and drops empty items', () => {
    expect(coerceParam(spec({ type: 'string-list' }), ' a, b ,, c ')).toEqual({ ok: true, value: ['a', 'b', 'c'] })
    expect(splitList('')).toEqual([])
  })

  it('accepts only the offered enum options', () => {
    const choice = spec({ type: 'enum', options: ['fast', 'slow'] })
    expect(coerceParam(choice, 'slow')).toEqual({ ok: true, value: 'slow' })
    expect(coerceParam(choice, 'medium')).toEqual({ ok: false, error: 'Choose one of fast, slow' })
  })

  it('passes booleans and strings through', () => {
    expect(coerceParam(spec({ type: 'boolean' }), true)).toEqual({ ok: true, value: true })
    expect(coerceParam(spec({ type: 'string' }), '')).toEqual({ ok: true, value: '' })
  })
})

describe('coerceParams', () => {
  it('returns typed params, and errors keyed like the contract paths', () => {
    const values = { ...initialFieldValues(task().params), n: '0', mode: 'slow' }
    const { params, errors } = coerceParams(task().params, values)
    expect(errors).toEqual({ 'params.n': 'At least 1' })
    expect(params).toEqual({ scale: 1.5, label: 'x', verbose: false, mode: 'slow', urls: ['a', 'b'] })
  })
})

describe('parseOptionalNumber', () => {
  it('treats empty as not given and scales seconds to milliseconds', () => {
    expect(parseOptionalNumber('')).toEqual({ ok: true, value: undefined })
    expect(parseOptionalNumber('1.5', 1000)).toEqual({ ok: true, value: 1500 })
    expect(parseOptionalNumber('abc')).toEqual({ ok: false, error: 'Enter a number' })
  })
})
