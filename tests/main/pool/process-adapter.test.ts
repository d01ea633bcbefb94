import { afterEach, describe, expect, it } from 'vitest'
import { ProcessAdapter, workerExecArgv } from '../../../main/pool/process-adapter'
import type { FromWorker, UnitOutcome } from '../../../main/pool/protocol'
import type { WorkerExit } from '../../../main/pool/worker-adapter'
import { poolFixture, workerScript } from '../../helpers/paths'
import { isRunning } from '../../helpers/processes'
import { waitFor } from '../../helpers/wait-for'

const exitOf = (adapter: ProcessAdapter) => new Promise<WorkerExit>((resolve) => adapter.onExit(resolve))

/** Every adapter a test starts; killed afterwards in case the test failed before stopping it. */
const started: ProcessAdapter[] = []
function start(options: ConstructorParameters<typeof ProcessAdapter>[0]): ProcessAdapter {
  const adapter = new ProcessAdapter(options)
  started.push(adapter)
  return adapter
}

afterEach(async () => {
  await Promise.all(
    started.splice(0).map((adapter) => {
      const exited = exitOf(adapter)
      adapter.kill()
      return exited
    })
  )
})

describe('ProcessAdapter', () => {
  it('forks the worker entry as its own process, which answers init with ready and its pid', async () => {
    const adapter = start({ workerScript, name: 'bare-1' })
    const ready = new Promise<FromWorker>((resolve) => adapter.onMessage(resolve))
    adapter.send({ type: 'init', workerId: 0, name: 'bare-1' })
    // On its JSON channel the worker stamps outcomes in µs since its time origin, which it gives.
    expect(await ready).toEqual({ type: 'ready', pid: adapter.pid, origin: expect.any(Number) })
    expect(adapter.pid).not.toBe(process.pid)
    const exited = exitOf(adapter)
    adapter.send({ type: 'shutdown' })
    expect(await exited).toEqual({ code: 0, signal: null })
  })

  it('kill() ends the worker with SIGKILL, and its exit is reported exactly once, also to late listeners', async () => {
    const adapter = start({ workerScript, name: 'bare-2' })
    const exited = exitOf(adapter)
    adapter.kill()
    const exit = await exited
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' })
    expect(await exitOf(adapter)).toBe(exit)
    expect(isRunning(adapter.pid!)).toBe(false)
    // After the end, kill and send are harmless no-ops.
    adapter.kill()
    adapter.send({ type: 'shutdown' })
  })

  it('reports a worker script that does not exist as an exit, not a throw', async () => {
    const adapter = start({ workerScript: poolFixture('missing-worker.js'), name: 'bare-3' })
    const exit = await exitOf(adapter)
    expect(exit.code).not.toBe(0)
  })

  it('passes extra environment and the worker name to the child', async () => {
    const adapter = start({ workerScript, name: 'bare-4', env: { POOLSCOPE_TEST_FLAG: 'on' } })
    const messages: FromWorker[] = []
    adapter.onMessage((m) => messages.push(m))
    const ready = new Promise<void>((resolve) => adapter.onMessage((m) => m.type === 'ready' && resolve()))
    adapter.send({ type: 'init', workerId: 0, name: 'bare-4' })
    await ready
    const results = new Promise<FromWorker>((resolve) => adapter.onMessage((m) => m.type === 'results' && resolve(m)))
    adapter.send({
      type: 'run',
      units: [{ id: 1, fn: { module: poolFixture('env.cjs'), export: 'readEnv' }, args: [['POOLSCOPE_TEST_FLAG', 'POOLSCOPE_WORKER_NAME']] }]
    })
    const message = await results
    expect(message).toMatchObject({ type: 'results', outcomes: [{ id: 1, ok: true, value: ['on', 'bare-4'] }] })
    const exited = exitOf(adapter)
    adapter.kill()
    await exited
  })

  it('runs a function by the number an earlier unit gave it, and names a number never given', async () => {
    const adapter = start({ workerScript, name: 'bare-7' })
    const ready = new Promise<void>((resolve) => adapter.onMessage((m) => m.type === 'ready' && resolve()))
    adapter.send({ type: 'init', workerId: 0, name: 'bare-7' })
    await ready
    const outcomes: unknown[] = []
    const done = new Promise<void>((resolve) =>
      adapter.onMessage((m) => {
        if (m.type !== 'results') return
        outcomes.push(...m.outcomes)
        if (outcomes.length === 3) resolve()
      })
    )
    const double = { module: poolFixture('echo.cjs'), export: 'double' }
    adapter.send({ type: 'run', units: [{ id: 1, fn: double, fnId: 0, args: [2] }] })
    adapter.send({ type: 'run', units: [{ id: 2, fn: 0, inputs: [3, 4] }, { id: 3, fn: 7, args: [5] }] })
    await done
    expect(outcomes).toMatchObject([
      { id: 1, ok: true, value: 4 },
      { id: 2, ok: true, value: [6, 8] },
      { id: 3, ok: false, error: { message: 'function #7 was never defined in this worker' } }
    ])
  })

  it('a worker on a JSON channel sends a big chunk of wide numbers as bytes, and the adapter hands on the numbers', async () => {
    // The worker entry forked by hand shows what travels; the adapter shows what the pool gets.
    const { fork } = await import('node:child_process')
    const { BYTES_FROM_VALUES, unpackResults } = await import('../../../main/pool/protocol')
    const toNumber = { module: poolFixture('echo.cjs'), export: 'toNumber' }
    const wide = Array.from({ length: BYTES_FROM_VALUES }, (_, i) => String(i === 1 ? '-0' : i === 2 ? 'NaN' : 2 ** 40 + i / 4))
    const small = Array.from({ length: BYTES_FROM_VALUES }, (_, i) => String(i))
    const overJson = (texts: string[]) => JSON.parse(JSON.stringify(texts.map(Number))) as unknown[]

    const child = fork(workerScript, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' })
    try {
      const messages: Record<string, unknown>[] = []
      child.on('message', (m: Record<string, unknown>) => messages.push(m))
      child.send({ type: 'init', workerId: 0, name: 'bytes', numbersAsBytes: true })
      child.send({ type: 'run', units: [{ id: 1, fn: toNumber, inputs: wide }, { id: 2, fn: toNumber, inputs: small }] })
      await waitFor('both results', () => messages.filter((m) => m.type === 'results').length === 2)
      const [first, second] = messages.filter((m) => m.type === 'results').map((m) => (m as { outcomes: Record<string, unknown>[] }).outcomes[0]!)
      expect(first).toMatchObject({ id: 1, ok: true, doubles: expect.any(String) })
      expect(first).not.toHaveProperty('value')
      expect(second).toMatchObject({ id: 2, ok: true, value: small.map(Number) })
      const restored = unpackResults({ type: 'results', outcomes: [first as never] })
      expect(restored).toMatchObject({ outcomes: [{ id: 1, value: overJson(wide) }] })
    } finally {
      child.kill('SIGKILL')
    }

    // Given the answers pipe (fd 4, as the adapter forks it), every message goes there as a line of
    // JSON, and the same chunk's doubles follow the line that announces them, as they are.
    const piped = fork(workerScript, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc', 'pipe'], serialization: 'json' })
    try {
      const overChannel: unknown[] = []
      const chunks: Buffer[] = []
      piped.on('message', (m) => overChannel.push(m))
      piped.stdio[4]!.on('data', (b: Buffer) => chunks.push(b))
      piped.send({ type: 'init', workerId: 0, name: 'piped', numbersAsBytes: true, answersPipe: 4 })
      piped.send({ type: 'run', units: [{ id: 1, fn: toNumber, inputs: wide }, { id: 2, fn: toNumber, inputs: small }] })
      const doubles = Buffer.from(new Float64Array(wide.map(Number)).buffer)
      // ready, the first results message, its doubles, the second results message.
      const read = () => {
        const stream = Buffer.concat(chunks)
        const readyEnd = stream.indexOf('\n')
        const firstEnd = readyEnd === -1 ? -1 : stream.indexOf('\n', readyEnd + 1)
        const secondEnd = firstEnd === -1 ? -1 : stream.indexOf('\n', firstEnd + 1 + doubles.length)
        if (secondEnd === -1) return undefined
        return {
          ready: JSON.parse(stream.subarray(0, readyEnd).toString()) as unknown,
          first: JSON.parse(stream.subarray(readyEnd + 1, firstEnd).toString()) as { outcomes: unknown[] },
          bytes: stream.subarray(firstEnd + 1, firstEnd + 1 + doubles.length),
          second: JSON.parse(stream.subarray(firstEnd + 1 + doubles.length, secondEnd).toString()) as unknown
        }
      }
      const { ready, first, bytes, second } = await waitFor('ready, both results and the bytes', read)
      expect(ready).toEqual({ type: 'ready', pid: piped.pid, origin: expect.any(Number) })
      expect(first.outcomes).toEqual([{ id: 1, ok: true, numbers: wide.length, startedAt: expect.any(Number), endedAt: expect.any(Number) }])
      // Whole µs since the worker's time origin, not ms since the epoch.
      const { startedAt, endedAt } = first.outcomes[0] as { startedAt: number; endedAt: number }
      expect(Number.isInteger(startedAt) && Number.isInteger(endedAt)).toBe(true)
      expect(startedAt).toBeLessThanOrEqual(endedAt)
      expect(startedAt).toBeLessThan(60_000_000)
      // Exactly the doubles, -0 and NaN as they are: the adapter gives them JSON's meaning.
      expect(bytes).toEqual(doubles)
      expect(second).toMatchObject({ type: 'results', outcomes: [{ id: 2, ok: true, value: small.map(Number) }] })
      expect(overChannel).toEqual([])
    } finally {
      piped.kill('SIGKILL')
    }

    const adapter = start({ workerScript, name: 'bytes-adapter' })
    const outcomes: UnitOutcome[] = []
    const before = Date.now()
    adapter.onMessage((m) => m.type === 'results' && outcomes.push(...m.outcomes))
    adapter.send({ type: 'init', workerId: 0, name: 'bytes-adapter' })
    adapter.send({ type: 'run', units: [{ id: 1, fn: toNumber, inputs: wide }, { id: 2, fn: toNumber, inputs: small }, { id: 3, fn: toNumber, inputs: wide.slice(3) }] })
    await waitFor('the results', () => outcomes.length === 3)
    expect(outcomes).toMatchObject([
      { id: 1, ok: true, value: overJson(wide) },
      { id: 2, ok: true, value: small.map(Number) },
      { id: 3, ok: true, value: overJson(wide.slice(3)) }
    ])
    const after = Date.now()
    for (const outcome of outcomes) {
      expect(outcome).not.toHaveProperty('doubles')
      expect(outcome).not.toHaveProperty('numbers')
      // Handed on as ms since the epoch, as every adapter gives them (a second either way allows
      // for the wall clock and the monotonic one drifting apart).
      expect(outcome.startedAt).toBeLessThanOrEqual(outcome.endedAt)
      expect(outcome.startedAt).toBeGreaterThan(before - 1000)
      expect(outcome.endedAt).toBeLessThan(after + 1000)
    }
  })

  describe('the requests pipe: the pool\'s messages to a worker on a JSON channel', () => {
    /** The stand-in worker's reports: each message it got, and the channel it came on. */
    const fakeWorker = (env: Record<string, string>) => {
      const adapter = start({ workerScript: poolFixture('requests-channel.cjs'), name: 'requests', env })
      const got: { channel: string; message: Record<string, unknown> }[] = []
      adapter.onMessage((m) => {
        if (m.type === 'call') got.push({ channel: m.method, message: m.args[0] as Record<string, unknown> })
      })
      return { adapter, got }
    }
    const pushes = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'push' as const, topic: 'seq', payload: { i, text: `é😀${'x'.repeat(i * 997)}` } }))

    it('go on the pipe that init names from the moment the worker says it reads it: all of them, whole, in order', async () => {
      const { adapter, got } = fakeWorker({})
      adapter.send({ type: 'init', workerId: 0, name: 'requests' })
      await waitFor('the worker to read init', () => got.length === 1)
      expect(got[0]).toMatchObject({ channel: 'ipc', message: { type: 'init', requestsPipe: 5 } })
      // Up to ~100 KB each: most take several reads of the pipe.
      const sent = pushes(100)
      for (const message of sent) adapter.send(message)
      await waitFor('every message', () => got.length === 1 + sent.length)
      expect(got.slice(1)).toEqual(sent.map((message) => ({ channel: 'pipe', message })))
    })

    it('carry a big chunk of 32-bit integers as its bytes, right after its message; every other chunk as JSON', async () => {
      const { adapter, got } = fakeWorker({})
      adapter.send({ type: 'init', workerId: 0, name: 'requests' })
      await waitFor('the worker to read init', () => got.length === 1)
      const ints = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? i : -(2 ** 31) + i))
      const units = [
        { id: 1, fn: 3, inputs: ints, extra: ['x'] },
        { id: 2, fn: 3, inputs: [1, 2, 3] },
        { id: 3, fn: 3, inputs: [...ints.slice(1), 0.5] },
        { id: 4, fn: 3, inputs: [...ints.slice(1), -0] },
        { id: 5, fn: 3, inputs: ints.map((x) => x + 1) }
      ]
      adapter.send({ type: 'run', units })
      adapter.send({ type: 'cancel', ids: [9] })
      await waitFor('every message', () => got.length === 4)
      expect(got.slice(1)).toEqual([
        {
          channel: 'pipe',
          message: { type: 'run', units: [{ id: 1, fn: 3, ints: 300, extra: ['x'] }, units[1], units[2], { ...units[3], inputs: [...ints.slice(1), 0] }, { id: 5, fn: 3, ints: 300 }] }
        },
        { channel: 'ints', message: [...ints, ...ints.map((x) => x + 1)] },
        { channel: 'pipe', message: { type: 'cancel', ids: [9] } }
      ])
    })

    it('stay on the IPC channel for a worker that never says it reads the pipe', async () => {
      const { adapter, got } = fakeWorker({ POOLSCOPE_FAKE_PIPE: 'refuse' })
      adapter.send({ type: 'init', workerId: 0, name: 'requests' })
      const sent = pushes(5)
      for (const message of sent) adapter.send(message)
      await waitFor('every message', () => got.length === 1 + sent.length)
      expect(got.map((g) => g.channel)).toEqual(Array(1 + sent.length).fill('ipc'))
      expect(got.slice(1).map((g) => g.message)).toEqual(sent)
    })

    it('the worker entry says it reads the pipe before anything else, then answers what comes on it', async () => {
      const { fork } = await import('node:child_process')
      const child = fork(workerScript, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc', 'ignore', 'pipe'], serialization: 'json' })
      try {
        const messages: Record<string, unknown>[] = []
        child.on('message', (m: Record<string, unknown>) => messages.push(m))
        child.send({ type: 'init', workerId: 0, name: 'entry', requestsPipe: 5 })
        await waitFor('ready', () => messages.some((m) => m.type === 'ready'))
        expect(messages.map((m) => m.type)).toEqual(['requests-pipe-open', 'ready'])
        const echo = { module: poolFixture('echo.cjs'), export: 'echo' }
        const big = `é😀${'y'.repeat(300_000)}`
        const pipe = (child.stdio as readonly unknown[])[5] as import('node:stream').Writable
        // One message cut across writes, and a short one after it in the same write as its end.
        const line = `${JSON.stringify({ type: 'run', units: [{ id: 1, fn: echo, args: [big] }] })}\n${JSON.stringify({ type: 'run', units: [{ id: 2, fn: echo, args: ['ü'] }] })}\n`
        const bytes = Buffer.from(line, 'utf8')
        const cut = bytes.indexOf(Buffer.from('😀')) + 2
        pipe.write(bytes.subarray(0, cut))
        pipe.write(bytes.subarray(cut))
        await waitFor('both results', () => messages.filter((m) => m.type === 'results').flatMap((m) => m.outcomes as unknown[]).length === 2)
        const outcomes = messages.filter((m) => m.type === 'results').flatMap((m) => m.outcomes as Record<string, unknown>[])
        expect(outcomes).toMatchObject([
          { id: 1, ok: true, value: big },
          { id: 2, ok: true, value: 'ü' }
        ])
      } finally {
        child.kill('SIGKILL')
      }
    })
  })

  describe('a worker that exits right after announcing numbers on its answers pipe', () => {
    const fake = (bytes: 'after' | 'late' | 'half' | 'none' | 'garbage' | 'channel') => {
      const adapter = start({ workerScript: poolFixture('numbers-then-exit.cjs'), name: `fake-${bytes}`, env: { POOLSCOPE_FAKE_BYTES: bytes } })
      const events: unknown[] = []
      adapter.onMessage((m) => events.push(m))
      adapter.onExit((exit) => events.push(exit))
      adapter.send({ type: 'init', workerId: 0, name: 'fake' })
      return events
    }

    it.each(['after', 'late'] as const)('has its result handed on before its exit when the bytes follow the message (%s)', async (bytes) => {
      const events = fake(bytes)
      await waitFor('the exit', () => events.length === 2)
      expect(events).toEqual([
        { type: 'results', outcomes: [{ id: 1, ok: true, value: [1.5, 0, null, 2 ** 60], startedAt: 1, endedAt: 2 }] },
        { code: 7, signal: null }
      ])
    })

    it.each(['half', 'none'] as const)('has its exit reported, and nothing made up, when the bytes never all come (%s)', async (bytes) => {
      const events = fake(bytes)
      await waitFor('the exit', () => events.length === 1)
      expect(events).toEqual([{ code: 7, signal: null }])
    })

    it.each(['garbage', 'channel'] as const)('is killed, with nothing made up and nothing thrown here, when it sends what no worker runtime does (%s)', async (how) => {
      const events = fake(how)
      await waitFor('the exit', () => events.length === 1)
      expect(events).toEqual([{ code: null, signal: 'SIGKILL' }])
    })
  })

  it('stop(graceMs) lets an idle worker leave by itself, with its own exit code', async () => {
    const adapter = start({ workerScript, name: 'bare-8' })
    await readyOf(adapter)
    expect(await adapter.stop(10_000)).toEqual({ code: 0, signal: null })
  })

  it('stop(graceMs) kills a worker that cannot leave (stuck in a CPU loop) once the grace period is over', async () => {
    const adapter = start({ workerScript, name: 'bare-9' })
    await readyOf(adapter)
    await spinning(adapter)
    expect(await adapter.stop(200)).toEqual({ code: null, signal: 'SIGKILL' })
    expect(isRunning(adapter.pid!)).toBe(false)
  })

  describe('NODE_EXTRA_CA_CERTS, which Node reads whole at every start', () => {
    const saved = process.env.NODE_EXTRA_CA_CERTS
    afterEach(() => {
      if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS
      else process.env.NODE_EXTRA_CA_CERTS = saved
    })

    it('is left out of a worker environment by default', async () => {
      process.env.NODE_EXTRA_CA_CERTS = '/no/such/extra-ca.pem'
      const adapter = start({ workerScript, name: 'bare-5' })
      expect(await readEnvIn(adapter, ['NODE_EXTRA_CA_CERTS', 'POOLSCOPE_WORKER_NAME'])).toEqual([null, 'bare-5'])
    })

    it("is passed on when the pool's env names it", async () => {
      delete process.env.NODE_EXTRA_CA_CERTS
      const adapter = start({ workerScript, name: 'bare-6', env: { NODE_EXTRA_CA_CERTS: '/no/such/extra-ca.pem' } })
      expect(await readEnvIn(adapter, ['NODE_EXTRA_CA_CERTS'])).toEqual(['/no/such/extra-ca.pem'])
    })
  })
})

/** Starts the worker and waits for its `ready`. */
async function readyOf(adapter: ProcessAdapter): Promise<void> {
  const ready = new Promise<void>((resolve) => adapter.onMessage((m) => m.type === 'ready' && resolve()))
  adapter.send({ type: 'init', workerId: 0, name: 'stop' })
  await ready
}

/** Starts the worker, runs env.cjs `readEnv(names)` in it and returns its values (JSON: unset is null). */
async function readEnvIn(adapter: ProcessAdapter, names: string[]): Promise<unknown> {
  const ready = new Promise<void>((resolve) => adapter.onMessage((m) => m.type === 'ready' && resolve()))
  adapter.send({ type: 'init', workerId: 0, name: 'env' })
  await ready
  const results = new Promise<FromWorker>((resolve) => adapter.onMessage((m) => m.type === 'results' && resolve(m)))
  adapter.send({ type: 'run', units: [{ id: 1, fn: { module: poolFixture('env.cjs'), export: 'readEnv' }, args: [names] }] })
  const message = await results
  if (message.type !== 'results' || !message.outcomes[0].ok) throw new Error(`readEnv failed: ${JSON.stringify(message)}`)
  return message.outcomes[0].value
}

/** Starts hang.cjs `spinLoudly` in the worker and resolves once its CPU loop has begun. */
async function spinning(adapter: ProcessAdapter): Promise<void> {
  const said = new Promise<void>((resolve) => adapter.onOutput((_stream, text) => text.includes('spinning') && resolve()))
  adapter.send({ type: 'run', units: [{ id: 1, fn: { module: poolFixture('hang.cjs'), export: 'spinLoudly' }, args: [] }] })
  await said
}

describe('workerExecArgv (the parent\'s Node flags a forked worker keeps)', () => {
  it('drops what would run the parent\'s code instead of the worker entry, with its value, and keeps the rest in order', () => {
    expect(workerExecArgv(['--max-old-space-size=512', '-e', 'new Pool()', '--require', './hook.js'])).toEqual(['--max-old-space-size=512', '--require', './hook.js'])
    expect(workerExecArgv(['--eval=1+1', '-p', 'x', '--print', 'y', '-pe', 'z', '--inspect=0'])).toEqual(['--inspect=0'])
    expect(workerExecArgv(['-i', '--interactive', '--test', '--watch', '--watch-path=src', '-c', '--check', '--enable-source-maps'])).toEqual(['--enable-source-maps'])
    expect(workerExecArgv([])).toEqual([])
  })

  it('a pool made in `node -e` runs work in workers that run the worker entry (they used to run the -e code again)', async () => {
    const { execFile } = await import('node:child_process')
    const { resolve } = await import('node:path')
    const cli = resolve(__dirname, '../../../out/main/cli.js')
    const code = `
      require(${JSON.stringify(cli)})
      const Pool = Object.values(require.cache).map((m) => m.exports && m.exports.Pool).find((p) => typeof p === 'function')
      const pool = new Pool({ workers: 2, workerScript: ${JSON.stringify(workerScript)} })
      pool.map('builtin:identity', [1, 2, 3]).then(async (values) => { await pool.terminate(); console.log(JSON.stringify(values)) })
    `
    const stdout = await new Promise<string>((resolveOut, reject) =>
      execFile(process.execPath, ['-e', code], { timeout: 20_000, encoding: 'utf8' }, (error, out) => (error ? reject(error) : resolveOut(out)))
    )
    expect(JSON.parse(stdout)).toEqual([1, 2, 3])
  }, 30_000)
})
