/**
 * Where the tests find what they run: the repository, the built worker entry (workers always run
 * the built `out/main/worker.js`, never the TypeScript source), the CLI, and the child fixtures.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { FnRef } from '../../main/pool/types'

export const repoRoot = resolve(__dirname, '../..')

/** The worker entry every pool and process in the tests is given explicitly. */
export const workerScript = resolve(repoRoot, 'out/main/worker.js')

/** The CLI as users run it. */
export const cliBin = resolve(repoRoot, 'bin/poolscope.js')

if (!existsSync(workerScript)) {
  throw new Error(`${workerScript} is missing: run \`npx electron-vite build\` before the tests`)
}

/** Absolute path of a file in `tests/fixtures/pool/`. */
export function poolFixture(file: string): string {
  return resolve(repoRoot, 'tests/fixtures/pool', file)
}

/** A `{ module, export }` reference to an export of a pool fixture. */
export function fixtureFn(file: string, exportName: string): FnRef {
  return { module: poolFixture(file), export: exportName }
}
