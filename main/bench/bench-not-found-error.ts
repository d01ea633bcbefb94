/** No saved benchmark has the requested id. */
export class BenchNotFoundError extends Error {
  override readonly name = 'BenchNotFoundError'
  /** Matches the contract's `not-found` error code, so handlers can pass it through as is. */
  readonly code = 'not-found'

  constructor(readonly id: string) {
    super(`no saved benchmark has the id ${id}`)
  }
}
