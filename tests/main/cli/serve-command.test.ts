/**
 * `poolscope serve` as a user runs it: the built CLI in a child process. Flag checking and the
 * first line are unit-tested in tests/main/server (serve-options, browser-mode); this checks the
 * wiring end to end, so it needs the built app.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../../..')
const isBuilt = existsSync(join(root, 'out/main/cli.js'))
const children: ChildProcessWithoutNullStreams[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

function serve(...args: string[]) {
  const child = spawn(process.execPath, [join(root, 'bin/poolscope.js'), 'serve', ...args], { cwd: root })
  children.push(child)
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)))
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const firstLine = new Promise<string>((resolveLine) => createInterface({ input: child.stdout }).once('line', resolveLine))
  return { child, exited, firstLine, stderr: () => stderr }
}

describe.skipIf(!isBuilt)(`poolscope serve${isBuilt ? '' : ' (skipped: the app is not built; run npm run build)'}`, () => {
  it('prints the dashboard URL with its real port and token first, and exits 0 on SIGTERM', async () => {
    const run = serve('--port', '0')
    expect(await run.firstLine).toMatch(/^PoolScope dashboard: http:\/\/127\.0\.0\.1:[1-9]\d*\/\?token=[A-Za-z0-9_-]{43}$/)
    run.child.kill('SIGTERM')
    expect(await run.exited).toBe(0)
  })

  it('exits 2 naming the flag when --port is not a port', async () => {
    const run = serve('--port', 'eighty')
    expect(await run.exited).toBe(2)
    expect(run.stderr()).toContain('--port must be an integer from 0 to 65535')
  })
})
