import { describe, expect, it } from 'vitest';
import { buildProject, DIALECTS, uid, useStorage } from '../testing/suite.js';

describe.each(DIALECTS)('projects repository on %s', (dialect) => {
  const db = useStorage(dialect, 'projects');

  it('stores workspaces and lists them by name', async () => {
    const { projects } = db.storage;
    for (const name of ['zeta', 'alpha', 'mid']) {
      await projects.insertWorkspace({ id: uid('w'), name, createdAt: '2026-01-01T00:00:00.000Z' });
    }
    const found = await projects.findWorkspaceByName('alpha');
    expect(found).toMatchObject({ name: 'alpha', created_at: '2026-01-01T00:00:00.000Z' });
    expect(await projects.findWorkspaceByName('nope')).toBeUndefined();
    const names = (await projects.listWorkspaces()).map((w) => w.name);
    expect(names.filter((n) => ['zeta', 'alpha', 'mid'].includes(n))).toEqual(['alpha', 'mid', 'zeta']);
  });

  it('round-trips a project with its workspace name, settings JSON and nulls', async () => {
    const settings = {
      caps: { dailyUsd: 2.5 },
      include: ['src/**', 'ünïcødé ✓'],
      nested: { deep: [null, true] },
    };
    const p = await buildProject(db.storage, {
      name: 'roundtrip',
      path: '/repos/round trip',
      workspaceName: 'team',
      remoteUrl: 'git@example.com:org/repo.git',
      github: 'org/repo',
      settings,
    });
    expect(p).toMatchObject({
      name: 'roundtrip',
      workspace: 'team',
      path: '/repos/round trip',
      defaultBranch: 'main',
      remoteUrl: 'git@example.com:org/repo.git',
      github: 'org/repo',
      settings,
    });
    expect(await db.storage.projects.findByName('roundtrip')).toEqual(p);
    expect(await db.storage.projects.findByPath('/repos/round trip')).toEqual(p);
    const bare = await buildProject(db.storage);
    expect(bare.remoteUrl).toBeNull();
    expect(bare.github).toBeNull();
    expect(bare.settings).toEqual({});
  });

  it('updates github and settings, each on its own', async () => {
    const p = await buildProject(db.storage, { github: 'a/b', settings: { x: 1 } });
    await db.storage.projects.update(p.id, { settings: { x: 2 } });
    expect(await db.storage.projects.findById(p.id)).toMatchObject({ github: 'a/b', settings: { x: 2 } });
    await db.storage.projects.update(p.id, { github: null });
    expect(await db.storage.projects.findById(p.id)).toMatchObject({ github: null, settings: { x: 2 } });
    await db.storage.projects.update(p.id, {});
    expect(await db.storage.projects.findById(p.id)).toMatchObject({ github: null, settings: { x: 2 } });
  });

  it('lists projects by name and refuses a duplicate name or an unknown workspace', async () => {
    await buildProject(db.storage, { name: 'list-b' });
    await buildProject(db.storage, { name: 'list-a' });
    const names = (await db.storage.projects.list()).map((p) => p.name).filter((n) => n.startsWith('list-'));
    expect(names).toEqual(['list-a', 'list-b']);
    await expect(buildProject(db.storage, { name: 'list-a' })).rejects.toThrow();
    const ws = (await db.storage.projects.findWorkspaceByName('default'))!;
    await expect(
      db.storage.projects.insert({
        id: uid('p'),
        workspaceId: `${ws.id}-missing`,
        name: uid('orphan'),
        path: '/x',
        defaultBranch: 'main',
        remoteUrl: null,
        github: null,
        settings: {},
        createdAt: '2026-01-01T00:00:00.000Z',
      }),
    ).rejects.toThrow();
  });
});
