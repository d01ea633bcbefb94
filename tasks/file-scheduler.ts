/**
 * file-scheduler — one worker process serves a queue of file operations (write, append, read,
 * delete) inside a sandbox folder until it takes the stop sentinel, and reports each operation's
 * success or a clear error on a second queue. Paths that would leave the sandbox — `..`, absolute
 * paths, symbolic links that point outside — are refused before any file is touched.
 *
 * The parent checks every report against a model of what each operation should do, and checks that
 * nothing outside the sandbox was read or changed.
 */
import { constants } from 'node:fs'
import { lstat, mkdir, open, readdir, readFile, realpath, symlink, unlink, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, posix, relative, resolve, sep, win32 } from 'node:path'
import { QueueEmptyError } from '../main/primitives/core/errors'
import { Queue } from '../main/primitives/queue/queue'
import type { QueueHandle } from '../main/primitives/queue/queue-proxy'
import { defineTask } from './task-definition'

/** The operations the scheduler performs. */
export type OperationKind = 'write' | 'append' | 'read' | 'delete'

/** One queued operation. */
export interface FileOperation {
  id: number
  op: OperationKind
  /** Relative to the sandbox. */
  path: string
  /** write and append only. */
  content?: string
}

/** The outcome of one operation: success with its data, or a clear error. */
export interface OperationReport {
  id: number
  op: OperationKind
  path: string
  ok: boolean
  /** Bytes written, or read. */
  bytes?: number
  /** read only. */
  content?: string
  error?: { code: string; message: string }
}

/** A path that would reach outside the sandbox. */
export class SandboxEscapeError extends Error {
  override name = 'SandboxEscapeError'
  readonly code = 'sandbox-escape'
}

/** `O_NOFOLLOW` where the platform has it (not Windows): the last path component may not be a link. */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/**
 * Resolves `path` inside `root` (already a real path) or throws `SandboxEscapeError`. Checked
 * lexically first (absolute paths, `..` that climbs out), then on disk: every existing component
 * that is a symbolic link must resolve inside the sandbox. The files are then opened with
 * `O_NOFOLLOW`, so a last component swapped for a link after the check is refused too.
 */
export async function resolveInSandbox(root: string, path: string): Promise<string> {
  if (path.length === 0 || path.includes('\0')) throw new SandboxEscapeError('the path is empty or contains a NUL byte')
  if (posix.isAbsolute(path) || win32.isAbsolute(path)) throw new SandboxEscapeError(`${path} is an absolute path; give one relative to the sandbox`)
  const target = resolve(root, path)
  if (!isInside(root, target)) throw new SandboxEscapeError(`${path} climbs out of the sandbox with ..`)
  let current = root
  for (const part of relative(root, target).split(sep).filter(Boolean)) {
    current = join(current, part)
    let info
    try {
      info = await lstat(current)
    } catch (error) {
      // Nothing exists from here on, so nothing further can be a link.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') break
      throw error
    }
    if (!info.isSymbolicLink()) continue
    let real: string
    try {
      real = await realpath(current)
    } catch {
      throw new SandboxEscapeError(`${path} goes through a symbolic link that points nowhere`)
    }
    if (!isInside(root, real)) throw new SandboxEscapeError(`${path} goes through a symbolic link that leads out of the sandbox`)
  }
  return target
}

const ERROR_TEXT: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
  ELOOP: 'it is a symbolic link',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted'
}

async function perform(root: string, operation: FileOperation): Promise<OperationReport> {
  const { id, op, path } = operation
  try {
    const target = await resolveInSandbox(root, path)
    switch (op) {
      case 'write':
      case 'append': {
        await mkdir(dirname(target), { recursive: true })
        const flags = (op === 'write' ? constants.O_TRUNC : constants.O_APPEND) | constants.O_WRONLY | constants.O_CREAT | NO_FOLLOW
        const file = await open(target, flags, 0o644)
        try {
          await file.writeFile(operation.content ?? '')
        } finally {
          await file.close()
        }
        return { id, op, path, ok: true, bytes: Buffer.byteLength(operation.content ?? '') }
      }
      case 'read': {
        const file = await open(target, constants.O_RDONLY | NO_FOLLOW)
        try {
          const content = await file.readFile('utf8')
          return { id, op, path, ok: true, bytes: Buffer.byteLength(content), content }
        } finally {
          await file.close()
        }
      }
      case 'delete':
        await unlink(target)
        return { id, op, path, ok: true }
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const text = typeof code === 'string' ? ERROR_TEXT[code] : undefined
    const message = error instanceof SandboxEscapeError ? error.message : `${op} ${path}: ${text ?? (error as Error).message}`
    return { id, op, path, ok: false, error: { code: typeof code === 'string' ? code : 'error', message } }
  }
}

/**
 * Worker side: takes operations from `operations` until the `null` sentinel, performs each in the
 * sandbox and puts its report on `reports`. Resolves to the number it handled.
 */
export async function serveFileOperations(operations: QueueHandle, reports: QueueHandle, sandbox: string): Promise<number> {
  const inbox = Queue.connect<FileOperation | null>(operations)
  const outbox = Queue.connect<OperationReport>(reports)
  // The sandbox's own real path: on macOS the temp folder itself sits behind a link.
  const root = await realpath(sandbox)
  let handled = 0
  for (let operation = await inbox.get(); operation !== null; operation = await inbox.get()) {
    await outbox.put(await perform(root, operation))
    handled++
  }
  return handled
}

const OPERATION = /^(write|append)\s+(\S+)(?:\s([\s\S]*))?$|^(read|delete)\s+(\S+)\s*$/

/** Parses `"<op> <path> [text]"`; the schema has already checked the shape. */
export function parseOperation(line: string, id: number): FileOperation {
  const match = OPERATION.exec(line.trim())!
  if (match[1]) return { id, op: match[1] as OperationKind, path: match[2], content: match[3] ?? '' }
  return { id, op: match[4] as OperationKind, path: match[5] }
}

/** The folder inside the sandbox that the parent links to a folder outside it. */
const LINK_OUT = 'link-out'
const SECRET = 'secret.txt'
const SECRET_TEXT = 'outside the sandbox'

const DEFAULT_OPERATIONS = [
  'write notes.txt hello',
  'append notes.txt  and more',
  'read notes.txt',
  'write data/numbers.txt 1 2 3',
  'read data/numbers.txt',
  'read missing.txt',
  'delete notes.txt',
  'read notes.txt',
  'read ../outside.txt',
  'write /tmp/poolscope-escape.txt nope',
  `read ${LINK_OUT}/${SECRET}`,
  `write ${LINK_OUT}/planted.txt nope`,
  'write data/../../escape.txt nope'
]

type Expected = { ok: true; content?: string } | { ok: false; escape: boolean }

/**
 * What each operation should do, worked out without touching the disk: a map of the files the
 * operations create (and the folders that creates), plus the lexical rules for leaving the
 * sandbox. `hasLinkOut` says whether the parent managed to create the link that leads outside.
 */
export function expectedOutcomes(operations: FileOperation[], hasLinkOut: boolean): Expected[] {
  const files = new Map<string, string>()
  const folders = new Set<string>([''])
  return operations.map(({ op, path, content = '' }) => {
    if (posix.isAbsolute(path) || win32.isAbsolute(path)) return { ok: false, escape: true }
    // Backslashes separate folders on Windows only; elsewhere they are part of a name.
    const normal = posix.normalize(sep === '\\' ? path.replaceAll('\\', '/') : path).replace(/\/$/, '')
    if (normal === '..' || normal.startsWith('../')) return { ok: false, escape: true }
    const key = normal === '.' ? '' : normal
    if (hasLinkOut && (key === LINK_OUT || key.startsWith(`${LINK_OUT}/`))) return { ok: false, escape: true }
    const parents = key.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))
    switch (op) {
      case 'write':
      case 'append':
        if (folders.has(key) || parents.some((p) => files.has(p))) return { ok: false, escape: false }
        for (const parent of parents) folders.add(parent)
        files.set(key, op === 'write' ? content : (files.get(key) ?? '') + content)
        return { ok: true }
      case 'read':
        return files.has(key) ? { ok: true, content: files.get(key) } : { ok: false, escape: false }
      case 'delete':
        return files.delete(key) ? { ok: true } : { ok: false, escape: false }
    }
  })
}

export default defineTask({
  id: 'file-scheduler',
  title: 'A file-operation queue in a sandbox',
  description:
    'The parent queues file operations — write, append, read, delete — and a stop sentinel; one worker process takes ' +
    'them in order and performs each inside a sandbox folder, reporting success or a clear error for every one on a ' +
    'second queue. Paths that would leave the sandbox are refused before anything is touched: .. that climbs out, ' +
    'absolute paths, and a symbolic link the parent planted that points to a folder outside.',
  pattern: 'A worker process consuming a task queue until a sentinel, with a result queue',
  params: (z) =>
    z
      .object({
        operations: z
          .array(
            z.string({ error: 'must be a list of text' }).regex(OPERATION, { error: 'must each read "<write|append|read|delete> <path> [text]"' }),
            { error: 'must be a list of text' }
          )
          .min(1, { error: 'must list at least one operation' })
          .max(500, { error: 'must have at most 500 items' })
          .default(DEFAULT_OPERATIONS)
          .describe('Operations, one per item: "<write|append|read|delete> <path> [text]", paths relative to the sandbox')
      })
      .strict(),
  async run(ctx) {
    const operations = ctx.params.operations.map((line, i) => parseOperation(line, i + 1))
    const sandbox = await ctx.tempDir()
    const outside = await ctx.tempDir()
    await writeFile(join(outside, SECRET), SECRET_TEXT)
    let hasLinkOut = true
    try {
      await symlink(outside, join(sandbox, LINK_OUT), 'dir')
    } catch (error) {
      // Windows without the symlink privilege: the link-out operations then just find nothing.
      hasLinkOut = false
      ctx.log(`could not plant the outward link (${(error as Error).message}); link escapes are not exercised`)
    }

    const inbox = new Queue<FileOperation | null>({ label: 'operations' })
    const outbox = new Queue<OperationReport>({ label: 'reports' })
    const worker = ctx.createProcess({
      target: 'file-scheduler:serveFileOperations',
      args: [inbox.handle, outbox.handle, sandbox],
      name: 'file-scheduler',
      backend: ctx.backend
    })
    inbox.attach(worker)
    outbox.attach(worker)
    const stop = () => worker.kill()
    ctx.signal.addEventListener('abort', stop, { once: true })
    const progress = setInterval(() => ctx.progress(outbox.stats().puts, operations.length), 50)
    try {
      worker.start()
      for (const operation of operations) await inbox.put(operation)
      await inbox.put(null)
      await worker.join()
    } finally {
      clearInterval(progress)
      ctx.signal.removeEventListener('abort', stop)
    }
    // The worker put every report before taking the sentinel, so all are queued by now.
    const reports: OperationReport[] = []
    for (;;) {
      try {
        reports.push(await outbox.get(0))
      } catch (error) {
        if (error instanceof QueueEmptyError) break
        throw error
      }
    }
    inbox.close()
    outbox.close()
    ctx.progress(reports.length, operations.length)
    for (const report of reports) ctx.log(`#${report.id} ${report.op} ${report.path}: ${report.ok ? 'ok' : report.error?.message}`)

    const expected = expectedOutcomes(operations, hasLinkOut)
    const failures: string[] = []
    if (worker.exitCode !== 0) failures.push(`the worker failed${worker.error ? `: ${worker.error.message}` : ` (exit code ${worker.exitCode}, signal ${worker.signal})`}`)
    if (reports.length !== operations.length) failures.push(`${reports.length} reports for ${operations.length} operations`)
    reports.forEach((report, i) => {
      const want = expected[i]
      if (report.id !== operations[i].id) failures.push(`report ${i + 1} is for operation ${report.id}: out of order`)
      else if (report.ok !== want.ok) failures.push(`#${report.id} ${report.op} ${report.path} ${report.ok ? 'succeeded' : 'failed'}, expected ${want.ok ? 'success' : 'an error'}`)
      else if (want.ok && want.content !== undefined && report.content !== want.content) failures.push(`#${report.id} read ${JSON.stringify(report.content)}, expected ${JSON.stringify(want.content)}`)
      else if (!want.ok && want.escape && report.error?.code !== 'sandbox-escape') failures.push(`#${report.id} ${report.path} was not refused as an escape (${report.error?.message})`)
    })
    const outsideNow = await readdir(outside)
    if (outsideNow.join() !== SECRET || (await readFile(join(outside, SECRET), 'utf8')) !== SECRET_TEXT) {
      failures.push(`the folder outside the sandbox changed: ${outsideNow.join(', ')}`)
    }
    const refused = reports.filter((r) => r.error?.code === 'sandbox-escape').length
    const succeeded = reports.filter((r) => r.ok).length

    return {
      result: { sandbox, operations: operations.length, succeeded, failed: reports.length - succeeded, refusedEscapes: refused, reports },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `all ${operations.length} operations reported as expected: ${succeeded} succeeded, ` +
              `${reports.length - succeeded - refused} failed with a clear error, ${refused} escapes refused; nothing outside changed`
            : failures.join('; ')
      }
    }
  }
})
