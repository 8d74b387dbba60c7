/**
 * Turns the JSONL events of `codex exec --json` into Gluon events, in Gluon's tool vocabulary so that every
 * surface (filters, summaries, loop detection, the Loop tab's checklist) reads a Codex run like any other:
 * a command is `Bash {command}`, a patch `Edit {file_path, changes}`, the to-do list `TodoWrite {todos}`,
 * a web search `WebSearch {query}`, an MCP tool `mcp__<server>__<tool>`. Codex prints whole items only,
 * so text and reasoning arrive complete (`agent.text`, `agent.thinking`), not as deltas.
 */
import type { NewEvent } from '../../../shared/events.js';
import { codexUsageFrom, type CodexUsage } from '../domain/openai-pricing.js';
import type { UnreportedCommand } from './codex-commands.js';

const MAX_TOOL_OUTPUT = 64 * 1024;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `/bin/bash -lc '<script>'` → `<script>`: the command as the model wrote it. */
export function unwrapShell(command: string): string {
  const match = /^(?:\S*\/)?(?:bash|sh|zsh) -l?c (['"])([\s\S]*)\1$/.exec(command);
  if (!match) return command;
  const body = match[2] ?? '';
  return match[1] === "'" ? body.replaceAll(`'\\''`, "'") : body.replace(/\\(["\\$`])/g, '$1');
}

function clip(text: string): { output: string; truncated?: true } {
  return text.length <= MAX_TOOL_OUTPUT
    ? { output: text }
    : { output: text.slice(0, MAX_TOOL_OUTPUT), truncated: true };
}

export class CodexEventMapper {
  threadId: string | null = null;
  /** The agent's last message: its summary or its question. */
  lastText: string | null = null;
  /** The thread's running token total from the last `turn.completed`. */
  usage: CodexUsage | null = null;
  /** Why the turn failed (`turn.failed`), if it did. */
  failure: string | null = null;
  /** Commands the sandbox or a policy refused. */
  declined = 0;
  /** Errors announced but not yet known to be fatal: a `turn.failed` with the same text makes them so. */
  private pendingErrors: string[] = [];
  private called = new Set<string>();
  private todoUpdates = 0;

  /** Events for one JSONL line (already parsed). */
  map(event: unknown): NewEvent[] {
    if (!isObj(event)) return [];
    if (event.type === 'error') {
      this.pendingErrors.push(str(event.message));
      return [];
    }
    if (event.type === 'turn.failed') {
      this.failure = str(isObj(event.error) ? event.error.message : '') || 'the turn failed';
      this.pendingErrors = this.pendingErrors.filter((m) => m !== this.failure);
    }
    const out = this.flushErrors();
    switch (event.type) {
      case 'thread.started':
        this.threadId = str(event.thread_id) || null;
        return out;
      case 'turn.completed':
        this.usage = codexUsageFrom(event.usage) ?? this.usage;
        return out;
      case 'request_user_input':
        return [...out, notice('asked for input mid-run, which codex exec cannot give; it goes on without')];
      case 'item.started':
      case 'item.updated':
      case 'item.completed':
        return isObj(event.item) ? [...out, ...this.mapItem(event.type, event.item)] : out;
      default:
        return out;
    }
  }

  /** The last error announced without a failed turn after it (a crash's last words), and forgets them all. */
  takePendingError(): string | null {
    const last = this.pendingErrors.filter(Boolean).at(-1) ?? null;
    this.pendingErrors = [];
    return last;
  }

  /** Errors still pending when the stream ends: transient ones (a retry) or the last words of a crash. */
  flushErrors(): NewEvent[] {
    const out = this.pendingErrors.filter(Boolean).map((m) => notice(m));
    this.pendingErrors = [];
    return out;
  }

  private mapItem(phase: string, item: Obj): NewEvent[] {
    const id = str(item.id);
    const done = phase === 'item.completed';
    switch (item.type) {
      case 'agent_message':
      case 'plan': {
        const text = str(item.text);
        if (!done || !text.trim()) return [];
        this.lastText = text;
        return [{ type: 'agent.text', data: { messageId: id, text, subagent: null } }];
      }
      case 'reasoning':
        return done && str(item.text)
          ? [{ type: 'agent.thinking', data: { messageId: id, text: str(item.text), subagent: null } }]
          : [];
      case 'command_execution':
        return this.mapCommand(id, item, done);
      case 'file_change':
        return this.mapFileChange(id, item, done);
      case 'mcp_tool_call':
        return this.mapTool(
          id,
          done,
          `mcp__${str(item.server)}__${str(item.tool)}`,
          item.arguments ?? {},
          () => {
            const error = isObj(item.error) ? str(item.error.message) : '';
            const content =
              isObj(item.result) && Array.isArray(item.result.content) ? item.result.content : [];
            const text = content.map((c) =>
              isObj(c) && c.type === 'text' ? str(c.text) : `[${String(isObj(c) ? c.type : c)}]`,
            );
            return { text: error || text.join('\n'), isError: item.status === 'failed' || !!error };
          },
        );
      case 'web_search':
        return this.mapTool(id, done, 'WebSearch', { query: str(item.query) }, () => ({
          text: 'searched',
          isError: false,
        }));
      case 'collab_tool_call':
        return this.mapTool(
          id,
          done,
          'Task',
          { description: str(item.prompt) || str(item.tool), tool: item.tool },
          () => ({
            text: str(item.status),
            isError: item.status === 'failed',
          }),
        );
      case 'todo_list':
        return this.mapTodos(id, item);
      case 'error':
        return done && str(item.message) ? [notice(str(item.message))] : [];
      default:
        return [];
    }
  }

  /** A command Codex ran without reporting it (see codex-commands.ts), as a call and its result. */
  mapUnreported(c: UnreportedCommand): NewEvent[] {
    return this.mapTool(c.callId, true, 'Bash', { command: c.command }, () => ({
      text: c.output,
      isError: c.exitCode !== 0,
    }));
  }

  private mapCommand(id: string, item: Obj, done: boolean): NewEvent[] {
    if (done && item.status === 'declined') this.declined += 1;
    return this.mapTool(id, done, 'Bash', { command: unwrapShell(str(item.command)) }, () => {
      const exit = typeof item.exit_code === 'number' ? item.exit_code : null;
      const text = str(item.aggregated_output) || (item.status === 'declined' ? 'declined' : '');
      return { text, isError: item.status !== 'completed' || (exit !== null && exit !== 0) };
    });
  }

  private mapFileChange(id: string, item: Obj, done: boolean): NewEvent[] {
    const changes = (Array.isArray(item.changes) ? item.changes : [])
      .filter(isObj)
      .map((c) => ({ path: str(c.path), kind: str(c.kind) }));
    const input = { file_path: changes[0]?.path ?? '', changes };
    return this.mapTool(id, done, 'Edit', input, () => ({
      text: changes.map((c) => `${c.kind} ${c.path}`).join('\n'),
      isError: item.status === 'failed',
    }));
  }

  /** A tool call once (when it starts, or when it completes unannounced), and its result when it completes. */
  private mapTool(
    id: string,
    done: boolean,
    name: string,
    input: unknown,
    result: () => { text: string; isError: boolean },
  ): NewEvent[] {
    const out: NewEvent[] = [];
    if (!this.called.has(id)) {
      this.called.add(id);
      out.push({ type: 'tool.called', data: { toolUseId: id, name, input, subagent: null } });
    }
    if (done) {
      const r = result();
      out.push({ type: 'tool.result', data: { toolUseId: id, isError: r.isError, ...clip(r.text) } });
    }
    return out;
  }

  /** Each version of the to-do list is one `TodoWrite` call with its result, as Claude Code reports it. */
  private mapTodos(id: string, item: Obj): NewEvent[] {
    const todos = (Array.isArray(item.items) ? item.items : []).filter(isObj).map((t) => ({
      content: str(t.text),
      status: t.completed === true ? 'completed' : 'pending',
    }));
    const toolUseId = `${id}#${++this.todoUpdates}`;
    return [
      { type: 'tool.called', data: { toolUseId, name: 'TodoWrite', input: { todos }, subagent: null } },
      {
        type: 'tool.result',
        data: {
          toolUseId,
          output: `${todos.filter((t) => t.status === 'completed').length}/${todos.length} done`,
          isError: false,
        },
      },
    ];
  }
}

function notice(message: string): NewEvent {
  return { type: 'notice', data: { message: `codex: ${message}` } };
}
