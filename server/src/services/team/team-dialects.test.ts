import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createAudit, GENESIS_HASH } from './audit.js';
import { createPeople } from './people.js';
import { createAuditRepo } from '../../storage/audit-repo.js';
import { createTeamRepo } from '../../storage/team-repo.js';
import { DIALECTS, uid, useStorage } from '../../storage/testing/suite.js';

describe.each(DIALECTS)('people and the audit log on %s', (dialect) => {
  const db = useStorage(dialect, 'team');
  const people = () => createPeople(createTeamRepo(db.storage.db));
  const audit = () =>
    createAudit(createAuditRepo(db.storage.db), (t) => t.replaceAll('sk-ant-secret', '[redacted]'));

  it('adds users with roles per workspace, tokens whose hash only is stored, and revokes them', async () => {
    const p = people();
    expect(await p.teamMode()).toBe(false);
    const first = await p.add({ name: 'ada', role: 'admin' });
    expect(first.firstUser).toBe(true);
    expect(first.token).toMatch(/^gluon_[0-9a-f]{64}$/);
    expect(await p.teamMode()).toBe(true);
    const bob = await p.add({ name: 'bob', role: 'viewer', workspace: 'team' });
    expect(bob.firstUser).toBe(false);
    expect(bob.user.roles).toEqual({ team: 'viewer' });
    await p.setRole('bob', 'operator', 'ops');
    expect((await p.find('bob'))!.roles).toEqual({ team: 'viewer', ops: 'operator' });
    await expect(p.add({ name: 'bob', role: 'admin' })).rejects.toMatchObject({ status: 409 });
    expect((await p.userOfToken(first.token))!.name).toBe('ada');
    expect(
      await p.userOfToken(`${first.token.slice(0, -1)}${first.token.endsWith('0') ? '1' : '0'}`),
    ).toBeUndefined();
    const stored = await sql<{ hash: string }>`select hash from api_tokens`.execute(db.storage.db);
    expect(stored.rows.map((r) => r.hash)).not.toContain(first.token);
    const extra = await p.createToken('bob', 'laptop');
    expect((await p.userOfToken(extra.token))!.name).toBe('bob');
    await p.revokeToken(extra.id);
    expect(await p.userOfToken(extra.token)).toBeUndefined();
    await expect(p.revokeToken(extra.id)).rejects.toMatchObject({ status: 404 });
    expect((await p.listTokens('bob')).map((t) => [t.name, t.revokedAt !== null])).toEqual([
      ['first token', false],
      ['laptop', true],
    ]);
  });

  it('signs in with a password (scrypt), refuses wrong ones alike, and rate-limits guessing', async () => {
    const p = people();
    await p.add({ name: 'carol', role: 'operator', password: 'correct horse' });
    const s = await p.login('carol', 'correct horse', '10.0.0.1');
    expect((await p.session(s.id))!.user.name).toBe('carol');
    expect((await p.session(s.id))!.csrf).toBe(s.csrf);
    await p.logout(s.id);
    expect(await p.session(s.id)).toBeUndefined();
    await expect(p.login('nobody', 'x', '10.0.0.2')).rejects.toMatchObject({ status: 401 });
    for (let i = 0; i < 5; i += 1)
      await expect(p.login('carol', `wrong${i}`, '10.0.0.3')).rejects.toMatchObject({ status: 401 });
    await expect(p.login('carol', 'correct horse', '10.0.0.3')).rejects.toMatchObject({ status: 429 });
  });

  it('links chat accounts and OIDC subjects to existing users only', async () => {
    const p = people();
    await p.add({ name: 'dan', role: 'viewer' });
    await p.link('telegram', '4242', 'dan');
    expect((await p.linkedUser('telegram', '4242'))!.name).toBe('dan');
    expect(await p.linkedUser('discord', '4242')).toBeUndefined();
    const s = await p.loginWithOidc('sub-dan', 'dan');
    expect(s.user.name).toBe('dan');
    expect((await p.loginWithOidc('sub-dan', undefined)).user.name).toBe('dan');
    await expect(p.loginWithOidc('sub-other', 'dan')).rejects.toMatchObject({ status: 403 });
    await expect(p.loginWithOidc('sub-x', 'stranger')).rejects.toMatchObject({ status: 403 });
  });

  it('chains the audit log, redacts details, and finds an edited or deleted row', async () => {
    const a = audit();
    const actor = { user: uid('u'), surface: 'cli' as const };
    const rows = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        a.record(actor, {
          action: 'task.move',
          target: `t${i}`,
          detail: { text: 'key sk-ant-secret', password: 'p' },
        }),
      ),
    );
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[0]!.detail).toBe('{"text":"key [redacted]"}');
    expect(await a.verify()).toEqual({ ok: true, rows: 6 });
    expect((await a.list({ user: actor.user })).length).toBe(6);
    expect(await a.list({ user: 'nobody' })).toEqual([]);

    await sql`update audit_log set target = 'forged' where seq = 3`.execute(db.storage.db);
    expect(await a.verify()).toMatchObject({ ok: false, brokenAt: 3 });
    await sql`update audit_log set target = 't2' where seq = 3`.execute(db.storage.db);
    expect(await a.verify()).toEqual({ ok: true, rows: 6 });
    await sql`delete from audit_log where seq = 4`.execute(db.storage.db);
    expect(await a.verify()).toMatchObject({ ok: false, brokenAt: 5, reason: 'row 4 is missing' });
  });

  it('finds the newest rows deleted, and the next row keeps the gap in sight', async () => {
    await sql`delete from audit_log`.execute(db.storage.db);
    await sql`delete from audit_head`.execute(db.storage.db);
    const a = audit();
    const actor = { user: 'tail', surface: 'cli' as const };
    for (let i = 0; i < 5; i++) await a.record(actor, { action: 'x', target: String(i) });
    expect(await a.verify()).toEqual({ ok: true, rows: 5 });
    await sql`delete from audit_log where seq >= 4`.execute(db.storage.db);
    expect(await a.verify()).toEqual({
      ok: false,
      rows: 3,
      brokenAt: 4,
      reason: 'rows 4 to 5 were deleted from the end (the chain head is row 5)',
    });
    // Gluon appends on after the head, not after what is left: the gap stays.
    expect((await a.record(actor, { action: 'x', target: 'after' })).seq).toBe(6);
    expect(await a.verify()).toMatchObject({ ok: false, brokenAt: 6, reason: 'row 4 is missing' });
    // Rows written around Gluon (no head moved), and a head removed.
    await sql`delete from audit_log`.execute(db.storage.db);
    await sql`delete from audit_head`.execute(db.storage.db);
    await a.record(actor, { action: 'x', target: 'one' });
    await sql`delete from audit_head`.execute(db.storage.db);
    expect(await a.verify()).toMatchObject({ ok: false, reason: 'the chain head is missing' });
  });

  it('keeps one chain when two writers append at once', async () => {
    const one = audit();
    const two = audit();
    await sql`delete from audit_log`.execute(db.storage.db);
    await sql`delete from audit_head`.execute(db.storage.db);
    const actor = { user: 'race', surface: 'api' as const };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? one : two).record(actor, { action: 'x', target: String(i) }),
      ),
    );
    expect(await one.verify()).toEqual({ ok: true, rows: 10 });
  });
});
