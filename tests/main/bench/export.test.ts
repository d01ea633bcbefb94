import { describe, expect, it } from 'vitest'
import {
  benchReportToCsv,
  benchReportToJson,
  benchReportToMarkdown,
  benchReportToTerminalTable,
  exportBenchReport
} from '../../../main/bench/export'
import { sampleReport } from '../../fixtures/bench/sample-report'

/** A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let i = 0
  let isQuoted = false
  while (i < text.length) {
    const c = text[i]
    if (isQuoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i += 2
      } else if (c === '"') {
        isQuoted = false
        i++
      } else {
        field += c
        i++
      }
    } else if (c === '"') {
      isQuoted = true
      i++
    } else if (c === ',') {
      record.push(field)
      field = ''
      i++
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i += 2
    } else {
      field += c
      i++
    }
  }
  return records
}

describe('benchReportToJson', () => {
  it('round-trips through JSON.parse', () => {
    const report = { ...sampleReport(), id: 'bench-20261124-153012-ab12' }
    expect(JSON.parse(benchReportToJson(report))).toEqual(report)
  })
})

describe('benchReportToCsv', () => {
  const report = sampleReport()
  const records = parseCsv(benchReportToCsv(report))
  const [header, ...rows] = records
  const column = (name: string) => header.indexOf(name)

  it('ends every record, the last included, with CRLF', () => {
    const csv = benchReportToCsv(report)
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/)
  })

  it('has a header and one row per series, baseline first, all the same width', () => {
    expect(rows.map((r) => r[column('series')])).toEqual(['baseline', '1', '2'])
    expect(records.every((r) => r.length === header.length)).toBe(true)
  })

  it('parses back to the same numbers', () => {
    const series = [{ ...report.baseline, workers: 1, speedup: 1 }, ...report.results]
    rows.forEach((row, i) => {
      expect(Number(row[column('workers')])).toBe(series[i].workers)
      expect(Number(row[column('median_ms')])).toBe(series[i].medianMs)
      expect(Number(row[column('stddev_ms')])).toBe(series[i].stddevMs)
      expect(Number(row[column('speedup')])).toBe(series[i].speedup)
      expect(series[i].runsMs.map((_, r) => Number(row[column(`run_${r + 1}_ms`)]))).toEqual(series[i].runsMs)
      expect(series[i].coreBusyPercent.map((_, c) => Number(row[column(`core_${c + 1}_busy_percent`)]))).toEqual(
        series[i].coreBusyPercent
      )
    })
  })

  it('leaves Karp–Flatt empty where it is undefined', () => {
    expect(rows.map((r) => r[column('karp_flatt')])).toEqual(['', '', '0.036282'])
  })
})

describe('benchReportToMarkdown', () => {
  const markdown = benchReportToMarkdown(sampleReport())
  const tableLines = markdown.split('\n').filter((line) => line.startsWith('|'))

  it('renders a table: a header row, a separator row, then one row per series', () => {
    expect(tableLines).toHaveLength(2 + 3)
    expect(tableLines[1]).toMatch(/^\| :--- (\| ---: )+\|$/)
    const widths = tableLines.map((line) => line.split(/(?<!\\)\|/).length)
    expect(new Set(widths).size).toBe(1)
  })

  it('shows rounded numbers with units', () => {
    expect(tableLines[4]).toBe('| 2 | 518 ms | 510 ms | 531 ms | 10.4 ms | 1.93× | 96 % | 3.6 % | 1.9 of 2 |')
  })

  it('puts the command in inline code and lists the notes', () => {
    expect(markdown).toMatch(/^## Benchmark: `python3 job.py \{workers\}`\n/)
    expect(markdown).toContain('- 2 workers, 1.93× — both cores 97 % busy\n')
  })

  it('fences a command that contains backticks', () => {
    expect(benchReportToMarkdown(sampleReport({ command: 'echo `date`' }))).toContain('## Benchmark: `` echo `date` ``')
  })
})

describe('benchReportToTerminalTable', () => {
  const text = benchReportToTerminalTable(sampleReport())

  it('has a title line, a row per series, the Amdahl fit and the notes', () => {
    expect(text.split('\n')[0]).toBe('python3 job.py {workers} — 2 cores, median of 3 runs')
    expect(text).toMatch(/│ baseline +│ +1001 ms │/)
    expect(text).toMatch(/│ 2 +│ +518 ms │ +10.4 ms │ +1.93× │ +96 % │ +3.6 % │ +1.9 of 2 │/)
    expect(text).toContain('Amdahl fit: serial fraction 3.6 %; projected 3.60× on 4 cores, 6.30× on 8 cores')
    expect(text).toContain('Notes:\n  - 2 workers, 1.93× — both cores 97 % busy')
  })

  it('writes no colour codes, so it reads the same when piped', () => {
    expect(text).not.toMatch(/\u001b\[/)
  })
})

describe('exportBenchReport', () => {
  it('names the file after the id and gives the MIME type', () => {
    const report = { ...sampleReport(), id: 'bench-20261124-153012-ab12' }
    expect(exportBenchReport(report, 'csv')).toMatchObject({ filename: 'bench-20261124-153012-ab12.csv', mime: 'text/csv' })
    expect(exportBenchReport(report, 'markdown').filename).toBe('bench-20261124-153012-ab12.md')
    expect(exportBenchReport(report, 'json').content).toBe(benchReportToJson(report))
  })
})
