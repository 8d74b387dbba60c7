/** Tools for one task's life: create it, then follow it (its state and latest events). */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { APPROVAL_POLICIES, PROFILES, createTaskBody, type CreateTaskBody } from '../../../shared/api.js';
import type { GluonClient } from '../../../shared/client.js';
import { taskDetails } from '../render-task.js';
import { taskIdInput } from '../schemas.js';
import { readEventTail } from '../task-events.js';
import { formatUsd } from '../../../shared/text.js';
import { guarded } from '../tool-result.js';

const api = createTaskBody.shape;

const createInput = {
  project: api.project.describe('The project to work in: a name from list_projects.'),
  prompt: api.prompt.describe(
    'What the agent should do, written as a complete brief: it starts with no context but the repository.',
  ),
  title: api.title.describe('A short title for the board (default: taken from the prompt).'),
  profile: z
    .enum(PROFILES)
    .optional()
    .describe(
      'quick (Haiku: small, mechanical changes), standard (Sonnet, the default), deep (Opus: hard problems), ' +
        'planning (Opus: writes a plan and waits for approve_task before changing anything).',
    ),
  maxCostUsd: api.maxCostUsd.describe(
    'Cost cap in US dollars: the agent is stopped when the task has spent this much (its work is kept).',
  ),
  after: api.after.describe(
    'Ids of tasks this one waits for: it stays queued (blocked) until each reaches review or done, then starts by itself.',
  ),
  approval: z
    .enum(APPROVAL_POLICIES)
    .optional()
    .describe(
      'auto (the default: tools run freely inside the task worktree), careful (destructive commands such as rm -rf ' +
        'or git push --force wait for approve_task), strict (every Bash, Write and Edit waits).',
    ),
};

/** Registers `create_task` and `show_task`. */
export function registerTaskTools(server: McpServer, client: GluonClient): void {
  server.registerTool(
    'create_task',
    {
      title: 'Create a task',
      description:
        'Hand a piece of work to Gluon: it queues a task that runs one Claude Code agent in its own git worktree and branch ' +
        '(gluon-task/<id>) of the project, so several tasks can run in parallel without touching the checkout. ' +
        'Returns the task id at once; the task then goes queued → running → review (or failed). ' +
        'Follow it with show_task, read its work with task_diff.',
      inputSchema: createInput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    guarded(async (input: CreateTaskBody) => {
      const task = await client.createTask(input);
      const cap = task.maxCostUsd === null ? 'no cost cap' : `cost cap ${formatUsd(task.maxCostUsd)}`;
      return [
        `Created task ${task.id} "${task.title}" in project ${task.project}: ${task.status}, ` +
          `profile ${task.profile} (${task.model}), approval ${task.approval}, ${cap}.`,
        `Follow it with show_task id=${task.id}.`,
      ].join('\n');
    }),
  );

  server.registerTool(
    'show_task',
    {
      title: 'Show a task',
      description:
        'Show one task: status and why its last run stopped, cost against its cap, branch and worktree, the question or ' +
        'approval it waits for (and which tool answers it), then its last events as text (agent messages, tool calls ' +
        'folded to one line, commits, status changes), oldest first, each with its sequence number.',
      inputSchema: {
        id: taskIdInput,
        events: z
          .number()
          .int()
          .min(0)
          .max(200)
          .optional()
          .describe('How many of the latest events to include (default 20, 0 for none).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(async ({ id, events }: { id: string; events?: number }) => {
      const task = await client.getTask(id);
      const lines = taskDetails(task);
      const count = events ?? 20;
      if (count > 0) {
        const tail = await readEventTail(client, task, count);
        const more = tail.earlier ? ' (earlier ones left out)' : '';
        lines.push('', `Last ${tail.lines.length} events${more}:`, ...tail.lines);
      }
      return lines.join('\n');
    }),
  );
}
