import { computed, ref, watch } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'
import { BENCH_FORM_FIELDS, buildBenchRequest, defaultWorkerList, type BenchForm } from '../lib/bench-request'
import { serverFormErrors, type FieldErrors } from '../lib/field-errors'
import { initialFieldValues } from '../lib/param-form'
import { useAppStore } from '../stores/use-app-store'
import { useBenchStore } from '../stores/use-bench-store'
import { useToastStore } from '../stores/use-toast-store'

/** The benchmark form: task or command, worker counts, runs, warm-ups; Start and Cancel. */
export function useBenchLauncher({ api }: { api: PoolScopeApi }) {
  const app = useAppStore()
  const bench = useBenchStore()
  const toasts = useToastStore()

  const form = ref<BenchForm>({
    source: 'task',
    taskId: '',
    params: {},
    command: '',
    isShell: false,
    workers: defaultWorkerList(app.info?.cores ?? 1).join(', '),
    runs: '3',
    warmup: '1',
    backend: 'process'
  })
  const errors = ref<FieldErrors>({})
  const generalErrors = ref<string[]>([])
  const isStarting = ref(false)
  const isCancelling = ref(false)
  const hasTriedSubmit = ref(false)
  // Only tasks that end by themselves can be timed.
  const tasks = computed(() => app.catalog.filter((t) => !t.longRunning))
  const task = computed(() => tasks.value.find((t) => t.id === form.value.taskId))

  watch(
    tasks,
    (list) => {
      if (!list.some((t) => t.id === form.value.taskId)) form.value.taskId = (list.find((t) => t.id === 'heavy-sum') ?? list[0])?.id ?? ''
    },
    { immediate: true }
  )
  watch(
    task,
    (next) => {
      form.value.params = next ? initialFieldValues(next.params) : {}
    },
    { immediate: true }
  )
  watch(
    () => app.info?.cores,
    (cores, before) => {
      // Follow the core count until the user edits the list.
      if (cores && form.value.workers === defaultWorkerList(before ?? 1).join(', ')) form.value.workers = defaultWorkerList(cores).join(', ')
    }
  )
  watch(
    form,
    () => {
      if (!hasTriedSubmit.value) return
      const built = buildBenchRequest(form.value, task.value)
      errors.value = built.ok ? {} : built.errors
    },
    { deep: true }
  )

  const canStart = computed(() => !bench.isRunning && !isStarting.value && app.status === 'online')

  async function start(): Promise<void> {
    if (!canStart.value) return
    hasTriedSubmit.value = true
    generalErrors.value = []
    const built = buildBenchRequest(form.value, task.value)
    if (!built.ok) {
      errors.value = built.errors
      return
    }
    errors.value = {}
    isStarting.value = true
    try {
      const { benchId } = await api.bench.start(built.request)
      bench.begin(benchId)
    } catch (error) {
      const mapped = serverFormErrors(error, [...BENCH_FORM_FIELDS, ...(task.value?.params.map((p) => `params.${p.name}`) ?? [])])
      if (mapped) {
        errors.value = mapped.fieldErrors
        generalErrors.value = mapped.general
      }
      toasts.error('Starting the benchmark', error)
    } finally {
      isStarting.value = false
    }
  }

  async function cancel(): Promise<void> {
    const benchId = bench.activeBenchId
    if (!benchId) return
    isCancelling.value = true
    try {
      const { cancelled } = await api.bench.cancel({ benchId })
      if (cancelled) toasts.info('Benchmark cancelled')
    } catch (error) {
      toasts.error('Cancelling the benchmark', error)
    } finally {
      isCancelling.value = false
    }
  }

  return { form, tasks, task, errors, generalErrors, isStarting, isCancelling, canStart, start, cancel }
}
