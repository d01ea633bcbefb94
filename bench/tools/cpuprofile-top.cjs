#!/usr/bin/env node
'use strict'
/**
 * Summarises V8 .cpuprofile files (from `node --cpu-prof`): the functions with the most self
 * time, and self time by where the code lives (PoolScope, Node internals, GC, idle…).
 *
 *   node bench/tools/cpuprofile-top.cjs [--top N] [--window FROM_US MS] FILE.cpuprofile…
 *
 * `--window` keeps the samples taken in MS milliseconds from FROM_US, a time on the profile's
 * clock (the monotonic one: `process.hrtime.bigint() / 1000n` in the profiled process; the
 * `runtask` scenario prints it with `PROF_MARK=1`).
 * Several files are summed (say, every worker of one run). Idle time is left out of the
 * percentages, which are shares of the time the thread was actually busy.
 */
const { readFileSync } = require('node:fs')
const { basename } = require('node:path')

const args = process.argv.slice(2)
let top = 25
let window
const files = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i])
  else if (args[i] === '--window') {
    const from = Number(args[++i])
    window = { from, to: from + Number(args[++i]) * 1000 }
  } else files.push(args[i])
}
if (files.length === 0) {
  console.error('usage: cpuprofile-top.cjs [--top N] [--window FROM_US MS] FILE.cpuprofile…')
  process.exit(2)
}

const byFunction = new Map()
const byArea = new Map()
let busyUs = 0
let idleUs = 0

function areaOf(frame) {
  const url = frame.url
  if (frame.functionName === '(garbage collector)') return 'GC'
  if (frame.functionName === '(program)') return 'V8/native (program)'
  if (frame.functionName === '(idle)') return 'idle'
  if (url.startsWith('node:')) return 'Node internals'
  if (url.includes('/node_modules/')) return `node_modules/${url.split('/node_modules/')[1].split('/')[0]}`
  // Bundled chunks get names from whichever module rolldown picked; the function names tell more.
  if (url.includes('/out/main/')) return basename(url) === 'worker.js' ? 'PoolScope worker.js' : 'PoolScope bundle (out/main)'
  if (url === '') return 'native'
  return basename(url)
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfUs = new Map()
  // A sample is taken at the profile's start plus the deltas so far.
  let at = profile.startTime
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0
    if (window && (at < window.from || at > window.to)) return
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id).callFrame
    const area = areaOf(frame)
    if (area === 'idle') {
      idleUs += us
      continue
    }
    busyUs += us
    const key = `${frame.functionName || '(anonymous)'}  ${frame.url ? `${basename(frame.url)}:${frame.lineNumber + 1}` : ''}`
    byFunction.set(key, (byFunction.get(key) ?? 0) + us)
    byArea.set(area, (byArea.get(area) ?? 0) + us)
  }
}

const pct = (us) => `${((us / busyUs) * 100).toFixed(1).padStart(5)} %`
const ms = (us) => `${(us / 1000).toFixed(1).padStart(9)} ms`
console.log(`${files.length} profile(s): busy ${ms(busyUs).trim()}, idle ${ms(idleUs).trim()}`)
console.log('\nself time by area')
for (const [area, us] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${ms(us)} ${pct(us)}  ${area}`)
console.log(`\ntop ${top} functions by self time`)
for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)} ${pct(us)}  ${key}`)
