import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ContractError } from '../../../../shared/api'
import { MAX_TOASTS, TOAST_MS, useToastStore } from '../../../../renderer/src/stores/use-toast-store'

describe('useToastStore', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  it('turns a failed request into an error toast with its issues', () => {
    const toasts = useToastStore()
    toasts.error('Starting the run', new ContractError({ code: 'invalid-payload', message: 'bad', issues: [{ path: 'workers', message: 'must be ≥ 1' }] }))
    expect(toasts.toasts[0]).toMatchObject({ kind: 'error', title: 'Starting the run failed', detail: 'Some values were refused', issues: [{ path: 'workers' }] })
  })

  it('dismisses toasts after a while, errors later than news', () => {
    const toasts = useToastStore()
    toasts.info('Saved')
    toasts.error('Saving', new Error('disk full'))
    vi.advanceTimersByTime(TOAST_MS.info)
    expect(toasts.toasts.map((t) => t.kind)).toEqual(['error'])
    vi.advanceTimersByTime(TOAST_MS.error)
    expect(toasts.toasts).toEqual([])
  })

  it('shows at most a few at once, the oldest leaving first', () => {
    const toasts = useToastStore()
    for (let i = 0; i < MAX_TOASTS + 2; i++) toasts.info(`n${i}`)
    expect(toasts.toasts.map((t) => t.title)).toEqual(Array.from({ length: MAX_TOASTS }, (_, i) => `n${i + 2}`))
  })
})
