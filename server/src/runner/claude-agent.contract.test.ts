/**
 * Claude Code passes the Agent contract for real: the binary the Agent SDK ships, through our adapter,
 * against the scripted fake Anthropic API (fakes/anthropic), with a scratch HOME and no network. Each
 * scene is one of the fake's scenarios, chosen by a directive in the prompt.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_USAGE, startFakeAnthropic } from '../../../fakes/anthropic/index.js';
import { createPricing, priceUsage } from '../domain/pricing.js';
import { describeAgentContract, type ContractScene } from './agent-contract.js';
import { createClaudeAgent } from './claude-agent.js';

const MODEL = 'claude-sonnet-4-5';

function directive(scene: ContractScene): string {
  switch (scene.kind) {
    case 'text':
      return '[[scenario:slow ms=200]]';
    case 'write':
      return `[[scenario:write-file path=${scene.path} content=${JSON.stringify(scene.content)}]]`;
    case 'question':
      return '[[scenario:question]]';
    case 'ask':
      return '[[scenario:ask]]';
    case 'work':
      return '[[scenario:loop-forever delay=100]]';
  }
}

describeAgentContract({
  name: 'Claude Code through the Agent SDK',
  capabilities: { approvals: true, questions: true, planMode: true, images: true },
  async setup() {
    const fake = await startFakeAnthropic();
    const home = await mkdtemp(join(tmpdir(), 'gluon-claude-contract-home-'));
    return {
      agent: createClaudeAgent({ killAfterMs: { term: 2000, kill: 4000 } }),
      model: MODEL,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        LANG: 'C.UTF-8',
        ANTHROPIC_BASE_URL: fake.url,
        ANTHROPIC_API_KEY: 'sk-ant-fake-contract',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
      },
      prompt: directive,
      responseCostUsd: priceUsage(createPricing(), MODEL, {
        inputTokens: DEFAULT_USAGE.input,
        outputTokens: DEFAULT_USAGE.output,
        cacheWrite5mTokens: DEFAULT_USAGE.cacheWrite,
        cacheWrite1hTokens: 0,
        cacheReadTokens: DEFAULT_USAGE.cacheRead,
      }).costUsd,
      async close() {
        await fake.close();
        await rm(home, { recursive: true, force: true });
      },
    };
  },
});
