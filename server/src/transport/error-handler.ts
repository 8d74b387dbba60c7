/**
 * One mapping from errors to answers: AppError keeps its status and code; the framework's own client
 * errors (bad JSON, too large, wrong content type) become 4xx with a stable code; a full disk or a locked
 * database becomes a 507 or a 503 that says so; anything else is logged and answered with a generic 500.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, resourceFailure } from '../errors.js';

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
    const resource = resourceFailure(err);
    if (resource) {
      log(resource.message, err);
      return reply.code(resource.status).send({ error: { code: resource.code, message: resource.message } });
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

/**
 * Answers a request Node's HTTP parser refused (a malformed request line, bad headers, headers too large)
 * in the API's error shape, then closes the connection. Fastify's `clientErrorHandler` option.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'request_timeout', 'the request took too long to arrive']
        : [400, 'Bad Request', 'invalid_request', 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  socket.destroy();
}
