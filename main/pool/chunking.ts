/**
 * Python's automatic `chunksize` for `Pool.map`: about four chunks per worker, so workers stay
 * busy while the parent sends the next chunk, yet no worker is left with a long tail.
 */
export function autoChunksize(length: number, workers: number): number {
  if (length === 0) return 1
  const per = Math.floor(length / (workers * 4))
  return per + (length % (workers * 4) ? 1 : 0) || 1
}
