import { describe, expect, it } from 'vitest'
import {
  benchReportToCsv,
  benchReportToJson,
  benchReportToMarkdown,
  benchReportToTerminalTable,
  exportBenchReport,
  wrapText
} from '../../../../main/bench/report/export'
import { sampleReport } from '../../../fixtures/bench/sample-report'

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
  const report = { ...sampleReport(), id: 'bench-20261124-153012-ab12' }
  const records = parseCsv(benchReportToCsv(report))
  const [header, ...rows] = records
  const column = (name: string) => header.indexOf(name)

  it('ends every record, the last included, with CRLF', () => {
    const csv = benchReportToCsv(report)
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/)
  })

  it('is one rectangular table: a single header row, then one row per series with every column, baseline first', () => {
    expect(header.slice(0, 3)).toEqual(['kind', 'workers', 'median_ms'])
    expect(new Set(header).size).toBe(header.length)
    expect(records.every((r) => r.length === header.length)).toBe(true)
    expect(rows.map((r) => [r[column('kind')], r[column('workers')]])).toEqual([
      ['baseline', '1'],
      ['workers', '1'],
      ['workers', '2']
    ])
    // No header-like row further down, and no block of a different shape.
    expect(rows.some((r) => r[0] === 'kind')).toBe(false)
  })

  it('repeats the benchmark’s context on every row', () => {
    for (const row of rows) {
      expect(row[column('bench_id')]).toBe('bench-20261124-153012-ab12')
      expect(row[column('created_at')]).toBe('2026-11-24T15:30:12.000Z')
      expect(row[column('command')]).toBe('python3 job.py {workers}')
      expect(row[column('task')]).toBe('')
      expect(Number(row[column('cores')])).toBe(2)
      expect(JSON.parse(row[column('params')])).toEqual({})
    }
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

  it('quotes a command with commas and quotes so it stays in its column and reads back unchanged', () => {
    const command = 'python3 -c "import sys; print(1, 2)" --label \'a, "b"\' {workers}'
    const csv = benchReportToCsv(sampleReport({ command }))
    expect(csv).toContain('"python3 -c ""import sys; print(1, 2)"" --label \'a, ""b""\' {workers}"')
    const [head, ...body] = parseCsv(csv)
    expect(body.every((r) => r.length === head.length)).toBe(true)
    expect(body.map((r) => r[head.indexOf('command')])).toEqual([command, command, command])
  })

  it('writes task parameters as JSON in one quoted cell, and the task and backend in their own columns', () => {
    const csv = benchReportToCsv(sampleReport({ command: undefined, task: 'heavy-sum', backend: 'process', params: { n: 50_000_000, m: 8 } }))
    expect(csv).toContain(',heavy-sum,,process,"{""n"":50000000,""m"":8}",')
    const [head, first] = parseCsv(csv)
    expect(JSON.parse(first[head.indexOf('params')])).toEqual({ n: 50_000_000, m: 8 })
  })

  it('keeps a spreadsheet from reading a command as a formula, and leaves negative numbers alone', () => {
    const report = sampleReport({ command: '=HYPERLINK("http://example.invalid")' })
    report.results[1].karpFlatt = -0.05
    const [head, ...body] = parseCsv(benchReportToCsv(report))
    expect(body[0][head.indexOf('command')]).toBe('\'=HYPERLINK("http://example.invalid")')
    expect(body[2][head.indexOf('karp_flatt')]).toBe('-0.05')
  })

  it('pads shorter series with empty cells when series have different numbers of runs', () => {
    const report = sampleReport()
    report.results[0].runsMs = [1001, 1002]
    const [head, ...body] = parseCsv(benchReportToCsv(report))
    expect(body.every((r) => r.length === head.length)).toBe(true)
    expect(body[1][head.indexOf('run_3_ms')]).toBe('')
  })
})

describe('benchReportToMarkdown', () => {
  const markdown = benchReportToMarkdown(sampleReport())
  const tableLines = markdown.split('\n').filter((line) => line.startsWith('|'))
  /** Cells of a GFM table row: split at pipes that are not escaped. */
  const cells = (line: string) => line.slice(1, -1).split(/(?<!\\)\|/)

  it('renders a table: a header row, a separator row, then one row per series, every row as wide as the header', () => {
    expect(tableLines).toHaveLength(2 + 3)
    expect(tableLines[1]).toMatch(/^\| :--- (\| ---: )+\|$/)
    expect(tableLines.every((line) => line.endsWith(' |'))).toBe(true)
    expect(new Set(tableLines.map((line) => cells(line).length))).toEqual(new Set([9]))
    // A blank line before and after, so no renderer glues it to the paragraph around it.
    const lines = markdown.split('\n')
    const first = lines.indexOf(tableLines[0])
    expect(lines[first - 1]).toBe('')
    expect(lines[first + tableLines.length]).toBe('')
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

  it('keeps a command with pipes, quotes and commas out of the table, which stays the same width', () => {
    const text = benchReportToMarkdown(sampleReport({ command: 'sh -c "seq 1,2 | sort" {workers}' }))
    expect(text).toContain('## Benchmark: `sh -c "seq 1,2 | sort" {workers}`')
    const rows = text.split('\n').filter((line) => line.startsWith('|'))
    expect(new Set(rows.map((line) => cells(line).length))).toEqual(new Set([9]))
  })

  it('states a task’s parameters next to the date and cores', () => {
    const text = benchReportToMarkdown(sampleReport({ command: undefined, task: 'heavy-sum', backend: 'process', params: { n: 50_000_000, m: 8 } }))
    expect(text).toMatch(/^## Benchmark: heavy-sum \(process\)\n\n2026-11-24T15:30:12\.000Z · 2 cores · 3 timed runs per series · `n=50000000 m=8`\n/)
  })
})

describe('benchReportToTerminalTable', () => {
  const text = benchReportToTerminalTable(sampleReport())
  const lines = text.split('\n')

  it('has a title line, a row per series, the Amdahl fit and the notes', () => {
    expect(lines[0]).toBe('python3 job.py {workers} — 2 cores, median of 3 runs')
    expect(text).toMatch(/^workers +median +stddev +speedup +efficiency +Karp–Flatt +busy cores$/m)
    expect(text).toMatch(/^baseline +1001 ms +9\.94 ms +1\.00× +100 % +– +1\.0 of 2$/m)
    expect(text).toMatch(/^2 +518 ms +10\.4 ms +1\.93× +96 % +3\.6 % +1\.9 of 2$/m)
    expect(text).toContain('Amdahl fit: 3.6 % serial; projected 3.60× on 4 cores, 6.30× on 8 cores')
    expect(text).toContain('Notes:\n  - 2 workers, 1.93× — both cores 97 % busy')
  })

  it('fits an 80-column terminal: long notes wrap under their bullet, the table has no boxes', () => {
    const report = sampleReport({
      warnings: [
        '2 workers, 1.15× — cores 78 % busy yet only 1.15×: the extra CPU time goes to overhead (start-up, copying inputs and results, contention for memory) or to other programs, not to the work'
      ]
    })
    report.baseline.medianMs = 12_345.6
    const wide = benchReportToTerminalTable(report).split('\n')
    expect(Math.max(...wide.map((line) => line.length))).toBeLessThanOrEqual(80)
    const note = wide.indexOf('Notes:')
    expect(wide[note + 1]).toMatch(/^ {2}- 2 workers, 1\.15×/)
    expect(wide[note + 2]).toMatch(/^ {4}\S/)
    expect(text).not.toMatch(/[│┌└┼]/)
  })

  it('wraps to the width it is given', () => {
    const narrow = benchReportToTerminalTable(sampleReport({ warnings: ['word '.repeat(30).trim()] }), 60)
    const notes = narrow.split('\n').slice(narrow.split('\n').indexOf('Notes:') + 1).filter((l) => l !== '')
    expect(notes.length).toBeGreaterThan(1)
    expect(notes.every((line) => line.length <= 60)).toBe(true)
  })

  it('names a task’s parameters in the title', () => {
    const task = benchReportToTerminalTable(sampleReport({ command: undefined, task: 'heavy-sum', backend: 'process', params: { n: 50_000_000, m: 8 } }))
    expect(task.split('\n')[0]).toBe('heavy-sum (process) n=50000000 m=8 — 2 cores, median of 3 runs')
  })

  it('writes no colour codes, so it reads the same when piped', () => {
    expect(text).not.toMatch(/\u001b\[/)
  })
})

describe('wrapText', () => {
  it('breaks at spaces within the width and indents the following lines', () => {
    expect(wrapText('aaa bbb ccc ddd', 9, '- ', '  ')).toEqual(['- aaa bbb', '  ccc ddd'])
  })

  it('keeps a number and its unit on one line', () => {
    expect(wrapText('the mean 73.0 ms); close', 14)).toEqual(['the mean', '73.0 ms);', 'close'])
    expect(wrapText('busy 97 % of the time', 7)).toEqual(['busy', '97 % of', 'the', 'time'])
  })

  it('keeps a word longer than the width whole', () => {
    expect(wrapText('short /a/very/long/path/that/does/not/fit end', 12)).toEqual(['short', '/a/very/long/path/that/does/not/fit', 'end'])
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
