/**
 * Banners across the top: offline (it reconnects by itself), demo mode, missing Claude credentials
 * on a first run (with how to fix it), and agents that run without their OS sandbox.
 */
import { useOnline } from '../../hooks/useOnline.js';
import type { HealthDto } from '../../../../shared/api.js';

export function OfflineBanner() {
  const { online, browserOnline } = useOnline();
  if (online) return null;
  return (
    <div className="banner banner-offline" role="status" data-testid="offline-banner">
      {browserOnline
        ? 'Connection to the Gluon server lost — reconnecting…'
        : 'You are offline — Gluon will reconnect by itself.'}
    </div>
  );
}

export function HealthBanners({ health }: { health: HealthDto | null }) {
  if (!health) return null;
  return (
    <>
      {health.demo ? (
        <div className="banner banner-demo" role="note" data-testid="demo-banner">
          <strong>DEMO</strong> — a sample repository and a scripted test model stand in for Claude's API.
          Nothing you do here costs money or leaves this machine.
        </div>
      ) : null}
      {!health.credentials && !health.demo ? (
        <div className="banner banner-warn" role="alert" data-testid="credentials-banner">
          <strong>No Claude credentials found.</strong> Agents cannot run until the server has one: set{' '}
          <code>ANTHROPIC_API_KEY</code> (or <code>CLAUDE_CODE_OAUTH_TOKEN</code>) in the environment of{' '}
          <code>gluon serve</code>, or run <code>claude</code> once and log in, then restart the server. To
          look around without an account, run <code>gluon demo</code>.
        </div>
      ) : null}
      {health.sandbox && !health.sandbox.available ? (
        <div className="banner banner-warn" role="alert" data-testid="sandbox-banner">
          <strong>Agents run without a sandbox here:</strong> {health.sandbox.reason}.{' '}
          {health.sandbox.autoAllowed
            ? 'Tasks with auto approval run anyway (sandbox.allowUnsandboxedAuto).'
            : 'Tasks with auto approval are refused; use careful or strict, or install bubblewrap and socat.'}
        </div>
      ) : null}
    </>
  );
}
