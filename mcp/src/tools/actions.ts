/**
 * Tools that act on a task a human would otherwise act on: answer its question, approve or deny the tool
 * call it waits on, resume it with feedback, cancel it. Each answers with the task's state afterwards.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { denyBody, textBody, type TaskDto } from '../../../shared/api.js';
import type { GluonClient } from '../../../shared/client.js';
import { taskIdInput } from '../schemas.js';
import { guarded } from '../tool-result.js';

const ACTS = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
} as const;

/** Registers `answer_task`, `approve_task`, `deny_task`, `resume_task` and `cancel_task`. */
export function registerActionTools(server: McpServer, client: GluonClient): void {
  registerInputTools(server, client);
  registerControlTools(server, client);
}

/** What a task waits on a human for: an answer to its question, or a yes or no on a tool call or plan. */
function registerInputTools(server: McpServer, client: GluonClient): void {
  server.registerTool(
    'answer_task',
    {
      title: 'Answer a task',
      description:
        "Answer the question a task's agent asked (show_task says WAITING FOR AN ANSWER and shows the options). " +
        'The same agent session continues with the answer.',
      inputSchema: {
        id: taskIdInput,
        text: textBody.shape.text.describe('The answer: an option label, or free text.'),
      },
      annotations: ACTS,
    },
    guarded(async ({ id, text }: { id: string; text: string }) =>
      after('answered', await client.answer(id, text)),
    ),
  );

  server.registerTool(
    'approve_task',
    {
      title: 'Approve',
      description:
        'Approve what a task waits for: the tool call its agent asked to run (careful or strict approval), ' +
        "or what the task holds in review: a planning task's plan, or a formula step's human gate; the work then goes on.",
      inputSchema: { id: taskIdInput },
      annotations: ACTS,
    },
    guarded(async ({ id }: { id: string }) => after('approved', await client.approve(id))),
  );

  server.registerTool(
    'deny_task',
    {
      title: 'Deny',
      description:
        'Deny the tool call (or plan) a task waits for approval of. The agent is told the reason and carries on without it.',
      inputSchema: {
        id: taskIdInput,
        reason: denyBody.shape.reason.describe('Why, so the agent can choose another way.'),
      },
      annotations: ACTS,
    },
    guarded(async ({ id, reason }: { id: string; reason?: string }) =>
      after('denied', await client.deny(id, reason)),
    ),
  );
}

/** Sending a task back to work, or stopping it. */
function registerControlTools(server: McpServer, client: GluonClient): void {
  server.registerTool(
    'resume_task',
    {
      title: 'Resume with feedback',
      description:
        'Send a task back to work with feedback: from review (ask for changes), or from failed or cancelled when it has a ' +
        'session. The same agent continues in the same worktree and session; cost adds up on the task.',
      inputSchema: {
        id: taskIdInput,
        feedback: textBody.shape.text.describe('What to change or do next, as you would tell the agent.'),
      },
      annotations: ACTS,
    },
    guarded(async ({ id, feedback }: { id: string; feedback: string }) =>
      after('resumed', await client.resume(id, feedback)),
    ),
  );

  server.registerTool(
    'cancel_task',
    {
      title: 'Cancel a task',
      description:
        'Cancel a queued or running task: its agent is stopped at once. The work it did so far stays committed on its branch.',
      inputSchema: { id: taskIdInput },
      annotations: { ...ACTS, destructiveHint: true },
    },
    guarded(async ({ id }: { id: string }) => after('cancelled', await client.cancel(id))),
  );
}

/** One line on what the action did and where the task stands now. */
function after(what: string, task: TaskDto): string {
  const waiting = task.inputRequired ? ', still waiting for input' : '';
  return `Task ${task.id} ${what}: now ${task.status}${waiting}.`;
}
