// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentDto } from '../../../../shared/api.js';
import { renderWithGluon } from '../../testing/render.js';
import { AgentLacks } from './AgentLacks.js';

afterEach(cleanup);

const models = { quick: 'm', standard: 'm', deep: 'm', planning: 'm' };
const agents: AgentDto[] = [
  {
    name: 'claude',
    capabilities: { approvals: true, questions: true, planMode: true, images: true },
    lacks: [],
    models,
  },
  {
    name: 'codex',
    capabilities: { approvals: false, questions: false, planMode: false, images: true },
    lacks: ['No approvals: only --approval auto.', 'No plan mode: the planning profile cannot run on it.'],
    models,
  },
];

describe('AgentLacks', () => {
  it('lists what Codex lacks', async () => {
    renderWithGluon(<AgentLacks agent="codex" />, { agents: async () => agents });
    const note = await screen.findByTestId('agent-lacks');
    expect(note.textContent).toContain('Codex runs on its own');
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(agents[1]!.lacks);
  });

  it('shows nothing for an agent that lacks nothing', async () => {
    let asked = false;
    renderWithGluon(<AgentLacks agent="claude" />, {
      agents: async () => {
        asked = true;
        return agents;
      },
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toBe(true);
    expect(screen.queryByTestId('agent-lacks')).toBeNull();
  });
});
