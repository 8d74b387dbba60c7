/**
 * The scenario table: one entry per `[[scenario:NAME …]]`. Each `respond` maps the request's
 * position (step within the turn, turn since the prompt) to one streamed assistant response.
 * Steps past a scenario's end keep answering its final text, so a retried request never breaks it.
 * Usage is `DEFAULT_USAGE` (100 in / 50 out) per response unless an entry says otherwise.
 */
import { isAbsolute, join } from 'node:path';
import type { Params } from './directive.js';
import type { Conversation } from './conversation.js';
import {
  ParamError,
  boolParam,
  intParam,
  jsonObjectParam,
  optionalIntParam,
  requiredParam,
  stringParam,
} from './params.js';
import { apiError, askUser, bash, callTool, finish, shellQuote, write, type Reply } from './replies.js';
import { hostileScenarios } from './scenarios-hostile.js';

export interface StepContext {
  conversation: Conversation;
  params: Params;
  /** Identical requests (same session, same position) this server answered before: a retry counter. */
  attempt: number;
}

export interface Scenario {
  summary: string;
  respond(ctx: StepContext): Reply;
}

export const QUESTION = 'Which color should I use?';
export const ASK_TEXT = 'I can set up the formatter for you. Should I use tabs or spaces?';

export const scenarios: Record<string, Scenario> = {
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
  question: {
    summary: 'AskUserQuestion (red/blue), then Write answer.txt from the tool result or the resume text',
    respond: ({ conversation: c }) => {
      if (c.turn > 0)
        return c.step === 0
          ? write('answer.txt', c.humanText, c.cwd)
          : finish('Saved your answer to answer.txt.');
      if (c.step === 0) return askUser(QUESTION, 'Color', ['red', 'blue']);
      if (c.step === 1) {
        const answer = c.toolResult && !c.toolResult.isError ? extractAnswer(c.toolResult.text) : null;
        return answer === null
          ? finish(`I need an answer before I continue: ${QUESTION}`)
          : write('answer.txt', answer, c.cwd);
      }
      return finish(failure(c) ?? 'Saved your answer to answer.txt.');
    },
  },
  ask: {
    summary: 'end the turn with a question; on resume Write reply.txt with the reply',
    respond: ({ conversation: c }) => {
      if (c.turn === 0) return finish(ASK_TEXT);
      return c.step === 0
        ? write('reply.txt', c.humanText, c.cwd)
        : finish(failure(c) ?? 'Saved your reply to reply.txt.');
    },
  },
  'loop-forever': {
    summary:
      'Bash `echo tick >> ticks.txt` forever, 20,000 in + 2,000 out tokens per response, delay= ms (100)',
    respond: ({ params }) => ({
      ...bash('echo tick >> ticks.txt', 'Record a tick'),
      usage: { input: 20_000, output: 2_000, cacheRead: 0, cacheWrite: 0 },
      delayMs: intParam(params, 'delay', 100),
    }),
  },
  plan: {
    summary:
      'plan mode: present a plan with ExitPlanMode; once resumed (approved), Write done.txt and finish',
    respond: ({ conversation: c }) => {
      if (c.turn === 0) {
        if (c.step === 0)
          return callTool('ExitPlanMode', {
            plan: '## Plan\n\nStep 1: read the code.\nStep 2: refactor it.\nStep 3: run the tests.',
          });
        return finish(failure(c) ?? 'Waiting for the plan to be reviewed.');
      }
      if (c.step === 0) return write('done.txt', `executed after: ${firstLine(c.humanText)}\n`, c.cwd);
      return finish(failure(c) ?? 'Carried out the plan.');
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
  silent: {
    summary: 'say nothing for ms= (5000), as a stuck model would, then answer',
    respond: ({ params }) => ({
      ...finish('Sorry, that took a while.'),
      delayMs: intParam(params, 'ms', 5000),
    }),
  },
  slow: {
    summary: 'stream a text answer in several deltas spread over ms= (2000)',
    respond: ({ params }) => ({
      ...finish('Streaming this answer slowly, one piece at a time, so a client can watch it arrive live.'),
      streamMs: intParam(params, 'ms', 2000),
    }),
  },
  fail: {
    summary:
      'HTTP error status= (500); times=K fails only K attempts; retry=false sends x-should-retry: false',
    respond: ({ params, attempt }) => {
      const status = intParam(params, 'status', 500);
      if (status < 400 || status > 599) throw new ParamError(`status must be 400-599, got ${status}`);
      const times = optionalIntParam(params, 'times');
      if (times !== undefined && attempt >= times)
        return finish(`Recovered after ${times} failed attempt(s).`);
      const message = stringParam(params, 'message', `Scripted failure with status ${status}`);
      return apiError(
        status,
        message,
        params.retry === undefined ? undefined : boolParam(params, 'retry', true),
      );
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
  ralph: {
    summary:
      'a Ralph loop iteration: reads "iteration N" from the prompt; write=false changes nothing, commit=true commits itself; status block with EXIT_SIGNAL true from done=N on',
    respond: ({ conversation: c, params }) => {
      const iteration = Number(/iteration (\d+) of/.exec(c.prompt)?.[1] ?? '1');
      const doneAt = optionalIntParam(params, 'done');
      const exit = doneAt !== undefined && iteration >= doneAt;
      const writes = boolParam(params, 'write', true);
      const commits = boolParam(params, 'commit', false);
      if (c.step === 0 && commits) {
        return bash(
          `echo ${iteration} >> log.txt && git add -A && git commit -q -m "iteration ${iteration}"`,
          'Record and commit',
        );
      }
      if (c.step === 0 && writes)
        return write(`progress-${iteration}.txt`, `iteration ${iteration}\n`, c.cwd);
      const block = statusBlock(
        { ...params, exit: String(exit), tests: exit ? 'PASSING' : 'NOT_RUN' },
        writes || commits ? 1 : 0,
      );
      return finish(`Iteration ${iteration}. ${block}`);
    },
  },
  'status-block': {
    summary: 'optional Write of write=P, then a text ending in a status block (exit=, status=, tests=)',
    respond: ({ conversation: c, params }) => {
      const path = params.write;
      if (path && c.step === 0) return write(path, `Progress on: ${firstLine(c.prompt)}\n`, c.cwd);
      return finish(statusBlock(params, path ? 1 : 0));
    },
  },
  reviewed: {
    summary:
      'Write content= to path= (calc.js); on each resume (a review), Write the resume text to review-feedback.md, then Write fix= (when given) to path=',
    respond: ({ conversation: c, params }) => {
      const path = stringParam(params, 'path', 'calc.js');
      if (c.turn === 0)
        return c.step === 0
          ? write(path, stringParam(params, 'content', 'hello\n'), c.cwd)
          : finish(failure(c) ?? `Wrote ${path}.`);
      const fix = params.fix;
      if (c.step === 0) return write('review-feedback.md', c.humanText, c.cwd);
      if (c.step === 1 && fix !== undefined) return write(path, String(fix), c.cwd);
      return finish(failure(c) ?? 'Addressed the review: 1. done.');
    },
  },
  ...hostileScenarios,
};

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

/** The text a final step reports when the last tool call failed, else null. */
function failure(c: Conversation): string | null {
  return c.toolResult?.isError ? `The last step failed: ${c.toolResult.text}` : null;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 200) || '(no prompt)';
}

function notes(prompt: string): string {
  return `# Notes\n\n## Task\n\n${prompt || '(no prompt)'}\n\n## Done\n\n- Listed the workspace.\n- Wrote these notes.\n`;
}

/** AskUserQuestion results read `… "question"="answer" …`; fall back to the whole text. */
function extractAnswer(text: string): string {
  const quoted = `"${QUESTION}"="`;
  const at = text.indexOf(quoted);
  if (at < 0) return text;
  const rest = text.slice(at + quoted.length);
  const end = rest.indexOf('"');
  return end < 0 ? rest : rest.slice(0, end);
}

function statusBlock(params: Params, filesModified: number): string {
  const exit = boolParam(params, 'exit', false);
  return [
    exit ? 'All the work is done.' : 'Made progress; more work remains.',
    '',
    '---GLUON_STATUS---',
    `STATUS: ${stringParam(params, 'status', exit ? 'COMPLETE' : 'IN_PROGRESS')}`,
    `FILES_MODIFIED: ${filesModified}`,
    `TESTS_STATUS: ${stringParam(params, 'tests', 'NOT_RUN')}`,
    `EXIT_SIGNAL: ${exit}`,
    `RECOMMENDATION: ${stringParam(params, 'recommendation', exit ? 'Nothing left to do.' : 'Continue with the next task.')}`,
    '---END_GLUON_STATUS---',
  ].join('\n');
}
