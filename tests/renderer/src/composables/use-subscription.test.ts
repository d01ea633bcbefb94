import { effectScope } from 'vue'
import { describe, expect, it, vi } from 'vitest'
import { useSubscription } from '../../../../renderer/src/composables/use-subscription'
import { createFakeApi } from '../../fake-api'
import { sample } from '../../fixtures'

describe('useSubscription', () => {
  it('delivers events while its scope lives and unsubscribes when it ends', () => {
    const fake = createFakeApi()
    const listener = vi.fn()
    const scope = effectScope()
    scope.run(() => useSubscription(fake.api, 'monitor:sample', listener))
    fake.emit('monitor:sample', sample(1))
    expect(listener).toHaveBeenCalledTimes(1)
    scope.stop()
    expect(fake.listenerCount('monitor:sample')).toBe(0)
    fake.emit('monitor:sample', sample(2))
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('can be stopped early, and stopping twice is harmless', () => {
    const fake = createFakeApi()
    const stop = useSubscription(fake.api, 'run:update', () => {})
    stop()
    stop()
    expect(fake.listenerCount('run:update')).toBe(0)
  })
})
