// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectDto } from '../../../../shared/api.js';
import { ProjectTrust } from './ProjectField.js';

afterEach(cleanup);

const project: ProjectDto = {
  id: 'p1',
  name: 'demo',
  workspace: 'default',
  path: '/home/me/demo',
  defaultBranch: 'main',
  remote: null,
  github: null,
  maxCostPerDayUsd: null,
  maxCostPerMonthUsd: null,
  trustRepoSettings: false,
  issueLabel: null,
  prAutofix: false,
  prAutofixCapUsd: 5,
  createdAt: '2025-01-01T00:00:00.000Z',
};

describe('the chosen project’s information in the task dialog', () => {
  it('says the repository’s own settings are not loaded, by default', () => {
    render(<ProjectTrust project={project} />);
    const line = screen.getByTestId('project-trust');
    expect(line.textContent).toContain('/home/me/demo');
    expect(line.textContent).toContain('settings are not loaded');
    expect(line.querySelector('.warn-text')).toBeNull();
  });

  it('warns when the project trusts them', () => {
    render(<ProjectTrust project={{ ...project, trustRepoSettings: true }} />);
    const warning = screen.getByTestId('project-trust').querySelector('.warn-text');
    expect(warning?.textContent).toContain('its hooks run here');
  });
});
