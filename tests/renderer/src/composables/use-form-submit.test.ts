import { createPinia, setActivePinia } from 'pinia'
import { effectScope, nextTick, ref } from 'vue'
import { beforeEach, describe, expect, it } from 'vitest'
import { useFormSubmit, type BuiltForm } from '../../../../renderer/src/composables/use-form-submit'
import { useToastStore } from '../../../../renderer/src/stores/use-toast-store'

/** A one-field form: `n` must be a positive number. */
function setup(send: (request: { n: number }) => Promise<void>) {
  const form = ref({ n: '1' })
  const sent: { n: number }[] = []
  const build = (): BuiltForm<{ n: number }> =>
    Number(form.value.n) > 0 ? { ok: true, request: { n: Number(form.value.n) } } : { ok: false, errors: { n: 'At least 1', '': 'Nothing to do' } }
  const submission = effectScope().run(() =>
    useFormSubmit({
      form,
      build,
      send: async (request) => {
        sent.push(request)
        await send(request)
      },
      knownFields: () => ['n'],
      action: 'Starting the thing'
    })
  )!
  return { form, sent, submission }
}

describe('useFormSubmit', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sends a form that passes its checks and is not submitting once answered', async () => {
    const { sent, submission } = setup(async () => {})
    const done = submission.submit()
    expect(submission.isSubmitting.value).toBe(true)
    await done
    expect(sent).toEqual([{ n: 1 }])
    expect(submission.isSubmitting.value).toBe(false)
  })

  it('keeps errors hidden until the first submit, then follows every edit', async () => {
    const { form, sent, submission } = setup(async () => {})
    form.value.n = '0'
    await nextTick()
    expect(submission.errors.value).toEqual({})
    await submission.submit()
    expect(sent).toEqual([])
    expect(submission.errors.value.n).toBe('At least 1')
    expect(submission.generalErrors.value).toEqual(['Nothing to do'])
    form.value.n = '3'
    await nextTick()
    expect(submission.errors.value).toEqual({})
    expect(submission.generalErrors.value).toEqual([])
  })

  it('toasts a failure that names no field and leaves the fields alone', async () => {
    const { submission } = setup(async () => {
      throw new Error('WebSocket closed')
    })
    await submission.submit()
    expect(submission.errors.value).toEqual({})
    expect(submission.generalErrors.value).toEqual([])
    expect(submission.isSubmitting.value).toBe(false)
    expect(useToastStore().toasts[0]?.title).toBe('Starting the thing failed')
  })

  it('forgets errors and the first submit when cleared', async () => {
    const { form, submission } = setup(async () => {})
    form.value.n = '0'
    await submission.submit()
    submission.clearErrors()
    form.value.n = '-1'
    await nextTick()
    expect(submission.errors.value).toEqual({})
    expect(submission.generalErrors.value).toEqual([])
  })
})
