/**
 * An in-memory PoolScope API for renderer tests: the real `createApi` over a transport whose
 * requests are answered by handlers and whose events the test emits by hand.
 */
import { ContractError, createApi, type PoolScopeApi, type Transport } from '../../shared/api'
import type { EventChannel, EventPayloads, RequestArgs, RequestChannel, RequestResult } from '../../shared/contract'

export type Handlers = { [C in RequestChannel]?: (args: RequestArgs<C>) => RequestResult<C> | Promise<RequestResult<C>> }

export interface FakeApi {
  api: PoolScopeApi
  calls: { channel: RequestChannel; args: unknown }[]
  emit<E extends EventChannel>(channel: E, payload: EventPayloads[E]): void
  listenerCount(channel: EventChannel): number
}

export function createFakeApi(handlers: Handlers = {}): FakeApi {
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>()
  const calls: FakeApi['calls'] = []
  const transport: Transport = {
    async invoke(channel, args) {
      calls.push({ channel, args })
      const handler = handlers[channel] as ((args: unknown) => unknown) | undefined
      if (!handler) throw new ContractError({ code: 'unknown-channel', message: `no fake handler for ${channel}` })
      return handler(args)
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    }
  }
  return {
    api: createApi(transport),
    calls,
    emit(channel, payload) {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(payload)
    },
    listenerCount: (channel) => listeners.get(channel)?.size ?? 0
  }
}
