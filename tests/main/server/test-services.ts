/**
 * Test wiring, not a product: a small in-memory `AppServices` that records calls, so the gatekeeper,
 * server and browser mode can be exercised without the application's real pools.
 */
import type { AppInfo, RequestResults } from '../../../shared/contract'
import type { AppServices } from '../../../main/ipc/handlers'
import { RequestError } from '../../../main/ipc/request-error'

export interface RecordingServices extends AppServices {
  /** `[method, args]` per call, e.g. `['runs.stop', ['r-1']]`. */
  calls: [string, unknown[]][]
  isDisposed: boolean
}

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

export function createRecordingServices(): RecordingServices {
  const calls: [string, unknown[]][] = []
  const record =
    <R>(name: string, result: (...args: never[]) => R) =>
    (...args: unknown[]): R => {
      calls.push([name, args])
      return (result as (...a: unknown[]) => R)(...args)
    }
  const services: RecordingServices = {
    calls,
    isDisposed: false,
    info: record('info', () => testInfo),
    catalog: { list: record('catalog.list', (): RequestResults['catalog:list'] => []) },
    runs: {
      start: record('runs.start', async () => ({ runId: 'run-1' })),
      stop: record('runs.stop', (runId: string) => {
        if (runId !== 'run-1') throw new RequestError('not-found', `no run ${runId}`)
        return { stopped: true }
      }),
      list: record('runs.list', () => []),
      killWorker: record('runs.killWorker', () => ({ killed: true, pid: 1234 }))
    },
    monitor: {
      history: record('monitor.history', () => []),
      configure: record('monitor.configure', (rateHz: number) => ({ rateHz }))
    },
    bench: {
      start: record('bench.start', () => ({ benchId: 'bench-1' })),
      cancel: record('bench.cancel', () => ({ cancelled: true })),
      list: record('bench.list', () => []),
      get: record('bench.get', (id: string) => {
        throw new RequestError('not-found', `no benchmark ${id}`)
      }),
      export: record('bench.export', (id: string, format: string) => ({ filename: `${id}.${format}`, mime: 'text/plain', content: '' }))
    },
    launcher: {
      start: record('launcher.start', () => ({ launchId: 'launch-1', argv: ['ls'], pid: 99, startedAt: 0, exit: undefined, graceMs: 3000 })),
      signal: record('launcher.signal', () => ({ signalled: [99] })),
      list: record('launcher.list', () => []),
      get: record('launcher.get', ({ launchId }: { launchId: string }): RequestResults['launch:get'] => {
        if (launchId !== 'launch-1') throw new RequestError('not-found', `no launch with id ${launchId}`)
        return {
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
        }
      })
    },
    async dispose() {
      calls.push(['dispose', []])
      services.isDisposed = true
    }
  }
  return services
}
