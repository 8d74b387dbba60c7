/**
 * Web sign-in through OpenID Connect against the loopback fake provider (fakes/oidc): real HTTP for
 * discovery, the authorization redirect, the code exchange with PKCE and the RS256-signed id_token. A
 * user an admin added signs in and gets a session; a replayed or unbound callback and a stranger do not.
 * Two servers on one PostgreSQL database: a sign-in started on one finishes on the other, once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOidc, type FakeOidc } from '../../fakes/oidc/index.js';
import { createFakeAgent } from '../../server/src/runner/testing/fake-agent.js';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { createPostgresDatabase, type TestDatabase } from '../../server/src/storage/testing/databases.js';
import type { AuthConfigDto, MeDto } from '../../shared/team.js';

describe('OpenID Connect sign-in', () => {
  let dir: string;
  let idp: FakeOidc;
  let server: RunningServer;
  const get = (url: string, cookie?: string) =>
    fetch(url.startsWith('http') ? url : `${server.localUrl}${url}`, {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
  /** Runs the browser's part: start → provider → callback; returns the callback's answer. */
  const signIn = async (opts: { dropStateCookie?: boolean } = {}) => {
    const start = await get('/api/auth/oidc/start');
    expect(start.status).toBe(302);
    const stateCookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const atProvider = await get(start.headers.get('location')!);
    expect(atProvider.status).toBe(302);
    const callback = atProvider.headers.get('location')!;
    expect(callback.startsWith(`${server.localUrl}/api/auth/oidc/callback?`)).toBe(true);
    return {
      answer: await get(callback, opts.dropStateCookie ? undefined : stateCookie),
      callback,
      stateCookie,
    };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-oidc-'));
    idp = await startFakeOidc();
    server = await startServer({
      home: path.join(dir, 'home'),
      config: {
        port: 0,
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          name: 'Fake SSO',
        },
      },
      env: { PATH: process.env.PATH, HOME: dir },
      agent: createFakeAgent(),
      log: () => {},
    });
    const res = await fetch(`${server.localUrl}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'dana', role: 'operator' }),
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await idp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells the web that the provider is there', async () => {
    const config = (await (await get('/api/auth/config')).json()) as AuthConfigDto;
    expect(config).toEqual({ password: true, oidc: { name: 'Fake SSO' } });
  });

  it('signs a known user in with a session cookie, binding the subject', async () => {
    idp.nextUser = { sub: 'sub-dana', preferred_username: 'dana' };
    const { answer, callback, stateCookie } = await signIn();
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/');
    const session = answer.headers.get('set-cookie')!;
    expect(session).toMatch(/^gluon_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict/);
    const me = (await (await get('/api/me', session.split(';')[0])).json()) as MeDto;
    expect(me).toMatchObject({ user: 'dana', via: 'session', roles: { '*': 'operator' } });
    expect(idp.requests).toEqual(
      expect.arrayContaining([
        'GET /.well-known/openid-configuration',
        'GET /authorize',
        'POST /token',
        'GET /jwks',
      ]),
    );
    // The same callback again: its state was used up.
    expect((await get(callback, stateCookie)).status).toBe(400);
    // The subject is bound now: a later sign-in without a matching name still finds dana.
    idp.nextUser = { sub: 'sub-dana' };
    expect((await signIn()).answer.status).toBe(302);
  });

  it('refuses a callback not bound to this browser, and a person Gluon does not know', async () => {
    idp.nextUser = { sub: 'sub-dana' };
    expect((await signIn({ dropStateCookie: true })).answer.status).toBe(400);
    idp.nextUser = { sub: 'sub-eve', preferred_username: 'eve' };
    const stranger = await signIn();
    expect(stranger.answer.status).toBe(403);
    expect(stranger.answer.headers.get('set-cookie')).toBeNull();
  });
});

describe('OpenID Connect sign-in across two servers', () => {
  let dir: string;
  let idp: FakeOidc;
  let database: TestDatabase;
  const servers: RunningServer[] = [];
  const get = (url: string, cookie?: string) =>
    fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-oidc2-'));
    idp = await startFakeOidc();
    database = await createPostgresDatabase('oidc_two_servers');
    for (const name of ['a', 'b'])
      servers.push(
        await startServer({
          home: path.join(dir, name),
          config: {
            port: 0,
            database: { url: database.location },
            oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret },
          },
          env: { PATH: process.env.PATH, HOME: dir },
          agent: createFakeAgent(),
          log: () => {},
        }),
      );
    await servers[0]!.services.team.people.add({ name: 'dana', role: 'viewer' });
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await idp?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes on server B a sign-in started on server A, and only once', async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const start = await get(`${a.localUrl}/api/auth/oidc/start`);
    const stateCookie = start.headers.get('set-cookie')!.split(';')[0]!;
    idp.nextUser = { sub: 'sub-dana', preferred_username: 'dana' };
    const atProvider = await get(start.headers.get('location')!);
    const callback = new URL(atProvider.headers.get('location')!);
    const onB = `${b.localUrl}${callback.pathname}${callback.search}`;
    const answer = await get(onB, stateCookie);
    expect(answer.status).toBe(302);
    const session = answer.headers.get('set-cookie')!.split(';')[0]!;
    const me = (await (await get(`${a.localUrl}/api/me`, session)).json()) as MeDto;
    expect(me).toMatchObject({ user: 'dana', via: 'session' });
    const again = `${a.localUrl}${callback.pathname}${callback.search}`;
    expect((await get(again, stateCookie)).status).toBe(400);
  });
});
