/** The catalog is listed once (`tasks/catalog.ts`); the parent's definitions and the workers' loaders both come from it. */
import { readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveRegisteredFn } from '../../main/pool/fn-resolver'
import { catalog, findTask } from '../../tasks'
import { taskModules } from '../../tasks/catalog'
import { fixtureFn, repoRoot } from '../helpers/paths'
import { usePools } from '../helpers/pools'

const hasLoaded = fixtureFn('loaded.cjs', 'hasLoaded')
const openPool = usePools()

describe('the catalog', () => {
  it('defines every listed task, in the listed order, each id equal to its file name', () => {
    expect(catalog.map((task) => task.id)).toEqual(Object.keys(taskModules))
    const files = new Set(readdirSync(resolve(repoRoot, 'tasks')))
    for (const task of catalog) expect(files.has(`${task.id}.ts`)).toBe(true)
  })

  it("each loader gives the module whose default export is the parent's definition", async () => {
    for (const [id, load] of Object.entries(taskModules)) expect((await load()).default).toBe(findTask(id))
  })

  it("registers the tasks' modules with the engine in the parent too", async () => {
    expect((await resolveRegisteredFn('square:square'))(7, 0)).toBe(49)
  })

  it("a worker that loads every task's module for its functions loads no zod; the parent builds each schema once, on first use", async () => {
    const pool = openPool({ workers: 1, preload: Object.keys(taskModules) })
    await pool.ready()
    // The worker runs the built modules; the pattern finds zod however its files are laid out.
    expect(await pool.apply(hasLoaded, ['/square-[^/]*\\.js$'])).toBe(true)
    expect(await pool.apply(hasLoaded, ['[\\\\/]node_modules[\\\\/]zod[\\\\/]'])).toBe(false)
    for (const task of catalog) {
      expect(task.params).toBe(task.params)
      expect(task.params.safeParse({}).success).toBe(true)
    }
  })
})
