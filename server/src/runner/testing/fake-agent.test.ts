/**
 * The fake agent passes the Agent contract, with the scenes scripted in its own language; its other
 * steps (errors, crashes, holds, delays, reported costs, unknown models) are checked in
 * fake-agent-steps.test.ts.
 */
import { createPricing, priceUsage } from '../../domain/pricing.js';
import { describeAgentContract, type ContractScene } from '../agent-contract.js';
import {
  bash,
  createFakeAgent,
  dynamic,
  hang,
  question,
  text,
  usage,
  write,
  type FakeStep,
} from './fake-agent.js';

const MODEL = 'claude-sonnet-4-5';
const TOKENS = { input: 100, output: 50 };
const QUESTION = 'Which color should I use?';

/** The contract's scenes, one billed message per model response. */
function scene(s: ContractScene, turn: number, prompt: string): FakeStep[] {
  const bill = usage(TOKENS);
  switch (s.kind) {
    case 'text':
      return [text('Here is my answer, streamed in pieces.', { deltas: 3 }), bill];
    case 'write':
      return [
        write(s.path, s.content),
        bill,
        dynamic((ctx) =>
          text(
            ctx.lastToolResult?.isError ? `The last step failed: ${ctx.lastToolResult.output}` : 'Wrote it.',
          ),
        ),
        bill,
      ];
    case 'question':
      return [
        question(QUESTION, ['red', 'blue'], 'Color'),
        bill,
        dynamic((ctx) => write('answer.txt', ctx.answers[QUESTION] ?? '')),
        bill,
        text('Saved your answer to answer.txt.'),
        bill,
      ];
    case 'ask':
      if (turn === 0) return [text('I can set up the formatter. Should I use tabs or spaces?'), bill];
      return [write('reply.txt', prompt), bill, text('Saved your reply to reply.txt.'), bill];
    case 'work':
      return [text('Working on it.'), bill, bash('echo tick >> ticks.txt'), bill, hang()];
  }
}

describeAgentContract({
  name: 'the fake agent',
  capabilities: { approvals: true, questions: true, planMode: true, images: true },
  async setup() {
    const agent = createFakeAgent({
      process: true,
      plan: (req, session) =>
        scene(JSON.parse(session.prompts[0]!) as ContractScene, session.prompts.length - 1, req.prompt),
    });
    return {
      agent,
      model: MODEL,
      env: {},
      prompt: (s) => JSON.stringify(s),
      responseCostUsd: priceUsage(createPricing(), MODEL, {
        inputTokens: TOKENS.input,
        outputTokens: TOKENS.output,
        cacheWrite5mTokens: 0,
        cacheWrite1hTokens: 0,
        cacheReadTokens: 0,
      }).costUsd,
      close: async () => {},
    };
  },
});
