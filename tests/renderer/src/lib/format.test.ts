import { describe, expect, it } from 'vitest'
import { formatAgo, formatBytes, formatCompact, formatCount, formatDuration, formatEta, formatPercent, formatRate } from '../../../../renderer/src/lib/format'

describe('formatDuration', () => {
  it('picks a unit by size', () => {
    expect(formatDuration(850)).toBe('850 ms')
    expect(formatDuration(1234)).toBe('1.23 s')
    expect(formatDuration(12_345)).toBe('12.3 s')
    expect(formatDuration(245_000)).toBe('4 m 05 s')
    expect(formatDuration(3_720_000)).toBe('1 h 02 m')
  })

  it('shows a dash for unknown or negative durations', () => {
    expect(formatDuration(undefined)).toBe('—')
    expect(formatDuration(-1)).toBe('—')
    expect(formatDuration(Number.NaN)).toBe('—')
  })
})

describe('formatEta', () => {
  it('says done at zero and a dash when unknown', () => {
    expect(formatEta(0)).toBe('done')
    expect(formatEta(undefined)).toBe('—')
    expect(formatEta(90_000)).toBe('1 m 30 s')
  })
})

describe('formatRate and formatCompact', () => {
  it('keeps three significant figures with k/M/G suffixes', () => {
    expect(formatRate(0.5)).toBe('0.5/s')
    expect(formatRate(12.345)).toBe('12.3/s')
    expect(formatRate(4560)).toBe('4560/s')
    expect(formatRate(45_600)).toBe('45.6 k/s')
    expect(formatRate(1_200_000)).toBe('1.20 M/s')
    expect(formatCompact(7)).toBe('7')
  })

  it('shows a dash for an unknown or negative rate', () => {
    expect(formatRate(undefined)).toBe('—')
    expect(formatRate(-1)).toBe('—')
  })
})

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.50 KiB')
    expect(formatBytes(50 * 2 ** 20)).toBe('50.0 MiB')
    expect(formatBytes(300 * 2 ** 30)).toBe('300 GiB')
    expect(formatBytes(undefined)).toBe('—')
  })
})

describe('formatPercent, formatCount, formatAgo', () => {
  it('formats what the dashboard shows next to figures', () => {
    expect(formatPercent(45.4)).toBe('45%')
    expect(formatPercent(3.46, 1)).toBe('3.5%')
    expect(formatPercent(undefined)).toBe('—')
    expect(formatCount(1_234_567)).toBe('1\u2009234\u2009567')
    expect(formatAgo(-30_000)).toBe('-30 s')
    expect(formatAgo(0)).toBe('now')
  })
})
