/**
 * Workspaces and projects on a real SQLite file: found by id, name and path with their workspace's name,
 * settings as JSON, names unique.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { T0, insertProject, openTestStorage, type TestStorage } from './testing/factories.js';

let db: TestStorage;
beforeEach(async () => (db = await openTestStorage()));
afterEach(() => db.close());

describe('projects repository', () => {
  it('finds a project by id, name and path, with its workspace; lists by name', async () => {
    const web = await insertProject(db.storage, {
      name: 'web',
      path: '/r/web',
      workspace: 'team',
      settings: { a: 1 },
    });
    const api = await insertProject(db.storage, { name: 'api', path: '/r/api' });
    expect(web).toMatchObject({
      name: 'web',
      workspace: 'team',
      path: '/r/web',
      settings: { a: 1 },
      createdAt: T0,
    });
    expect(await db.storage.projects.findByName('web')).toEqual(web);
    expect(await db.storage.projects.findByPath('/r/api')).toEqual(api);
    expect(await db.storage.projects.findById('missing')).toBeUndefined();
    expect((await db.storage.projects.list()).map((p) => p.name)).toEqual(['api', 'web']);
    expect((await db.storage.projects.listWorkspaces()).map((w) => w.name)).toEqual(['default', 'team']);
  });

  it('updates the GitHub repository and the settings on their own', async () => {
    const p = await insertProject(db.storage, { settings: { keep: true } });
    await db.storage.projects.update(p.id, { github: 'acme/web' });
    expect(await db.storage.projects.findById(p.id)).toMatchObject({
      github: 'acme/web',
      settings: { keep: true },
    });
    await db.storage.projects.update(p.id, { settings: { maxCostPerDayUsd: 5 } });
    await db.storage.projects.update(p.id, {});
    expect(await db.storage.projects.findById(p.id)).toMatchObject({
      github: 'acme/web',
      settings: { maxCostPerDayUsd: 5 },
    });
  });

  it('refuses a second project or workspace with the same name', async () => {
    await insertProject(db.storage, { name: 'web' });
    await expect(insertProject(db.storage, { name: 'web' })).rejects.toThrow(/UNIQUE/);
    await expect(
      db.storage.projects.insertWorkspace({ id: 'w2', name: 'default', createdAt: T0 }),
    ).rejects.toThrow(/UNIQUE/);
  });
});
