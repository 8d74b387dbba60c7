/**
 * Policies (migration 0009): one per workspace or project, stored whole as JSON.
 */
import type { PolicyDto } from '../../../shared/api.js';
import type { Db } from './db.js';
import { governDb } from './govern-schema.js';

export type PolicyScope = 'workspace' | 'project';

export interface PolicyRow {
  scope: PolicyScope;
  scopeId: string;
  policy: PolicyDto;
  updatedAt: string;
}

export function createPoliciesRepo(base: Db) {
  const db = governDb(base);
  return {
    async list(): Promise<PolicyRow[]> {
      const rows = await db.selectFrom('policies').selectAll().orderBy('scope').orderBy('scope_id').execute();
      return rows.map((r) => ({
        scope: r.scope as PolicyScope,
        scopeId: r.scope_id,
        policy: JSON.parse(r.policy) as PolicyDto,
        updatedAt: r.updated_at,
      }));
    },
    async get(scope: PolicyScope, scopeId: string): Promise<{ policy: PolicyDto; updatedAt: string } | null> {
      const r = await db
        .selectFrom('policies')
        .select(['policy', 'updated_at'])
        .where('scope', '=', scope)
        .where('scope_id', '=', scopeId)
        .executeTakeFirst();
      return r ? { policy: JSON.parse(r.policy) as PolicyDto, updatedAt: r.updated_at } : null;
    },
    async upsert(scope: PolicyScope, scopeId: string, policy: PolicyDto, at: string): Promise<void> {
      const json = JSON.stringify(policy);
      await db
        .insertInto('policies')
        .values({ scope, scope_id: scopeId, policy: json, updated_at: at })
        .onConflict((oc) => oc.columns(['scope', 'scope_id']).doUpdateSet({ policy: json, updated_at: at }))
        .execute();
    },
    async remove(scope: PolicyScope, scopeId: string): Promise<boolean> {
      const r = await db
        .deleteFrom('policies')
        .where('scope', '=', scope)
        .where('scope_id', '=', scopeId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

export type PoliciesRepo = ReturnType<typeof createPoliciesRepo>;
