import { createPinia, setActivePinia } from 'pinia'
import { effectScope, nextTick } from 'vue'
import { beforeEach, describe, expect, it } from 'vitest'
import { ContractError } from '../../../../shared/api'
import type { AppInfo } from '../../../../shared/contract'
import { useRunLauncher } from '../../../../renderer/src/composables/use-run-launcher'
import { useAppStore } from '../../../../renderer/src/stores/use-app-store'
import { useRunStore } from '../../../../renderer/src/stores/use-run-store'
import { useToastStore } from '../../../../renderer/src/stores/use-toast-store'
import { createFakeApi, type Handlers } from '../../fake-api'
import { task } from '../../fixtures'

const info: AppInfo = { name: 'PoolScope', version: '0.1.0', mode: 'browser', platform: 'linux', cores: 4, canLaunch: false, launchDisabledReason: 'off', dataDir: '/tmp' }

function setup(handlers: Handlers) {
  const fake = createFakeApi(handlers)
  const app = useAppStore()
  app.setOnline(info)
  app.setCatalog([task(), task({ id: 'square', title: 'Square', params: [] })])
  const scope = effectScope()
  const launcher = scope.run(() => useRunLauncher({ api: fake.api }))!
  return { fake, launcher, scope }
}

describe('useRunLauncher', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('selects the first task and fills its form with defaults and one worker per core', () => {
    const { launcher } = setup({})
    expect(launcher.taskId.value).toBe('heavy-sum')
    expect(launcher.form.value?.workers).toBe('4')
    expect(launcher.form.value?.params.n).toBe('1000')
  })

  it('starts the run with typed arguments and follows it', async () => {
    const { fake, launcher } = setup({ 'run:start': () => ({ runId: 'run-9' }) })
    await launcher.start()
    expect(fake.calls[0]).toMatchObject({ channel: 'run:start', args: { taskId: 'heavy-sum', workers: 4, params: { n: 1000 } } })
    expect(useRunStore().runId).toBe('run-9')
    expect(useRunStore().isLive).toBe(true)
    expect(launcher.canStart.value).toBe(false)
    expect(launcher.canStop.value).toBe(true)
  })

  it('does not send an invalid form, shows errors by field and re-checks as the user edits', async () => {
    const { fake, launcher } = setup({ 'run:start': () => ({ runId: 'run-9' }) })
    launcher.form.value!.params.n = '0'
    await launcher.start()
    expect(fake.calls).toHaveLength(0)
    expect(launcher.errors.value).toEqual({ 'params.n': 'At least 1' })
    launcher.form.value!.params.n = '5'
    await nextTick()
    expect(launcher.errors.value).toEqual({})
  })

  it('puts the server’s issues next to the fields they name', async () => {
    const refusal = new ContractError({
      code: 'invalid-payload',
      message: 'params.n: must be even; env: bad',
      issues: [
        { path: 'params.n', message: 'must be even' },
        { path: 'env', message: 'bad' }
      ]
    })
    const { launcher } = setup({
      'run:start': () => {
        throw refusal
      }
    })
    await launcher.start()
    expect(launcher.errors.value).toEqual({ 'params.n': 'must be even' })
    expect(launcher.generalErrors.value).toEqual(['env: bad'])
    expect(useToastStore().toasts[0]?.title).toBe('Starting the run failed')
  })

  it('stops the followed run', async () => {
    const { fake, launcher } = setup({ 'run:start': () => ({ runId: 'run-9' }), 'run:stop': () => ({ stopped: true }) })
    await launcher.start()
    await launcher.stop()
    expect(fake.calls[1]).toEqual({ channel: 'run:stop', args: { runId: 'run-9' } })
  })

  it('resets the form when another task is chosen', async () => {
    const { launcher } = setup({})
    launcher.form.value!.workers = '2'
    launcher.taskId.value = 'square'
    await nextTick()
    expect(launcher.form.value?.workers).toBe('4')
    expect(launcher.form.value?.params).toEqual({})
  })
})
