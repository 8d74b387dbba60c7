/** Tools that look at the whole board: the projects tasks can run in, and the tasks by column. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { TASK_STATUSES, listTasksQuery, type TaskDto, type TaskStatus } from '../../../shared/api.js';
import type { GluonClient } from '../../../shared/client.js';
import { taskLine } from '../render-task.js';
import { guarded } from '../tool-result.js';

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

/** Registers `list_projects` and `list_tasks`. */
export function registerBoardTools(server: McpServer, client: GluonClient): void {
  server.registerTool(
    'list_projects',
    {
      title: 'List projects',
      description:
        'List the projects (local git repositories) Gluon can run tasks in, with their workspace, path and default branch. ' +
        'Use a project name from here as the `project` of create_task.',
      inputSchema: {},
      annotations: READ_ONLY,
    },
    guarded(async () => {
      const projects = await client.listProjects();
      if (projects.length === 0) return 'No projects yet: add one with `gluon project add <path>`.';
      return projects
        .map(
          (p) =>
            `${p.name} · workspace ${p.workspace} · ${p.path} · default branch ${p.defaultBranch}${p.remote ? ` · remote ${p.remote}` : ''}`,
        )
        .join('\n');
    }),
  );

  server.registerTool(
    'list_tasks',
    {
      title: 'List the board',
      description:
        'List the tasks on the Gluon board, grouped by column (queued, running, review, done, failed, cancelled), ' +
        'one line each: id, status, whether it waits for a human (INPUT REQUIRED), title, project, profile and cost so far. ' +
        'Filter by status and/or project. Use show_task on an id for its details and latest events.',
      inputSchema: {
        status: listTasksQuery.shape.status.describe('Only tasks with this status.'),
        project: listTasksQuery.shape.project.describe('Only tasks of this project (its name).'),
      },
      annotations: READ_ONLY,
    },
    guarded(async (filter: { status?: TaskStatus; project?: string }) => {
      const tasks = await client.listTasks(filter);
      if (tasks.length === 0) return 'No tasks match.';
      return boardText(tasks);
    }),
  );
}

/** Tasks grouped by status in board order, each group headed by its name and count. */
export function boardText(tasks: TaskDto[]): string {
  const sections: string[] = [];
  for (const status of TASK_STATUSES) {
    const column = tasks.filter((t) => t.status === status);
    if (column.length === 0) continue;
    sections.push([`${status} (${column.length}):`, ...column.map((t) => `  ${taskLine(t)}`)].join('\n'));
  }
  const waiting = tasks.filter((t) => t.inputRequired).length;
  const head = `${tasks.length} task${tasks.length === 1 ? '' : 's'}${waiting ? `, ${waiting} waiting for input` : ''}`;
  return [head, ...sections].join('\n\n');
}
