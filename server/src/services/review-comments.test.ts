import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../domain/redact.js';
import { FAKE } from '../domain/testing/secret-fakes.js';
import { createDirs, repoWith, writeFiles } from '../runner/testing/git-fixtures.js';
import { commitAll, createWorktree } from '../runner/worktrees.js';
import { createReviewCommentsRepo } from '../storage/review-comments-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { createReviewComments } from './review-comments.js';
import { insertProject, insertTask, openGitTestbed } from './testing/git-services.js';

const dirs = createDirs();
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
  await dirs.cleanup();
});

const SOURCE = 'function add(a, b) {\n  return a + b;\n}\n\nexport { add };\n';

/** A task whose branch changed `calc.js` (5 lines) and `notes.md`, and a service over it. */
async function setup() {
  const bed = await openGitTestbed(await dirs.make());
  closers.push(() => bed.storage.close());
  const repo = await repoWith(dirs, { 'README.md': 'hi\n' });
  const project = await insertProject(bed.storage, { path: repo });
  let task = await insertTask(bed.storage, project);
  const wt = join(await dirs.make(), 'wt');
  const created = await createWorktree({ repo, path: wt, branch: `gluon-task/${task.id}`, baseRef: 'main' });
  await writeFiles(wt, { 'calc.js': SOURCE, 'notes.md': 'n\n' });
  await commitAll({ cwd: wt, message: 'Add calc' });
  task = await bed.state.update(task.id, {
    branch: created.branch,
    worktreePath: wt,
    baseSha: created.baseSha,
  });
  const resumed: Array<{ id: string; feedback: string }> = [];
  const comments = createReviewComments({
    ...bed,
    comments: createReviewCommentsRepo(bed.storage.db),
    tasks: {
      get: bed.get,
      resume: async (id: string, feedback: string) => {
        resumed.push({ id, feedback });
        return (await bed.storage.tasks.findById(id)) as TaskRecord;
      },
    },
  });
  const commit = async (files: Record<string, string>, message: string) => {
    await writeFiles(wt, files);
    await commitAll({ cwd: wt, message });
  };
  return { ...bed, task, comments, resumed, commit };
}

describe('review comments service', () => {
  it('keeps the code a comment points at, and follows it when later commits move it', async () => {
    const s = await setup();
    const c = await s.comments.create(s.task.id.slice(0, 5), {
      path: 'calc.js',
      line: 1,
      endLine: 2,
      body: 'Check types',
    });
    expect(c).toMatchObject({
      line: 1,
      endLine: 2,
      code: 'function add(a, b) {\n  return a + b;',
      outdated: false,
      reviewId: null,
    });
    await s.commit({ 'calc.js': `// header\n// more\n${SOURCE}` }, 'Add a header');
    expect(await s.comments.list(s.task.id)).toMatchObject([
      { id: c.id, line: 3, endLine: 4, outdated: false },
    ]);
    await s.commit({ 'calc.js': SOURCE.replace('a + b', 'Number(a) + Number(b)') }, 'Coerce');
    expect(await s.comments.list(s.task.id)).toMatchObject([
      { id: c.id, line: 1, endLine: 2, outdated: true },
    ]);
  });

  it('sends every pending comment anchored, in file and line order, once; names the commits that addressed them', async () => {
    const s = await setup();
    const later = await s.comments.create(s.task.id, { path: 'calc.js', line: 5, body: 'Default export?' });
    const first = await s.comments.create(s.task.id, { path: 'calc.js', line: 2, body: 'Guard against NaN' });
    await s.comments.create(s.task.id, { path: 'notes.md', line: 1, body: 'Say more' });
    await s.comments.send(s.task.id, 'Nearly there');
    expect(s.resumed).toHaveLength(1);
    const prompt = s.resumed[0]!.feedback;
    expect(prompt).toContain('Their summary:\nNearly there');
    expect(prompt).toContain('1. calc.js:2\n```\n  return a + b;\n```\nGuard against NaN');
    expect(prompt).toContain('2. calc.js:5\n```\nexport { add };\n```\nDefault export?');
    expect(prompt).toContain('3. notes.md:1\n```\nn\n```\nSay more');
    const sent = await s.comments.list(s.task.id);
    expect(sent.every((c) => c.reviewId !== null && c.sentAt !== null)).toBe(true);
    await expect(s.comments.send(s.task.id)).rejects.toMatchObject({
      status: 409,
      code: 'no_pending_comments',
    });

    // The agent changes line 2 only: that comment names the commit, the others name none.
    await s.commit({ 'calc.js': SOURCE.replace('a + b', 'Number(a) + Number(b)') }, 'Guard');
    const after = new Map((await s.comments.list(s.task.id)).map((c) => [c.id, c]));
    expect(after.get(first.id)).toMatchObject({ outdated: true });
    expect(after.get(first.id)!.addressedBy).toHaveLength(1);
    expect(after.get(later.id)).toMatchObject({ outdated: false, addressedBy: [] });
  });

  it('refuses comments off the diff or its lines; deletes only pending ones; resolves by a human', async () => {
    const s = await setup();
    await expect(
      s.comments.create(s.task.id, { path: 'README.md', line: 1, body: 'x' }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'not_in_diff',
    });
    await expect(
      s.comments.create(s.task.id, { path: '../etc/passwd', line: 1, body: 'x' }),
    ).rejects.toMatchObject({
      status: 422,
    });
    for (const [line, endLine] of [
      [0, 1],
      [3, 2],
      [5, 6],
    ] as const)
      await expect(
        s.comments.create(s.task.id, { path: 'calc.js', line, endLine, body: 'x' }),
      ).rejects.toMatchObject({
        status: 422,
        code: 'line_out_of_range',
      });
    const a = await s.comments.create(s.task.id, { path: 'calc.js', line: 1, body: 'a' });
    const b = await s.comments.create(s.task.id, { path: 'calc.js', line: 2, body: 'b' });
    await s.comments.remove(s.task.id, a.id);
    await expect(s.comments.remove(s.task.id, 'nosuchcomment')).rejects.toMatchObject({ status: 404 });
    await s.comments.send(s.task.id);
    await expect(s.comments.remove(s.task.id, b.id)).rejects.toMatchObject({
      status: 409,
      code: 'comment_sent',
    });
    expect((await s.comments.setResolved(s.task.id, b.id, true)).resolvedAt).toMatch(/^\d{4}-/);
    expect((await s.comments.setResolved(s.task.id, b.id, false)).resolvedAt).toBeNull();
  });

  it('redacts secrets in the code and the words it keeps', async () => {
    const s = await setup();
    await s.commit({ 'calc.js': `const token = '${FAKE.ghp}';\n${SOURCE}` }, 'Token');
    const c = await s.comments.create(s.task.id, {
      path: 'calc.js',
      line: 1,
      body: `never commit ${FAKE.ghp}`,
    });
    expect(c.code).toBe(`const token = '${REDACTED}';`);
    expect(c.body).toBe(`never commit ${REDACTED}`);
    expect(await s.comments.list(s.task.id)).toMatchObject([{ line: 1, outdated: false }]);
  });
});
