/**
 * A benchmark report written out: JSON (the report itself), CSV (one rectangular table, a row per
 * series, full precision, for spreadsheets and pandas), Markdown (a table for issues and READMEs)
 * and a plain terminal table (the CLI's default output). JSON and CSV keep every digit; the tables
 * for people round through `format.ts`.
 */
import Table from 'cli-table3'
import type { BenchReport, SeriesStats } from '../../../shared/contract'
import { benchParamsText, benchTitle, formatMs, formatPercent, formatSpeedup } from './format'

/** The machine and document formats a report can be exported in (the `bench:export` formats). */
export type BenchExportFormat = 'json' | 'csv' | 'markdown'

/** A report that may not be saved yet (the CLI prints before or without saving). */
export type ExportableBenchReport = Omit<BenchReport, 'id' | 'file'> & Partial<Pick<BenchReport, 'id' | 'file'>>

/** The result shape of the `bench:export` request. */
export interface BenchExport {
  filename: string
  mime: string
  content: string
}

/** Which series a row is: the single-process baseline, or one worker count. */
export type SeriesKind = 'baseline' | 'workers'

/** One series as the tables and CSV see it: the baseline is a row like the others. */
interface SeriesRow extends SeriesStats {
  kind: SeriesKind
  label: string
  workers: number
  speedup: number
  efficiency: number
  karpFlatt: number | undefined
  coreBusyPercent: number[]
}

function seriesRows(report: ExportableBenchReport): SeriesRow[] {
  return [
    // The baseline is one process: one worker's worth, by definition 1× of itself.
    { kind: 'baseline', label: 'baseline', workers: 1, speedup: 1, efficiency: 1, karpFlatt: undefined, ...report.baseline },
    ...report.results.map((row) => ({ kind: 'workers' as const, label: String(row.workers), ...row, karpFlatt: row.karpFlatt }))
  ]
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

function busyCores(row: SeriesRow, cores: number): string {
  return row.coreBusyPercent.length === 0 ? '–' : `${(sum(row.coreBusyPercent) / 100).toFixed(1)} of ${cores}`
}

/** The columns the two human tables (Markdown, terminal) show, each with its heading and cell. */
const HUMAN_COLUMNS = {
  median: { heading: 'median', cell: (row: SeriesRow) => formatMs(row.medianMs) },
  min: { heading: 'min', cell: (row: SeriesRow) => formatMs(row.minMs) },
  max: { heading: 'max', cell: (row: SeriesRow) => formatMs(row.maxMs) },
  stddev: { heading: 'stddev', cell: (row: SeriesRow) => formatMs(row.stddevMs) },
  speedup: { heading: 'speedup', cell: (row: SeriesRow) => formatSpeedup(row.speedup) },
  efficiency: { heading: 'efficiency', cell: (row: SeriesRow) => formatPercent(row.efficiency, true) },
  karpFlatt: { heading: 'Karp–Flatt', cell: (row: SeriesRow) => formatKarpFlatt(row.karpFlatt) },
  busyCores: { heading: 'busy cores', cell: (row: SeriesRow, cores: number) => busyCores(row, cores) }
} satisfies Record<string, { heading: string; cell: (row: SeriesRow, cores: number) => string }>

type HumanColumn = keyof typeof HUMAN_COLUMNS

/** A human table's headings (`workers` first) and rows, people's units in every cell. */
function humanTable(report: ExportableBenchReport, columns: readonly HumanColumn[]): { head: string[]; rows: string[][] } {
  return {
    head: ['workers', ...columns.map((column) => HUMAN_COLUMNS[column].heading)],
    rows: seriesRows(report).map((row) => [row.label, ...columns.map((column) => HUMAN_COLUMNS[column].cell(row, report.cores))])
  }
}

function amdahlLine(report: ExportableBenchReport): string {
  const { serialFraction, projected } = report.amdahl
  const projections = projected.map((p) => `${formatSpeedup(p.speedup)} on ${p.workers} cores`).join(', ')
  return `Amdahl fit: ${formatPercent(serialFraction, true, 1)} serial; projected ${projections}`
}

/** "through the shell" for a command run with `--shell`, otherwise nothing. */
function shellNote(report: ExportableBenchReport): string {
  return report.command !== undefined && report.params.shell === true ? 'through the shell' : ''
}

/** Pretty-printed JSON of the report, ending in a newline; `JSON.parse` gives the report back. */
export function benchReportToJson(report: ExportableBenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

/** RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** Numbers in full precision (they parse back exactly); absent values as empty cells. */
function csvNumber(value: number | undefined): string {
  return value === undefined ? '' : String(value)
}

/**
 * Text a spreadsheet must not run: a cell starting with `=`, `+`, `-` or `@` (or a tab or carriage
 * return before one) is read as a formula by Excel, LibreOffice and Google Sheets, and a command
 * string is text anyone can write. Such a cell gets a leading `'`, OWASP's advice for CSV
 * injection. Numbers never pass through here, so a negative Karp–Flatt stays a number.
 */
function csvText(value: string | undefined): string {
  if (value === undefined) return ''
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/**
 * One rectangular CSV table: a header row, then one row per series, baseline first, every row with
 * every column (RFC 4180, CRLF line ends, empty cells for absent values). `kind` tells the rows
 * apart: `baseline` for the single-process reference (its `workers` is 1, one process, and its
 * speedup 1 by definition) and `workers` for each worker count, so a filter on `kind` leaves the
 * speedup-against-workers table. The benchmark's context (cores, id, time, task or command,
 * backend, parameters as JSON) repeats on every row rather than sitting in a block of its own, so
 * CSVs of several benchmarks can be stacked and columns never shift. Times are in ms at full
 * precision, then each run's time and each core's busy % in as many columns as the longest series
 * needs.
 */
export function benchReportToCsv(report: ExportableBenchReport): string {
  const rows = seriesRows(report)
  const runCount = Math.max(...rows.map((r) => r.runsMs.length))
  const coreCount = Math.max(...rows.map((r) => r.coreBusyPercent.length))
  const header = [
    'kind',
    'workers',
    'median_ms',
    'min_ms',
    'max_ms',
    'mean_ms',
    'stddev_ms',
    'speedup',
    'efficiency',
    'karp_flatt',
    'mean_core_busy_percent',
    'cores',
    'bench_id',
    'created_at',
    'task',
    'command',
    'backend',
    'params',
    ...Array.from({ length: runCount }, (_, i) => `run_${i + 1}_ms`),
    ...Array.from({ length: coreCount }, (_, i) => `core_${i + 1}_busy_percent`)
  ]
  const context = [
    csvNumber(report.cores),
    csvText(report.id),
    csvText(report.createdAt),
    csvText(report.task),
    csvText(report.command),
    csvText(report.backend),
    JSON.stringify(report.params)
  ]
  const lines = rows.map((row) => [
    row.kind,
    csvNumber(row.workers),
    csvNumber(row.medianMs),
    csvNumber(row.minMs),
    csvNumber(row.maxMs),
    csvNumber(row.meanMs),
    csvNumber(row.stddevMs),
    csvNumber(row.speedup),
    csvNumber(row.efficiency),
    csvNumber(row.karpFlatt),
    csvNumber(row.coreBusyPercent.length === 0 ? undefined : sum(row.coreBusyPercent) / row.coreBusyPercent.length),
    ...context,
    ...Array.from({ length: runCount }, (_, i) => csvNumber(row.runsMs[i])),
    ...Array.from({ length: coreCount }, (_, i) => csvNumber(row.coreBusyPercent[i]))
  ])
  return [header, ...lines].map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** Inline code that survives backticks and newlines in the text (CommonMark's fence rule). */
function inlineCode(text: string): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ')
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

function markdownCell(text: string): string {
  return text.replaceAll('|', '\\|')
}

function formatKarpFlatt(value: number | undefined): string {
  return value === undefined ? '–' : formatPercent(value, true, 1)
}

/** A Markdown section: heading, one-line context, the table, the Amdahl fit and the notes. */
export function benchReportToMarkdown(report: ExportableBenchReport): string {
  const title = report.command !== undefined ? inlineCode(report.command) : benchTitle(report)
  const runs = report.baseline.runsMs.length
  const table = humanTable(report, ['median', 'min', 'max', 'stddev', 'speedup', 'efficiency', 'karpFlatt', 'busyCores'])
  // Markdown headings start with a capital: "Busy cores".
  const head = table.head.map((heading) => heading[0].toUpperCase() + heading.slice(1))
  const rows = table.rows
  const params = benchParamsText(report)
  const context = [
    report.createdAt,
    `${report.cores} cores`,
    `${runs} timed ${runs === 1 ? 'run' : 'runs'} per series`,
    ...(params === '' ? [] : [inlineCode(params)]),
    ...(shellNote(report) === '' ? [] : [shellNote(report)])
  ]
  const lines = [
    `## Benchmark: ${title}`,
    '',
    context.join(' · '),
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? ':---' : '---:')).join(' | ')} |`,
    ...rows.map((cells) => `| ${cells.map(markdownCell).join(' | ')} |`),
    '',
    amdahlLine(report)
  ]
  if (report.warnings.length > 0) {
    lines.push('', '**Notes**', '', ...report.warnings.map((w) => `- ${w}`))
  }
  return `${lines.join('\n')}\n`
}

/** The width the terminal table's prose is wrapped to when the caller does not know the terminal's. */
export const TERMINAL_WIDTH = 80

/** A unit written after its number ("73.0 ms", "97 %"), never to start a line of its own. */
const UNIT = /^(?:ms|s|%|×)[,;:.)]*$/

/** The words of `text`, each unit joined to the number before it. */
function unbreakableWords(text: string): string[] {
  const words: string[] = []
  for (const word of text.split(/ +/).filter((w) => w !== '')) {
    if (UNIT.test(word) && words.length > 0) words[words.length - 1] += ` ${word}`
    else words.push(word)
  }
  return words
}

/**
 * Breaks `text` into lines of at most `width` characters at spaces, the first line starting with
 * `firstIndent` and the rest with `indent`. A number keeps its unit on its line. A word longer than
 * a line stays whole: splitting a path or a number would make it wrong, not just long.
 */
export function wrapText(text: string, width: number, firstIndent = '', indent = firstIndent): string[] {
  const lines: string[] = []
  let line = firstIndent
  let hasWord = false
  for (const word of unbreakableWords(text)) {
    if (hasWord && line.length + 1 + word.length > width) {
      lines.push(line)
      line = indent + word
    } else {
      line += (hasWord ? ' ' : '') + word
    }
    hasWord = true
  }
  lines.push(line)
  return lines
}

/**
 * cli-table3 drawing characters for a table without boxes: columns two spaces apart and one rule
 * under the header. Box borders cost 22 of the 80 columns a terminal may have; without them the
 * seven columns fit with room for five-digit medians and long labels.
 */
const PLAIN_TABLE_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '─',
  'mid-mid': '──',
  right: '',
  'right-mid': '',
  middle: '  '
}

/**
 * The CLI's default output: a title line (what ran, with its parameters), a compact table with the
 * numbers people compare (min/max are in the other formats), the Amdahl fit and the notes, the
 * prose wrapped to `width` columns (default {@link TERMINAL_WIDTH}). No colours, so it reads the
 * same in a terminal, a log file or a pipe.
 */
export function benchReportToTerminalTable(report: ExportableBenchReport, width: number = TERMINAL_WIDTH): string {
  const { head, rows } = humanTable(report, ['median', 'stddev', 'speedup', 'efficiency', 'karpFlatt', 'busyCores'])
  const table = new Table({
    head,
    colAligns: head.map((_, i) => (i === 0 ? 'left' : 'right')),
    chars: PLAIN_TABLE_CHARS,
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 }
  })
  table.push(...rows)
  const runs = report.baseline.runsMs.length
  const shell = shellNote(report)
  const what = [benchTitle(report), benchParamsText(report), shell === '' ? '' : `(${shell})`].filter((part) => part !== '').join(' ')
  const title = `${what} — ${report.cores} cores, median of ${runs} ${runs === 1 ? 'run' : 'runs'}`
  const lines = [...wrapText(title, width, '', '  '), '', table.toString(), '', ...wrapText(amdahlLine(report), width, '', '  ')]
  if (report.warnings.length > 0) {
    lines.push('', 'Notes:', ...report.warnings.flatMap((w) => wrapText(w, width, '  - ', '    ')))
  }
  return `${lines.join('\n')}\n`
}

const EXPORTS: Record<BenchExportFormat, { extension: string; mime: string; write: (r: ExportableBenchReport) => string }> = {
  json: { extension: 'json', mime: 'application/json', write: benchReportToJson },
  csv: { extension: 'csv', mime: 'text/csv', write: benchReportToCsv },
  markdown: { extension: 'md', mime: 'text/markdown', write: benchReportToMarkdown }
}

/** The report in `format` with a file name (`<id>.<ext>`) and MIME type, as `bench:export` returns it. */
export function exportBenchReport(report: ExportableBenchReport, format: BenchExportFormat): BenchExport {
  const spec = EXPORTS[format]
  return { filename: `${report.id ?? 'bench'}.${spec.extension}`, mime: spec.mime, content: spec.write(report) }
}
