import type { RunFinished } from '../../../shared/contract'
import { formatDuration } from './format'

export type OutcomeTone = 'ok' | 'warn' | 'danger'

export interface RunOutcome {
  tone: OutcomeTone
  /** One line: what happened. */
  headline: string
  /** The check, when the task has one: "✓ all 8 sums equal …" or "✗ …". */
  check: { ok: boolean; text: string } | undefined
  /** What went wrong, in words, when something did. */
  problem: string | undefined
}

/** Reads a finished run the way a person would tell it. */
export function describeRunOutcome(finished: RunFinished): RunOutcome {
  const wall = formatDuration(finished.stats.wallMs)
  const check = finished.check ? { ok: finished.check.ok, text: `${finished.check.ok ? '✓' : '✗'} ${finished.check.summary}` } : undefined
  const problem = finished.error ? plainError(finished.error) : undefined
  switch (finished.state) {
    case 'succeeded':
      if (check && !check.ok) return { tone: 'danger', headline: `Finished in ${wall}, but the result is wrong`, check, problem }
      return { tone: 'ok', headline: `Finished in ${wall}${check ? ', result checked' : ''}`, check, problem }
    case 'stopped':
      return { tone: 'warn', headline: `Stopped after ${wall}`, check, problem }
    case 'failed':
      return { tone: 'danger', headline: `Failed after ${wall}`, check, problem: problem ?? 'The run failed without saying why.' }
  }
}

/**
 * Error text as main sends it can be an `Error: …` string with a stack; people need the first line
 * without the class name.
 */
export function plainError(error: string): string {
  const first = error.split('\n').find((line) => line.trim() !== '') ?? error
  return first.replace(/^\s*(?:Uncaught\s+)?(?:[A-Z][A-Za-z]*Error|Error):\s*/, '').trim() || first.trim()
}

/** Pretty JSON of a result, cut at `maxChars` so a huge result does not flood the page. */
export function previewJson(value: unknown, maxChars = 4000): { text: string; isCut: boolean } {
  let text: string
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 2) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > maxChars ? { text: `${text.slice(0, maxChars)}\n…`, isCut: true } : { text, isCut: false }
}
