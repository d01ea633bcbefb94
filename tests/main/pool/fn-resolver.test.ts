/** How workers resolve the function a unit names (`FnRef`), seen through a real pool. */
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TaskFailedError } from '../../../main/pool/errors'
import { registerWorkerModules, resolveRegisteredFn } from '../../../main/pool/fn-resolver'
import { InlinePool } from '../../../main/pool/inline-pool'
import { poolFixture, repoRoot } from '../../helpers/paths'
import { usePools } from '../../helpers/pools'

const openPool = usePools()

async function failureOf(promise: Promise<unknown>): Promise<TaskFailedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(TaskFailedError)
  return error as TaskFailedError
}

describe('function references', () => {
  it('builtin:identity returns its argument and builtin:sleep waits, then returns the milliseconds', async () => {
    const pool = openPool({ workers: 1 })
    expect(await pool.apply('builtin:identity', [{ a: [1] }])).toEqual({ a: [1] })
    expect(await pool.apply('builtin:sleep', [3])).toBe(3)
  })

  it('"<task-id>:<export>" loads the export from the catalog task', async () => {
    const pool = openPool({ workers: 1 })
    expect(await pool.apply('square:square', [7, 0])).toBe(49)
    expect(await pool.apply('heavy-sum:sumBelow', [10])).toBe('45')
  })

  it('{ module, export } loads a CommonJS file; without export, a module that is itself a function', async () => {
    const pool = openPool({ workers: 1 })
    expect(await pool.apply({ module: poolFixture('echo.cjs'), export: 'double' }, [4])).toBe(8)
    expect(await pool.apply({ module: poolFixture('default-export.cjs') }, ['x'])).toBe('default x')
  })

  it('{ module, export } loads an ES module file', async () => {
    const pool = openPool({ workers: 1 })
    expect(await pool.apply({ module: poolFixture('esm.mjs'), export: 'triple' }, [5])).toBe(15)
  })

  it('an unknown reference fails the task with a message that shows the accepted forms', async () => {
    const pool = openPool({ workers: 1 })
    const error = await failureOf(pool.apply('no-such-thing'))
    expect(error.message).toContain('unknown function "no-such-thing"')
    expect(error.message).toContain('"<task-id>:<export>"')
    expect((await failureOf(pool.apply('ghost-task:run'))).message).toContain('unknown function "ghost-task:run"')
  })

  it('an export that is missing or not a function fails the task and leaves the worker in service', async () => {
    const pool = openPool({ workers: 1 })
    await pool.ready()
    const [before] = pool.snapshot().workers
    expect((await failureOf(pool.apply({ module: poolFixture('echo.cjs'), export: 'nope' }))).message).toContain('is not a function')
    expect((await failureOf(pool.apply('square:default'))).message).toContain('is not a function')
    expect(pool.snapshot().workers[0].pid).toBe(before.pid)
  })

  it('a module file that does not exist fails the task with the loader error', async () => {
    const pool = openPool({ workers: 1 })
    const error = await failureOf(pool.apply({ module: poolFixture('missing.cjs'), export: 'x' }))
    expect(error.message).toContain('Cannot find module')
  })
})

describe('the module registry', () => {
  const unregister: (() => void)[] = []
  afterEach(() => {
    for (const undo of unregister.splice(0)) undo()
  })

  it('resolves "<scope>:<export>" from a registered module, loading it once, on first use', async () => {
    let loads = 0
    unregister.push(
      registerWorkerModules({
        lab: async () => {
          loads++
          return { twice: (x: unknown) => (x as number) * 2 }
        }
      })
    )
    expect(loads).toBe(0)
    expect((await resolveRegisteredFn('lab:twice'))(21)).toBe(42)
    await resolveRegisteredFn('lab:twice')
    expect(loads).toBe(1)
  })

  it('resolves only registered scopes and builtins, never a module path, and no inherited name', async () => {
    unregister.push(registerWorkerModules({ lab: async () => ({ value: 1 }) }))
    await expect(resolveRegisteredFn('builtin:identity')).resolves.toBeTypeOf('function')
    await expect(resolveRegisteredFn(`${poolFixture('echo.cjs')}:double`)).rejects.toThrow('unknown function')
    await expect(resolveRegisteredFn('ghost:run')).rejects.toThrow('unknown function "ghost:run"')
    await expect(resolveRegisteredFn('lab:value')).rejects.toThrow('"lab:value" is not a function')
    await expect(resolveRegisteredFn('lab:constructor')).rejects.toThrow('is not a function')
    await expect(resolveRegisteredFn('builtin:toString')).rejects.toThrow('is not a function')
  })

  it('refuses a scope that a ref could not name', () => {
    expect(() => registerWorkerModules({ builtin: async () => ({}) })).toThrow('cannot name')
    expect(() => registerWorkerModules({ 'a:b': async () => ({}) })).toThrow('cannot name')
  })

  it('an inline pool runs registered functions in this process', async () => {
    unregister.push(registerWorkerModules({ lab: async () => ({ add: (a: unknown, b: unknown) => (a as number) + (b as number) }) }))
    expect(await new InlinePool().starmap('lab:add', [[1, 2], [3, 4]])).toEqual([3, 7])
  })
})

describe("the engine's own worker entry (no catalog)", () => {
  const engineWorker = resolve(repoRoot, 'out/main/pool-worker.js')

  it('runs builtins and module files, and knows no catalog task', async () => {
    const pool = openPool({ workers: 1, workerScript: engineWorker })
    expect(await pool.apply('builtin:identity', ['x'])).toBe('x')
    expect(await pool.apply({ module: poolFixture('echo.cjs'), export: 'double' }, [4])).toBe(8)
    expect((await failureOf(pool.apply('square:square', [7, 0]))).message).toContain('unknown function "square:square"')
  })
})
