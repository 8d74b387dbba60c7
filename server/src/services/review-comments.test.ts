import { afterAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../domain/redact.js';
import { FAKE } from '../domain/testing/secret-fakes.js';
import { createReviewBeds, SOURCE } from './testing/review-bed.js';

const beds = createReviewBeds();
afterAll(() => beds.cleanup());
const setup = () => beds.open();

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
