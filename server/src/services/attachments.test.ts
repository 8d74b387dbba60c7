import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanName, createAttachments } from './attachments.js';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

describe('attachments', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-att-'));
  const store = createAttachments(path.join(dir, 'attachments'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores an image under <id>.<ext> (mode 600) and reads it back', async () => {
    const saved = await store.save(PNG, 'image/png', '../../shot.png');
    expect(saved).toMatchObject({ name: 'shot.png', mime: 'image/png', size: PNG.length });
    expect(saved.id).toMatch(/^[a-z0-9]{12}$/);
    const file = path.join(dir, 'attachments', `${saved.id}.png`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const back = await store.read(saved.id);
    expect(back.bytes.equals(PNG)).toBe(true);
    expect((await store.resolve(saved.id)).file).toBe(file);
  });

  it('refuses other types, bytes that do not match the type, and empty uploads', async () => {
    await expect(store.save(Buffer.from('<svg/>'), 'image/svg+xml')).rejects.toMatchObject({ status: 415 });
    await expect(store.save(Buffer.from('<html>'), 'image/png')).rejects.toMatchObject({ status: 415 });
    await expect(store.save(Buffer.alloc(0), 'image/png')).rejects.toMatchObject({ status: 400 });
    await expect(store.save(Buffer.alloc(11 * 1024 * 1024), 'image/png')).rejects.toMatchObject({
      status: 413,
    });
  });

  it('unknown and malformed ids are 404s; a planted symlink is not followed out', async () => {
    await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ status: 404 });
    await expect(store.get('aaaaaaaaaaaa')).rejects.toMatchObject({ status: 404 });
    const attDir = path.join(dir, 'attachments');
    writeFileSync(path.join(dir, 'outside.png'), PNG);
    writeFileSync(
      path.join(attDir, 'bbbbbbbbbbbb.json'),
      JSON.stringify({ id: 'bbbbbbbbbbbb', name: 'x', mime: 'image/png', size: 1 }),
    );
    symlinkSync(path.join(dir, 'outside.png'), path.join(attDir, 'bbbbbbbbbbbb.png'));
    await expect(store.read('bbbbbbbbbbbb')).rejects.toMatchObject({ status: 404 });
    expect(readdirSync(attDir).length).toBeGreaterThan(0);
  });

  it('cleans display names', () => {
    expect(cleanName('a\u0000b"c.png', 'png')).toBe('abc.png');
    expect(cleanName('', 'jpg')).toBe('image.jpg');
  });
});
