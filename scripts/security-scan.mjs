// Electronegativity scan of the Electron-facing code (shell, preload, renderer). Fails on any
// HIGH-severity finding. The package's own CLI cannot start (it requires `commander` without
// declaring it and gets an incompatible major), so its documented runner API is used directly.
import { createRequire } from 'node:module'
import { mkdtempSync, cpSync, existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const run = require('@doyensec/electronegativity/dist/runner.js')

// Scan a copy holding only what runs in or configures Electron, plus package.json for the version.
const dir = mkdtempSync(join(tmpdir(), 'poolscope-scan-'))
for (const part of ['main/index.ts', 'main/electron', 'preload', 'renderer/src', 'renderer/index.html', 'package.json']) {
  if (existsSync(part)) cpSync(part, join(dir, part), { recursive: true })
}
try {
  const { issues, errors } = await run({
    input: dir,
    output: undefined,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    severitySet: 'informational',
    confidenceSet: 'tentative',
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: undefined,
    parserPlugins: []
  })
  const hard = errors.filter((e) => !e.tolerable)
  const bySeverity = {}
  for (const issue of issues) bySeverity[issue.severity.name] = (bySeverity[issue.severity.name] ?? 0) + 1
  for (const issue of issues) {
    const where = `${issue.file.replace(dir + '/', '')}:${issue.location.line}`
    console.log(`  ${issue.severity.name.padEnd(13)} ${issue.id.padEnd(40)} ${where}`)
  }
  const high = issues.filter((i) => i.severity.name === 'HIGH')
  console.log(
    `electronegativity: ${issues.length} findings (${Object.entries(bySeverity).map(([k, v]) => `${v} ${k.toLowerCase()}`).join(', ') || 'none'}), ` +
      `${hard.length} parse errors; high: ${high.length}`
  )
  for (const e of hard) console.log(`  parse error: ${e.file}: ${e.message}`)
  process.exitCode = high.length > 0 || hard.length > 0 ? 1 : 0
} finally {
  rmSync(dir, { recursive: true, force: true })
}
