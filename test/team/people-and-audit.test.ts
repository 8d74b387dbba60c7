/**
 * People and the audit log through the real server and the CLI, on SQLite and on Postgres: an existing
 * single-user installation gains users without losing its tasks or its token's meaning; roles per
 * workspace hold on every surface; web sign-in with a session cookie and CSRF; tokens revoked; every
 * change and every refusal audited with its user and surface; an edited row breaks the chain.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGluon } from '../../cli/src/testing/run-cli.js';
import { createFakeAgent, text } from '../../server/src/runner/testing/fake-agent.js';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { connectDatabase } from '../../server/src/storage/db.js';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../server/src/storage/testing/databases.js';
import type { AuditEntryDto, MeDto } from '../../shared/team.js';

function makeRepo(dir: string): string {
  const repo = path.join(dir, 'repo');
  mkdirSync(repo);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(repo, 'README.md'), '# r\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  return repo;
}

describe.each(DIALECTS)('people and the audit log on %s', (dialect) => {
  let dir: string;
  let database: TestDatabase;
  let server: RunningServer;
  let env: NodeJS.ProcessEnv;
  let taskId: string;
  const tokens: Record<string, string> = {};
  const gluon = (args: string[], token?: string) =>
    runGluon(args, token ? { ...env, GLUON_TOKEN: token } : env);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-team-'));
    database = await createTestDatabase(dialect, 'team_flow');
    const home = path.join(dir, 'home');
    server = await startServer({
      home,
      config: { port: 0, ...(dialect === 'postgres' ? { database: { url: database.location } } : {}) },
      env: { PATH: process.env.PATH, HOME: dir },
      agent: createFakeAgent({ plan: () => [text('Done.')] }),
      log: () => {},
    });
    env = { GLUON_URL: server.localUrl, GLUON_HOME: home, PATH: process.env.PATH };
    expect((await gluon(['project', 'add', makeRepo(dir), '--name', 'sample'])).code).toBe(0);
    const created = await gluon(['task', 'create', '--project', 'sample', 'write the docs']);
    expect(created.code).toBe(0);
    taskId = created.stdout.trim();
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts in single-user mode and says when the first user ends it', async () => {
    expect((await gluon(['user', 'ls'])).stdout).toMatch(/single-user mode/);
    const ada = await gluon(['user', 'add', 'ada', '--role', 'admin']);
    expect(ada.code).toBe(0);
    expect(ada.stdout).toMatch(/^gluon_[0-9a-f]{64}\n$/);
    expect(ada.stderr).toMatch(/first user: Gluon leaves single-user mode/);
    tokens.ada = ada.stdout.trim();
    for (const [name, role, ws] of [
      ['vic', 'viewer', undefined],
      ['ops', 'operator', 'default'],
      ['far', 'operator', 'elsewhere'],
    ] as const) {
      const r = await gluon(
        ['user', 'add', name, '--role', role, ...(ws ? ['--workspace', ws] : [])],
        tokens.ada,
      );
      expect(r.stderr).not.toMatch(/single-user/);
      tokens[name] = r.stdout.trim();
    }
    expect((await gluon(['user', 'add', 'x', '--role', 'boss'], tokens.ada)).code).toBe(2);
  });

  it('keeps the installation token an admin and the old task visible (the upgrade path)', async () => {
    const ls = await gluon(['ls', '--json']);
    expect(ls.code).toBe(0);
    expect((JSON.parse(ls.stdout) as { id: string }[]).map((t) => t.id)).toContain(taskId);
    expect((await gluon(['user', 'ls'])).stdout).toMatch(/ada {2}admin everywhere/);
  });

  it('applies each role in its workspace on the CLI', async () => {
    const asViewer = await gluon(['cancel', taskId], tokens.vic);
    expect(asViewer.code).toBe(1);
    expect(asViewer.stderr).toMatch(/forbidden_role, HTTP 403/);
    expect(JSON.parse((await gluon(['ls', '--json'], tokens.far)).stdout)).toEqual([]);
    expect((await gluon(['cancel', taskId], tokens.far)).stderr).toMatch(
      /operator role in workspace 'default'/,
    );
    expect((await gluon(['show', taskId], tokens.vic)).code).toBe(0);
    // Every route on one task checks the role in its workspace, review routes included.
    const commits = (token: string) =>
      fetch(`${server.localUrl}/api/tasks/${taskId}/commits`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await commits(tokens.far!)).status).toBe(403);
    expect((await commits(tokens.vic!)).status).not.toBe(403);
    const asOperator = await gluon(['cancel', taskId], tokens.ops);
    expect(asOperator.code).toBe(0);
    expect((await gluon(['user', 'ls'], tokens.ops)).code).toBe(1);
  });

  it('revokes tokens', async () => {
    const made = await gluon(['token', 'create', 'laptop'], tokens.vic);
    const laptop = made.stdout.trim();
    expect((await gluon(['ls'], laptop)).code).toBe(0);
    const list = JSON.parse((await gluon(['token', 'ls', '--json'], tokens.vic)).stdout) as {
      id: string;
      name: string;
    }[];
    const id = list.find((t) => t.name === 'laptop')!.id;
    expect((await gluon(['token', 'revoke', id], tokens.ops)).code).toBe(1);
    expect((await gluon(['token', 'revoke', id], tokens.vic)).code).toBe(0);
    expect((await gluon(['ls'], laptop)).stderr).toMatch(/unauthorized/);
  });

  it('signs in on the web with a password: HttpOnly SameSite=Strict cookie, CSRF on writes', async () => {
    await fetch(`${server.localUrl}/api/users/ops/password`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.ada}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'operator pass 1' }),
    });
    const login = await fetch(`${server.localUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ops', password: 'operator pass 1' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^gluon_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const session = cookie.split(';')[0]!;
    const me = (await (
      await fetch(`${server.localUrl}/api/me`, { headers: { cookie: session } })
    ).json()) as MeDto;
    expect(me).toMatchObject({ user: 'ops', via: 'session', roles: { default: 'operator' } });
    const move = (headers: Record<string, string>) =>
      fetch(`${server.localUrl}/api/tasks/${taskId}/move`, {
        method: 'POST',
        headers: { cookie: session, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ status: 'queued' }),
      });
    expect((await move({})).status).toBe(403);
    expect((await move({ 'x-csrf-token': 'f'.repeat(64) })).status).toBe(403);
    expect((await move({ 'x-csrf-token': me.csrf! })).status).toBe(200);
    const bad = () =>
      fetch(`${server.localUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'vic', password: 'guess' }),
      });
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await bad()).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('audits every change and refusal with user and surface, and finds an edited row', async () => {
    const all = JSON.parse((await gluon(['audit', '--json'], tokens.ada)).stdout) as AuditEntryDto[];
    const seen = all.map((e) => `${e.user}@${e.surface} ${e.outcome} ${e.action} ${e.target ?? ''}`.trim());
    expect(seen).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^owner@cli ok project\.add [a-z0-9]+$/),
        `owner@cli ok task.create ${taskId}`,
        'owner@cli ok user.add ada',
        'ada@cli ok user.add vic',
        'ada@api ok user.password ops',
        `vic@cli denied POST /api/tasks/${taskId}/cancel ${taskId}`,
        `far@cli denied POST /api/tasks/${taskId}/cancel ${taskId}`,
        `ops@cli ok task.cancel ${taskId}`,
        `ops@web ok task.move ${taskId}`,
        'ops@web ok auth.login',
        `ops@web denied POST /api/tasks/${taskId}/move ${taskId}`,
        'ops@cli denied GET /api/users',
      ]),
    );
    expect(JSON.stringify(all)).not.toMatch(/operator pass 1/);
    const mine = await gluon(['audit', '--user', 'ops', '--since', '1h'], tokens.ada);
    expect(
      mine.stdout
        .trim()
        .split('\n')
        .every((l) => l.includes(' ops@')),
    ).toBe(true);
    expect((await gluon(['audit', 'verify'], tokens.ada)).stdout).toMatch(/intact/);
    expect((await gluon(['audit'], tokens.ops)).code).toBe(1);

    const db = connectDatabase(
      dialect === 'postgres' ? database.location : path.join(server.config.home, 'gluon.db'),
    );
    try {
      await sql`update audit_log set user_name = 'someone-else' where seq = 2`.execute(db);
    } finally {
      await db.destroy();
    }
    const broken = await gluon(['audit', 'verify'], tokens.ada);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken at row 2/);
  });
});
