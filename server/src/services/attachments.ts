/**
 * Image attachments for tasks: uploaded bytes are checked (an allowed image type whose first bytes agree
 * with it, a size limit, the store's quota), stored as `<dir>/<id>.<ext>` with a small JSON record beside,
 * and served back with their own content type only. The runner resolves ids to files with `resolve()`.
 */
import { mkdir, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, invalidInput, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';

export interface AttachmentDto {
  id: string;
  name: string;
  mime: string;
  size: number;
}

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const ID = /^[a-z0-9]{12}$/;

/** How much the store may hold: images and their bytes together (`attachments` in config.json). */
export interface AttachmentQuota {
  maxCount: number;
  maxTotalBytes: number;
}

export const DEFAULT_ATTACHMENT_QUOTA: AttachmentQuota = {
  maxCount: 1000,
  maxTotalBytes: 512 * 1024 * 1024,
};

/** The accepted image types, their extension, and how their first bytes look. */
const TYPES: Record<string, { ext: string; sniff: (b: Buffer) => boolean }> = {
  'image/png': {
    ext: 'png',
    sniff: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  'image/jpeg': { ext: 'jpg', sniff: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  'image/gif': {
    ext: 'gif',
    sniff: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')),
  },
  'image/webp': {
    ext: 'webp',
    sniff: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
};

export const ATTACHMENT_MIME_TYPES = Object.keys(TYPES);

/** A display name without directories, control characters or quotes, at most 200 characters. */
export function cleanName(name: string | undefined, ext: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return clean || `image.${ext}`;
}

const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/** The images stored in `dir` and their bytes (records and stray files aside). */
async function usage(dir: string): Promise<{ count: number; bytes: number }> {
  const extensions = new Set(Object.values(TYPES).map((t) => `.${t.ext}`));
  let count = 0;
  let bytes = 0;
  for (const name of await readdir(dir)) {
    if (!extensions.has(path.extname(name))) continue;
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (!info?.isFile()) continue;
    count += 1;
    bytes += info.size;
  }
  return { count, bytes };
}

/** A full store (507): what is used, and how to make room. */
function quotaExceeded(dir: string, message: string): AppError {
  return new AppError(
    507,
    'attachment_quota_exceeded',
    `${message}; delete images from ${dir} or raise attachments.maxCount / attachments.maxTotalBytes in config.json`,
  );
}

/** Maps a failed write to a clear answer: a full disk is a 507, anything else stays an internal error. */
function writeFailure(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new AppError(
      507,
      'insufficient_storage',
      'the data directory is out of space; the image was not stored',
    );
  return err;
}

export function createAttachments(dir: string, quota: AttachmentQuota = DEFAULT_ATTACHMENT_QUOTA) {
  const ready = mkdir(dir, { recursive: true, mode: 0o700 });
  // Uploads are checked against the quota and written one at a time, so two cannot both take the last slot.
  let saving: Promise<unknown> = Promise.resolve();

  async function record(id: string): Promise<AttachmentDto> {
    if (!ID.test(id)) throw notFound(`attachment ${id}`);
    await ready;
    try {
      return JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as AttachmentDto;
    } catch {
      throw notFound(`attachment ${id}`);
    }
  }

  /** The stored file of an attachment, checked to resolve inside the attachments directory. */
  async function resolve(id: string): Promise<{ file: string; attachment: AttachmentDto }> {
    const attachment = await record(id);
    const type = TYPES[attachment.mime];
    if (!type) throw notFound(`attachment ${id}`);
    const root = await realpath(dir);
    const file = await realpath(path.join(dir, `${id}.${type.ext}`)).catch(() => null);
    if (!file || path.dirname(file) !== root) throw notFound(`attachment ${id}`);
    return { file, attachment };
  }

  async function store(attachment: AttachmentDto, ext: string, bytes: Buffer): Promise<AttachmentDto> {
    const used = await usage(dir);
    if (used.count + 1 > quota.maxCount)
      throw quotaExceeded(dir, `the attachments store is full (${used.count} of ${quota.maxCount} images)`);
    if (used.bytes + bytes.length > quota.maxTotalBytes)
      throw quotaExceeded(
        dir,
        `this ${megabytes(bytes.length)} image does not fit in the attachments store (${megabytes(used.bytes)} of ${megabytes(quota.maxTotalBytes)} used)`,
      );
    const file = path.join(dir, `${attachment.id}.${ext}`);
    const record = path.join(dir, `${attachment.id}.json`);
    try {
      await writeFile(file, bytes, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // A half-written image of ours goes; a file that was already there (EEXIST) is not ours to remove.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rm(file, { force: true });
      throw writeFailure(err);
    }
    try {
      await writeFile(record, JSON.stringify({ ...attachment, createdAt: nowIso() }), { mode: 0o600 });
    } catch (err) {
      await Promise.all([rm(file, { force: true }), rm(record, { force: true })]);
      throw writeFailure(err);
    }
    return attachment;
  }

  return {
    /**
     * Stores an upload.
     * Rules: the declared type must be PNG, JPEG, GIF or WebP and the bytes must start like one (415
     * otherwise); empty is a 400; more than the limit is a 413; a store that would hold more images or
     * bytes than its quota is a 507, and so is a full disk (nothing half-written stays behind).
     */
    async save(bytes: Buffer, mime: string, name?: string): Promise<AttachmentDto> {
      const type = TYPES[mime];
      if (!type)
        throw new AppError(
          415,
          'unsupported_media_type',
          `attach PNG, JPEG, GIF or WebP images (not ${mime})`,
        );
      if (bytes.length === 0) throw invalidInput('the image is empty');
      if (bytes.length > MAX_ATTACHMENT_BYTES)
        throw new AppError(413, 'payload_too_large', 'images are limited to 10 MB');
      if (!type.sniff(bytes))
        throw new AppError(415, 'unsupported_media_type', `the bytes are not a ${mime} image`);
      await ready;
      const attachment: AttachmentDto = {
        id: newId(),
        name: cleanName(name, type.ext),
        mime,
        size: bytes.length,
      };
      const turn = saving.then(() => store(attachment, type.ext, bytes));
      saving = turn.catch(() => {});
      return turn;
    },
    get: record,
    resolve,
    async read(id: string): Promise<{ bytes: Buffer; attachment: AttachmentDto }> {
      const { file, attachment } = await resolve(id);
      return { bytes: await readFile(file), attachment };
    },
  };
}

export type Attachments = ReturnType<typeof createAttachments>;
