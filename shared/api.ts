/**
 * Builds the renderer-facing API from the contract: one named method per request channel
 * (`run:start` → `api.run.start(args)`) and one subscription method for events, over any
 * transport. The preload builds it over Electron IPC; browser mode builds the very same object over
 * a WebSocket, so the renderer cannot tell the two apart.
 */
import {
  requestChannels,
  type ContractErrorPayload,
  type EventChannel,
  type EventPayloads,
  type RequestArgs,
  type RequestChannel,
  type RequestResult
} from './contract'

/** What carries requests and events: Electron IPC in the preload, a WebSocket in browser mode. */
export interface Transport {
  invoke(channel: RequestChannel, args: unknown): Promise<unknown>
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void
}

type Namespace<C> = C extends `${infer N}:${string}` ? N : never
type MethodOf<C, N extends string> = C extends `${N}:${infer M}` ? M : never

export type RequestMethods = {
  [N in Namespace<RequestChannel>]: {
    [M in MethodOf<RequestChannel, N>]: `${N}:${M}` extends infer C extends RequestChannel
      ? (args?: RequestArgs<C>) => Promise<RequestResult<C>>
      : never
  }
}

export type PoolScopeApi = RequestMethods & {
  /** Subscribes to an event channel; returns the unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayloads[E]) => void): () => void
}

/** A request refused or failed in main, as the renderer receives it. */
export class ContractError extends Error {
  override readonly name = 'ContractError'
  constructor(readonly payload: ContractErrorPayload) {
    super(payload.message)
  }
}

export function createApi(transport: Transport): PoolScopeApi {
  const api: Record<string, Record<string, (args?: unknown) => Promise<unknown>>> = {}
  for (const channel of requestChannels) {
    const [ns, method] = channel.split(':') as [string, string]
    api[ns] ??= {}
    api[ns][method] = (args?: unknown) => transport.invoke(channel, args ?? {})
  }
  const on = (channel: EventChannel, listener: (payload: unknown) => void) => transport.subscribe(channel, listener)
  return Object.assign(api, { on }) as unknown as PoolScopeApi
}
