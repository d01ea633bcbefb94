// `npm test`'s last step: runs vitest, then prints one plain closing line
// ("tests: N passed, N failed, N skipped") that any CI log reader understands.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const report = join('test-results', 'vitest.json')
mkdirSync('test-results', { recursive: true })
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' }
)
try {
  const r = JSON.parse(readFileSync(report, 'utf8'))
  const skipped = r.numPendingTests + r.numTodoTests
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`)
} catch {
  console.log('tests: no report written (vitest did not finish)')
}
process.exit(run.status ?? 1)
