import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { isThemePreference, useThemeStore } from '../../../../renderer/src/stores/use-theme-store'

describe('useThemeStore', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('follows the system until the user picks a theme', () => {
    const theme = useThemeStore()
    theme.isSystemDark = true
    expect(theme.resolved).toBe('dark')
    theme.cycle()
    expect(theme.preference).toBe('light')
    expect(theme.resolved).toBe('light')
    theme.cycle()
    expect(theme.resolved).toBe('dark')
    theme.cycle()
    expect(theme.preference).toBe('system')
  })

  it('accepts only known preferences from storage', () => {
    expect(isThemePreference('dark')).toBe(true)
    expect(isThemePreference('blue')).toBe(false)
    expect(isThemePreference(null)).toBe(false)
  })
})
