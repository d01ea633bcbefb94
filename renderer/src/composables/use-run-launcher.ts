import { computed, ref, watch } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'
import { paramFieldKeys } from '../lib/param-form'
import { buildRunRequest, createRunForm, RUN_FORM_FIELDS, type RunForm } from '../lib/run-request'
import { useAppStore } from '../stores/use-app-store'
import { useRunStore } from '../stores/use-run-store'
import { useToastStore } from '../stores/use-toast-store'
import { useFormSubmit } from './use-form-submit'

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
  const isStopping = ref(false)
  const submission = useFormSubmit({
    form,
    build: () => (task.value && form.value ? buildRunRequest(task.value, form.value) : undefined),
    send: async (request) => {
      const { runId } = await api.run.start(request)
      run.begin(runId, request.taskId)
    },
    knownFields: () => [...RUN_FORM_FIELDS, ...paramFieldKeys(task.value?.params ?? [])],
    action: 'Starting the run'
  })
  const { errors, generalErrors, isSubmitting: isStarting } = submission

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
      submission.clearErrors()
    },
    { immediate: true }
  )

  const canStart = computed(() => task.value !== undefined && !run.isLive && !isStarting.value && app.status === 'online')
  const canStop = computed(() => run.isLive && run.state !== 'stopping' && !isStopping.value)

  async function start(): Promise<void> {
    if (canStart.value) await submission.submit()
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
    submission.clearErrors()
  }

  return { taskId, task, form, errors, generalErrors, isStarting, isStopping, canStart, canStop, start, stop, resetForm }
}
