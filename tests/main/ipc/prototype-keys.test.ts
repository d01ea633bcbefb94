import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../../main/ipc/dispatcher'
import { findPrototypeKey } from '../../../main/ipc/prototype-keys'
import { createCountingHandlers } from '../../fuzz/counting-handlers'

describe('findPrototypeKey', () => {
  it('finds an own __proto__ key at any depth and gives its path', () => {
    expect(findPrototypeKey(JSON.parse('{"__proto__":1}'))).toEqual(['__proto__'])
    expect(findPrototypeKey(JSON.parse('{"params":{"n":1,"__proto__":{"x":1}}}'))).toEqual(['params', '__proto__'])
    expect(findPrototypeKey(JSON.parse('{"argv":["a",{"__proto__":null}]}'))).toEqual(['argv', 1, '__proto__'])
  })

  it('ignores the inherited __proto__ every object has, and other prototype names', () => {
    expect(findPrototypeKey({ a: { b: [1, 2] } })).toBeUndefined()
    expect(findPrototypeKey(JSON.parse('{"constructor":1,"prototype":{"toString":2}}'))).toBeUndefined()
    expect(findPrototypeKey(null)).toBeUndefined()
    expect(findPrototypeKey('__proto__')).toBeUndefined()
  })

  it('walks 100,000 levels of nesting without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)
    expect(findPrototypeKey(deep)).toBeUndefined()
  })

  it('visits a shared or cyclic object once', () => {
    const shared: Record<string, unknown> = {}
    shared.self = shared
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, shared]))
    expect(findPrototypeKey(wide)).toBeUndefined()
  })
})

describe('bug: a __proto__ key in a record was dropped silently by zod, and the request ran', () => {
  it('refuses run:start params with a __proto__ key by name, running nothing', async () => {
    const counting = createCountingHandlers()
    const dispatch = createDispatcher(counting.handlers)
    const args = JSON.parse('{"taskId":"hello","workers":1,"params":{"__proto__":{"n":5}}}')
    expect(await dispatch('run:start', args, { senderId: 'test' })).toEqual({
      ok: false,
      error: {
        code: 'invalid-payload',
        message: 'params.__proto__: is not an accepted field',
        issues: [{ path: 'params.__proto__', message: 'is not an accepted field' }]
      }
    })
    expect(counting.totalRuns()).toBe(0)
  })

  it('refuses a launch:start env with a __proto__ key', async () => {
    const counting = createCountingHandlers()
    const reply = await createDispatcher(counting.handlers)('launch:start', JSON.parse('{"argv":["id"],"env":{"__proto__":"x"}}'), { senderId: 'test' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-payload', issues: [{ path: 'env.__proto__' }] } })
    expect(counting.totalRuns()).toBe(0)
  })

  it('still names a wrong type as such when the wrong value holds a __proto__ key', async () => {
    const reply = await createDispatcher(createCountingHandlers().handlers)('launch:get', JSON.parse('{"launchId":"a","tailLines":{"__proto__":1}}'), { senderId: 'test' })
    expect(reply).toMatchObject({ ok: false, error: { issues: [{ path: 'tailLines', message: 'must be an integer, got an object' }] } })
  })
})
