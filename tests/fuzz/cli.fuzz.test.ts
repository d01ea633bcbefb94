/**
 * The CLI's flags and every catalog task's `--set` parameters, fuzzed through the CLI's own entry
 * (`main(argv)`, commander with exitOverride) in-process, then a few of the same cases as real
 * `node out/main/cli.js` processes. Every generated case is invalid by construction and must exit
 * 2 with the parameter or flag named, never a stack trace, and never start a run: `runTask` is
 * replaced by a spy that fails the case if it is reached.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { z } from 'zod'
import type { ParamSpec } from '../../shared/contract'
import { main } from '../../main/cli'
import { runTask } from '../../main/runs/task-runner'
import { catalog, taskInfo } from '../../tasks'
import { skipUnless } from '../helpers/skip'
import { fuzzRuns, fuzzSeed } from './fuzz-config'
import { brokenText } from './hostile-values'

vi.mock('../../main/runs/task-runner', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../main/runs/task-runner')>()),
  runTask: vi.fn(async () => {
    throw new Error('fuzz: a run started for arguments that should have been refused')
  })
}))

/** One invalid invocation and what its error message must contain: the name, or a sentence with it. */
interface CliCase {
  argv: string[]
  names: string
  /** Another acceptable name: `bench` names an id that is not kebab-case by its argument, `<task>`. */
  orNames?: string
}

/** Whether `text` is a worker list `bench --workers` takes (1 to 16 counts from 1 to 256). */
function isValidWorkerList(text: string): boolean {
  const items = text.split(',')
  return items.length <= 16 && items.every((item) => /^\s*\d+\s*$/.test(item) && Number(item) >= 1 && Number(item) <= 256)
}

const BOOLEAN_WORDS = ['true', '1', 'yes', 'false', '0', 'no']
const STACK_LINE = /\n\s+at .+:\d+:\d+/

/** The longest text a string parameter takes, read off the task's schema. */
function maxLengthOf(schema: z.ZodType): number {
  let current = schema as unknown as { maxLength?: number | null; _zod: { def: { innerType?: unknown } } }
  while (current._zod.def.innerType !== undefined) current = current._zod.def.innerType as typeof current
  return current.maxLength ?? 4096
}

const notANumber = fc.oneof(
  fc.string({ maxLength: 12 }).filter((s) => s.trim() !== '' && Number.isNaN(Number(s))),
  fc.constantFrom('NaN', 'abc', '1_000', '1;5', '--1', '½', '١٢', '0x', '1e', 'e5', 'one')
)

/** Text that `coerceParam` and the task's schema must refuse for this parameter. */
function invalidValue(spec: ParamSpec, schema: z.ZodType): fc.Arbitrary<string> {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const min = spec.min ?? Number.NEGATIVE_INFINITY
      const max = spec.max ?? Number.POSITIVE_INFINITY
      const cases: fc.Arbitrary<string>[] = [notANumber, fc.constantFrom('', '   ', 'Infinity', '-Infinity', '1e400', '-1e400')]
      if (Number.isFinite(min)) cases.push(fc.integer({ min: 1, max: 1e9 }).map((d) => String(min - d)))
      if (Number.isFinite(max)) cases.push(fc.integer({ min: 1, max: 1e9 }).map((d) => String(max + d)))
      if (spec.type === 'integer' && Number.isFinite(min) && Number.isFinite(max) && min < max) {
        cases.push(fc.integer({ min, max: max - 1 }).map((n) => `${n}.5`))
      }
      return fc.oneof(...cases)
    }
    case 'boolean':
      return fc.oneof(brokenText, fc.constantFrom('TRUE', 'Yes', 'on', 'off', '2', '')).filter((s) => !BOOLEAN_WORDS.includes(s))
    case 'enum':
      return fc.oneof(brokenText, fc.constantFrom(...(spec.options ?? []).map((o) => o.toUpperCase()), '')).filter((s) => !(spec.options ?? []).includes(s))
    case 'string-list':
      return fc.oneof(
        fc.integer({ min: 1, max: 3 }).map((extra) => Array.from({ length: 1_000 + extra }, (_, i) => `http://127.0.0.1/${i}`).join(',')),
        fc.constant(`http://127.0.0.1/${'x'.repeat(5_000)}`)
      )
    default:
      return fc.integer({ min: 1, max: 2_000 }).map((extra) => 'x'.repeat(maxLengthOf(schema) + extra))
  }
}

/** A valid `--set` for another parameter of the task (its default), to vary the context. */
function defaultSet(spec: ParamSpec): string | undefined {
  if (spec.default === undefined || spec.default === null) return undefined
  if (Array.isArray(spec.default)) return spec.default.length === 0 ? undefined : `${spec.name}=${spec.default.join(',')}`
  return `${spec.name}=${String(spec.default)}`
}

const tasks = catalog.map((task) => ({ task, specs: taskInfo(task).params }))
const taskIds = new Set(catalog.map((task) => task.id))

/** `run` or `bench` of a catalog task with one bad `--set` among valid ones. */
const badSet: fc.Arbitrary<CliCase> = fc
  .constantFrom(...tasks.filter(({ specs }) => specs.length > 0))
  .chain(({ task, specs }) =>
    fc.tuple(fc.constantFrom('run', 'bench'), fc.constantFrom(...specs), fc.subarray(specs)).chain(([command, bad, others]) =>
      invalidValue(bad, (task.params.shape as Record<string, z.ZodType>)[bad.name]!).map((value): CliCase => {
        const sets = others.filter((s) => s.name !== bad.name).map(defaultSet).filter((s): s is string => s !== undefined)
        return { argv: [command, task.id, ...sets.flatMap((s) => ['--set', s]), '--set', `${bad.name}=${value}`], names: bad.name }
      })
    )
  )

const prototypeNames = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'prototype']

/**
 * A parameter name the task does not have, prototype names included: the message must call it
 * unknown. `bench` takes any name (`run` only `name=` with a letter first, so `__proto__` is a
 * malformed `--set` there).
 */
const unknownParam: fc.Arbitrary<CliCase> = fc
  .tuple(fc.constantFrom(...tasks), fc.constantFrom('run', 'bench'))
  .chain(([{ task, specs }, command]) =>
    fc
      .oneof(fc.stringMatching(/^[A-Za-z][\w-]{0,15}$/), fc.constantFrom(...prototypeNames, ...(command === 'bench' ? ['__proto__', '_x', '1x', 'a.b', 'ä'] : [])))
      .filter((name) => !specs.some((s) => s.name === name))
      .map((name) => ({ argv: [command, task.id, '--set', `${name}=1`], names: `unknown parameter ${name}` }))
  )

/** The same parameter given twice. */
const duplicateParam: fc.Arbitrary<CliCase> = fc
  .constantFrom(...tasks.filter(({ specs }) => specs.some((s) => defaultSet(s) !== undefined)))
  .chain(({ task, specs }) =>
    fc
      .tuple(fc.constantFrom('run', 'bench'), fc.constantFrom(...specs.filter((s) => defaultSet(s) !== undefined)))
      .map(([command, spec]) => ({ argv: [command, task.id, '--set', defaultSet(spec)!, '--set', defaultSet(spec)!], names: spec.name }))
  )

/** `--set` text that is not `name=value` at all. */
const malformedSet: fc.Arbitrary<CliCase> = fc
  .tuple(fc.constantFrom(...tasks), fc.constantFrom('=5', 'n', '', '==', ' n=1', '5=5', '__proto__=1', '-x=1', 'n =1'))
  .map(([{ task }, text]) => ({ argv: ['run', task.id, `--set=${text}`], names: '--set' }))

/** `run` flags with values out of range or not numbers at all. */
const badRunFlag: fc.Arbitrary<CliCase> = fc
  .tuple(
    fc.constantFrom(...tasks),
    fc.constantFrom(
      { flag: '--workers', min: 1, max: 1024 },
      { flag: '--chunksize', min: 1, max: Number.MAX_SAFE_INTEGER },
      { flag: '--timeout', min: 1, max: Number.MAX_SAFE_INTEGER },
      { flag: '--retries', min: 0, max: 100 },
      { flag: '--duration', min: 1, max: Number.MAX_SAFE_INTEGER }
    )
  )
  .chain(([{ task }, { flag, min, max }]) =>
    fc
      .oneof(
        notANumber,
        fc.constantFrom('', ' ', '1.5', '1e3', '0x10', 'Infinity', '9007199254740993'),
        fc.integer({ min: 1, max: 1e6 }).map((d) => String(min - d)),
        max < Number.MAX_SAFE_INTEGER ? fc.integer({ min: 1, max: 1e6 }).map((d) => String(max + d)) : fc.constant('-1')
      )
      .map((value) => ({ argv: ['run', task.id, `${flag}=${value}`], names: flag }))
  )

/** `bench` flags: worker lists, runs, warm-ups and backends it cannot take. */
const badBenchFlag: fc.Arbitrary<CliCase> = fc.tuple(fc.constantFrom(...tasks), fc.integer({ min: 0, max: 3 })).chain(([{ task }, which]) => {
  const flag = ['--workers', '--runs', '--warmup', '--backend'][which]!
  const values =
    flag === '--workers'
      ? fc.oneof(fc.constantFrom('', ',', '1,,2', '0', '1,0', '257', 'a', '1;2', '-1', Array.from({ length: 17 }, () => '1').join(',')), notANumber).filter((v) => !isValidWorkerList(v))
      : flag === '--backend'
        ? fc.oneof(brokenText, fc.constantFrom('PROCESS', 'threads', '')).filter((s) => s !== 'process' && s !== 'thread')
        : fc.oneof(notANumber, fc.constantFrom('', '-1', '1.5', flag === '--runs' ? '0' : '11', flag === '--runs' ? '51' : '1e3'))
  return values.map((value) => ({ argv: ['bench', task.id, `${flag}=${value}`], names: flag }))
})

/** A task that is not in the catalog. */
const unknownTask: fc.Arbitrary<CliCase> = fc
  .tuple(fc.constantFrom('run', 'bench'), fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.constantFrom('constructor', '__proto__', 'HELLO', 'hello ', 'toString')))
  .filter(([, id]) => !taskIds.has(id))
  .map(([command, id]) => ({ argv: [command, id], names: id, orNames: command === 'bench' ? '<task>' : undefined }))

const anyBadInvocation = fc.oneof(
  { weight: 5, arbitrary: badSet },
  { weight: 2, arbitrary: unknownParam },
  { weight: 1, arbitrary: duplicateParam },
  { weight: 1, arbitrary: malformedSet },
  { weight: 3, arbitrary: badRunFlag },
  { weight: 2, arbitrary: badBenchFlag },
  { weight: 1, arbitrary: unknownTask }
)

let output = ''
beforeEach(() => {
  output = ''
  const capture = (chunk: string | Uint8Array) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }
  vi.spyOn(process.stderr, 'write').mockImplementation(capture)
  vi.spyOn(process.stdout, 'write').mockImplementation(capture)
})
afterEach(() => {
  vi.restoreAllMocks()
  process.exitCode = undefined
})

describe('the CLI, in-process', () => {
  it('exits 2 naming the parameter or flag for every invalid --set and flag value, never starting a run', async () => {
    const listenersBefore = process.listenerCount('SIGINT')
    await fc.assert(
      fc.asyncProperty(anyBadInvocation, async ({ argv, names, orNames }) => {
        output = ''
        process.exitCode = undefined
        const code = await main(argv)
        expect(output, output).not.toMatch(STACK_LINE)
        expect(code, output).toBe(2)
        if (orNames === undefined || !output.includes(orNames)) expect(output).toContain(names)
        expect(vi.mocked(runTask)).not.toHaveBeenCalled()
      }),
      fuzzRuns(2_500)
    )
    // Ctrl-C handling is installed once for the life of the CLI, not once per command.
    expect(process.listenerCount('SIGINT') - listenersBefore).toBeLessThanOrEqual(1)
  })
})

const needs = skipUnless('build', 'posix')

describe.skipIf(!needs.isAvailable)(needs.suite('the CLI, as real processes'), () => {
  afterAll(() => {
    vi.restoreAllMocks()
  })

  it('exits 2 with the parameter named and no stack trace, leaving no process behind', () => {
    vi.restoreAllMocks()
    const cliJs = resolve(__dirname, '../../out/main/cli.js')
    const marker = `POOLSCOPE_FUZZ_MARK=${process.pid}-${fuzzSeed}`
    // A few of the in-process cases, drawn with the same seed.
    const cases = fc.sample(anyBadInvocation.filter(({ argv }) => argv.join(' ').length < 20_000), { numRuns: 8, seed: fuzzSeed })
    for (const { argv, names, orNames } of cases) {
      const result = spawnSync(process.execPath, [cliJs, ...argv], {
        encoding: 'utf8',
        env: { ...process.env, POOLSCOPE_FUZZ_MARK: marker.split('=')[1] },
        timeout: 30_000
      })
      const where = `poolscope ${argv.join(' ').slice(0, 200)}`
      expect(result.status, `${where}\n${result.stderr}`).toBe(2)
      if (orNames === undefined || !result.stderr.includes(orNames)) expect(result.stderr, where).toContain(names)
      expect(result.stderr, where).not.toMatch(STACK_LINE)
      expect(processesMarked(marker), where).toEqual([])
    }
  })
})

/** Pids of live processes whose environment carries `marker` (the CLI's workers would inherit it). */
function processesMarked(marker: string): number[] {
  if (process.platform !== 'linux') return []
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) found.push(Number(entry))
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found
}
