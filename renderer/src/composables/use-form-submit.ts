import { computed, ref, watch, type Ref } from 'vue'
import { serverFormErrors, type FieldErrors } from '../lib/field-errors'
import { useToastStore } from '../stores/use-toast-store'

/** A form's request as built from what the user typed: the request, or errors keyed by field. */
export type BuiltForm<R> = { ok: true; request: R } | { ok: false; errors: FieldErrors }

/** How a form turns into a request and where it goes; see {@link useFormSubmit}. */
export interface FormSubmitOptions<F, R> {
  /** The form as the user edits it; watched deeply to re-check after a first submit. */
  form: Ref<F>
  /** Checks the form; `undefined` when there is nothing to submit yet (no task chosen). */
  build: () => BuiltForm<R> | undefined
  /** Sends a checked request and follows what it started. */
  send: (request: R) => Promise<void>
  /** Fields the form shows, keyed as the contract names them, so the server's issues land on them. */
  knownFields: () => readonly string[]
  /** What the toast says failed: "Starting the run". */
  action: string
}

/**
 * The submit cycle of a request form: local checks first (shown from the first submit on, then
 * after every edit), the request sent only when they pass, the server's refusal mapped back onto
 * the fields and the lines no field shows, and a toast when it fails.
 */
export function useFormSubmit<F, R>(options: FormSubmitOptions<F, R>) {
  const toasts = useToastStore()
  const errors = ref<FieldErrors>({})
  const serverGeneral = ref<string[]>([])
  const isSubmitting = ref(false)
  // Errors show once the user has tried to submit; from then on they follow every edit.
  const hasTriedSubmit = ref(false)

  /** Errors no field shows: one about the form as a whole, then the server's other lines. */
  const generalErrors = computed(() => [...(errors.value[''] ? [errors.value['']] : []), ...serverGeneral.value])

  watch(
    options.form,
    () => {
      if (!hasTriedSubmit.value) return
      const built = options.build()
      if (built) errors.value = built.ok ? {} : built.errors
    },
    { deep: true }
  )

  /** Checks the form and sends it if it passes; resolves once the request has been answered. */
  async function submit(): Promise<void> {
    const built = options.build()
    if (!built) return
    hasTriedSubmit.value = true
    serverGeneral.value = []
    if (!built.ok) {
      errors.value = built.errors
      return
    }
    errors.value = {}
    isSubmitting.value = true
    try {
      await options.send(built.request)
    } catch (error) {
      const mapped = serverFormErrors(error, options.knownFields())
      if (mapped) {
        errors.value = mapped.fieldErrors
        serverGeneral.value = mapped.general
      }
      toasts.error(options.action, error)
    } finally {
      isSubmitting.value = false
    }
  }

  /** Forgets every error and the first submit (a new task, the defaults restored). */
  function clearErrors(): void {
    errors.value = {}
    serverGeneral.value = []
    hasTriedSubmit.value = false
  }

  return { errors, generalErrors, isSubmitting, submit, clearErrors }
}
