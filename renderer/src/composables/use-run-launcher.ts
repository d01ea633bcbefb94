import { computed, ref, watch } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'
import { serverFormErrors, type FieldErrors } from '../lib/field-errors'
import { buildRunRequest, createRunForm, RUN_FORM_FIELDS, type RunForm } from '../lib/run-request'
import { useAppStore } from '../stores/use-app-store'
import { useRunStore } from '../stores/use-run-store'
import { useToastStore } from '../stores/use-toast-store'

/**
 * The launcher's state and actions: which task, its generated form, validation (local first, the
 * server's `issues` after), and Run / Stop.
 */
export function useRunLauncher({ api }: { api: PoolScopeApi }) {
  const app = useAppStore()
  const run = useRunStore()
  const toasts = useToastStore()

  const taskId = ref<string>()
  const task = computed(() => app.catalog.find((t) => t.id === taskId.value))
  const form = ref<RunForm>()
  const errors = ref<FieldErrors>({})
  const generalErrors = ref<string[]>([])
  const isStarting = ref(false)
  const isStopping = ref(false)
  // Errors show once the user has tried to run; from then on they follow every edit.
  const hasTriedSubmit = ref(false)

  watch(
    () => app.catalog,
    (tasks) => {
      if (!tasks.some((t) => t.id === taskId.value)) taskId.value = tasks[0]?.id
    },
    { immediate: true }
  )

  watch(
    task,
    (next) => {
      form.value = next ? createRunForm(next, app.info?.cores ?? 1) : undefined
      errors.value = {}
      generalErrors.value = []
      hasTriedSubmit.value = false
    },
    { immediate: true }
  )

  watch(
    form,
    () => {
      if (!hasTriedSubmit.value || !task.value || !form.value) return
      const built = buildRunRequest(task.value, form.value)
      errors.value = built.ok ? {} : built.errors
    },
    { deep: true }
  )

  const canStart = computed(() => task.value !== undefined && !run.isLive && !isStarting.value && app.status === 'online')
  const canStop = computed(() => run.isLive && run.state !== 'stopping' && !isStopping.value)

  async function start(): Promise<void> {
    if (!task.value || !form.value || !canStart.value) return
    hasTriedSubmit.value = true
    generalErrors.value = []
    const built = buildRunRequest(task.value, form.value)
    if (!built.ok) {
      errors.value = built.errors
      return
    }
    errors.value = {}
    isStarting.value = true
    try {
      const { runId } = await api.run.start(built.request)
      run.begin(runId, task.value.id)
    } catch (error) {
      const mapped = serverFormErrors(error, [...RUN_FORM_FIELDS, ...task.value.params.map((p) => `params.${p.name}`)])
      if (mapped) {
        errors.value = mapped.fieldErrors
        generalErrors.value = mapped.general
      }
      toasts.error('Starting the run', error)
    } finally {
      isStarting.value = false
    }
  }

  async function stop(): Promise<void> {
    const runId = run.runId
    if (!runId || !canStop.value) return
    isStopping.value = true
    try {
      await api.run.stop({ runId })
    } catch (error) {
      toasts.error('Stopping the run', error)
    } finally {
      isStopping.value = false
    }
  }

  function resetForm(): void {
    if (task.value) form.value = createRunForm(task.value, app.info?.cores ?? 1)
    errors.value = {}
    generalErrors.value = []
    hasTriedSubmit.value = false
  }

  return { taskId, task, form, errors, generalErrors, isStarting, isStopping, canStart, canStop, start, stop, resetForm }
}
