import { describe, expect, it } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { requestChannels } from '../../../shared/contract'
import { EventHub } from '../../../main/ipc/event-hub'
import { rendererUrlMatcher, type FrameIdentity } from '../../../main/ipc/trusted-sender'
import { setupIpc, type IpcWindow } from '../../../main/electron/setup-ipc'
import { createRecordingApp } from '../server/test-app'

const page = 'file:///app/out/renderer/index.html'
type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown

/** Test wiring: an `ipcMain` that records handlers, and a window that records what it is sent. */
function harness() {
  const registered = new Map<string, Listener>()
  const ipcMain = {
    handle: (channel: string, listener: Listener) => {
      if (registered.has(channel)) throw new Error(`second handler for ${channel}`)
      registered.set(channel, listener)
    },
    removeHandler: (channel: string) => registered.delete(channel)
  }
  const sent: [string, unknown][] = []
  const mainFrame: FrameIdentity = { processId: 3, routingId: 1, url: page }
  let isDestroyed = false
  const window: IpcWindow = {
    isDestroyed: () => isDestroyed,
    webContents: { isDestroyed: () => isDestroyed, mainFrame, send: (channel, payload) => sent.push([channel, payload]) }
  }
  const hub = new EventHub()
  const app = createRecordingApp()
  const refused: string[] = []
  const teardown = setupIpc({
    ipcMain: ipcMain as never,
    dispatch: app.dispatch,
    hub,
    getWindow: () => window,
    isAllowedUrl: rendererUrlMatcher(page),
    onRefused: (channel) => refused.push(channel)
  })
  const invoke = (channel: string, args: unknown, senderFrame: FrameIdentity | null = { ...mainFrame }) =>
    registered.get(channel)!({ senderFrame, sender: { id: 7 } } as unknown as IpcMainInvokeEvent, args)
  return { registered, sent, hub, app, refused, teardown, invoke, destroy: () => (isDestroyed = true) }
}

describe('setupIpc', () => {
  it('registers one handler per request channel', () => {
    const { registered } = harness()
    expect([...registered.keys()].sort()).toEqual([...requestChannels].sort())
  })

  it('answers our window’s main frame through the gatekeeper', async () => {
    const { invoke } = harness()
    expect(await invoke('run:start', { taskId: 'sum', workers: 2 })).toEqual({ ok: true, value: { runId: 'run-1' } })
    expect(await invoke('run:start', { taskId: 'sum', workers: 0 })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } })
  })

  it('refuses a subframe before looking at its arguments', async () => {
    const { invoke, app, refused } = harness()
    const reply = await invoke('run:start', { taskId: 'sum', workers: 2 }, { processId: 3, routingId: 9, url: page })
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(app.calls).toEqual([])
    expect(refused).toEqual(['run:start'])
  })

  it('refuses our frame once it shows a page we did not load', async () => {
    const { invoke, app } = harness()
    const reply = await invoke('app:info', {}, { processId: 3, routingId: 1, url: 'https://evil.example/' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(app.calls).toEqual([])
  })

  it('refuses a sender whose frame is gone', async () => {
    const { invoke } = harness()
    expect(await invoke('app:info', {}, null)).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('forwards hub events to the window', () => {
    const { hub, sent } = harness()
    const progress = { benchId: 'b', phase: 'run' as const, workers: 2, run: 1, of: 3, done: 1, total: 6 }
    hub.publish('bench:progress', progress)
    expect(sent).toEqual([['bench:progress', progress]])
  })

  it('sends nothing to a destroyed window and refuses its requests', async () => {
    const { hub, sent, destroy, invoke } = harness()
    destroy()
    hub.publish('monitor:processes', { t: 1, processes: [] })
    expect(sent).toEqual([])
    expect(await invoke('app:info', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('removes its handlers and stops forwarding when torn down', () => {
    const { teardown, registered, hub, sent } = harness()
    teardown()
    expect(registered.size).toBe(0)
    hub.publish('monitor:processes', { t: 1, processes: [] })
    expect(sent).toEqual([])
  })
})
