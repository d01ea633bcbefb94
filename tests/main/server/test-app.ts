/**
 * Test wiring, not a product: a handler map that records each request it answers, and an `App`
 * over it (the real gatekeeper and launch policy), so the gatekeeper, the transports and browser
 * mode can be exercised without the application's real pools.
 */
import type { AppInfo, LaunchDetail, RequestChannel } from '../../../shared/contract'
import type { App } from '../../../main/app'
import { createDispatcher } from '../../../main/ipc/dispatcher'
import type { Handlers } from '../../../main/ipc/handlers'
import { launchPolicy } from '../../../main/ipc/launch-policy'

export const testInfo: AppInfo = {
  name: 'poolscope',
  version: '0.0.0-test',
  mode: 'browser',
  platform: 'linux',
  cores: 4,
  canLaunch: false,
  launchDisabledReason: 'off in tests',
  dataDir: '/tmp/poolscope-test'
}

/** A refusal with a contract code, as a domain error carries one. */
class NotFoundError extends Error {
  readonly code = 'not-found'
}

const launchDetail = (launchId: string): LaunchDetail => ({
  launchId,
  argv: ['ls'],
  pid: 99,
  startedAt: 0,
  exit: undefined,
  graceMs: 3000,
  at: 0,
  tree: [],
  stopDeadlineAt: null,
  history: [],
  output: { stdout: { lines: [], droppedLines: 0 }, stderr: { lines: [], droppedLines: 0 } }
})

/** Canned answers: `run:stop` knows only `run-1`, `launch:get` only `launch-1`, `bench:get` nothing. */
const answers = {
  'app:info': () => testInfo,
  'catalog:list': () => [],
  'run:start': async () => ({ runId: 'run-1' }),
  'run:stop': ({ runId }) => {
    if (runId !== 'run-1') throw new NotFoundError(`no run ${runId}`)
    return { stopped: true }
  },
  'run:list': () => [],
  'worker:kill': () => ({ killed: true, pid: 1234 }),
  'monitor:history': () => [],
  'monitor:configure': ({ rateHz }) => ({ rateHz }),
  'bench:start': () => ({ benchId: 'bench-1' }),
  'bench:cancel': () => ({ cancelled: true }),
  'bench:list': () => [],
  'bench:get': ({ id }) => {
    throw new NotFoundError(`no benchmark ${id}`)
  },
  'bench:export': ({ id, format }) => ({ filename: `${id}.${format}`, mime: 'text/plain', content: '' }),
  'launch:start': () => ({ launchId: 'launch-1', argv: ['ls'], pid: 99, startedAt: 0, exit: undefined, graceMs: 3000 }),
  'launch:signal': () => ({ signalled: [99] }),
  'launch:list': () => [],
  'launch:get': ({ launchId }) => {
    if (launchId !== 'launch-1') throw new NotFoundError(`no launch with id ${launchId}`)
    return launchDetail(launchId)
  },
  'cluster:retry': () => ({ retried: false })
} satisfies Handlers

/** Handlers with canned answers, and every call they answered as `[channel, validated args]`. */
export interface RecordingHandlers {
  handlers: Handlers
  calls: [RequestChannel, unknown][]
}

export function createRecordingHandlers(overrides: Partial<Handlers> = {}): RecordingHandlers {
  const calls: [RequestChannel, unknown][] = []
  const all = { ...answers, ...overrides } as unknown as Record<string, (args: unknown, ctx: unknown) => unknown>
  const handlers = Object.fromEntries(
    Object.entries(all).map(([channel, answer]) => [
      channel,
      (args: unknown, ctx: unknown) => {
        calls.push([channel as RequestChannel, args])
        return answer(args, ctx)
      }
    ])
  ) as unknown as Handlers
  return { handlers, calls }
}

/** An `App` over recording handlers, behind the real gatekeeper and launch policy. */
export interface RecordingApp extends App {
  calls: [RequestChannel, unknown][]
  isDisposed: boolean
}

export function createRecordingApp(options: { allowLaunch?: boolean; overrides?: Partial<Handlers> } = {}): RecordingApp {
  const { handlers, calls } = createRecordingHandlers(options.overrides)
  const app: RecordingApp = {
    handlers,
    dispatch: createDispatcher(handlers, { authorize: launchPolicy(options.allowLaunch ?? false) }),
    calls,
    isDisposed: false,
    async dispose() {
      app.isDisposed = true
    }
  }
  return app
}
