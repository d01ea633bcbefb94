import { describe, expect, it } from 'vitest'
import { ProcessTask, isProcessTaskClass } from '../../../main/pool/process-task'
import { fixtureFn } from '../../helpers/paths'
import { useProcesses, usePools } from '../../helpers/pools'

const openProcess = useProcesses()
const openPool = usePools()

describe('class-based tasks (ProcessTask)', () => {
  it('a Process constructs the class with its args in the child and the result is what run() returned', async () => {
    const p = openProcess({ target: fixtureFn('process-task.cjs', 'Greeter'), args: ['Hello', 'PoolScope'] })
    p.start()
    await p.join()
    expect(p.exitCode).toBe(0)
    expect(p.result).toBe(`Hello, PoolScope! (pid ${p.pid})`)
  })

  it('an async run() is awaited, with instance state kept from the constructor to run()', async () => {
    const p = openProcess({ target: fixtureFn('process-task.cjs', 'Accumulator'), args: [[1, 2, 3, 4]] })
    p.start()
    await p.join()
    expect(p.result).toBe(10)
  })

  it('a run() that throws ends the process with exit code 1', async () => {
    const p = openProcess({ target: fixtureFn('process-task.cjs', 'Failing') })
    p.start()
    await p.join()
    expect(p.exitCode).toBe(1)
    expect(p.error?.message).toBe('run() failed on purpose')
  })

  it('a pool runs a class-based task like a function, one instance per call', async () => {
    const pool = openPool()
    const greetings = await pool.starmap<string>(fixtureFn('process-task.cjs', 'Greeter'), [
      ['Hi', 'a'],
      ['Hi', 'b']
    ])
    expect(greetings.map((g) => g.replace(/ \(pid \d+\)$/, ''))).toEqual(['Hi, a!', 'Hi, b!'])
  })
})

describe('isProcessTaskClass', () => {
  it('recognises subclasses of ProcessTask and classes that carry the static marker, nothing else', () => {
    class Sub extends ProcessTask {
      run() {
        return 1
      }
    }
    class Marked {
      static isProcessTask = true
    }
    expect(isProcessTaskClass(Sub)).toBe(true)
    expect(isProcessTaskClass(Marked)).toBe(true)
    expect(isProcessTaskClass(() => 1)).toBe(false)
    expect(isProcessTaskClass(class Plain {})).toBe(false)
    expect(isProcessTaskClass({ isProcessTask: true })).toBe(false)
  })
})
