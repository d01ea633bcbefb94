import { describe, expect, it } from 'vitest'
import { InvalidOptionError, InvalidStateError, TaskFailedError } from '../../../main/pool/errors'
import { Process, type ProcessOptions } from '../../../main/pool/process'
import { fixtureFn, workerScript } from '../../helpers/paths'
import { useProcesses } from '../../helpers/pools'
import { isRunning } from '../../helpers/processes'
import { waitFor } from '../../helpers/wait-for'

const sleep = fixtureFn('sleep.cjs', 'sleep')
const add = fixtureFn('echo.cjs', 'add')
const throwError = fixtureFn('throw.cjs', 'throwError')
const hang = fixtureFn('hang.cjs', 'hang')
const ignoreSigterm = fixtureFn('ignore-sigterm.cjs', 'ignoreSigterm')
const whoAmI = fixtureFn('context.cjs', 'whoAmI')
const flood = fixtureFn('flood-stdout.cjs', 'flood')

const openProcess = useProcesses()

function thrownBy(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

describe('Process', () => {
  it('start() returns at once with the process alive; join() waits for it to end with exit code 0', async () => {
    const p = openProcess({ target: sleep, args: [30, 'done'] })
    expect(p.isAlive()).toBe(false)
    expect(p.pid).toBeUndefined()
    p.start()
    expect(p.isAlive()).toBe(true)
    expect(p.pid).toEqual(expect.any(Number))
    expect(p.exitCode).toBeNull()
    await p.join()
    expect(p.isAlive()).toBe(false)
    expect(p.exitCode).toBe(0)
    expect(p.signal).toBeNull()
    expect(p.result).toBe('done')
    expect(p.error).toBeUndefined()
    expect(isRunning(p.pid!)).toBe(false)
  })

  it('passes its args to the target', async () => {
    const p = openProcess({ target: add, args: [40, 2] })
    p.start()
    await p.join()
    expect(p.result).toBe(42)
  })

  it('a target that throws ends the process with exit code 1 and sets error to the remote failure', async () => {
    const p = openProcess({ target: throwError, args: ['process failed'] })
    p.start()
    await p.join()
    expect(p.exitCode).toBe(1)
    expect(p.error).toBeInstanceOf(TaskFailedError)
    expect(p.error?.message).toBe('process failed')
    expect(p.error?.remoteStack).toContain('throw.cjs')
  })

  it('a target that cannot be found ends the process with exit code 1 and says why', async () => {
    const p = openProcess({ target: fixtureFn('echo.cjs', 'noSuchExport') })
    p.start()
    await p.join()
    expect(p.exitCode).toBe(1)
    expect(p.error?.message).toContain('is not a function')
  })

  it('terminate() ends it with SIGTERM', async () => {
    const p = openProcess({ target: hang })
    p.start()
    p.terminate()
    await p.join()
    expect(p.isAlive()).toBe(false)
    expect(p.signal).toBe('SIGTERM')
    expect(p.exitCode).toBeNull()
  })

  it('kill() ends it with SIGKILL', async () => {
    const p = openProcess({ target: hang })
    p.start()
    p.kill()
    await p.join()
    expect(p.signal).toBe('SIGKILL')
    expect(p.exitCode).toBeNull()
  })

  it('a child that ignores SIGTERM survives terminate(), and kill() still stops it', async () => {
    const p = openProcess({ target: ignoreSigterm })
    const armed = new Promise<void>((resolve) => p.registerService('probe', { armed: () => resolve() }))
    p.start()
    await armed
    p.terminate()
    await p.join(200)
    expect(p.isAlive()).toBe(true)
    expect(isRunning(p.pid!)).toBe(true)
    p.kill()
    await p.join()
    expect(p.signal).toBe('SIGKILL')
  })

  it('join(timeoutMs) returns with the process still running', async () => {
    const p = openProcess({ target: hang })
    p.start()
    await p.join(20)
    expect(p.isAlive()).toBe(true)
  })

  it('emits exit with the code and signal', async () => {
    const p = openProcess({ target: sleep, args: [1] })
    const exit = new Promise((resolve) => p.once('exit', resolve))
    p.start()
    expect(await exit).toEqual({ code: 0, signal: null })
  })

  it("emits the child's output", async () => {
    const p = openProcess({ target: flood, args: [10] })
    let stdout = ''
    p.on('output', (stream, text) => {
      if (stream === 'stdout') stdout += text
    })
    p.start()
    await p.join()
    // Output can trail the exit: the pipe may still be draining when the process is gone.
    await waitFor('the output to arrive', () => stdout === 'xxxxxxxxx\n')
  })

  it('names itself Process-<n> unless named, and the child knows its name, pid and parent pid', async () => {
    expect(new Process({ target: whoAmI, workerScript }).name).toMatch(/^Process-\d+$/)
    const p = openProcess({ target: whoAmI, name: 'hello-process' })
    p.start()
    await p.join()
    expect(p.result).toMatchObject({ name: 'hello-process', pid: p.pid, ppid: process.pid, isWorker: true })
  })

  it('runs its target in a thread with the thread backend; a throw still means exit code 1', async () => {
    const ok = openProcess({ target: add, args: [1, 2], backend: 'thread' })
    ok.start()
    await ok.join()
    expect(ok.exitCode).toBe(0)
    expect(ok.result).toBe(3)
    const bad = openProcess({ target: throwError, args: ['thread process failed'], backend: 'thread' })
    bad.start()
    await bad.join()
    expect(bad.exitCode).toBe(1)
    expect(bad.error?.message).toBe('thread process failed')
  })

  it('refuses to start twice, and join() before start() rejects', async () => {
    const p = openProcess({ target: sleep, args: [1] })
    await expect(p.join()).rejects.toBeInstanceOf(InvalidStateError)
    p.start()
    expect(thrownBy(() => p.start())).toBeInstanceOf(InvalidStateError)
    await p.join()
  })

  it('is not a daemon unless asked, as in Python', () => {
    expect(new Process({ target: sleep, workerScript }).daemon).toBe(false)
    expect(new Process({ target: sleep, workerScript, daemon: true }).daemon).toBe(true)
  })

  it('rejects a target or args of the wrong shape by name', () => {
    const noTarget = thrownBy(() => new Process({ target: 42 } as unknown as ProcessOptions))
    expect((noTarget as InvalidOptionError).option).toBe('target')
    const badArgs = thrownBy(() => new Process({ target: sleep, args: 'x' } as unknown as ProcessOptions))
    expect((badArgs as InvalidOptionError).option).toBe('args')
  })

  it('terminate() and kill() before start() or after the end do nothing', async () => {
    const p = openProcess({ target: sleep, args: [1] })
    p.terminate()
    p.kill()
    p.start()
    await p.join()
    p.terminate()
    p.kill()
    expect(p.exitCode).toBe(0)
  })
})
