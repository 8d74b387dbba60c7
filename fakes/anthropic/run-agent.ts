/**
 * Runs the real Claude Code (through the Agent SDK) against a fake Anthropic URL, with a scratch HOME
 * and only the environment it needs. Shared by this folder's end-to-end tests and usable by other
 * tests that want a real agent run without the server around it.
 */
import {
  query,
  type CanUseTool,
  type Options,
  type SDKMessage,
  type SDKResultMessage,
} from '@anthropic-ai/claude-agent-sdk';

export interface RunAgentOptions {
  baseUrl: string;
  cwd: string;
  /** Scratch HOME for Claude Code's own files (sessions live here, so resume needs the same one). */
  home: string;
  prompt: string;
  model?: string;
  resume?: string;
  canUseTool?: CanUseTool;
  maxTurns?: number;
  /** Also yield `stream_event` messages (the raw stream deltas). */
  includePartialMessages?: boolean;
  /** Extra environment, e.g. CLAUDE_CODE_MAX_RETRIES. */
  env?: Record<string, string>;
  /** MCP servers the agent connects to (their tools are named `mcp__<server>__<tool>`). */
  mcpServers?: Options['mcpServers'];
}

export interface AgentRun {
  messages: SDKMessage[];
  result: SDKResultMessage | null;
  sessionId: string | null;
  /** What `query()` threw, if anything (it throws after an error result). */
  error: Error | null;
}

/** Approves every tool call unchanged. */
export const allowAll: CanUseTool = (_name, input) =>
  Promise.resolve({ behavior: 'allow', updatedInput: input });

/** Runs one query to its end and collects every message; never throws. */
export async function runAgent(opts: RunAgentOptions): Promise<AgentRun> {
  const messages: SDKMessage[] = [];
  let error: Error | null = null;
  try {
    const run = query({
      prompt: opts.prompt,
      options: {
        cwd: opts.cwd,
        model: opts.model ?? 'claude-sonnet-4-5',
        canUseTool: opts.canUseTool ?? allowAll,
        ...(opts.resume ? { resume: opts.resume } : {}),
        ...(opts.maxTurns ? { maxTurns: opts.maxTurns } : {}),
        ...(opts.mcpServers ? { mcpServers: opts.mcpServers } : {}),
        includePartialMessages: opts.includePartialMessages ?? false,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: opts.home,
          ANTHROPIC_BASE_URL: opts.baseUrl,
          ANTHROPIC_API_KEY: 'sk-ant-fake',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          ...opts.env,
        },
      },
    });
    for await (const message of run) messages.push(message);
  } catch (caught) {
    error = caught instanceof Error ? caught : new Error(String(caught));
  }
  const result = messages.findLast((m): m is SDKResultMessage => m.type === 'result') ?? null;
  return { messages, result, sessionId: result?.session_id ?? messages[0]?.session_id ?? null, error };
}
