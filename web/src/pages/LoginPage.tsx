/**
 * The login page: the server's token, entered once and kept in this browser. The token is in
 * `$GLUON_HOME/token`, and in the link `gluon serve` prints.
 */
import { useState } from 'react';
import { createWebApi } from '../api/http.js';
import { isTokenShaped } from '../api/token.js';

export function LoginPage({ onToken, reason }: { onToken: (token: string) => void; reason?: string }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(reason ?? null);
  const [busy, setBusy] = useState(false);
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
      <form
        className="login"
        onSubmit={(e) => {
          e.preventDefault();
          submit().catch(showFailure);
        }}
      >
        <h1>Gluon</h1>
        <p>
          Paste the server's token. It is in <code>$GLUON_HOME/token</code> (default{' '}
          <code>~/.gluon/token</code>), and in the link <code>gluon serve</code> prints.
        </p>
        <input
          type="password"
          autoComplete="current-password"
          aria-label="Token"
          placeholder="Token"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoFocus
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
