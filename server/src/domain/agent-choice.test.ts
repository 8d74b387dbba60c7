import { describe, expect, it } from 'vitest';
import type { AgentCapabilities, AgentName } from '../../../shared/api.js';
import { chooseAgent, describeLacks, type AgentChoiceInput } from './agent-choice.js';

const FULL: AgentCapabilities = { approvals: true, questions: true, planMode: true, images: true };
const CODEX: AgentCapabilities = { approvals: false, questions: false, planMode: false, images: true };

const settings = {
  agentForProfile: { quick: 'codex', standard: 'claude', deep: 'claude', planning: 'claude' } as const,
  capabilitiesOf: (agent: AgentName) => (agent === 'codex' ? CODEX : FULL),
};

const base: AgentChoiceInput = { profile: 'standard', approval: 'auto', images: 0 };

describe('chooseAgent', () => {
  const rows: [what: string, input: Partial<AgentChoiceInput>, expected: AgentName | RegExp][] = [
    ['the profile decides without --agent', {}, 'claude'],
    ['a profile configured for codex', { profile: 'quick' }, 'codex'],
    ['--agent wins over the profile', { requested: 'codex' }, 'codex'],
    ['--agent claude on a codex profile', { requested: 'claude', profile: 'quick' }, 'claude'],
    ['auto approval on codex', { requested: 'codex', approval: 'auto' }, 'codex'],
    ['images on codex', { requested: 'codex', images: 2 }, 'codex'],
    ['careful on codex', { requested: 'codex', approval: 'careful' }, /cannot wait for approval.*careful/],
    [
      'strict on a codex profile',
      { profile: 'quick', approval: 'strict' },
      /quick profile's agent \(codex\)/,
    ],
    ['planning on codex', { requested: 'codex', profile: 'planning' }, /no plan mode/],
    ['careful on claude', { approval: 'careful' }, 'claude'],
    ['planning on claude', { profile: 'planning' }, 'claude'],
  ];
  it.each(rows)('%s', (_what, input, expected) => {
    const choice = chooseAgent({ ...base, ...input }, settings);
    if (typeof expected === 'string') return expect(choice).toEqual({ ok: true, agent: expected });
    expect(choice.ok).toBe(false);
    expect(!choice.ok && choice.message).toMatch(expected);
    expect(!choice.ok && choice.message).toMatch(/--agent claude/);
  });

  it('refuses images for an agent that takes none', () => {
    const blind = { ...settings, capabilitiesOf: () => ({ ...FULL, images: false }) };
    expect(chooseAgent({ ...base, images: 1 }, blind)).toMatchObject({ ok: false });
  });
});

describe('describeLacks', () => {
  it('says nothing for a complete agent and one sentence per missing capability', () => {
    expect(describeLacks(FULL)).toEqual([]);
    const lacks = describeLacks(CODEX);
    expect(lacks).toHaveLength(3);
    expect(lacks.join(' ')).toMatch(/approvals.*questions.*plan mode/i);
  });
});
