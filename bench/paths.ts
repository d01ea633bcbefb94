/**
 * Where the bench's own files are at run time. The bench runs from the bundle in `out/main/`,
 * so the repository root is found by walking up to the folder that holds `bench/fixtures/`.
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

function findRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'bench', 'fixtures', 'work.cjs'))) return dir
    if (dirname(dir) === dir) return process.cwd()
  }
}

export const repoRoot = findRoot()
export const fixtures = {
  work: join(repoRoot, 'bench', 'fixtures', 'work.cjs'),
  workerpoolWorker: join(repoRoot, 'bench', 'fixtures', 'workerpool-worker.cjs'),
  rawChild: join(repoRoot, 'bench', 'fixtures', 'raw-child.cjs'),
  burn: join(repoRoot, 'bench', 'fixtures', 'burn.cjs')
}
export const pythonScript = join(repoRoot, 'bench', 'python', 'pool_bench.py')
/**
 * The bench entry node was started with, run again with `--child …` for the measurements that
 * need a fresh process. Not `__filename`: the bundler may place this module in a shared chunk.
 */
export const benchEntry = resolve(process.argv[1])
