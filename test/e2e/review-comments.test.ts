/**
 * The review loop through the built CLI and a real server: the real Claude Code writes a file, a reviewer
 * comments on a line (`gluon comment`), sends the review (`gluon send-review`), the same session resumes
 * with the comment anchored (file, line, code) and changes the line; the comment is then outdated and
 * names the commit that addressed it, and a human resolves it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewCommentDto } from '../../shared/review-dto.js';
import { cli, git, settled, startGluon, waitForTask, type Gluon, cliEnv } from './harness.js';

const SOURCE = 'function add(a, b) {\\n  return a + b;\\n}\\n';
const FIXED = 'function add(a, b) {\\n  return Number(a) + Number(b);\\n}\\n';

describe('review comments through the CLI and the real agent', () => {
  let g: Gluon;
  let env: NodeJS.ProcessEnv;
  let id = '';
  beforeAll(async () => {
    g = await startGluon();
    env = cliEnv(g);
    const task = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:reviewed path=calc.js content="${SOURCE}" fix="${FIXED}"]] Write an adder`,
    });
    id = task.id;
    expect((await waitForTask(g.client, id, settled, 'the first run')).status).toBe('review');
  });
  afterAll(async () => g?.close());

  it('refuses bad locations: a usage error (exit 2) or the server’s 422 (exit 1), one line each', async () => {
    const usage = await cli(['comment', id, 'calc.js', 'no line'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
    const past = await cli(['comment', id, 'calc.js:40', 'too far'], env);
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/lines 40-40 are not in calc\.js \(it has 3 lines\)/);
    const foreign = await cli(['comment', id, 'README.md:1', 'not in the diff'], env);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/README\.md is not a text file this task changed/);
  });

  it('sends a line comment to the same session, anchored; the agent’s commit addresses it', async () => {
    const before = await g.client.getTask(id);
    const added = await cli(['comment', id.slice(0, 6), 'calc.js:2', 'Guard', 'against', 'strings'], env);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/ · calc\.js:2 · pending/);
    expect((await cli(['comment', id, 'calc.js:1-3', 'Add a doc comment'], env)).code).toBe(0);

    const sent = await cli(['send-review', id, 'Two', 'small', 'things'], env);
    expect(sent.code).toBe(0);
    const after = await waitForTask(
      g.client,
      id,
      (t) => settled(t) && t.updatedAt !== before.updatedAt && t.status === 'review',
      'the review run',
    );
    expect(after.sessionId).toBe(before.sessionId);
    expect(await g.client.runs(id)).toHaveLength(2);

    // What the agent was told, as it wrote it down on the task branch.
    const told = await git(g.repo, 'show', `gluon-task/${id}:review-feedback.md`);
    expect(told).toContain('Their summary:\nTwo small things');
    expect(told).toContain(
      '1. calc.js:1-3\n```\nfunction add(a, b) {\n  return a + b;\n}\n```\nAdd a doc comment',
    );
    expect(told).toContain('2. calc.js:2\n```\n  return a + b;\n```\nGuard against strings');

    const listed = JSON.parse((await cli(['comments', id, '--json'], env)).stdout) as ReviewCommentDto[];
    const guard = listed.find((c) => c.body === 'Guard against strings')!;
    expect(guard).toMatchObject({ outdated: true, line: 2, resolvedAt: null });
    expect(guard.reviewId).not.toBeNull();
    expect(guard.addressedBy).toHaveLength(1);
    const sha = (await git(g.repo, 'rev-parse', '--short', `gluon-task/${id}`)).trim();
    expect(sha.startsWith(guard.addressedBy[0]!) || guard.addressedBy[0]!.startsWith(sha)).toBe(true);

    const table = await cli(['comments', id], env);
    expect(table.stdout).toMatch(
      /calc\.js:2\s+sent · outdated · addressed in [0-9a-f]+\s+Guard against strings/,
    );
    const resolved = await cli(['resolve-comment', id, guard.id], env);
    expect(resolved.stdout.trim()).toBe(`${guard.id} · calc.js:2 · resolved`);
    expect((await cli(['send-review', id], env)).stderr).toMatch(/no pending comments/);
  });
});
