import type { Command } from 'commander'
import Table from 'cli-table3'
import { catalog, taskInfo } from '../../tasks'

/** `poolscope tasks [--json]`: the catalog, with each task's parameters. */
export function registerTasksCommand(program: Command): void {
  program
    .command('tasks')
    .description('list the catalog of tasks and their parameters')
    .option('--json', 'print the catalog as JSON (ids, descriptions, parameter schemas)')
    .action((options: { json?: boolean }) => {
      const infos = catalog.map(taskInfo)
      if (options.json) {
        process.stdout.write(`${JSON.stringify(infos, null, 2)}\n`)
        return
      }
      const table = new Table({ head: ['id', 'pattern', 'parameters (default)'], wordWrap: true, colWidths: [18, 44, 46] })
      for (const info of infos) {
        table.push([info.id, info.pattern, info.params.map((p) => `${p.name}=${JSON.stringify(p.default)}`).join('\n')])
      }
      process.stdout.write(`${table.toString()}\n`)
    })
}
