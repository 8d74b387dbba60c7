/**
 * POST /api/attachments (raw image bytes, `Content-Type: image/…`, `?name=`) and GET /api/attachments/:id.
 * Served back with the stored type only, as an inline download that no browser may sniff into HTML.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AttachmentDto } from '../../../../shared/api.js';
import { AppError } from '../../errors.js';
import {
  ATTACHMENT_MIME_TYPES,
  createAttachments,
  MAX_ATTACHMENT_BYTES,
} from '../../services/attachments.js';
import { parse } from '../validate.js';

const uploadQuery = z.strictObject({ name: z.string().max(500).optional() });
const attachmentParam = z.object({ id: z.string().regex(/^[a-z0-9]{12}$/, 'an attachment id') });

/**
 * Registers the routes over `<home>/attachments`. Without `home` (a server that does not pass its data
 * directory) they answer 503 rather than write anywhere else.
 */
export function registerAttachmentRoutes(app: FastifyInstance, deps: { home?: string }): void {
  const store = deps.home ? createAttachments(path.join(deps.home, 'attachments')) : null;
  const need = () => {
    if (!store)
      throw new AppError(
        503,
        'attachments_unavailable',
        'this server was started without a data directory for attachments',
      );
    return store;
  };
  app.addContentTypeParser(
    ATTACHMENT_MIME_TYPES,
    { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES },
    (_req, body, done) => done(null, body),
  );
  app.post('/api/attachments', { bodyLimit: MAX_ATTACHMENT_BYTES }, async (req, reply) => {
    const { name } = parse(uploadQuery, req.query, 'query');
    const mime = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!Buffer.isBuffer(req.body))
      throw new AppError(415, 'unsupported_media_type', 'send the image bytes with an image content type');
    const saved: AttachmentDto = await need().save(req.body, mime, name);
    reply.code(201);
    return saved;
  });
  app.get('/api/attachments/:id', async (req, reply) => {
    const { id } = parse(attachmentParam, req.params, 'attachment');
    const { bytes, attachment } = await need().read(id);
    const ascii = attachment.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply
      .header('content-type', attachment.mime)
      .header('content-disposition', `inline; filename="${ascii}"`)
      .header('cache-control', 'private, no-store')
      .send(bytes);
  });
}
