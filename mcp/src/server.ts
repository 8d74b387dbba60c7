/**
 * Gluon as an MCP server: one definition of its tools over the typed API client, served over stdio by
 * `gluon mcp` and over streamable HTTP at `/api/mcp`. Every tool is an API call made with the caller's
 * token, so it passes the same validation and rules as the dashboard, the CLI and the bots.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GluonClient } from '../../shared/client.js';
import { registerActionTools } from './tools/actions.js';
import { registerBoardTools } from './tools/board.js';
import { registerCostTools } from './tools/costs.js';
import { registerDiffTools } from './tools/diff.js';
import { registerTaskTools } from './tools/tasks.js';

export interface GluonMcpOptions {
  /** The API client, holding the token the tools act with. */
  client: GluonClient;
  /** Gluon's version, announced to the MCP client. */
  version: string;
}

/** What the connecting agent is told about Gluon before it picks a tool. */
export const INSTRUCTIONS = [
  'Gluon runs Claude Code agents in parallel, one task each, every task in its own git worktree and branch of a project.',
  'Plan the work, then hand each independent piece to Gluon with create_task (list_projects names the projects).',
  'A task goes queued → running → review; follow it with show_task or the whole board with list_tasks.',
  'When a task waits for input, answer_task, approve_task or deny_task unblock it.',
  'In review, read the work with task_diff and send it back with resume_task and feedback.',
  'cancel_task stops a task; cost_report says what the agents have cost.',
].join(' ');

/** Builds the MCP server with every Gluon tool registered; the caller connects it to a transport. */
export function createGluonMcpServer(opts: GluonMcpOptions): McpServer {
  const server = new McpServer({ name: 'gluon', version: opts.version }, { instructions: INSTRUCTIONS });
  registerBoardTools(server, opts.client);
  registerTaskTools(server, opts.client);
  registerActionTools(server, opts.client);
  registerDiffTools(server, opts.client);
  registerCostTools(server, opts.client);
  return server;
}
