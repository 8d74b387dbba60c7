import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from './error-handler.js';
import { defaultWebRoot, registerStatic } from './static.js';

describe('serving the web app', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-static-'));
    const root = path.join(dir, 'dist');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Gluon</title>');
    writeFileSync(path.join(root, 'assets', 'main-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(root, 'sw.js'), 'self');
    writeFileSync(path.join(root, 'manifest.webmanifest'), '{}');
    writeFileSync(path.join(dir, 'secret.txt'), 'outside');
    symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
    app = Fastify();
    installErrorHandler(app, () => {});
    app.get('/api/known', async () => ({ ok: true }));
    registerStatic(app, { root });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves hashed assets as immutable and the shell, manifest and worker as revalidated', async () => {
    const asset = await app.inject('/assets/main-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const shell = await app.inject('/');
    expect(shell.body).toContain('<title>Gluon</title>');
    expect(shell.headers['cache-control']).toBe('no-cache');
    expect((await app.inject('/sw.js')).headers['cache-control']).toBe('no-cache');
    expect((await app.inject('/manifest.webmanifest')).headers['content-type']).toMatch(
      /^application\/manifest\+json/,
    );
  });

  it('answers app addresses with the shell, a missing file with 404', async () => {
    for (const url of ['/costs', '/tasks/abcd1234', '/login?x=1']) {
      const r = await app.inject(url);
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('<title>Gluon</title>');
    }
    expect((await app.inject('/assets/gone-123.js')).statusCode).toBe(404);
  });

  it('never serves outside the root, and keeps /api routes and 404s as they are', async () => {
    for (const url of [
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/link.txt',
      '/%00',
      '/a%5c..%5csecret.txt',
    ]) {
      const r = await app.inject(url);
      expect(r.body).not.toContain('outside');
      // Either refused, or (for an address without an extension) the app's shell.
      if (r.statusCode === 200) expect(r.body).toContain('<title>Gluon</title>');
      else expect(r.statusCode).toBe(404);
    }
    expect((await app.inject('/api/known')).json()).toEqual({ ok: true });
    const unknown = await app.inject('/api/nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('says how to build when web/dist is missing, and finds the checkout', async () => {
    const bare = Fastify();
    registerStatic(bare, { root: path.join(dir, 'nowhere') });
    const r = await bare.inject('/');
    expect(r.statusCode).toBe(503);
    expect(r.body).toMatch(/npm run build/);
    await bare.close();
    expect(defaultWebRoot()).toMatch(/web[/\\]dist$/);
  });
});
