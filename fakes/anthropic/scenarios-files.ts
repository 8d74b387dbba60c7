/**
 * Scenarios of an agent at work on files and tools: the demo, writing files, steps, Bash, any tool, the
 * images sent with the prompt, a dangerous command.
 */
import { isAbsolute, join } from 'node:path';
import { ParamError, intParam, jsonObjectParam, requiredParam, stringParam } from '../shared/params.js';
import { firstLine, shellQuote } from '../shared/scenarios.js';
import { bash, callTool, finish, write } from './replies.js';
import { failure } from './scenario-text.js';
import type { Scenario } from './scenarios.js';

export const fileScenarios = {
  demo: {
    summary: 'think, Bash ls, Write NOTES.md (path=) from the prompt, Bash cat it, summarize',
    respond: ({ conversation: c, params }) => {
      const path = stringParam(params, 'path', 'NOTES.md');
      if (c.step === 0) {
        return bash('ls -la', 'List the files in the workspace', [
          {
            type: 'thinking',
            thinking: `The user asks: ${firstLine(c.prompt)}. I will look around, then write notes.`,
          },
          { type: 'text', text: 'Let me look at the workspace first.' },
        ]);
      }
      if (c.step === 1)
        return write(path, notes(c.prompt), c.cwd, [{ type: 'text', text: `Now I will write ${path}.` }]);
      if (c.step === 2) return bash(`cat ${shellQuote(path)}`, `Show ${path}`);
      return finish(
        failure(c) ?? `I looked at the workspace, wrote ${path} with notes on the task and checked it.`,
      );
    },
  },
  'write-file': {
    summary: 'Write content= to path=, then "Wrote P."',
    respond: ({ conversation: c, params }) => {
      const path = stringParam(params, 'path', 'output.txt');
      if (c.step === 0) return write(path, stringParam(params, 'content', 'hello\n'), c.cwd);
      return finish(failure(c) ?? `Wrote ${path}.`);
    },
  },
  steps: {
    summary: 'Write step-1.txt … step-N.txt (n=3), one per response, each delay= ms (500) apart, then finish',
    respond: ({ conversation: c, params }) => {
      const n = intParam(params, 'n', 3);
      if (c.step >= n) return finish(failure(c) ?? `Wrote ${n} steps.`);
      const file = `step-${c.step + 1}.txt`;
      return { ...write(file, `step ${c.step + 1}\n`, c.cwd), delayMs: intParam(params, 'delay', 500) };
    },
  },
  bash: {
    summary: 'run cmd= with Bash, then summarize its output',
    respond: ({ conversation: c, params }) => {
      const cmd = requiredParam(params, 'cmd', 'bash');
      if (c.step === 0) return bash(cmd, 'Run the requested command');
      return finish(failure(c) ?? `Ran \`${cmd}\`. Output:\n${c.toolResult?.text ?? ''}`);
    },
  },
  'call-tool': {
    summary:
      'call the tool name= (any tool, e.g. an MCP one: mcp__server__tool) with the JSON object input=, then report its result',
    respond: ({ conversation: c, params }) => {
      const name = requiredParam(params, 'name', 'call-tool');
      if (c.step === 0) return callTool(name, jsonObjectParam(params, 'input', 'call-tool'));
      const outcome = c.toolResult?.isError ? 'failed' : 'answered';
      return finish(`${name} ${outcome}: ${c.toolResult?.text ?? '(no result)'}`);
    },
  },
  'echo-prompt': {
    // Claude Code's Write strips trailing spaces on each line except in Markdown files, hence `.md`.
    summary: 'Write the prompt (minus the directive, trimmed) verbatim to path= (prompt.md)',
    respond: ({ conversation: c, params }) => {
      const path = stringParam(params, 'path', 'prompt.md');
      if (c.step === 0) return write(path, c.prompt, c.cwd);
      return finish(failure(c) ?? `Wrote ${path}.`);
    },
  },
  'describe-images': {
    summary: 'Write images.txt listing the media types of the images sent with the prompt, then finish',
    respond: ({ conversation: c }) => {
      if (c.step === 0)
        return write('images.txt', `${c.images.length} image(s): ${c.images.join(', ')}\n`, c.cwd);
      return finish(failure(c) ?? `I was shown ${c.images.length} image(s).`);
    },
  },
  tool: {
    summary:
      'call tool name= with input= (a JSON object; a relative file_path is made absolute), then report the result',
    respond: ({ conversation: c, params }) => {
      const name = requiredParam(params, 'name', 'tool');
      if (c.step === 0) return callTool(name, toolInput(stringParam(params, 'input', '{}'), c.cwd));
      const result = c.toolResult;
      return finish(`${name} ${result?.isError ? 'failed' : 'returned'}: ${result?.text ?? ''}`);
    },
  },
  danger: {
    summary: 'Bash `rm -rf build`, then report whether it ran',
    respond: ({ conversation: c }) => {
      if (c.step === 0) return bash('rm -rf build', 'Remove the build directory');
      return finish(failure(c) ?? 'Removed the build directory.');
    },
  },
} satisfies Record<string, Scenario>;

/** A scenario's JSON tool input; `file_path` relative to the agent's cwd is made absolute (tools want that). */
function toolInput(json: string, cwd: string | null): Record<string, unknown> {
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch {
    throw new ParamError('input must be a JSON object');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new ParamError('input must be a JSON object');
  const fields = input as Record<string, unknown>;
  const file = fields.file_path;
  if (typeof file === 'string' && cwd && !isAbsolute(file)) fields.file_path = join(cwd, file);
  return fields;
}

function notes(prompt: string): string {
  return `# Notes\n\n## Task\n\n${prompt || '(no prompt)'}\n\n## Done\n\n- Listed the workspace.\n- Wrote these notes.\n`;
}
