/** Launch payload builders for renderer tests; each takes overrides for the fields a test is about. */
import type { LaunchDetail, LaunchSummary, LaunchUpdate, ProcNode } from '../../shared/contract'

export function procNode(pid: number, cpuPercent = 1, overrides: Partial<ProcNode> = {}): ProcNode {
  return { pid, ppid: 1, name: 'p', command: 'p', state: 'S', cpuPercent, rssBytes: 100, ...overrides }
}

export function launchSummary(launchId: string, overrides: Partial<LaunchSummary> = {}): LaunchSummary {
  return { launchId, argv: ['sleep', '1'], pid: 10, startedAt: 0, exit: undefined, graceMs: 3000, ...overrides }
}

export function launchUpdate(launchId: string, overrides: Partial<LaunchUpdate> = {}): LaunchUpdate {
  return { launchId, at: 0, tree: [], exit: undefined, graceMs: 3000, stopDeadlineAt: null, ...overrides }
}

export function launchDetail(launchId: string, overrides: Partial<LaunchDetail> = {}): LaunchDetail {
  return {
    ...launchSummary(launchId),
    at: 0,
    tree: [],
    stopDeadlineAt: null,
    history: [],
    output: { stdout: { lines: [], droppedLines: 0 }, stderr: { lines: [], droppedLines: 0 } },
    ...overrides
  }
}
