/** The catalog is listed once (`tasks/catalog.ts`); the parent's definitions and the workers' loaders both come from it. */
import { readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveRegisteredFn } from '../../main/pool/fn-resolver'
import { catalog, findTask } from '../../tasks'
import { taskModules } from '../../tasks/catalog'
import { repoRoot } from '../helpers/paths'

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
})
