/**
 * The login page: a user name and password (once the server has users), single sign-on (when an OpenID
 * Connect provider is configured), or the server's token, entered once and kept in this browser. The
 * token is in `$GLUON_HOME/token`, and in the link `gluon serve` prints.
 */
import { useEffect, useState } from 'react';
import type { AuthConfigDto } from '../../../shared/team.js';
import { createClient } from '../../../shared/client.js';
import { createWebApi } from '../api/http.js';
import { sessionCredential } from '../api/session.js';
import { isTokenShaped } from '../api/token.js';

const anonymous = () =>
  createClient({ baseUrl: window.location.origin, headers: () => ({ 'x-gluon-surface': 'web' }) });

function PasswordForm({ onSession }: { onSession: (credential: string) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      const me = await anonymous().login(name.trim(), password);
      onSession(sessionCredential(me.csrf ?? ''));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="login"
      data-testid="password-login"
      onSubmit={(e) => {
        e.preventDefault();
        submit().catch((err: unknown) => setError((err as Error).message));
      }}
    >
      <input
        aria-label="User name"
        placeholder="User name"
        autoComplete="username"
        value={name}
        onChange={(e) => setName(e.target.value)}
        autoFocus
      />
      <input
        type="password"
        aria-label="Password"
        placeholder="Password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy || !name || !password}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

export function LoginPage({ onToken, reason }: { onToken: (token: string) => void; reason?: string }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(reason ?? null);
  const [busy, setBusy] = useState(false);
  const [auth, setAuth] = useState<AuthConfigDto | null>(null);
  useEffect(() => {
    anonymous()
      .authConfig()
      .then(setAuth)
      .catch(() => setAuth(null));
  }, []);
  const submit = async () => {
    const value = token.trim();
    if (!isTokenShaped(value)) return setError('That does not look like a Gluon token.');
    setBusy(true);
    try {
      await createWebApi(value).health();
      onToken(value);
    } finally {
      setBusy(false);
    }
  };
  const showFailure = (err: unknown) =>
    setError(
      (err as { status?: number }).status === 401
        ? 'The server does not accept this token.'
        : (err as Error).message,
    );
  return (
    <main className="page page-login">
      <h1>Gluon</h1>
      {auth?.password ? <PasswordForm onSession={onToken} /> : null}
      {auth?.oidc ? (
        <p>
          <a className="btn" href="/api/auth/oidc/start" data-testid="oidc-login">
            Sign in with {auth.oidc.name}
          </a>
        </p>
      ) : null}
      <form
        className="login"
        onSubmit={(e) => {
          e.preventDefault();
          submit().catch(showFailure);
        }}
      >
        <p>
          {auth?.password ? 'Or paste a token' : "Paste the server's token"}. The installation's token is in{' '}
          <code>$GLUON_HOME/token</code> (default <code>~/.gluon/token</code>), and in the link{' '}
          <code>gluon serve</code> prints.
        </p>
        <input
          type="password"
          autoComplete="current-password"
          aria-label="Token"
          placeholder="Token"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoFocus={!auth?.password}
        />
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
