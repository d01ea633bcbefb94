import { describe, expect, it } from 'vitest'
import { SystemInformationTable } from '../../../main/platform/systeminformation-table'

describe('SystemInformationTable', () => {
  it('reads this process with memory and a CPU percentage instead of CPU time', async () => {
    const [self] = await new SystemInformationTable().readUsage([process.pid])
    expect(self.pid).toBe(process.pid)
    expect(self.rssBytes).toBeGreaterThan(0)
    expect(self.cpuTimeMs).toBeUndefined()
    expect(typeof self.cpuPercent).toBe('number')
  })
})
