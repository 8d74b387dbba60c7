/**
 * `gluon audit verify` through the built CLI and the real server: the newest audit rows deleted from the
 * database (the rows alone, as someone covering their tracks would) break the chain, and stay broken.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startGluon, type Gluon, cliEnv } from './harness.js';

describe('gluon audit verify and a deleted tail', () => {
  let g: Gluon;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    g = await startGluon();
    env = cliEnv(g);
    for (const name of ['a', 'b', 'c'])
      await g.client.setPolicy({
        scope: 'project',
        name: 'sample',
        policy: { protectedPaths: [`${name}/**`] },
      });
  });
  afterAll(async () => g?.close());

  it('passes on an intact log, and exits 1 once the newest rows are gone', async () => {
    const intact = await cli(['audit', 'verify'], env);
    expect(intact.code, intact.stderr).toBe(0);
    const rows = Number(/\((\d+) rows\)/.exec(intact.stdout)?.[1]);
    expect(rows).toBeGreaterThanOrEqual(4);

    const db = new Database(path.join(g.home, 'gluon.db'));
    try {
      db.prepare('delete from audit_log where seq > ?').run(rows - 2);
    } finally {
      db.close();
    }
    const broken = await cli(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(
      `the audit log is broken at row ${rows - 1}: rows ${rows - 1} to ${rows} were deleted from the end`,
    );
  });
});
