/**
 * The Audit page (admins): who did what, through which surface, newest first, filtered by user; refused
 * attempts stand out; a button checks the log's hash chain.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditVerifyDto } from '../../../shared/team.js';
import { useGluon } from '../hooks/useGluon.js';

export function AuditPage() {
  const { api, toast } = useGluon();
  const showFailure = (err: unknown) => toast((err as Error).message, 'error');
  const [user, setUser] = useState('');
  const [verdict, setVerdict] = useState<AuditVerifyDto | null>(null);
  const entries = useQuery({
    queryKey: ['audit', user],
    queryFn: async () => (await api.audit({ user: user.trim() || undefined, limit: 5000 })).reverse(),
  });
  return (
    <main className="page page-audit" data-testid="audit-page">
      <h1>Audit</h1>
      <div className="toolbar">
        <input
          aria-label="Filter by user"
          placeholder="User"
          value={user}
          onChange={(e) => setUser(e.target.value)}
        />
        <button type="button" className="btn" onClick={() => api.verifyAudit().then(setVerdict, showFailure)}>
          Verify chain
        </button>
        {verdict ? (
          <span role="status" data-testid="audit-verdict" className={verdict.ok ? 'ok' : 'error'}>
            {verdict.ok
              ? `Intact: ${verdict.rows} rows`
              : `Broken at row ${verdict.brokenAt}: ${verdict.reason}`}
          </span>
        ) : null}
      </div>
      {entries.error ? (
        <p className="error" role="alert">
          {(entries.error as Error).message}
        </p>
      ) : null}
      <table className="audit">
        <thead>
          <tr>
            <th>Time</th>
            <th>User</th>
            <th>Surface</th>
            <th>Action</th>
            <th>Target</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {(entries.data ?? []).map((e) => (
            <tr key={e.seq} className={e.outcome === 'denied' ? 'denied' : undefined} data-testid="audit-row">
              <td title={e.ts}>{new Date(e.ts).toLocaleString()}</td>
              <td>{e.user}</td>
              <td>{e.surface}</td>
              <td>{e.action}</td>
              <td>{e.target ?? ''}</td>
              <td>{e.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
