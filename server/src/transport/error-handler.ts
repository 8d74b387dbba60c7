/**
 * One mapping from errors to answers: AppError keeps its status and code; the framework's own client
 * errors (bad JSON, too large, wrong content type) become 4xx with a stable code; anything else is logged
 * and answered with a generic 500.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

const FRAMEWORK_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
};

export function installErrorHandler(app: FastifyInstance, log: (msg: string, err?: unknown) => void): void {
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send({
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      });
    }
    const known = err.code ? FRAMEWORK_CODES[err.code] : undefined;
    if (known) return reply.code(known.status).send({ error: { code: known.code, message: err.message } });
    if (err instanceof SyntaxError || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      return reply
        .code(err.statusCode && err.statusCode < 500 ? err.statusCode : 400)
        .send({ error: { code: 'invalid_request', message: err.message } });
    }
    log('unexpected error while serving a request', err);
    return reply
      .code(500)
      .send({ error: { code: 'internal', message: 'internal error; see the server log' } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });
}
