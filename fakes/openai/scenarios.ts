/**
 * The scenario table: one entry per `[[scenario:NAME …]]`. Each `respond` maps the request's position
 * (step within the turn, turn since the prompt) to one streamed response. Steps past a scenario's end
 * keep answering its final text, so a retried request never breaks it. Usage is `DEFAULT_USAGE` per
 * response unless an entry says otherwise.
 */
import { intParam, optionalIntParam, requiredParam, stringParam } from '../shared/params.js';
import { ASK_TEXT, failScenario, firstLine, shellQuote, timingScenarios } from '../shared/scenarios.js';
import type { Scenario as SharedScenario, StepContext as SharedStepContext } from '../shared/script.js';
import { commandOutput, type Conversation } from './conversation.js';
import { addFilePatch, apiError, finish, shell, type Reply } from './replies.js';

export { ASK_TEXT } from '../shared/scenarios.js';

export type StepContext = SharedStepContext<Conversation>;
export type Scenario = SharedScenario<Conversation, Reply>;

const runCommand: Scenario = {
  summary: 'run cmd= with the shell, then "Ran `cmd`. Output: …"',
  respond: ({ conversation: c, params }) => {
    const cmd = requiredParam(params, 'cmd', 'shell');
    if (c.step === 0) return shell(cmd);
    return finish(failure(c) ?? `Ran \`${cmd}\`. Output:\n${commandOutput(c.toolResult)}`);
  },
};

const timing = timingScenarios(finish);

export const scenarios: Record<string, Scenario> = {
  demo: {
    summary:
      'reasoning + a preamble, shell `ls -la`, write path= (NOTES.md) with notes on the prompt, summary',
    respond: ({ conversation: c, params }) => {
      const path = stringParam(params, 'path', 'NOTES.md');
      if (c.step === 0)
        return shell('ls -la', [
          { type: 'reasoning', summary: `The user asks: ${firstLine(c.prompt)}. I will look around first.` },
          { type: 'message', text: 'Let me look at the workspace first.' },
        ]);
      if (c.step === 1) return shell(`printf '%s\\n' ${shellQuote(notes(c.prompt))} > ${shellQuote(path)}`);
      return finish(failure(c) ?? `I looked at the workspace and wrote ${path} with notes on the task.`);
    },
  },
  'write-file': {
    summary: 'write content= (hello) to path= (output.txt) with the shell, then "Wrote P."',
    respond: ({ conversation: c, params }) => {
      const path = stringParam(params, 'path', 'output.txt');
      const content = stringParam(params, 'content', 'hello');
      // Exactly the content, in a directory made if missing, as the Anthropic fake's Write does.
      const dir = path.includes('/')
        ? `mkdir -p ${shellQuote(path.slice(0, path.lastIndexOf('/')))} && `
        : '';
      if (c.step === 0) return shell(`${dir}printf '%s' ${shellQuote(content)} > ${shellQuote(path)}`);
      return finish(failure(c) ?? `Wrote ${path}.`);
    },
  },
  shell: runCommand,
  // The names fakes/anthropic uses for the same behaviour, so one prompt scripts either agent.
  bash: { ...runCommand, summary: 'the same as shell (the name fakes/anthropic uses)' },
  patch: {
    summary: 'add path= (patched.txt) with content= through apply_patch, then "Added P."',
    respond: ({ conversation: c, params }) => {
      const path = stringParam(params, 'path', 'patched.txt');
      if (c.step === 0) return addFilePatch(path, stringParam(params, 'content', 'patched'));
      return finish(failure(c) ?? `Added ${path}.`);
    },
  },
  text: {
    summary: 'answer text= at once, or spread over ms= in several deltas',
    respond: ({ params }) => ({
      ...finish(
        stringParam(params, 'text', 'Streaming this answer in pieces, so a client can watch it arrive.'),
      ),
      streamMs: optionalIntParam(params, 'ms'),
    }),
  },
  // The same as fakes/anthropic's slow.
  slow: timing.slow,
  think: {
    summary: 'a reasoning summary, then a text answer',
    respond: ({ conversation: c }) =>
      finish('Here is my answer after thinking it through.', [
        { type: 'reasoning', summary: `Thinking about: ${firstLine(c.prompt)}` },
      ]),
  },
  images: {
    summary: 'write images.txt saying how many images came with the prompt, then finish',
    respond: ({ conversation: c }) => {
      if (c.step === 0) return shell(`printf '%s\\n' '${c.images} image(s)' > images.txt`);
      return finish(failure(c) ?? `I was shown ${c.images} image(s).`);
    },
  },
  ask: {
    summary: 'end the turn with a question; on resume write reply.txt with the reply',
    respond: ({ conversation: c }) => {
      if (c.turn === 0) return finish(ASK_TEXT);
      if (c.step === 0) return shell(`printf '%s' ${shellQuote(c.humanText)} > reply.txt`);
      return finish(failure(c) ?? 'Saved your reply to reply.txt.');
    },
  },
  'slow-shell': {
    summary: 'a preamble, then `sleep secs=` (2) in the shell, then a summary',
    respond: ({ conversation: c, params }) => {
      const secs = intParam(params, 'secs', 2);
      if (c.step === 0)
        return shell(`sleep ${secs} && echo slept`, [
          { type: 'message', text: `Starting a command that takes ${secs} s.` },
        ]);
      return finish(failure(c) ?? `The slow command finished: ${commandOutput(c.toolResult)}`);
    },
  },
  'loop-forever': {
    summary: 'shell `echo tick >> ticks.txt` forever, 20,000 in + 2,000 out tokens per response, delay= ms',
    respond: ({ params }) => ({
      ...shell('echo tick >> ticks.txt'),
      usage: { input: 20_000, cached: 0, output: 2_000, reasoning: 0 },
      delayMs: intParam(params, 'delay', 100),
    }),
  },
  silent: timing.silent,
  hang: {
    summary: 'response.created, then nothing: the stream stays open until the client goes away',
    respond: () => ({ kind: 'hang' }),
  },
  fail: failScenario<Reply>(
    'HTTP error status= (500) with message=, code=, type=; 429 carries rate-limit headers and retry_after= s; times=K fails only K attempts',
    finish,
    (status, message, params) => {
      const retryAfter = optionalIntParam(params, 'retry_after');
      return apiError(status, message, {
        ...(params.code !== undefined && { code: params.code }),
        ...(params.type !== undefined && { type: params.type }),
        ...(status === 429 && { retryAfterSeconds: retryAfter ?? 1 }),
      });
    },
  ),
  'stream-fail': {
    summary: 'a 200 stream that ends in response.failed with code= (server_error) and message=',
    respond: ({ params }) => ({
      kind: 'stream_failure',
      code: stringParam(params, 'code', 'server_error'),
      message: stringParam(params, 'message', 'The model failed while generating a response.'),
    }),
  },
};

/** The text a final step reports when the last command failed, else null. */
function failure(c: Conversation): string | null {
  return c.toolResult?.isError ? `The last step failed: ${commandOutput(c.toolResult)}` : null;
}

function notes(prompt: string): string {
  return `# Notes\n\n## Task\n\n${prompt || '(no prompt)'}\n`;
}
