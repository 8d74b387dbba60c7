/**
 * Uploads on a real server: only the upload route takes image bodies and 10 MB, every other route keeps
 * 1 MB and refuses image types before reading them, and the store holds no more than its quota.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveApp, type LiveApp } from '../testing/live-app.js';

/** A PNG signature followed by `size - 8` bytes: enough for the type check. */
const png = (size: number) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size - 8, 1)]);
const MB = 1024 * 1024;

describe('attachments on a real server', () => {
  let live: LiveApp;
  let auth: Record<string, string>;
  const upload = (bytes: Buffer, type = 'image/png') =>
    live.send('POST', '/api/attachments?name=shot.png', { ...auth, 'content-type': type }, bytes);
  beforeAll(async () => {
    live = await startLiveApp({ config: { attachments: { maxCount: 3, maxTotalBytes: 12 * MB } } });
    auth = { authorization: `Bearer ${live.token}` };
  });
  afterAll(async () => live?.close());

  it('keeps 1 MB and JSON on every other route: an image body there is a 415, a big one a 413', async () => {
    for (const [method, target] of [
      ['POST', '/api/tasks'],
      ['POST', '/api/projects'],
      ['PATCH', '/api/projects/sample'],
      ['POST', '/api/tasks/abcdefabcdef/answer'],
    ] as const) {
      const image = await live.send(method, target, { ...auth, 'content-type': 'image/png' }, png(2 * MB));
      expect(image.status, `${method} ${target} image`).toBe(415);
      expect(image.json).toMatchObject({ error: { code: 'unsupported_media_type' } });
      const json = await live.send(
        method,
        target,
        { ...auth, 'content-type': 'application/json' },
        JSON.stringify({ text: 'x'.repeat(2 * MB) }),
      );
      expect(json.status, `${method} ${target} json`).toBe(413);
    }
  });

  it('takes up to 10 MB of image on the upload route only, and only images', async () => {
    const big = await upload(png(9 * MB));
    expect(big.status).toBe(201);
    expect((await upload(png(10 * MB + 1))).status).toBe(413);
    const json = await live.send(
      'POST',
      '/api/attachments',
      { ...auth, 'content-type': 'application/json' },
      JSON.stringify({ a: 'x'.repeat(100) }),
    );
    expect(json.status).toBe(415);
  });

  it('refuses uploads past the quota of bytes, then of images, with a 507 saying how to make room', async () => {
    // 9 MB stored already: 4 MB more would pass 12 MB.
    const over = await upload(png(4 * MB));
    expect(over.status).toBe(507);
    expect(over.json).toMatchObject({
      error: { code: 'attachment_quota_exceeded', message: expect.stringMatching(/maxTotalBytes/) },
    });
    expect((await upload(png(1000))).status).toBe(201);
    expect((await upload(png(1000))).status).toBe(201);
    const full = await upload(png(1000));
    expect(full.status).toBe(507);
    expect(full.json).toMatchObject({
      error: { code: 'attachment_quota_exceeded', message: expect.stringMatching(/3 of 3 images/) },
    });
    const stored = readdirSync(path.join(live.home, 'attachments'));
    expect(stored.filter((f) => f.endsWith('.png'))).toHaveLength(3);
    expect(stored.filter((f) => f.endsWith('.json'))).toHaveLength(3);
  });

  it('does not let parallel uploads race past the quota', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => upload(png(1000))));
    expect(results.map((r) => r.status)).toEqual([507, 507, 507, 507, 507]);
  });
});
