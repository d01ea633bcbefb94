/**
 * Every finished benchmark, saved as one pretty-printed JSON file `<id>.json` in the `benches`
 * folder of the data folder: readable and diffable by hand, and a crash loses at most the report
 * being written. Listing reads the files back; there is no index to fall out of step.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile, access } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { benchReportSchema, type BenchReport, type BenchSummary } from '../../../shared/contract'
import { createBenchId } from './bench-id'
import { benchParamsText, benchTitle } from './format'
import type { UnsavedBenchReport } from '../runner'

/** Overrides the data folder on every platform (portable installs, tests of the built app). */
export const DATA_DIR_ENV = 'POOLSCOPE_DATA_DIR'

/** The sub-folder of the data folder that holds benchmark reports. */
export const BENCH_SUBDIR = 'benches'

/**
 * Any kebab-case id (the contract's rule). Ids read from requests become file names, so this is
 * also what keeps `../` out of them.
 */
const SAFE_ID = /^[a-z0-9][a-z0-9-]*$/

/**
 * The user's data folder for PoolScope: `$POOLSCOPE_DATA_DIR` if set; otherwise
 * `%APPDATA%\PoolScope` on Windows, `~/Library/Application Support/PoolScope` on macOS, and
 * `$XDG_DATA_HOME/poolscope` or `~/.local/share/poolscope` elsewhere (XDG base directories).
 * The platform, environment and home folder are parameters so each branch can be tested anywhere.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir()
): string {
  const paths = platform === 'win32' ? path.win32 : path.posix
  const override = env[DATA_DIR_ENV]
  if (override !== undefined && override !== '') return paths.resolve(override)
  if (platform === 'win32') {
    const appData = env.APPDATA !== undefined && env.APPDATA !== '' ? env.APPDATA : paths.join(home, 'AppData', 'Roaming')
    return paths.join(appData, 'PoolScope')
  }
  if (platform === 'darwin') return paths.join(home, 'Library', 'Application Support', 'PoolScope')
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME
  const dataHome = xdg !== undefined && paths.isAbsolute(xdg) ? xdg : paths.join(home, '.local', 'share')
  return paths.join(dataHome, 'poolscope')
}

function summarise(report: BenchReport, file: string): BenchSummary {
  return {
    id: report.id,
    createdAt: report.createdAt,
    // Two runs of one task differ by their parameters: the list shows them.
    title: [benchTitle(report), benchParamsText(report)].filter((part) => part !== '').join(' '),
    bestSpeedup: report.results.reduce((best, row) => Math.max(best, row.speedup), 0),
    file
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false
  )
}

/** Where the history lives. */
export interface BenchHistoryOptions {
  /** The data folder; reports go in its `benches` sub-folder. Default {@link defaultDataDir}. */
  dataDir?: string
}

/** Saves, lists and reads benchmark reports in a folder. */
export class BenchHistory {
  /** The folder holding the report files. */
  readonly dir: string

  constructor(options: BenchHistoryOptions = {}) {
    this.dir = path.join(options.dataDir ?? defaultDataDir(), BENCH_SUBDIR)
  }

  /** Where the report with this id is (or would be) saved. */
  fileFor(id: string): string {
    if (!SAFE_ID.test(id)) throw new RangeError(`not a valid benchmark id: ${JSON.stringify(id)}`)
    return path.join(this.dir, `${id}.json`)
  }

  /**
   * Saves `report` and returns it with `id` and `file` filled in.
   *
   * @param options.id the id to save under, e.g. the one the run's progress events carried;
   *   default a new id from the report's `createdAt`
   * @throws Error when a report with the given id is already saved (ids are never reused)
   */
  async save(report: UnsavedBenchReport, options: { id?: string } = {}): Promise<BenchReport> {
    await mkdir(this.dir, { recursive: true })
    let id = options.id ?? createBenchId(new Date(report.createdAt))
    while (await exists(this.fileFor(id))) {
      if (options.id !== undefined) throw new Error(`a benchmark with the id ${id} is already saved`)
      id = createBenchId(new Date(report.createdAt))
    }
    const file = this.fileFor(id)
    const stored: Omit<BenchReport, 'file'> = { id, ...report }
    // Write then rename, so a reader never sees half a file and a crash leaves no broken report.
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`
    await writeFile(partial, `${JSON.stringify(stored, null, 2)}\n`, 'utf8')
    await rename(partial, file)
    return { ...stored, file }
  }

  /** Reads the report with this id. @throws BenchNotFoundError when there is none */
  async get(id: string): Promise<BenchReport> {
    const file = this.fileFor(id)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BenchNotFoundError(id)
      throw err
    }
    try {
      return { ...benchReportSchema.parse(JSON.parse(text)), file }
    } catch (err) {
      throw new Error(`the saved benchmark ${file} is unreadable: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err
      })
    }
  }

  /**
   * Summaries of all saved reports, newest first. Files that are not readable reports (hand
   * edits, other tools' files) are skipped, so one bad file cannot hide the rest.
   */
  async list(): Promise<BenchSummary[]> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    const ids = names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length))
    const reports = await Promise.all(
      ids.filter((id) => SAFE_ID.test(id)).map((id) => this.get(id).then((report) => summarise(report, this.fileFor(id)), () => undefined))
    )
    return reports
      .filter((summary): summary is BenchSummary => summary !== undefined)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
  }
}

/** No saved benchmark has the requested id. */
export class BenchNotFoundError extends Error {
  override readonly name = 'BenchNotFoundError'
  /** Matches the contract's `not-found` error code, so handlers can pass it through as is. */
  readonly code = 'not-found'

  constructor(readonly id: string) {
    super(`no saved benchmark has the id ${id}`)
  }
}
