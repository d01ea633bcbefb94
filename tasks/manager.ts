/**
 * manager — several processes change one shared list and one shared dict at the same time through
 * a manager's proxies: each appends its own entries to the list and sets its own keys in the
 * dict. The parent checks that every append and every key is there, none lost and none doubled.
 */
import { currentWorker } from '../main/pool/worker-context'
import type { ManagerStats } from '../main/primitives/core/primitive-stats'
import type { DictHandle, ListHandle } from '../main/primitives/manager/collection-proxies'
import { Manager } from '../main/primitives/manager/manager'
import { integer } from './params'
import { defineTask } from './task-definition'

/** What each process writes under its own summary key. */
export interface WorkerEntry {
  name: string
  pid: number
  appended: number
}

/** The list entry and dict key of a process's `i`-th write, so the parent can check each one. */
export const entryOf = (index: number, i: number): string => `p${index}-${i}`

/**
 * Worker side: appends `count` entries to the shared list and sets `count` keys in the shared
 * dict, one of each in turn, then a summary key of its own.
 */
export async function record(listHandle: ListHandle, dictHandle: DictHandle, index: number, count: number): Promise<void> {
  const list = Manager.connect<string>(listHandle)
  const dict = Manager.connect<number | WorkerEntry>(dictHandle)
  for (let i = 0; i < count; i++) {
    await list.append(entryOf(index, i))
    await dict.set(entryOf(index, i), i)
  }
  const me = currentWorker()
  await dict.set(`worker-${index}`, { name: me.name, pid: me.pid, appended: count })
}

export default defineTask({
  id: 'manager',
  title: 'A shared list and dict',
  description:
    'A manager holds one list and one dict; each of several processes gets proxies to them and, at the same time ' +
    'as the others, appends its own entries to the list and sets its own keys in the dict. Each proxy call is one ' +
    'whole operation on the shared object, so however the calls interleave, nothing is lost: the list ends with ' +
    'every entry exactly once and the dict with every key.',
  pattern: 'multiprocessing.Manager(): list() and dict() proxies shared by several processes',
  params: (z) =>
    z
      .object({
        processes: integer({ min: 1, max: 32, default: 5, description: 'Processes changing the list and dict' }),
        count: integer({ min: 1, max: 10_000, default: 20, description: 'Entries each process appends (and keys it sets)' })
      })
      .strict(),
  async run(ctx) {
    const { processes, count } = ctx.params
    const manager = new Manager({ label: 'shared list and dict' })
    const list = manager.list<string>()
    const dict = manager.dict<number | WorkerEntry>()
    const children = Array.from({ length: processes }, (_, index) =>
      ctx.createProcess({ target: 'manager:record', args: [list.handle, dict.handle, index, count], name: `writer-${index + 1}`, backend: ctx.backend })
    )
    const stop = () => children.forEach((p) => p.kill())
    ctx.signal.addEventListener('abort', stop, { once: true })
    try {
      for (const child of children) {
        manager.attach(child)
        child.start()
      }
      await Promise.all(children.map((p) => p.join()))
    } finally {
      ctx.signal.removeEventListener('abort', stop)
    }
    const entries = await list.snapshot()
    const keys = await dict.snapshot()
    const stats = manager.stats()
    manager.close()

    const failures: string[] = []
    for (const child of children) {
      if (child.exitCode !== 0) failures.push(`${child.name} failed${child.error ? `: ${child.error.message}` : ` (exit code ${child.exitCode}, signal ${child.signal})`}`)
    }
    const times = new Map<string, number>()
    for (const entry of entries) times.set(entry, (times.get(entry) ?? 0) + 1)
    let missingEntries = 0
    let missingKeys = 0
    for (let index = 0; index < processes; index++) {
      for (let i = 0; i < count; i++) {
        if (!times.has(entryOf(index, i))) missingEntries++
        if (keys[entryOf(index, i)] !== i) missingKeys++
      }
      if ((keys[`worker-${index}`] as WorkerEntry | undefined)?.appended !== count) missingKeys++
    }
    const doubled = [...times.values()].filter((n) => n > 1).length
    const expectedKeys = processes * (count + 1)
    if (missingEntries > 0) failures.push(`${missingEntries} appends are missing from the list`)
    if (doubled > 0) failures.push(`${doubled} entries appear more than once`)
    if (entries.length !== processes * count) failures.push(`the list has ${entries.length} entries, expected ${processes * count}`)
    if (missingKeys > 0) failures.push(`${missingKeys} dict keys are missing or wrong`)
    if (Object.keys(keys).length !== expectedKeys) failures.push(`the dict has ${Object.keys(keys).length} keys, expected ${expectedKeys}`)
    // Whether another process's entry ever came between two of one process's: how the calls met.
    const switches = entries.filter((entry, i) => i > 0 && entry.split('-')[0] !== entries[i - 1].split('-')[0]).length

    return {
      result: {
        processes,
        count,
        listLength: entries.length,
        dictSize: Object.keys(keys).length,
        interleavings: switches,
        firstEntries: entries.slice(0, 10),
        workers: Object.fromEntries(Object.entries(keys).filter(([key]) => key.startsWith('worker-'))),
        manager: stats satisfies ManagerStats
      },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `all ${processes * count} appends and ${expectedKeys} keys present, none lost or doubled ` +
              `(the writers' calls interleaved ${switches} times)`
            : failures.join('; ')
      }
    }
  }
})
