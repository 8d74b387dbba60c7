import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import { installErrorHandler } from '../error-handler.js';
import { createAttachments } from '../../services/attachments.js';
import { createProjectFiles } from '../../services/project-files.js';
import { registerAttachmentRoutes } from './attachments.js';
import { registerProjectFileRoutes } from './project-files.js';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

describe('the dashboard routes: files, commands, attachments', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-dash-'));
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, '.claude', 'commands'), { recursive: true });
    writeFileSync(path.join(repo, 'main.ts'), 'x');
    writeFileSync(path.join(repo, '.claude', 'commands', 'fix.md'), 'Fix the bug');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    const project = {
      id: 'p1',
      name: 'sample',
      path: repo,
      settings: { trustRepoSettings: true },
    } as unknown as ProjectRecord;
    app = Fastify();
    installErrorHandler(app, () => {});
    registerProjectFileRoutes(app, {
      projectFiles: createProjectFiles({
        findProject: async (id) => (id === 'sample' ? project : undefined),
        env: {},
      }),
    });
    registerAttachmentRoutes(app, { attachments: createAttachments(path.join(dir, 'attachments')) });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('searches files and lists commands; bad input is a 400, an unknown project a 404', async () => {
    const files = await app.inject('/api/projects/sample/files?q=main');
    expect(files.json()).toMatchObject({ files: [{ path: 'main.ts' }], total: 2 });
    expect((await app.inject('/api/projects/sample/commands')).json()).toEqual([
      { name: 'fix', scope: 'project', description: 'Fix the bug', argumentHint: null },
    ]);
    expect((await app.inject(`/api/projects/sample/files?q=${'a'.repeat(300)}`)).statusCode).toBe(400);
    expect((await app.inject('/api/projects/sample/files?q=a&extra=1')).statusCode).toBe(400);
    expect((await app.inject('/api/projects/..%2f..%2fetc/files')).statusCode).toBe(400);
    expect((await app.inject('/api/projects/other/commands')).statusCode).toBe(404);
  });

  it('uploads an image and serves it back with its own type', async () => {
    const up = await app.inject({
      method: 'POST',
      url: '/api/attachments?name=shot.png',
      headers: { 'content-type': 'image/png' },
      payload: PNG,
    });
    expect(up.statusCode).toBe(201);
    const { id } = up.json<{ id: string }>();
    const back = await app.inject(`/api/attachments/${id}`);
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('image/png');
    expect(back.headers['content-disposition']).toBe('inline; filename="shot.png"');
    expect(back.rawPayload.equals(PNG)).toBe(true);
  });

  it('refuses non-images, lying bytes, JSON bodies and bad ids', async () => {
    const html = await app.inject({
      method: 'POST',
      url: '/api/attachments',
      headers: { 'content-type': 'text/html' },
      payload: '<script>',
    });
    expect(html.statusCode).toBe(415);
    const lie = await app.inject({
      method: 'POST',
      url: '/api/attachments',
      headers: { 'content-type': 'image/png' },
      payload: '<script>',
    });
    expect(lie.statusCode).toBe(415);
    const json = await app.inject({ method: 'POST', url: '/api/attachments', payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    expect((await app.inject('/api/attachments/..%2f..%2fetc')).statusCode).toBe(400);
    expect((await app.inject('/api/attachments/zzzzzzzzzzzz')).statusCode).toBe(404);
  });
});
