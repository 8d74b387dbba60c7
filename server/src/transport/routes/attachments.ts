/**
 * POST /api/attachments (raw image bytes, `Content-Type: image/…`, `?name=`) and GET /api/attachments/:id.
 * Served back with the stored type only, as an inline download that no browser may sniff into HTML.
 * The routes live in a scope of their own: only the upload takes image bodies, and only it takes 10 MB;
 * every other route keeps the server's 1 MB and refuses image types (415) before reading a byte.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AttachmentDto } from '../../../../shared/api.js';
import { AppError } from '../../errors.js';
import { ATTACHMENT_MIME_TYPES, MAX_ATTACHMENT_BYTES, type Attachments } from '../../services/attachments.js';
import { needs } from '../access.js';
import { parse } from '../validate.js';

const uploadQuery = z.strictObject({ name: z.string().max(500).optional() });
const attachmentParam = z.object({ id: z.string().regex(/^[a-z0-9]{12}$/, 'an attachment id') });

/** Registers the routes over the server's attachments store (its quota is the store's). */
export function registerAttachmentRoutes(app: FastifyInstance, deps: { attachments: Attachments }): void {
  const store = deps.attachments;
  void app.register(async (scope) => {
    // Images only: a JSON or text body sent here is refused by type, not read up to 10 MB first.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ATTACHMENT_MIME_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      '/api/attachments',
      { bodyLimit: MAX_ATTACHMENT_BYTES, ...needs('operator', 'attachment.upload') },
      async (req, reply): Promise<AttachmentDto> => {
        const { name } = parse(uploadQuery, req.query, 'query');
        const mime = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!Buffer.isBuffer(req.body))
          throw new AppError(
            415,
            'unsupported_media_type',
            'send the image bytes with an image content type',
          );
        const saved = await store.save(req.body, mime, name);
        reply.code(201);
        return saved;
      },
    );
    scope.get('/api/attachments/:id', needs('viewer'), async (req, reply) => {
      const { id } = parse(attachmentParam, req.params, 'attachment');
      const { bytes, attachment } = await store.read(id);
      const ascii = attachment.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return reply
        .header('content-type', attachment.mime)
        .header('content-disposition', `inline; filename="${ascii}"`)
        .header('cache-control', 'private, no-store')
        .send(bytes);
    });
  });
}
