import { describe, expect, it } from 'vitest'
import { autoChunksize } from '../../../main/pool/options'

/** Python's rule from `multiprocessing.Pool._map_async`, written out as Python has it. */
function pythonChunksize(length: number, workers: number): number {
  let chunksize = Math.floor(length / (workers * 4))
  const extra = length % (workers * 4)
  if (extra) chunksize += 1
  return chunksize
}

describe('autoChunksize', () => {
  it.each([
    [1, 1, 1],
    [4, 1, 1],
    [5, 1, 2],
    [8, 2, 1],
    [9, 2, 2],
    [64, 2, 8],
    [100, 4, 7],
    [1000, 8, 32],
    [1_000_000, 16, 15_625]
  ])('for %i inputs on %i workers is %i', (length, workers, expected) => {
    expect(autoChunksize(length, workers)).toBe(expected)
  })

  it("agrees with Python's divmod(len, workers * 4) rule, plus one when there is a remainder", () => {
    for (let workers = 1; workers <= 12; workers++) {
      for (let length = 1; length <= 500; length++) {
        expect(autoChunksize(length, workers)).toBe(pythonChunksize(length, workers))
      }
    }
  })

  it('is 1 for no inputs, where Python says 0, so a chunk size is always usable', () => {
    expect(autoChunksize(0, 4)).toBe(1)
  })
})
