// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthDto } from '../../../../shared/api.js';
import { HealthBanners } from './Banners.js';

afterEach(cleanup);

const health: HealthDto = {
  ok: true,
  version: '1',
  demo: false,
  credentials: true,
  models: { quick: 'm', standard: 'm', deep: 'm', planning: 'm' },
};
const missing = { available: false, reason: 'bubblewrap (bwrap) is not installed', autoAllowed: false };

describe('HealthBanners: the sandbox', () => {
  it('says agents run without one, and that auto is refused', () => {
    render(<HealthBanners health={{ ...health, sandbox: missing }} />);
    const banner = screen.getByTestId('sandbox-banner');
    expect(banner.textContent).toContain(
      'Agents run without a sandbox here: bubblewrap (bwrap) is not installed.',
    );
    expect(banner.textContent).toContain('Tasks with auto approval are refused');
  });

  it('says auto runs anyway where the admin allowed it', () => {
    render(<HealthBanners health={{ ...health, sandbox: { ...missing, autoAllowed: true } }} />);
    expect(screen.getByTestId('sandbox-banner').textContent).toContain('run anyway');
  });

  it('shows nothing where the sandbox runs, or the server does not say', () => {
    render(
      <HealthBanners health={{ ...health, sandbox: { available: true, reason: null, autoAllowed: true } }} />,
    );
    render(<HealthBanners health={health} />);
    expect(screen.queryByTestId('sandbox-banner')).toBeNull();
  });
});
