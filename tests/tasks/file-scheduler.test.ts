import { mkdtemp, mkdir, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseTaskInput, TaskParamsError } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import { expectedOutcomes, parseOperation, resolveInSandbox, SandboxEscapeError, type OperationReport } from '../../tasks/file-scheduler'
import { workerScript } from '../helpers/paths'

interface FileSchedulerResult {
  succeeded: number
  refusedEscapes: number
  reports: OperationReport[]
}

describe('file-scheduler', () => {
  it('performs the default operations in order and refuses every escape', async () => {
    const run = await runTask({ ...parseTaskInput('file-scheduler', {}), workers: 1, backend: 'process', workerScript })
    const result = run.result as FileSchedulerResult
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect(result.reports.map((r) => r.id)).toEqual(result.reports.map((_, i) => i + 1))
    expect(result.reports.find((r) => r.op === 'read' && r.path === 'notes.txt')).toMatchObject({ ok: true, content: 'hello and more' })
    expect(result.reports.find((r) => r.path === 'missing.txt')?.error?.message).toMatch(/no such file/)
    expect(result.refusedEscapes).toBe(5)
  })

  it('reports a clear error for each operation that cannot be done, and carries on', async () => {
    const run = await runTask({
      ...parseTaskInput('file-scheduler', { operations: ['write a.txt x', 'write a.txt/b.txt y', 'delete nothing.txt', 'read a.txt'] }),
      workers: 1,
      backend: 'thread',
      workerScript
    })
    const reports = (run.result as FileSchedulerResult).reports
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect(reports.map((r) => r.ok)).toEqual([true, false, false, true])
    expect(reports[2].error?.message).toBe('delete nothing.txt: no such file')
  })

  it('rejects an operation it cannot parse, naming the parameter', () => {
    expect(() => parseTaskInput('file-scheduler', { operations: ['copy a b'] })).toThrow(TaskParamsError)
    expect(() => parseTaskInput('file-scheduler', { operations: ['copy a b'] })).toThrow(/operations/)
  })
})

describe('resolveInSandbox', () => {
  const dirs: string[] = []
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
  })
  const sandbox = async () => {
    const root = await realpath(await mkdtemp(join(tmpdir(), 'poolscope-sandbox-test-')))
    const outside = await realpath(await mkdtemp(join(tmpdir(), 'poolscope-outside-test-')))
    dirs.push(root, outside)
    return { root, outside }
  }

  it('resolves paths that stay inside, including .. that does not climb out', async () => {
    const { root } = await sandbox()
    await expect(resolveInSandbox(root, 'a/../b.txt')).resolves.toBe(join(root, 'b.txt'))
    await expect(resolveInSandbox(root, 'deep/new/file.txt')).resolves.toBe(join(root, 'deep/new/file.txt'))
  })

  it('refuses absolute paths, .. that climbs out and empty paths', async () => {
    const { root } = await sandbox()
    for (const path of ['/etc/passwd', '../x', 'a/../../x', '', 'a\0b']) {
      await expect(resolveInSandbox(root, path)).rejects.toBeInstanceOf(SandboxEscapeError)
    }
  })

  it('refuses a path through a symbolic link that leads out, and through one that points nowhere', async () => {
    const { root, outside } = await sandbox()
    await writeFile(join(outside, 'secret.txt'), 'x')
    await symlink(outside, join(root, 'out'), 'dir')
    await symlink(join(root, 'gone'), join(root, 'dangling'))
    await expect(resolveInSandbox(root, 'out/secret.txt')).rejects.toThrow(/leads out of the sandbox/)
    await expect(resolveInSandbox(root, 'dangling')).rejects.toThrow(/points nowhere/)
  })

  it('allows a symbolic link that stays inside', async () => {
    const { root } = await sandbox()
    await mkdir(join(root, 'real'))
    await symlink(join(root, 'real'), join(root, 'alias'), 'dir')
    await expect(resolveInSandbox(root, 'alias/file.txt')).resolves.toBe(join(root, 'alias/file.txt'))
  })
})

describe('expectedOutcomes', () => {
  it('predicts reads from earlier writes, missing files and escapes', () => {
    const ops = ['write a.txt 1', 'append a.txt 2', 'read a.txt', 'delete a.txt', 'read a.txt', 'read ../x', 'read link-out/s'].map((line, i) =>
      parseOperation(line, i + 1)
    )
    expect(expectedOutcomes(ops, true)).toEqual([
      { ok: true },
      { ok: true },
      { ok: true, content: '12' },
      { ok: true },
      { ok: false, escape: false },
      { ok: false, escape: true },
      { ok: false, escape: true }
    ])
  })
})
