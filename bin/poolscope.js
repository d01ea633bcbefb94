#!/usr/bin/env node
// Entry for `npx poolscope`: runs the built CLI, building it first on a fresh checkout.
'use strict'
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const { spawnSync } = require('node:child_process')

const root = join(__dirname, '..')
const cli = join(root, 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  process.stderr.write('poolscope: first run, building (electron-vite build)…\n')
  const vite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const built = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (built.status !== 0 || !existsSync(cli)) {
    process.stderr.write('poolscope: build failed; run `npm run build` to see why.\n')
    process.exit(1)
  }
}
require(cli).runAsProgram(process.argv.slice(2))
