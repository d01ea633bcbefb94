import { describe, expect, it } from 'vitest'
import { tabFromHash } from '../../../../renderer/src/lib/app-tab'

describe('tabFromHash', () => {
  it('opens the tab a hash names, else the dashboard', () => {
    expect(tabFromHash('#speedup')).toBe('speedup')
    expect(tabFromHash('#/processes')).toBe('processes')
    expect(tabFromHash('#cluster')).toBe('cluster')
    expect(tabFromHash('#nope')).toBe('dashboard')
    expect(tabFromHash('')).toBe('dashboard')
  })
})
