import { computed, ref } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'
import { parseArgv } from '../lib/argv'
import { describeError } from '../lib/describe-error'
import { useAppStore } from '../stores/use-app-store'
import { useLaunchStore } from '../stores/use-launch-store'
import { useToastStore } from '../stores/use-toast-store'

/** The process launcher: a command line, parsed to argv as you type, then launched. */
export function useProcessLauncher({ api }: { api: PoolScopeApi }) {
  const app = useAppStore()
  const launch = useLaunchStore()
  const toasts = useToastStore()

  const commandLine = ref('')
  const isShell = ref(false)
  const isLaunching = ref(false)
  const error = ref<string>()
  const hasTried = ref(false)

  /** With a shell, the line goes as it is (main joins argv with spaces); without, it is split here. */
  const parsed = computed(() => (isShell.value ? (commandLine.value.trim() ? { ok: true as const, argv: [commandLine.value.trim()] } : parseArgv('')) : parseArgv(commandLine.value)))
  const canLaunch = computed(() => app.info?.canLaunch === true && app.status === 'online' && !isLaunching.value)
  const fieldError = computed(() => error.value ?? (hasTried.value && !parsed.value.ok ? parsed.value.error : undefined))

  async function start(): Promise<void> {
    hasTried.value = true
    error.value = undefined
    const argv = parsed.value
    if (!argv.ok || !canLaunch.value) return
    isLaunching.value = true
    try {
      const summary = await api.launch.start({ argv: argv.argv, shell: isShell.value })
      launch.upsert(summary)
      launch.select(summary.launchId)
      hasTried.value = false
    } catch (cause) {
      const described = describeError(cause)
      error.value = described.issues.length ? described.issues.map((i) => i.message).join('; ') : described.message
      toasts.error('Launching', cause)
    } finally {
      isLaunching.value = false
    }
  }

  return { commandLine, isShell, isLaunching, parsed, canLaunch, fieldError, start }
}
