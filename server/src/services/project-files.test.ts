import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectRecord } from '../storage/projects-repo.js';
import { createProjectFiles, describeCommand, isSafeRelative } from './project-files.js';

const gitIn = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } });

describe('project files and slash commands', () => {
  let dir: string;
  let repo: string;
  let home: string;
  let files: ReturnType<typeof createProjectFiles>;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-pf-'));
    repo = path.join(dir, 'repo');
    home = path.join(dir, 'home');
    mkdirSync(path.join(repo, 'src', 'deep'), { recursive: true });
    mkdirSync(path.join(repo, '.claude', 'commands', 'team'), { recursive: true });
    mkdirSync(path.join(home, '.claude', 'commands'), { recursive: true });
    writeFileSync(path.join(repo, 'src', 'app.ts'), 'x');
    writeFileSync(path.join(repo, 'src', 'deep', 'widget.tsx'), 'x');
    writeFileSync(path.join(repo, 'README.md'), 'x');
    writeFileSync(path.join(repo, '.gitignore'), 'ignored.log\n');
    writeFileSync(path.join(repo, 'ignored.log'), 'x');
    writeFileSync(
      path.join(repo, '.claude', 'commands', 'review.md'),
      '---\ndescription: Review the diff\nargument-hint: [focus]\n---\nReview $ARGUMENTS\n',
    );
    writeFileSync(path.join(repo, '.claude', 'commands', 'team', 'deploy.md'), '# Deploy the service\nsteps');
    writeFileSync(path.join(repo, '.claude', 'commands', 'bad name.md'), 'ignored: not a command name');
    writeFileSync(path.join(dir, 'secret.md'), 'outside the commands folder');
    symlinkSync(path.join(dir, 'secret.md'), path.join(repo, '.claude', 'commands', 'leak.md'));
    writeFileSync(
      path.join(home, '.claude', 'commands', 'review.md'),
      'the user one, shadowed by the project',
    );
    writeFileSync(path.join(home, '.claude', 'commands', 'standup.md'), 'Write my standup notes');
    gitIn(repo, 'init', '-q', '-b', 'main');
    gitIn(repo, 'add', 'src/app.ts', 'README.md', '.gitignore');
    gitIn(repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init');
    const project = {
      id: 'p1',
      name: 'sample',
      path: repo,
      settings: { trustRepoSettings: true },
    } as unknown as ProjectRecord;
    files = createProjectFiles({
      findProject: async (id) => (id === 'p1' || id === 'sample' ? project : undefined),
      env: { HOME: home },
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists tracked and untracked files, not ignored ones, and searches them fuzzily', async () => {
    const all = await files.search('sample', '');
    expect(all.files.map((f) => f.path).sort()).toEqual(
      [
        '.claude/commands/bad name.md',
        '.claude/commands/leak.md',
        '.claude/commands/review.md',
        '.claude/commands/team/deploy.md',
        '.gitignore',
        'README.md',
        'src/app.ts',
        'src/deep/widget.tsx',
      ].sort(),
    );
    const found = await files.search('p1', 'wdg');
    expect(found.files[0]).toMatchObject({ path: 'src/deep/widget.tsx' });
    expect(found.total).toBe(8);
  });

  it('an unknown project is a 404', async () => {
    await expect(files.search('nope', 'a')).rejects.toMatchObject({ status: 404 });
  });

  it('lists project commands (front matter or first line), then user ones; skips symlinks out and bad names', async () => {
    const commands = await files.commands('sample');
    expect(commands).toEqual([
      { name: 'deploy', scope: 'project', description: 'Deploy the service', argumentHint: null },
      { name: 'review', scope: 'project', description: 'Review the diff', argumentHint: '[focus]' },
      { name: 'standup', scope: 'user', description: 'Write my standup notes', argumentHint: null },
    ]);
  });

  it('lists nothing from a .claude/commands (or .claude) that is a symlink out of the project', async () => {
    const outside = path.join(dir, 'elsewhere');
    mkdirSync(path.join(outside, 'commands'), { recursive: true });
    writeFileSync(path.join(outside, 'commands', 'stolen.md'), 'read through the symlink');
    for (const [name, link, target] of [
      ['linked-commands', ['.claude', 'commands'], path.join(outside, 'commands')],
      ['linked-claude', ['.claude'], outside],
    ] as const) {
      const other = path.join(dir, name);
      mkdirSync(path.join(other, '.claude'), { recursive: true });
      if (link.length === 1) rmSync(path.join(other, '.claude'), { recursive: true });
      symlinkSync(target, path.join(other, ...link));
      const project = {
        id: name,
        name,
        path: other,
        settings: { trustRepoSettings: true },
      } as unknown as ProjectRecord;
      const listing = createProjectFiles({ findProject: async () => project, env: {} });
      expect(await listing.commands(name)).toEqual([]);
    }
  });

  it("offers no project commands when the project does not trust its repository's settings", async () => {
    const untrusted = { id: 'p2', name: 'untrusted', path: repo, settings: {} } as unknown as ProjectRecord;
    const listing = createProjectFiles({ findProject: async () => untrusted, env: { HOME: home } });
    expect((await listing.commands('untrusted')).map((c) => [c.name, c.scope])).toEqual([
      ['review', 'user'],
      ['standup', 'user'],
    ]);
  });

  it('reads command descriptions and checks relative paths', () => {
    expect(describeCommand('plain first line\nmore')).toEqual({
      description: 'plain first line',
      argumentHint: null,
    });
    expect(isSafeRelative('a/b.ts')).toBe(true);
    expect(isSafeRelative('../x')).toBe(false);
    expect(isSafeRelative('/etc/passwd')).toBe(false);
    expect(isSafeRelative('a/../../b')).toBe(false);
  });
});
