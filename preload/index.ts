/**
 * The preload bridge: exposes the contract's named methods to the renderer, never `ipcRenderer`.
 * Requests travel as `invoke` on the channel's own name; main answers `{ ok, value | error }` so a
 * refusal keeps its structured payload across the bridge (thrown errors lose their fields).
 */
import { contextBridge, ipcRenderer } from 'electron'
import { API_KEY, eventChannels, type ContractErrorPayload, type EventChannel } from '../shared/contract'
import { ContractError, createApi, type Transport } from '../shared/api'

const allowedEvents = new Set<string>(eventChannels)

/**
 * A refusal as it must cross the context bridge: a plain object shaped like `ContractError`
 * (`name`, `message`, `payload`), not the error itself. The bridge re-creates Error objects from their
 * message alone, dropping every other property (electron/electron,
 * shell/renderer/api/electron_api_context_bridge.cc: "Errors aren't serializable currently"), while
 * plain objects are copied whole. The renderer matches the shape (shared/api.ts (ContractError)), so it
 * sees the same `payload` here as over browser mode's WebSocket.
 */
function bridgeableRefusal(payload: ContractErrorPayload): Pick<ContractError, 'name' | 'message' | 'payload'> {
  const { name, message } = new ContractError(payload)
  return { name, message, payload }
}

const ipcTransport: Transport = {
  async invoke(channel, args) {
    const reply = (await ipcRenderer.invoke(channel, args)) as
      | { ok: true; value: unknown }
      | { ok: false; error: ContractErrorPayload }
    if (!reply.ok) throw bridgeableRefusal(reply.error)
    return reply.value
  },
  subscribe(channel: EventChannel, listener) {
    if (!allowedEvents.has(channel)) throw new Error(`unknown event channel: ${String(channel)}`)
    const wrapped = (_event: unknown, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, wrapped)
    return () => ipcRenderer.removeListener(channel, wrapped)
  }
}

contextBridge.exposeInMainWorld(API_KEY, createApi(ipcTransport))
