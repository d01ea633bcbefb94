import { describe, expect, it } from 'vitest'
import { HelpRequested, parseArgs, WORKLOAD_IDS } from '../../bench/args'

describe('npm run bench arguments', () => {
  it('runs every workload 5 times by default', () => {
    expect(parseArgs([])).toEqual({ only: [...WORKLOAD_IDS], runs: 5, json: undefined, markdown: undefined })
  })

  it('takes --only in any case and order, in workload order, and --runs, --json and --markdown', () => {
    expect(parseArgs(['--only', 'W3, w1', '--runs=3', '--json', 'out.json', '--markdown', 'out.md'])).toEqual({
      only: ['w1', 'w3'],
      runs: 3,
      json: 'out.json',
      markdown: 'out.md'
    })
  })

  it.each([
    [['--runs', '0'], /--runs <n>.*'0' is invalid\. must be an integer ≥ 1/],
    [['--runs', '2.5'], /--runs <n>.*must be an integer ≥ 1/],
    [['--only', 'w1,w10'], new RegExp(`--only <ids>.*unknown workload w10 \\(known: ${WORKLOAD_IDS.join(', ')}\\)`)],
    [['--only', ','], /--only <ids>.*name at least one workload/],
    [['--runs'], /--runs <n>.*argument missing/],
    [['--bogus'], /unknown option '--bogus'/],
    [['w1'], /too many arguments/]
  ])('refuses %j by name, and shows the usage', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message)
    expect(() => parseArgs(argv)).toThrow(/Usage: npm run bench -- \[options\]/)
  })

  it('answers --help with the usage, not an error', () => {
    expect(() => parseArgs(['--help'])).toThrow(HelpRequested)
    expect(() => parseArgs(['--help'])).toThrow(/--only <ids>[^]*\n.*--runs <n>/)
  })
})
