import { describe, expect, it } from 'vitest'
import { parseTaskInput } from '../../main/runs/task-input'
import { runTask, type TaskRunOptions } from '../../main/runs/task-runner'
import { averageFits, chunkBounds, fitChunk, pooledFit, sampleAt, tolerances } from '../../tasks/linreg'
import { workerScript } from '../helpers/paths'

interface LinregResult {
  slope: number
  intercept: number
  pooled: { slope: number; intercept: number }
  chunks: { chunk: number; count: number }[]
}

function linreg(params: Record<string, unknown>, extra: Partial<TaskRunOptions> = {}) {
  return runTask({ ...parseTaskInput('linreg', params), workers: 2, backend: 'process', workerScript, ...extra })
}

describe('linreg', () => {
  it('recovers a slope close to 2 and an intercept close to 1', async () => {
    const run = await linreg({ samples: 20_000, chunks: 4, noise: 1, seed: 11 })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    const result = run.result as LinregResult
    expect(result.chunks.map((c) => c.count)).toEqual([5_000, 5_000, 5_000, 5_000])
  })

  it('gives the same answer, to the last bit, for the same seed on any number of workers and either backend', async () => {
    const params = { samples: 30_000, chunks: 7, noise: 2, seed: 123 }
    const first = (await linreg(params, { workers: 1 })).result as LinregResult
    const second = (await linreg(params, { workers: 3 })).result as LinregResult
    const third = (await linreg(params, { workers: 2, backend: 'thread' })).result as LinregResult
    expect(second).toEqual(first)
    expect(third).toEqual(first)
  })

  it('gives a different answer for a different seed', async () => {
    const a = (await linreg({ samples: 5_000, chunks: 2, seed: 1 })).result as LinregResult
    const b = (await linreg({ samples: 5_000, chunks: 2, seed: 2 })).result as LinregResult
    expect(a.slope).not.toBe(b.slope)
  })

  it('rejects more chunks than samples allow, naming the parameter', () => {
    expect(() => parseTaskInput('linreg', { samples: 100, chunks: 11 })).toThrow(/chunks must leave at least 10 samples per chunk/)
    expect(() => parseTaskInput('linreg', { samples: 100, chunks: 10 })).not.toThrow()
  })
})

describe('fitChunk', () => {
  it('finds y = 2x + 1 exactly, up to rounding, when there is no noise', () => {
    const fit = fitChunk(5, 0, 0, 0, 50)
    expect(fit.slope).toBeCloseTo(2, 12)
    expect(fit.intercept).toBeCloseTo(1, 12)
  })

  it('fits the samples of its own range only, whichever chunk it is', () => {
    const fit = fitChunk(5, 0.5, 3, 100, 140)
    expect(fit.count).toBe(40)
    const xs = Array.from({ length: 40 }, (_, i) => sampleAt(5, 100 + i, 0.5).x)
    expect(fit.sums.x).toBeCloseTo(xs.reduce((a, b) => a + b, 0), 9)
  })
})

describe('chunkBounds', () => {
  it('tiles the samples with chunks whose sizes differ by at most one', () => {
    const bounds = Array.from({ length: 7 }, (_, i) => chunkBounds(100, 7, i))
    expect(bounds[0].from).toBe(0)
    expect(bounds[6].to).toBe(100)
    for (let i = 1; i < 7; i++) expect(bounds[i].from).toBe(bounds[i - 1].to)
    const sizes = bounds.map((b) => b.to - b.from)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
  })
})

describe('averageFits and pooledFit', () => {
  it('combine chunks in chunk order, whatever order they arrive in', () => {
    const fits = [0, 1, 2, 3].map((chunk) => fitChunk(9, 1, chunk, chunk * 50, chunk * 50 + 50))
    const shuffled = [fits[2], fits[0], fits[3], fits[1]]
    expect(averageFits(shuffled)).toEqual(averageFits(fits))
    expect(pooledFit(shuffled)).toEqual(pooledFit(fits))
  })

  it('pool the raw sums into the same line however the samples are chunked', () => {
    const split = (chunks: number) =>
      pooledFit(Array.from({ length: chunks }, (_, i) => {
        const { from, to } = chunkBounds(1_000, chunks, i)
        return fitChunk(4, 1, i, from, to)
      }))
    expect(split(5).slope).toBeCloseTo(split(2).slope, 9)
    expect(split(5).intercept).toBeCloseTo(split(2).intercept, 9)
  })
})

describe('tolerances', () => {
  it('grows with the noise and shrinks with more samples', () => {
    expect(tolerances(10_000, 4, 2).slope).toBeGreaterThan(tolerances(10_000, 4, 1).slope)
    expect(tolerances(100_000, 4, 1).intercept).toBeLessThan(tolerances(10_000, 4, 1).intercept)
  })
})
