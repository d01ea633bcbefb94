/** `npm run soak` as users run it (the built `out/main/soak.js`): the JSON the issue specifies, exit codes, the seed. */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../../helpers/paths'

const soak = (args: string[]) =>
  spawnSync(process.execPath, [resolve(repoRoot, 'out/main/soak.js'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 })

describe('npm run soak', () => {
  it('prints one JSON object led by the issue’s seven figures, the seed on stderr, and exits 0 when nothing went wrong', () => {
    const { status, stdout, stderr } = soak(['--tasks', '200', '--seed', '5', '--json'])
    expect(stderr).toContain('seed 5 (replay the same choices with --seed 5)')
    expect(status).toBe(0)
    const report = JSON.parse(stdout)
    expect(Object.keys(report).slice(0, 7)).toEqual(['tasks', 'lost', 'duplicated', 'wrong', 'workersKilled', 'orphans', 'rssGrowthMb'])
    expect(report).toMatchObject({ tasks: 200, lost: 0, duplicated: 0, wrong: 0, orphans: 0, seed: 5 })
  }, 120_000)

  it('exits 2 on a bad flag, naming it', () => {
    const { status, stderr } = soak(['--tasks', 'many'])
    expect(status).toBe(2)
    expect(stderr).toMatch(/--tasks.*must be an integer ≥ 1/)
  })
})
