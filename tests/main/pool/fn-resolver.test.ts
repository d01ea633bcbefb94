/** How workers resolve the function a unit names (`FnRef`), seen through a real pool. */
import { describe, expect, it } from 'vitest'
import { TaskFailedError } from '../../../main/pool/errors'
import { poolFixture } from '../../helpers/paths'
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
