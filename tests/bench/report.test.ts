import { describe, expect, it } from 'vitest'
import { formats, renderSection, renderSectionMarkdown, renderTargetsMarkdown, type Metric, type Row, type Section } from '../../bench/report'

const rate: Metric = { key: 'rate', label: 'inputs/s', better: 'higher', format: formats.rate }
const row = (group: string, contenderId: string, values: number[], isReference = false): Row => ({
  group,
  contenderId,
  label: contenderId === 'ours' ? 'PoolScope | map' : contenderId,
  metric: rate,
  values,
  isReference
})

const section: Section = {
  id: 'w1',
  title: 'dispatch',
  notes: ['rate = inputs ÷ time'],
  rows: [row('first', 'ours', [10, 30, 20], true), row('first', 'python', [5, 10, 15]), row('steady', 'ours', [40], true), row('steady', 'python', [80])],
  targets: []
}

describe('the bench as Markdown', () => {
  it('renders a section as a table: groups as bold italic rows, the reference bold, ratios against it, then the notes', () => {
    expect(renderSectionMarkdown(section).split('\n')).toEqual([
      '#### W1 dispatch',
      '',
      '| contender | metric | median | min | max | spread | runs | PoolScope ÷ peer |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
      '| ***first*** | | | | | | | |',
      '| **PoolScope \\| map** | inputs/s ↑ | 20/s | 10/s | 30/s | 100 % | 3 | ref |',
      '| python | inputs/s ↑ | 10/s | 5/s | 15/s | 100 % | 3 | 2.00× |',
      '| ***steady*** | | | | | | | |',
      '| **PoolScope \\| map** | inputs/s ↑ | 40/s | 40/s | 40/s | 0 % | 1 | ref |',
      '| python | inputs/s ↑ | 80/s | 80/s | 80/s | 0 % | 1 | 0.50× |',
      '- rate = inputs ÷ time'
    ])
  })

  it('leaves out group rows when a section has one group', () => {
    const single: Section = { ...section, rows: section.rows.filter((r) => r.group === 'first') }
    expect(renderSectionMarkdown(single)).not.toContain('***first***')
  })

  it('renders a section that measured nothing as its notes alone, in Markdown and as text', () => {
    const skipped: Section = { ...section, rows: [], notes: ['skipped: no redis-server on this machine'] }
    expect(renderSectionMarkdown(skipped).split('\n')).toEqual(['#### W1 dispatch', '', '- skipped: no redis-server on this machine'])
    expect(renderSection(skipped).trim().split('\n')).toEqual(['W1 dispatch', '  · skipped: no redis-server on this machine'])
    // With rows, the text has its table.
    expect(renderSection(section)).toContain('PoolScope | map *')
  })

  it('renders the targets with a missed one in bold', () => {
    const text = renderTargetsMarkdown([
      { workload: 'w1', target: 'map ≥ 1.0× Python', measured: '0.90×', isMet: false },
      { workload: 'w3', target: 'speedup ≥ 1.9', measured: '2.10×', isMet: true },
      { workload: 'w5', target: 'RSS', measured: 'no /proc', isMet: undefined }
    ])
    expect(text.split('\n').slice(-3)).toEqual([
      '| W1 | map ≥ 1.0× Python | 0.90× | **NOT met** |',
      '| W3 | speedup ≥ 1.9 | 2.10× | met |',
      '| W5 | RSS | no /proc | n/a |'
    ])
  })
})
