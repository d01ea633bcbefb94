import { onScopeDispose, watch } from 'vue'
import { isThemePreference, useThemeStore } from '../stores/use-theme-store'

const STORAGE_KEY = 'poolscope.theme'

export interface ThemeSyncOptions {
  /** Where the `data-theme` attribute goes; default the document's root element. */
  root?: HTMLElement
  storage?: Pick<Storage, 'getItem' | 'setItem'>
}

/**
 * Applies the theme store to the page: follows `prefers-color-scheme` while the preference is
 * `system`, sets `data-theme` on the root (the CSS variables hang off it) and remembers an explicit
 * choice across reloads.
 */
export function useThemeSync(options: ThemeSyncOptions = {}): void {
  const theme = useThemeStore()
  const root = options.root ?? document.documentElement
  const storage = options.storage ?? safeLocalStorage()

  const saved = storage?.getItem(STORAGE_KEY)
  if (isThemePreference(saved)) theme.preference = saved

  const media = window.matchMedia('(prefers-color-scheme: dark)')
  theme.isSystemDark = media.matches
  const onChange = (event: MediaQueryListEvent) => (theme.isSystemDark = event.matches)
  media.addEventListener('change', onChange)
  onScopeDispose(() => media.removeEventListener('change', onChange))

  watch(
    () => theme.resolved,
    (resolved) => (root.dataset.theme = resolved),
    { immediate: true }
  )
  watch(
    () => theme.preference,
    (preference) => storage?.setItem(STORAGE_KEY, preference)
  )
}

/** localStorage, or nothing where it is blocked (some privacy settings throw on access). */
function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage
  } catch {
    return undefined
  }
}
