import { getCurrentScope, onScopeDispose, ref, type Ref } from 'vue'

export interface NowOptions {
  /** Tick period, ms. */
  intervalMs?: number
  clock?: () => number
}

/** A clock that ticks every `intervalMs` while the calling component lives (for "3 s ago", ETAs). */
export function useNow(options: NowOptions = {}): Readonly<Ref<number>> {
  const { intervalMs = 1000, clock = Date.now } = options
  const now = ref(clock())
  const timer = setInterval(() => (now.value = clock()), intervalMs)
  if (getCurrentScope()) onScopeDispose(() => clearInterval(timer))
  return now
}
