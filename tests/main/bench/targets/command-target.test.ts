import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CommandFailedError, commandArgv, createCommandTarget, platformArgvStyle, shellOperatorsIn } from '../../../../main/bench/targets/command-target'
import { ArgvSyntaxError } from '../../../../shared/split-argv'

const fixtures = path.join(__dirname, '..', '..', '..', 'fixtures', 'bench')
/** The running node, quoted for the template (its path may contain spaces). */
const node = `"${process.execPath}"`
const never = new AbortController().signal

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'poolscope-command-target-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A killed process nobody has reaped yet is a zombie: dead for our purposes.
  const status = `/proc/${pid}/status`
  return !(existsSync(status) && /^State:\s+Z/m.test(readFileSync(status, 'utf8')))
}

describe('commandArgv', () => {
  it('substitutes {workers} in every argument after splitting', () => {
    expect(commandArgv('python3 "my job.py" --jobs={workers} {workers}', 4, 'posix')).toEqual([
      'python3',
      'my job.py',
      '--jobs=4',
      '4'
    ])
  })
})

describe('shellOperatorsIn', () => {
  it('finds pipes, lists and redirections that only a shell would act on', () => {
    expect(shellOperatorsIn('node a.js {workers} | sort && echo ok > out.txt 2>&1', 'posix')).toEqual(['|', '&&', '>', '2>&1'])
  })

  it('ignores quoted operators, operators inside words and templates that cannot be split', () => {
    expect(shellOperatorsIn(`node -e "a || b" x|y '>'`, 'posix')).toEqual([])
    expect(shellOperatorsIn('node "open', 'posix')).toEqual([])
  })
})

describe('createCommandTarget', () => {
  it('resolves when the command exits 0', async () => {
    const target = createCommandTarget({ command: `${node} -e "process.exit(0)"` })
    await expect(target.run(2, never)).resolves.toBeUndefined()
  })

  it('passes the worker count as an argument and in POOLSCOPE_WORKERS, with 1 for the baseline', async () => {
    const out = path.join(dir, 'run.json')
    const target = createCommandTarget({ command: `${node} "${path.join(fixtures, 'record-run.js')}" "${out}" --jobs={workers}` })
    await target.run(3, never)
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ args: ['--jobs=3'], workersEnv: '3' })
    await target.baseline(never)
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ args: ['--jobs=1'], workersEnv: '1' })
  })

  it('reports a non-zero exit as a CommandFailedError carrying the exit code and the end of stderr', async () => {
    const target = createCommandTarget({ command: `${node} -e "console.error('bad input'); process.exit(3)"` })
    const failure = await target.run(2, never).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(CommandFailedError)
    expect(failure).toMatchObject({ code: 3, signal: null, stderrTail: 'bad input' })
    expect((failure as Error).message).toMatch(/^command exited with code 3: .* \(stderr: bad input\)$/)
  })

  it('runs the template through the platform shell when asked', async () => {
    const target = createCommandTarget({ command: `${node} -e "process.exit(0)" && ${node} -e "process.exit({workers})"`, shell: true })
    await expect(target.run(4, never)).rejects.toMatchObject({ code: 4 })
  })

  it('describes itself with the template and whether a shell is used', () => {
    expect(createCommandTarget({ command: 'job {workers}' }).describe).toEqual({ command: 'job {workers}', params: {} })
    expect(createCommandTarget({ command: 'job | tee', shell: true }).describe.params).toEqual({ shell: true })
  })

  it('says so when the program cannot be started', async () => {
    const target = createCommandTarget({ command: 'poolscope-no-such-program-xyz {workers}' })
    await expect(target.run(1, never)).rejects.toThrow(/could not start poolscope-no-such-program-xyz/)
  })

  it('refuses a template that cannot be split, or an empty one, when created', () => {
    expect(() => createCommandTarget({ command: 'node "open', argvStyle: 'posix' })).toThrow(ArgvSyntaxError)
    expect(() => createCommandTarget({ command: '   ' })).toThrow(/empty/)
  })

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const target = createCommandTarget({ command: `${node} -e "process.exit(0)"` })
    await expect(target.run(1, controller.signal)).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('stops a running command when the signal aborts and rejects with the abort reason', async () => {
    const controller = new AbortController()
    const target = createCommandTarget({ command: `${node} -e "setInterval(() => {}, 60000)"` })
    const run = target.run(1, controller.signal)
    controller.abort()
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
  })

  it.runIf(process.platform !== 'win32')('stops the command’s children too when cancelled', async () => {
    const pids = path.join(dir, 'pids.txt')
    const controller = new AbortController()
    const target = createCommandTarget({ command: `${node} "${path.join(fixtures, 'spawn-and-wait.js')}" "${pids}"` })
    const run = target.run(1, controller.signal)
    await vi.waitFor(() => expect(existsSync(pids)).toBe(true), { timeout: 20_000 })
    const [leader, child] = readFileSync(pids, 'utf8').split(' ').map(Number)
    controller.abort()
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
    expect(isAlive(leader)).toBe(false)
    await vi.waitFor(() => expect(isAlive(child)).toBe(false), { timeout: 20_000 })
  })
})

describe('platformArgvStyle', () => {
  it('uses Windows rules on Windows and POSIX rules elsewhere', () => {
    expect(platformArgvStyle('win32')).toBe('windows')
    expect(platformArgvStyle('darwin')).toBe('posix')
    expect(platformArgvStyle('linux')).toBe('posix')
  })
})
