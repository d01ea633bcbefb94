import { inject, type InjectionKey } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'

/** Where `main.ts` provides the API chosen by `resolveApi()`. */
export const apiKey: InjectionKey<PoolScopeApi> = Symbol('poolscope-api')

/** The PoolScope API for the component calling it. Only `main.ts` decides which transport it uses. */
export function useApi(): PoolScopeApi {
  const api = inject(apiKey)
  if (!api) throw new Error('useApi() found no API: main.ts must app.provide(apiKey, api)')
  return api
}
