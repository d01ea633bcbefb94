import { computed, ref, watch } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'
import { BENCH_FORM_FIELDS, buildBenchRequest, defaultWorkerList, type BenchForm } from '../lib/bench-request'
import { initialFieldValues, paramFieldKeys } from '../lib/param-form'
import { useAppStore } from '../stores/use-app-store'
import { useBenchStore } from '../stores/use-bench-store'
import { useToastStore } from '../stores/use-toast-store'
import { useFormSubmit } from './use-form-submit'

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
  const isCancelling = ref(false)
  // Only tasks that end by themselves can be timed.
  const tasks = computed(() => app.catalog.filter((t) => !t.longRunning))
  const task = computed(() => tasks.value.find((t) => t.id === form.value.taskId))
  const submission = useFormSubmit({
    form,
    build: () => buildBenchRequest(form.value, task.value),
    send: async (request) => {
      const { benchId } = await api.bench.start(request)
      bench.begin(benchId)
    },
    knownFields: () => [...BENCH_FORM_FIELDS, ...paramFieldKeys(task.value?.params ?? [])],
    action: 'Starting the benchmark'
  })
  const { errors, generalErrors, isSubmitting: isStarting } = submission

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
  const canStart = computed(() => !bench.isRunning && !isStarting.value && app.status === 'online')

  async function start(): Promise<void> {
    if (canStart.value) await submission.submit()
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
