/**
 * The team layer: people (users, roles, tokens, sessions, chat links) and the audit log.
 */
import { createAuditRepo } from '../../storage/audit-repo.js';
import type { Db } from '../../storage/db.js';
import { createTeamRepo } from '../../storage/team-repo.js';
import { createAudit } from './audit.js';
import { createPeople } from './people.js';

export function createTeam(db: Db, redact: (text: string) => string) {
  return { people: createPeople(createTeamRepo(db)), audit: createAudit(createAuditRepo(db), redact) };
}

export type Team = ReturnType<typeof createTeam>;
