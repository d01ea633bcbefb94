/**
 * Chooses how the renderer reaches main. In Electron the preload has exposed the API on
 * `window.poolscope`; in a plain browser (browser mode) the very same API is built over a
 * WebSocket to the local server. Nothing else in the renderer knows which one it got.
 */
import { createApi, type PoolScopeApi } from '../../shared/api'
import { API_KEY } from '../../shared/contract'
import { createWsTransport, type ConnectionStatus } from '../../shared/ws-transport'

declare global {
  interface Window {
    /** Set by the preload (`contextBridge.exposeInMainWorld(API_KEY, createApi(…))`); absent in a browser. */
    poolscope?: PoolScopeApi
  }
}

/** Which transport carries the API. */
export type ApiSource = 'preload' | 'websocket'

export type ResolvedApi =
  | { ok: true; api: PoolScopeApi; source: ApiSource }
  /** Browser mode could not start, e.g. the page was opened without its `?token=`. */
  | { ok: false; message: string }

export interface ResolveApiOptions {
  /** Told about the WebSocket's state in browser mode (IPC has no such state). */
  onTransportStatus?: (status: ConnectionStatus) => void
}

export function resolveApi(win: Window = window, options: ResolveApiOptions = {}): ResolvedApi {
  // Indexing with API_KEY (not `.poolscope`) makes a rename in the contract a type error here.
  const exposed = win[API_KEY]
  if (exposed) return { ok: true, api: exposed, source: 'preload' }
  try {
    const transport = createWsTransport({ onStatusChange: options.onTransportStatus })
    options.onTransportStatus?.(transport.status)
    return { ok: true, api: createApi(transport), source: 'websocket' }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}
