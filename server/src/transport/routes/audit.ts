/**
 * /api/audit: the audit log for admins of every workspace (it spans them all; filtered by user and time), and the check of its hash chain.
 */
import type { FastifyInstance } from 'fastify';
import { auditQuery, type AuditEntryDto, type AuditVerifyDto } from '../../../../shared/team.js';
import type { Services } from '../../services/index.js';
import type { AuditRow } from '../../storage/audit-repo.js';
import { needs } from '../access.js';
import { requireEverywhere } from '../actor.js';
import { noQuery, parse } from '../validate.js';

function present(r: AuditRow): AuditEntryDto {
  return {
    seq: r.seq,
    ts: r.ts,
    user: r.user,
    surface: r.surface,
    action: r.action,
    target: r.target,
    outcome: r.outcome === 'denied' ? 'denied' : 'ok',
    detail: JSON.parse(r.detail) as unknown,
    hash: r.hash,
  };
}

export function registerAuditRoutes(app: FastifyInstance, s: Services): void {
  app.get('/api/audit', needs('admin'), async (req): Promise<AuditEntryDto[]> => {
    const q = parse(auditQuery, req.query, 'query');
    requireEverywhere(req, 'admin');
    const rows = await s.team.audit.list({ user: q.user, since: q.since, afterSeq: q.after, limit: q.limit });
    return rows.map(present);
  });
  app.get('/api/audit/verify', needs('admin'), async (req): Promise<AuditVerifyDto> => {
    parse(noQuery, req.query, 'query');
    requireEverywhere(req, 'admin');
    return s.team.audit.verify();
  });
}
