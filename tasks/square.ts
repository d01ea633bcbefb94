/**
 * square — x·x after a simulated wait, over 0..count-1, with `map` or with `applyAsync`. The work
 * is mostly waiting, so more workers than cores still speeds it up.
 */
import { defineTask } from './task-definition'
import { choice, integer } from './params'

/**
 * Worker side: waits `delayMs`, then returns x²; no wait when it is left out (`pool.map` passes x
 * alone). The wait is made by {@link squareLater}, not by a closure in here: a function that holds
 * a closure over its arguments makes a context object on every call, on the path that never makes
 * the closure too, and while the function is still interpreted that garbage is collected. A fresh
 * pool's first map of 100,000 took 15.0–16.9 ms with the closure inline against 13.4–13.9 ms
 * without (bench/README, eleventh session).
 *
 * x² is `x ** 2`, which V8 computes in doubles from the first call, and exactly for every integer
 * this task takes (x² < 2⁵³). `x * x` of small integers is a 32-bit multiply to V8 until a result
 * passes 2³¹ (x ≥ 46,341), and there V8 threw away the optimised code of the worker's chunk step,
 * into which it had inlined `square`, and compiled it again: a fresh pool's first map of 100,000
 * kept its two workers busy for a median of 18.3 ms against 24.4 (bench/README, seventeenth
 * session).
 */
export function square(x: number, delayMs?: number): number | Promise<number> {
  return delayMs !== undefined && delayMs > 0 ? squareLater(x, delayMs) : x ** 2
}

function squareLater(x: number, delayMs: number): Promise<number> {
  return new Promise((resolve) => setTimeout(resolve, delayMs, x ** 2))
}

// The run's own bookkeeping, in plain loops (`Array.from({ length }, fn)` and `reduce` took 3.3 and
// 1–3 ms of a 100,000-input run's 27 ms), each in a function of its own. Written inside `run`, the
// loops ran unoptimised on every run in a process that runs the task again and again (the app, the
// bench): V8 optimises a loop inside a function that is not itself hot by compiling the rest of that
// function from the loop on, and the check's `i * i` passing 2³¹ threw that code away each run. In
// W9's bench process the two loops took 3.3–4.6 ms of each of the first three runs of 100,000
// inputs; in functions of their own, the check took 0.15–0.24 ms from the second run on and the
// inputs 0.5 ms from the third or fourth (bench/README, eleventh session).

/** 0 … count−1. */
function range(count: number): number[] {
  const inputs = new Array<number>(count)
  for (let i = 0; i < count; i++) inputs[i] = i
  return inputs
}

/** How many of `squares` are not the square of their index. */
function countWrong(squares: readonly number[]): number {
  let wrong = 0
  for (let i = 0; i < squares.length; i++) if (squares[i] !== i * i) wrong++
  return wrong
}

export default defineTask({
  id: 'square',
  title: 'Squares with a wait',
  description:
    'Squares the numbers 0 … count−1, each after a simulated wait (like a slow service call). Because the workers ' +
    'mostly wait, even more workers than cores finish sooner. Runs with map (results in order) or with applyAsync ' +
    'and callbacks; either way every square is checked and must arrive in input order.',
  pattern: 'Pool.map and Pool.apply_async with callbacks over I/O-bound work',
  params: (z) =>
    z
      .object({
        count: integer({ min: 1, max: 1_000_000, default: 40, description: 'How many inputs (0 … count−1)' }),
        delayMs: integer({ min: 0, max: 60_000, default: 500, description: 'Simulated wait per input, ms' }),
        mode: choice(['map', 'apply-async'], { default: 'map', description: 'map (one call) or applyAsync (one call per input)' })
      })
      .strict(),
  async run(ctx) {
    const { count, delayMs, mode } = ctx.params
    const pool = await ctx.createPool()
    const inputs = range(count)
    let squares: number[]
    if (mode === 'map') {
      // The wait is the same for every input: it travels once per message, not once per input,
      // and not at all when there is none (the worker then calls `square(x)` itself, one call
      // less per input while its code is still interpreted).
      const extraArgs = delayMs > 0 ? [delayMs] : []
      squares = await pool.map<number>('square:square', inputs, { chunksize: ctx.chunksize ?? 1, signal: ctx.signal, extraArgs })
    } else {
      squares = new Array(count)
      let done = 0
      const handles = inputs.map((x) =>
        pool.applyAsync<number>('square:square', [x, delayMs], {
          signal: ctx.signal,
          callback: (value) => {
            squares[x] = value
            ctx.progress(++done, count)
          }
        })
      )
      await Promise.all(handles.map((h) => h.get()))
    }
    const wrong = countWrong(squares)
    return {
      result: { count, delayMs, mode, squares, allCorrect: wrong === 0 },
      check: {
        ok: wrong === 0 && squares.length === count,
        summary: wrong === 0 ? `all ${count} squares correct and in input order` : `${wrong} of ${count} squares are wrong`
      }
    }
  }
})
