import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

export type ThemePreference = 'system' | 'light' | 'dark'
export type Theme = 'light' | 'dark'

const ORDER: readonly ThemePreference[] = ['system', 'light', 'dark']

/**
 * The colour theme: the user's preference and what the system prefers. Applying it to the page and
 * persisting it is `useThemeSync`'s job, so this store stays free of the DOM.
 */
export const useThemeStore = defineStore('theme', () => {
  const preference = ref<ThemePreference>('system')
  const isSystemDark = ref(false)
  const resolved = computed<Theme>(() =>
    preference.value === 'system' ? (isSystemDark.value ? 'dark' : 'light') : preference.value
  )

  /** system → light → dark → system. */
  function cycle(): void {
    preference.value = ORDER[(ORDER.indexOf(preference.value) + 1) % ORDER.length]!
  }

  return { preference, isSystemDark, resolved, cycle }
})

export function isThemePreference(value: unknown): value is ThemePreference {
  return value === 'system' || value === 'light' || value === 'dark'
}
