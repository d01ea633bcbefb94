// `npm test`'s last step: runs vitest, then lists again what was skipped and how to enable it
// (the lines skipping suites wrote through tests/helpers/skip.ts), and prints one plain closing
// line ("tests: N passed, N failed, N skipped") that any CI log reader understands.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

const report = join('test-results', 'vitest.json')
// Absolute: test files run with their own working directory in vitest's forks.
const skipLog = resolve('test-results', 'skipped.txt')
mkdirSync('test-results', { recursive: true })
rmSync(skipLog, { force: true })
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, POOLSCOPE_SKIP_LOG: skipLog } }
)

let skipLines = []
try {
  skipLines = [...new Set(readFileSync(skipLog, 'utf8').split('\n').filter(Boolean))].sort()
} catch {
  // No suite skipped.
}
if (skipLines.length > 0) {
  console.log(`\nskipped here, and how to enable each (${skipLines.length}):`)
  for (const line of skipLines) console.log(`  ${line}`)
}
try {
  const r = JSON.parse(readFileSync(report, 'utf8'))
  const skipped = r.numPendingTests + r.numTodoTests
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`)
} catch {
  console.log('tests: no report written (vitest did not finish)')
}
process.exit(run.status ?? 1)
