import { onActivated, onDeactivated, ref, type Ref } from 'vue'

/**
 * Whether the calling component is on screen under `<KeepAlive>`: false while its tab is hidden,
 * so charts can skip drawing (their data keeps being recorded by the stores).
 */
export function useIsActive(): Readonly<Ref<boolean>> {
  const isActive = ref(true)
  onActivated(() => (isActive.value = true))
  onDeactivated(() => (isActive.value = false))
  return isActive
}
