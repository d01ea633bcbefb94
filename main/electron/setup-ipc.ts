/**
 * The Electron transport for the contract: one `ipcMain.handle` per request channel, every one
 * behind the same gatekeeper, and every hub event forwarded to the window.
 *
 * The sender is checked first, before arguments are looked at: a request from any frame other than
 * our window's main frame showing our page is answered `forbidden` and goes no further (fiddle's
 * pattern). Electron objects are passed in, so this file needs Electron's types only and is tested
 * with fakes.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { requestChannels, type ContractErrorPayload } from '../../shared/contract'
import type { Dispatch, Reply } from '../ipc/dispatcher'
import type { EventHub } from '../ipc/event-hub'
import { isTrustedSender, type FrameIdentity } from '../ipc/trusted-sender'

/** The window as this module sees it: its page's main frame and a way to send it events. */
export interface IpcWindow {
  isDestroyed(): boolean
  readonly webContents: {
    isDestroyed(): boolean
    readonly mainFrame: FrameIdentity
    send(channel: string, ...args: unknown[]): void
  }
}

/** The Electron objects, gatekeeper and checks `setupIpc` wires together. */
export interface SetupIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  /** The app's gatekeeper (`createApp().dispatch`). */
  dispatch: Dispatch
  hub: EventHub
  /** The window of the moment; undefined while there is none. */
  getWindow(): IpcWindow | undefined
  /** Whether a page URL is the renderer we loaded (see `rendererUrlMatcher`). */
  isAllowedUrl(url: string): boolean
  /** Told about each refused sender, e.g. to log it. */
  onRefused?(channel: string, senderUrl: string | undefined): void
}

const FORBIDDEN: ContractErrorPayload = {
  code: 'forbidden',
  message: 'refused: requests are accepted only from the PoolScope window'
}

/** Registers the handlers and event forwarding; returns the function that removes them again. */
export function setupIpc(options: SetupIpcOptions): () => void {
  const { dispatch } = options

  const isFromOurWindow = (event: IpcMainInvokeEvent): boolean => {
    const window = options.getWindow()
    if (window === undefined || window.isDestroyed() || window.webContents.isDestroyed()) return false
    // Reading `senderFrame` after the frame navigated or died yields null (or, in some versions,
    // throws): both mean "not our page".
    let senderFrame: FrameIdentity | null
    try {
      senderFrame = event.senderFrame
    } catch {
      return false
    }
    return isTrustedSender(senderFrame, window.webContents.mainFrame, options.isAllowedUrl)
  }

  for (const channel of requestChannels) {
    options.ipcMain.handle(channel, async (event, rawArgs: unknown): Promise<Reply> => {
      if (!isFromOurWindow(event)) {
        options.onRefused?.(channel, safeUrl(event))
        return { ok: false, error: FORBIDDEN }
      }
      return dispatch(channel, rawArgs, { senderId: `electron:${event.sender.id}` })
    })
  }

  const unsubscribe = options.hub.subscribeAll((channel, payload) => {
    const window = options.getWindow()
    if (window === undefined || window.isDestroyed() || window.webContents.isDestroyed()) return
    window.webContents.send(channel, payload)
  })

  return () => {
    unsubscribe()
    for (const channel of requestChannels) options.ipcMain.removeHandler(channel)
  }
}

function safeUrl(event: IpcMainInvokeEvent): string | undefined {
  try {
    return event.senderFrame?.url
  } catch {
    return undefined
  }
}
