/**
 * Codex passes the Agent contract for real: the native binary from `@openai/codex`, through our adapter,
 * against the scripted fake of the OpenAI Responses API (fakes/openai), in a private CODEX_HOME. Codex exec
 * takes no approvals and asks no mid-run questions (its capabilities say so): those checks do not apply.
 */
import { DEFAULT_USAGE } from '../../../fakes/openai/index.js';
import { costOfOpenAi, createOpenAiPricing, findOpenAiPrice } from '../domain/openai-pricing.js';
import { describeAgentContract, type ContractScene } from './agent-contract.js';
import { CODEX_TEST_MODEL, codexScript, startCodexHarness } from './testing/codex-harness.js';

function prompt(scene: ContractScene): string {
  switch (scene.kind) {
    case 'text':
      return codexScript.text('A contract answer.');
    case 'write':
      return codexScript.writeFile(scene.path, scene.content);
    case 'question':
      throw new Error('Codex asks no mid-run questions');
    case 'ask':
      return '[[scenario:ask]] Set up the formatter.';
    case 'work':
      return codexScript.loopForever();
  }
}

const price = findOpenAiPrice(createOpenAiPricing(), CODEX_TEST_MODEL)!;

describeAgentContract({
  name: 'Codex CLI (exec --json)',
  capabilities: { approvals: false, questions: false, planMode: false, images: true },
  async setup() {
    const h = await startCodexHarness();
    const sample = h.request('', '');
    return {
      agent: h.agent,
      model: CODEX_TEST_MODEL,
      env: sample.env,
      prompt,
      writeTool: 'Bash',
      responseCostUsd: costOfOpenAi(price, {
        inputTokens: DEFAULT_USAGE.input,
        cachedInputTokens: DEFAULT_USAGE.cached,
        outputTokens: DEFAULT_USAGE.output,
        reasoningOutputTokens: DEFAULT_USAGE.reasoning,
      }),
      close: () => h.close(),
    };
  },
});
