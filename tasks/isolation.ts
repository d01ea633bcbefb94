/**
 * isolation — processes do not share memory. This module keeps a list at module level; each child
 * process appends to its own copy of the module's list, and the parent's copy stays as it was.
 * Every child starts from the module's initial value, not from the parent's current one, because a
 * worker is a fresh interpreter that loads the module anew (spawn, not fork).
 */
import { currentWorker } from '../main/pool/worker-context'
import { defineTask } from './task-definition'
import { integer } from './params'

/**
 * The variable every process has its own copy of. Module-level on purpose: it is the closest
 * thing to the global variable of the guides, and each process that loads this file gets one.
 */
const notes: string[] = []

/** What a child saw of its own copy. */
export interface CopyReport {
  name: string
  pid: number
  before: string[]
  after: string[]
}

/** Worker side: appends `count` entries labelled with this process's name to its own copy of `notes`. */
export function appendToOwnCopy(count: number): CopyReport {
  const me = currentWorker()
  const before = [...notes]
  for (let i = 1; i <= count; i++) notes.push(`${me.name}#${i}`)
  return { name: me.name, pid: me.pid, before, after: [...notes] }
}

/** The parent's own copy, as it is now. */
export function parentCopy(): string[] {
  return [...notes]
}

/**
 * Parent side: resets the parent's copy to one entry of its own. Reset, not appended to, because
 * the app runs tasks many times in one parent process and the demonstration must start the same.
 */
export function writeParentCopy(): string[] {
  notes.length = 0
  notes.push(`${currentWorker().name}#1`)
  return parentCopy()
}

export default defineTask({
  id: 'isolation',
  title: 'Each process has its own memory',
  description:
    'A list lives at module level. The parent puts one entry in its copy, then several child processes each append ' +
    'their own entries and report what they saw: every child starts from the empty list (a fresh process loads the ' +
    "module anew and never sees the parent's entry) and ends with only its own entries, and after they exit the " +
    "parent's list is unchanged. Processes share nothing unless it is sent to them or put in shared memory.",
  pattern: 'Process isolation: module-level (global) state is per process',
  params: (z) =>
    z
      .object({
        processes: integer({ min: 1, max: 16, default: 2, description: 'How many child processes change their copy' }),
        appends: integer({ min: 1, max: 10_000, default: 3, description: 'Entries each child appends to its copy' })
      })
      .strict(),
  async run(ctx) {
    const { processes, appends } = ctx.params
    // Written before the children start: a fresh interpreter must not see it.
    const parentBefore = writeParentCopy()
    const children = Array.from({ length: processes }, (_, i) =>
      ctx.createProcess({ target: 'isolation:appendToOwnCopy', args: [appends], name: `changer-${i + 1}`, backend: ctx.backend })
    )
    for (const child of children) child.start()
    await Promise.all(children.map((child) => child.join()))
    const parentAfter = parentCopy()

    const reports = children.map((child) => child.result as CopyReport | undefined)
    const failures: string[] = []
    children.forEach((child, i) => {
      const report = reports[i]
      if (!report || child.exitCode !== 0) {
        failures.push(`${child.name} failed${child.error ? `: ${child.error.message}` : ''}`)
        return
      }
      if (report.before.length !== 0) failures.push(`${child.name} started from ${JSON.stringify(report.before)}, not the module's initial empty list`)
      const foreign = report.after.filter((entry) => !entry.startsWith(`${child.name}#`))
      if (foreign.length > 0) failures.push(`${child.name} saw entries of other processes: ${foreign.join(', ')}`)
      if (report.after.length !== appends) failures.push(`${child.name} ended with ${report.after.length} entries, not ${appends}`)
    })
    const parentUnchanged = JSON.stringify(parentAfter) === JSON.stringify(parentBefore)
    if (!parentUnchanged) failures.push(`the parent's list changed from ${JSON.stringify(parentBefore)} to ${JSON.stringify(parentAfter)}`)

    return {
      result: {
        parentPid: process.pid,
        parentBefore,
        parentAfter,
        parentUnchanged,
        children: reports.map((report, i) => ({ ...report, name: children[i].name, exitCode: children[i].exitCode }))
      },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `${processes} processes each started from an empty list and appended ${appends} entries to their own copy; ` +
              `the parent's list is still ${JSON.stringify(parentAfter)}`
            : failures.join('; ')
      }
    }
  }
})
