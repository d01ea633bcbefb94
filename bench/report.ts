/**
 * What a workload reports: rows of per-run values per contender and metric, and the issue's
 * targets it checks. Ratios are PoolScope ÷ peer on medians, within one group of one run of the
 * bench, so they compare figures measured side by side.
 */
import Table from 'cli-table3'
import { summarize, type Summary } from './stats'

export interface Metric {
  key: string
  label: string
  /** Which direction is good; printed next to the metric so a ratio reads the right way. */
  better: 'higher' | 'lower'
  format(value: number): string
}

export interface Row {
  group: string
  contenderId: string
  label: string
  metric: Metric
  values: number[]
  /** The PoolScope row the group's other rows are compared with. */
  isReference: boolean
}

export interface TargetResult {
  workload: string
  target: string
  measured: string
  /** undefined when it could not be measured (a peer failed, a platform lacks /proc). */
  isMet: boolean | undefined
}

export interface Section {
  id: string
  title: string
  notes: string[]
  rows: Row[]
  targets: TargetResult[]
}

export function summaryOf(row: Row): Summary {
  return summarize(row.values)
}

/** PoolScope ÷ this row, on medians; undefined for the reference itself or a missing reference. */
export function ratioOf(section: Section, row: Row): number | undefined {
  if (row.isReference) return undefined
  const reference = section.rows.find((r) => r.isReference && r.group === row.group && r.metric.key === row.metric.key)
  if (!reference) return undefined
  return summaryOf(reference).median / summaryOf(row).median
}

export function findRow(section: Section, contenderId: string, metricKey: string): Row | undefined {
  return section.rows.find((r) => r.contenderId === contenderId && r.metric.key === metricKey)
}

export function medianOf(section: Section, contenderId: string, metricKey: string): number {
  const row = findRow(section, contenderId, metricKey)
  return row ? summaryOf(row).median : Number.NaN
}

const HEAD = ['', 'metric', 'median', 'min', 'max', 'spread', 'runs', 'PoolScope ÷ peer']

/** A section's rows as cells, with a `group` line before each group where there are several. */
function sectionLines(section: Section): ({ group: string } | { cells: string[]; isReference: boolean })[] {
  const lines: ({ group: string } | { cells: string[]; isReference: boolean })[] = []
  const isGrouped = section.rows.some((r) => r.group !== section.rows[0]?.group)
  let group: string | undefined
  for (const row of section.rows) {
    if (isGrouped && row.group !== group) lines.push({ group: row.group })
    group = row.group
    const s = summaryOf(row)
    const ratio = ratioOf(section, row)
    const arrow = row.metric.better === 'higher' ? '↑' : '↓'
    lines.push({
      isReference: row.isReference === true,
      cells: [
        row.label,
        `${row.metric.label} ${arrow}`,
        row.metric.format(s.median),
        row.metric.format(s.min),
        row.metric.format(s.max),
        `${(s.spread * 100).toFixed(0)} %`,
        String(s.runs),
        ratio === undefined ? (row.isReference ? 'ref' : '—') : `${ratio.toFixed(2)}×`
      ]
    })
  }
  return lines
}

function targetCells(t: TargetResult): string[] {
  return [t.workload.toUpperCase(), t.target, t.measured, t.isMet === undefined ? 'n/a' : t.isMet ? 'met' : 'NOT met']
}

export function renderSection(section: Section): string {
  const notes = section.notes.map((n) => `  · ${n}`).join('\n')
  // A workload that measured nothing (skipped, say) says why, under no empty table.
  if (section.rows.length === 0) return `\n${section.id.toUpperCase()} ${section.title}\n${notes}`
  const table = new Table({
    head: HEAD,
    style: { head: [], border: [] },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right']
  })
  for (const line of sectionLines(section)) {
    if ('group' in line) table.push([{ colSpan: HEAD.length, content: line.group }])
    else table.push([line.isReference ? `${line.cells[0]} *` : line.cells[0], ...line.cells.slice(1)])
  }
  return `\n${section.id.toUpperCase()} ${section.title}\n${table.toString()}\n${notes}`
}

export function renderTargets(targets: readonly TargetResult[]): string {
  const table = new Table({ head: ['', 'target', 'measured (medians)', 'result'], style: { head: [], border: [] } })
  for (const t of targets) table.push(targetCells(t))
  return table.toString()
}

const markdownCell = (text: string) => text.replaceAll('|', '\\|')
const markdownRow = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |`

/** A section as Markdown (for bench/README.md): the reference rows bold, groups as bold italic rows. */
export function renderSectionMarkdown(section: Section): string {
  const rows = sectionLines(section).map((line) =>
    'group' in line
      ? `| ***${markdownCell(line.group)}*** |${' |'.repeat(HEAD.length - 1)}`
      : markdownRow(line.isReference ? [`**${line.cells[0]}**`, ...line.cells.slice(1)] : line.cells)
  )
  const table = rows.length > 0 ? [markdownRow(['contender', ...HEAD.slice(1)]), '|---|---|---:|---:|---:|---:|---:|---:|', ...rows] : []
  return [`#### ${section.id.toUpperCase()} ${section.title}`, '', ...table, ...section.notes.map((n) => `- ${n}`)].join('\n')
}

export function renderTargetsMarkdown(targets: readonly TargetResult[]): string {
  const rows = targets.map((t) => {
    const cells = targetCells(t)
    if (t.isMet === false) cells[3] = `**${cells[3]}**`
    return markdownRow(cells)
  })
  return ['#### Targets', '', '| | target | measured (medians) | result |', '|---|---|---|---|', ...rows].join('\n')
}

export const formats = {
  rate: (v: number) => `${Math.round(v).toLocaleString('en-US')}/s`,
  micros: (v: number) => (v < 100 ? `${v.toFixed(1)} µs` : `${Math.round(v).toLocaleString('en-US')} µs`),
  ms: (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`,
  seconds: (v: number) => `${v.toFixed(3)} s`,
  times: (v: number) => `${v.toFixed(2)}×`,
  megabytes: (v: number) => `${v.toFixed(1)} MB`,
  percent: (v: number) => `${v.toFixed(v < 1 ? 3 : 2)} %`
}

/** Rows for every metric of every contender, in contender order. */
export function rowsFrom(
  contenders: readonly { id: string; label: string; group: string }[],
  samples: Map<string, Record<string, number>[]>,
  metrics: readonly Metric[],
  referenceIds: ReadonlySet<string>
): Row[] {
  const rows: Row[] = []
  for (const c of contenders) {
    const runs = samples.get(c.id) ?? []
    for (const metric of metrics) {
      const values = runs.map((r) => r[metric.key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
      if (values.length === 0) continue
      rows.push({ group: c.group, contenderId: c.id, label: c.label, metric, values, isReference: referenceIds.has(c.id) })
    }
  }
  return rows
}
