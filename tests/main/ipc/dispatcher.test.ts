import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { requestChannels, requests, type RequestArgs, type RequestChannel } from '../../../shared/contract'
import { createDispatcher, isRequestChannel, type Reply } from '../../../main/ipc/dispatcher'
import { createRecordingHandlers } from '../server/test-app'

const ctx = { senderId: 'test:1' }

/** One valid argument object per channel; the `satisfies` makes a new channel fail to compile here. */
const validArgs = {
  'app:info': {},
  'catalog:list': {},
  'run:start': { taskId: 'sum-squares', workers: 4 },
  'run:stop': { runId: 'run-1' },
  'run:list': {},
  'worker:kill': { runId: 'run-1', workerId: 0 },
  'monitor:history': { sinceMs: 0 },
  'monitor:configure': { rateHz: 2 },
  'bench:start': { taskId: 'sum-squares', workers: [1, 2] },
  'bench:cancel': { benchId: 'bench-1' },
  'bench:list': {},
  'bench:get': { id: 'bench-1' },
  'bench:export': { id: 'bench-1', format: 'csv' },
  'launch:start': { argv: ['echo', 'hi'] },
  'launch:signal': { launchId: 'launch-1', action: 'stop', scope: 'tree' },
  'launch:list': {},
  'launch:get': { launchId: 'launch-1', tailLines: 100 },
  'cluster:retry': { runId: 'a1b2c3d4e5f6', jobId: 'w1-7' }
} satisfies { [C in RequestChannel]: RequestArgs<C> }

function setup() {
  const { handlers, calls } = createRecordingHandlers()
  return { calls, dispatch: createDispatcher(handlers) }
}

function expectRefusal(reply: Reply, code: string) {
  expect(reply.ok).toBe(false)
  if (reply.ok) throw new Error('unreachable')
  expect(reply.error.code).toBe(code)
  return reply.error
}

/** A value of the wrong type for whatever `schema` accepts. */
function wrongTypeFor(schema: z.ZodType): unknown {
  const inner = unwrapped(schema)
  if (inner instanceof z.ZodNumber) return 'not a number'
  if (inner instanceof z.ZodString) return 12345
  if (inner instanceof z.ZodBoolean) return 'yes'
  if (inner instanceof z.ZodEnum) return 'no-such-choice'
  if (inner instanceof z.ZodArray) return { not: 'a list' }
  if (inner instanceof z.ZodRecord) return ['not', 'a', 'record']
  throw new Error(`no wrong value known for ${inner.constructor.name}`)
}

function fieldsOf(channel: RequestChannel): [string, z.ZodType][] {
  return Object.entries((requests[channel].args as unknown as z.ZodObject).shape) as [string, z.ZodType][]
}

function unwrapped(schema: z.ZodType): z.ZodType {
  let inner = schema
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType
  return inner
}

function isNumberField(schema: z.ZodType): boolean {
  return unwrapped(schema) instanceof z.ZodNumber
}

function hasMaximum(schema: z.ZodType): boolean {
  const inner = unwrapped(schema)
  return inner instanceof z.ZodNumber && inner.maxValue !== null && inner.maxValue < Number.MAX_VALUE
}

describe('createDispatcher', () => {
  it('answers a valid request with the handler value', async () => {
    const { dispatch } = setup()
    expect(await dispatch('run:start', validArgs['run:start'], ctx)).toEqual({ ok: true, value: { runId: 'run-1' } })
  })

  it('passes handlers the validated arguments with defaults filled in', async () => {
    const { dispatch, calls } = setup()
    await dispatch('run:start', { taskId: 'sum-squares', workers: 2 }, ctx)
    expect(calls).toContainEqual(['run:start', { taskId: 'sum-squares', workers: 2, params: {}, backend: 'process' }])
  })

  it('treats missing arguments as an empty argument object', async () => {
    const { dispatch } = setup()
    const reply = await dispatch('app:info', undefined, ctx)
    expect(reply.ok).toBe(true)
  })

  it.each([['nope'], [''], ['run:start '], ['constructor'], ['__proto__'], ['toString'], [42], [null], [undefined], [{}], [['run:start']]])(
    'refuses the unknown channel %j with unknown-channel',
    async (channel) => {
      const { dispatch, calls } = setup()
      expectRefusal(await dispatch(channel, {}, ctx), 'unknown-channel')
      expect(calls).toEqual([])
    }
  )

  it('says which field is wrong and why, in the words of the field', async () => {
    const { dispatch } = setup()
    const error = expectRefusal(await dispatch('run:start', { taskId: 'sum-squares', workers: 0 }, ctx), 'invalid-payload')
    expect(error.message).toBe('workers: must be an integer ≥ 1')
    expect(error.issues).toEqual([{ path: 'workers', message: 'must be an integer ≥ 1' }])
  })

  it('names every bad field in one reply', async () => {
    const { dispatch } = setup()
    const error = expectRefusal(
      await dispatch('run:start', { taskId: 'Not Kebab', workers: 1.5, backend: 'gpu', surprise: true }, ctx),
      'invalid-payload'
    )
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['backend', 'surprise', 'taskId', 'workers'])
    expect(error.message).toContain('workers: must be an integer, got 1.5')
    expect(error.message).toContain('backend: must be one of "process", "thread", "redis", got "gpu"')
    expect(error.message).toContain('surprise: is not an accepted field')
    expect(error.message).toContain('taskId: must be kebab-case')
  })

  it('reports a huge number once, against the field’s own bound', async () => {
    const { dispatch } = setup()
    const error = expectRefusal(await dispatch('run:start', { taskId: 'a', workers: 1e308 }, ctx), 'invalid-payload')
    expect(error.issues).toEqual([{ path: 'workers', message: 'must be an integer ≤ 256' }])
  })

  it('names list elements by index', async () => {
    const { dispatch } = setup()
    const error = expectRefusal(await dispatch('bench:start', { taskId: 'a', workers: [2, 0] }, ctx), 'invalid-payload')
    expect(error.issues).toEqual([{ path: 'workers[1]', message: 'must be an integer ≥ 1' }])
  })

  it('reports the contract’s cross-field rule', async () => {
    const { dispatch } = setup()
    const error = expectRefusal(await dispatch('bench:start', { workers: [1] }, ctx), 'invalid-payload')
    expect(error.message).toBe('taskId: give exactly one of taskId or command')
  })

  describe.each(requestChannels.map((channel) => [channel] as const))('for %s', (channel) => {
    it.each([[null], [[]], ['a string'], [42], [true]])('refuses %j as the argument object, naming the arguments', async (bad) => {
      const { dispatch, calls } = setup()
      const error = expectRefusal(await dispatch(channel, bad, ctx), 'invalid-payload')
      expect(error.issues).toEqual([{ path: '', message: expect.stringMatching(/^must be an object, got /) }])
      expect(error.message).toMatch(/^arguments: must be an object/)
      expect(calls).toEqual([])
    })

    it('refuses an extra field by name', async () => {
      const { dispatch } = setup()
      const error = expectRefusal(await dispatch(channel, { ...validArgs[channel], isAdmin: true }, ctx), 'invalid-payload')
      expect(error.issues).toContainEqual({ path: 'isAdmin', message: 'is not an accepted field' })
    })

    it('refuses a wrong type in each field, naming that field', async () => {
      for (const [field, schema] of fieldsOf(channel)) {
        const { dispatch, calls } = setup()
        const args = { ...validArgs[channel], [field]: wrongTypeFor(schema) }
        const error = expectRefusal(await dispatch(channel, args, ctx), 'invalid-payload')
        expect(error.issues?.map((i) => i.path), `${channel} ${field}`).toContain(field)
        expect(error.message).toContain(`${field}: `)
        expect(calls).toEqual([])
      }
    })

    it('refuses out-of-range, infinite and NaN numbers in each numeric field', async () => {
      for (const [field, schema] of fieldsOf(channel).filter(([, s]) => isNumberField(s))) {
        // 1e308 is refused wherever the contract sets a maximum; `sinceMs` has none, by design.
        const bads = [-1e308, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, ...(hasMaximum(schema) ? [1e308] : [])]
        for (const bad of bads) {
          const { dispatch } = setup()
          const error = expectRefusal(await dispatch(channel, { ...validArgs[channel], [field]: bad }, ctx), 'invalid-payload')
          expect(error.issues?.map((i) => i.path), `${channel} ${field}=${bad}`).toEqual([field])
        }
      }
    })

    it('refuses each missing required field as required', async () => {
      const required = fieldsOf(channel).filter(([, schema]) => !schema.safeParse(undefined).success)
      for (const [field] of required) {
        const { dispatch } = setup()
        const args: Record<string, unknown> = { ...validArgs[channel] }
        delete args[field]
        const error = expectRefusal(await dispatch(channel, args, ctx), 'invalid-payload')
        expect(error.issues).toContainEqual({ path: field, message: 'is required' })
      }
    })

    it('keeps answering valid requests after malformed ones', async () => {
      const { dispatch } = setup()
      for (const bad of [null, [], 'x', { ...validArgs[channel], extra: 1 }]) await dispatch(channel, bad, ctx)
      expect((await dispatch(channel, validArgs[channel], ctx)).ok, channel).toBe(channel !== 'bench:get')
    })
  })

  it('keeps a long hostile key out of the reply', async () => {
    const { dispatch } = setup()
    const key = 'k'.repeat(100_000)
    const error = expectRefusal(await dispatch('run:start', { taskId: 'a', workers: 1, params: { [key]: 1 } }, ctx), 'invalid-payload')
    expect(error.message.length).toBeLessThan(200)
    expect(error.message).toContain('key must be at most 64 characters')
  })

  it('passes the contract code of a domain error through', async () => {
    const { dispatch } = setup()
    const error = expectRefusal(await dispatch('run:stop', { runId: 'run-9' }, ctx), 'not-found')
    expect(error.message).toBe('no run run-9')
  })

  it('reports any other thrown error as failed with its message', async () => {
    const dispatch = createDispatcher({
      ...createRecordingHandlers().handlers,
      'run:list': () => {
        throw Object.assign(new Error('disk on fire'), { code: 'ENOENT' })
      },
      'bench:list': async () => {
        throw 'a bare string'
      }
    })
    expect(expectRefusal(await dispatch('run:list', {}, ctx), 'failed').message).toBe('disk on fire')
    expect(expectRefusal(await dispatch('bench:list', {}, ctx), 'failed').message).toBe('a bare string')
  })

  it('survives an error object whose message getter throws', async () => {
    const hostile = new Error('x')
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('gotcha')
      }
    })
    const dispatch = createDispatcher({
      ...createRecordingHandlers().handlers,
      'run:list': () => {
        throw hostile
      }
    })
    expectRefusal(await dispatch('run:list', {}, ctx), 'failed')
  })

  it('lets the policy refuse a validated request before its handler runs', async () => {
    const { handlers, calls } = createRecordingHandlers()
    const dispatch = createDispatcher(handlers, {
      authorize: (request) => (request.channel === 'run:start' ? { code: 'forbidden', message: 'not today' } : undefined)
    })
    expect(expectRefusal(await dispatch('run:start', validArgs['run:start'], ctx), 'forbidden').message).toBe('not today')
    expect(calls).toEqual([])
    expect((await dispatch('run:list', {}, ctx)).ok).toBe(true)
  })

  it('hands the handler the caller’s context', async () => {
    let seen: unknown
    const dispatch = createDispatcher({
      ...createRecordingHandlers().handlers,
      'run:list': (_args, context) => {
        seen = context
        return []
      }
    })
    await dispatch('run:list', {}, { senderId: 'ws:7' })
    expect(seen).toEqual({ senderId: 'ws:7' })
  })
})

describe('isRequestChannel', () => {
  it('accepts every contract channel and nothing inherited from Object', () => {
    for (const channel of requestChannels) expect(isRequestChannel(channel)).toBe(true)
    for (const name of ['constructor', '__proto__', 'hasOwnProperty', 'valueOf']) expect(isRequestChannel(name)).toBe(false)
  })
})
