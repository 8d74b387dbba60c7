/**
 * The team layer: people (users, roles, tokens, sessions, chat links), pending single sign-ons and the
 * audit log.
 */
import { createAuditRepo } from '../../storage/audit-repo.js';
import type { Db } from '../../storage/db.js';
import { createOidcPendingRepo } from '../../storage/oidc-pending-repo.js';
import { createTeamRepo } from '../../storage/team-repo.js';
import { createAudit } from './audit.js';
import { createOidcSignIns } from './oidc-sign-ins.js';
import { createPeople } from './people.js';

export function createTeam(db: Db, redact: (text: string) => string) {
  return {
    people: createPeople(createTeamRepo(db)),
    oidc: createOidcSignIns(createOidcPendingRepo(db)),
    audit: createAudit(createAuditRepo(db), redact),
  };
}

export type Team = ReturnType<typeof createTeam>;
