/**
 * Scenarios with a human in the loop: a live question, a question that ends the turn, a plan to approve, and
 * a review sent back.
 */
import { stringParam } from '../shared/params.js';
import { ASK_TEXT, firstLine } from '../shared/scenarios.js';
import { askUser, callTool, finish, write } from './replies.js';
import { failure } from './scenario-text.js';
import type { Scenario } from './scenarios.js';

export const QUESTION = 'Which color should I use?';

export const humanScenarios = {
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
} satisfies Record<string, Scenario>;

/** AskUserQuestion results read `… "question"="answer" …`; fall back to the whole text. */
function extractAnswer(text: string): string {
  const quoted = `"${QUESTION}"="`;
  const at = text.indexOf(quoted);
  if (at < 0) return text;
  const rest = text.slice(at + quoted.length);
  const end = rest.indexOf('"');
  return end < 0 ? rest : rest.slice(0, end);
}
