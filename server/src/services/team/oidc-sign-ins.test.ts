import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOidcPendingRepo } from '../../storage/oidc-pending-repo.js';
import { openTestStorage, type TestStorage } from '../../storage/testing/factories.js';
import { createOidcSignIns, OIDC_PENDING_MS } from './oidc-sign-ins.js';

describe('pending OpenID Connect sign-ins', () => {
  let db: TestStorage;
  let clock = 0;
  const entry = { verifier: 'v'.repeat(43), nonce: 'n1', redirectUri: 'http://127.0.0.1/cb' };
  const signIns = () => createOidcSignIns(createOidcPendingRepo(db.storage.db), () => clock);
  beforeEach(async () => {
    db = await openTestStorage();
    clock = Date.parse('2026-12-05T10:00:00Z');
  });
  afterEach(async () => db.close());

  it('gives a sign-in back once, to any instance, and keeps only a hash of its state', async () => {
    await signIns().begin('state-1', entry);
    expect(
      await db.storage.db
        .withTables<{ oidc_pending: { state_hash: string } }>()
        .selectFrom('oidc_pending')
        .select('state_hash')
        .execute(),
    ).not.toContainEqual({ state_hash: 'state-1' });
    expect(await signIns().finish('state-1')).toMatchObject(entry);
    expect(await signIns().finish('state-1')).toBeUndefined();
    expect(await signIns().finish('never-started')).toBeUndefined();
  });

  it('forgets a sign-in after ten minutes, and prunes expired ones when another starts', async () => {
    await signIns().begin('old', entry);
    clock += OIDC_PENDING_MS + 1;
    expect(await signIns().finish('old')).toBeUndefined();
    await signIns().begin('older', entry);
    clock += OIDC_PENDING_MS + 1;
    await signIns().begin('new', entry);
    const left = await db.storage.db
      .withTables<{ oidc_pending: { state_hash: string } }>()
      .selectFrom('oidc_pending')
      .select('state_hash')
      .execute();
    expect(left).toHaveLength(1);
    expect(await signIns().finish('new')).toMatchObject(entry);
  });
});
