import { describe, expect, it } from 'vitest'
import { BoundedLog } from '../../../main/launch/bounded-log'

describe('BoundedLog', () => {
  it('keeps the last lines and counts the ones that fell out', () => {
    const log = new BoundedLog(3)
    log.write('a\nb\nc\nd\ne\n')
    expect(log.lines()).toEqual(['c', 'd', 'e'])
    expect(log.droppedLines).toBe(2)
    expect(log.totalLines).toBe(5)
  })

  it('joins lines split across chunks and holds a partial line until its newline', () => {
    const log = new BoundedLog(10)
    expect(log.write('hel')).toEqual([])
    expect(log.write('lo\nwor')).toEqual(['hello'])
    expect(log.lines()).toEqual(['hello'])
    expect(log.write('ld\n')).toEqual(['world'])
  })

  it('keeps a last line without a newline when the stream ends', () => {
    const log = new BoundedLog(10)
    log.write('one\ntwo')
    expect(log.end()).toEqual(['two'])
    expect(log.end()).toEqual([])
    expect(log.lines()).toEqual(['one', 'two'])
  })

  it('keeps empty lines and drops the carriage return of CRLF endings', () => {
    const log = new BoundedLog(10)
    log.write('a\r\n\r\nb\n')
    expect(log.lines()).toEqual(['a', '', 'b'])
  })

  it('cuts a line longer than the limit so memory stays bounded without newlines', () => {
    const log = new BoundedLog(10, 4)
    expect(log.write('abcdefghij')).toEqual(['abcd', 'efgh'])
    expect(log.end()).toEqual(['ij'])
    log.write('0123456789\n')
    expect(log.lines().slice(-3)).toEqual(['0123', '4567', '89'])
  })
})
