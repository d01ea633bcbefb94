import { defineStore } from 'pinia'
import { ref } from 'vue'
import { describeError } from '../lib/describe-error'

export interface Toast {
  id: number
  kind: 'error' | 'info'
  title: string
  detail: string | undefined
  issues: { path: string; message: string }[]
}

/** Toasts on screen at once; the oldest leaves first. */
export const MAX_TOASTS = 4
/** How long a toast stays, ms; errors stay longer than news. */
export const TOAST_MS = { info: 4_000, error: 9_000 } as const

/** Passing notices and request failures, each dismissed by hand or after a while. */
export const useToastStore = defineStore('toast', () => {
  const toasts = ref<Toast[]>([])
  const timers = new Map<number, ReturnType<typeof setTimeout>>()
  let nextId = 1

  function push(toast: Omit<Toast, 'id'>): number {
    const id = nextId++
    toasts.value = [...toasts.value, { ...toast, id }]
    while (toasts.value.length > MAX_TOASTS) dismiss(toasts.value[0]!.id)
    timers.set(
      id,
      setTimeout(() => dismiss(id), TOAST_MS[toast.kind])
    )
    return id
  }

  function dismiss(id: number): void {
    clearTimeout(timers.get(id))
    timers.delete(id)
    toasts.value = toasts.value.filter((toast) => toast.id !== id)
  }

  /** Shows why a request failed: `what` names the action ("Starting the run"). */
  function error(what: string, cause: unknown): number {
    const described = describeError(cause)
    return push({ kind: 'error', title: `${what} failed`, detail: described.message, issues: described.issues })
  }

  function info(title: string, detail?: string): number {
    return push({ kind: 'info', title, detail, issues: [] })
  }

  return { toasts, push, dismiss, error, info }
})
