/**
 * Runs one measurement in a separate process (Python, or this bundle with `--child …`) and reads
 * its JSON lines. A line with `"await": true` pauses the child until the parent has done its part
 * (read the tree's RSS, start sampling) and answered with a line on stdin; the `done` line carries
 * the child's own measurements.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { benchEntry, pythonScript } from './paths'

export type ChildEvent = Record<string, unknown> & { event: string }
export type PauseHandler = (event: ChildEvent, pid: number) => Promise<void> | void

/** For a child that reports as it goes: its other events, and its stderr passed on as it comes. */
export interface ChildWatch {
  onEvent?(event: ChildEvent): void
  echoStderr?: boolean
}

export function driveChild(command: string, args: readonly string[], onPause?: PauseHandler, watch: ChildWatch = {}): Promise<ChildEvent> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let done: ChildEvent | undefined
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000)
      if (watch.echoStderr) process.stderr.write(text)
    })
    child.on('error', reject)
    createInterface({ input: child.stdout }).on('line', (line) => {
      let event: ChildEvent
      try {
        event = JSON.parse(line) as ChildEvent
      } catch {
        return
      }
      if (event.event === 'done') done = event
      else if (event.await !== true) watch.onEvent?.(event)
      if (event.await === true) {
        void Promise.resolve(onPause?.(event, child.pid!)).then(
          () => child.stdin.write('go\n'),
          (error: unknown) => {
            child.kill('SIGKILL')
            reject(error)
          }
        )
      }
    })
    child.on('close', (code, signal) => {
      if (done && code === 0) resolve(done)
      else reject(new Error(`${command} ${args.join(' ')} ended with ${signal ?? `code ${code}`}: ${stderr.trim()}`))
    })
  })
}

export function runPython(args: readonly string[], onPause?: PauseHandler): Promise<ChildEvent> {
  return driveChild('python3', [pythonScript, ...args], onPause)
}

/** Runs this bundle in a fresh Node process in one of its `--child` modes (see `child-modes.ts`). */
export function runNodeChild(args: readonly string[], onPause?: PauseHandler, watch?: ChildWatch): Promise<ChildEvent> {
  return driveChild(process.execPath, [benchEntry, '--child', ...args], onPause, watch)
}

/** For the child side: writes one event line; with `await`, resolves once the parent answers. */
export function emit(event: ChildEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`)
}

export function pause(event: ChildEvent): Promise<void> {
  emit({ ...event, await: true })
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      if (!chunk.includes(10)) return
      process.stdin.off('data', onData)
      process.stdin.pause()
      resolve()
    }
    process.stdin.on('data', onData)
    process.stdin.resume()
  })
}
