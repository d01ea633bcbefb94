import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { AppInfo, TaskInfo } from '../../../shared/contract'
import type { ConnectionStatus as TransportStatus } from '../../../shared/ws-transport'

/** `connecting` until `app:info` answers; `offline` when it (or a later probe) fails. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline'

/** The WebSocket's own state in browser mode (`undefined` in Electron, where IPC cannot drop). */
export type { TransportStatus }

/** Where the task catalog is: `loading` until `catalog:list` answers, `failed` if it did not. */
export type CatalogState = 'loading' | 'loaded' | 'failed'

/** What the app is and whether we can reach it: info, catalog, connection. */
export const useAppStore = defineStore('app', () => {
  const info = shallowRef<AppInfo>()
  const catalog = shallowRef<TaskInfo[]>([])
  const catalogState = ref<CatalogState>('loading')
  const status = ref<ConnectionStatus>('connecting')
  const statusDetail = ref<string>()
  const transportStatus = ref<TransportStatus>()

  function setOnline(next: AppInfo): void {
    info.value = next
    status.value = 'online'
    statusDetail.value = undefined
  }

  function setOffline(detail: string): void {
    status.value = 'offline'
    statusDetail.value = detail
  }

  /** A dropped socket makes the app offline at once, without waiting for a failed request. */
  function setTransportStatus(next: TransportStatus): void {
    transportStatus.value = next
    if (next === 'reconnecting' || next === 'closed') setOffline(next === 'closed' ? 'The connection was closed' : 'Reconnecting to the PoolScope server…')
  }

  function setCatalog(tasks: TaskInfo[]): void {
    catalog.value = tasks
    catalogState.value = 'loaded'
  }

  /** A catalog that could not be read; tasks already shown stay. */
  function setCatalogFailed(): void {
    if (catalogState.value !== 'loaded') catalogState.value = 'failed'
  }

  return { info, catalog, catalogState, status, statusDetail, transportStatus, setOnline, setOffline, setTransportStatus, setCatalog, setCatalogFailed }
})
