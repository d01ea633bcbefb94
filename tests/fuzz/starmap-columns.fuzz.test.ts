/**
 * A `starmap` chunk travels to a worker by column when its calls share one arity (`packRun`), and
 * as argument lists otherwise. Whatever the chunk — arities from 0 to 5, mixed or uniform, nulls,
 * strings, nested values, promises in the middle — every call must receive exactly the arguments
 * it was given, in order, on a process and on a thread.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { Pool } from '../../main/pool/pool'
import { fixtureFn, workerScript } from '../helpers/paths'
import { fuzzRuns } from './fuzz-config'

const argsOf = fixtureFn('echo.cjs', 'argsOf')

const value = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }))
const uniform = fc.integer({ min: 0, max: 5 }).chain((arity) => fc.array(fc.array(value, { minLength: arity, maxLength: arity }), { minLength: 1, maxLength: 40 }))
const mixed = fc.array(fc.array(value, { maxLength: 5 }), { minLength: 1, maxLength: 40 })

describe.each(['process', 'thread'] as const)('starmap on a %s pool, chunks by column or by argument list', (backend) => {
  const pool = new Pool({ workers: 2, backend, workerScript })
  afterAll(() => pool.terminate())

  it('gives every call exactly its own arguments, in input order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(uniform, mixed), fc.integer({ min: 1, max: 16 }), async (argLists, chunksize) => {
        // JSON (the process channel's encoding) turns -0 into 0; compare with what it would carry.
        const expected = JSON.parse(JSON.stringify(argLists)) as unknown[][]
        const got = await pool.starmap(argsOf, argLists, { chunksize })
        expect(backend === 'process' ? got : JSON.parse(JSON.stringify(got))).toEqual(expected)
      }),
      fuzzRuns(60)
    )
  })
})
