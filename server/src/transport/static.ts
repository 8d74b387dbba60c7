/**
 * Serves the web cockpit (web/dist) from the API's origin: hashed assets cached for good, the shell and
 * the service worker revalidated every time, and any other page address answered with the shell (the
 * app routes in the browser). /api/…, however spelled, never falls through to the app: the gate asks
 * for the token there, and an unknown API route stays a 404.
 */
import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { needs } from './access.js';
import { isApiTarget } from './request-target.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** The checkout's web/dist, found from this file in the source tree or in the build (dist/…). */
export function defaultWebRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'web')))
      return path.join(dir, 'web', 'dist');
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * The file under `root` that a URL path names, or null.
 * Rules: decoded once; no NUL, no backslash, no `..` segment; the real path (symlinks resolved) must stay
 * inside the real root; only regular files.
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) return null;
  const realRoot = await realpath(root).catch(() => null);
  if (!realRoot) return null;
  const candidate = path.join(realRoot, path.posix.normalize(`/${decoded}`));
  const real = await realpath(candidate).catch(() => null);
  if (!real || !real.startsWith(`${realRoot}${path.sep}`)) return null;
  const info = await stat(real).catch(() => null);
  return info?.isFile() ? real : null;
}

/** Streams the file from disk (nothing of the dashboard is held in memory). */
async function sendFile(reply: FastifyReply, file: string, cache: string) {
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const info = await stat(file);
  return reply
    .header('content-type', type)
    .header('cache-control', cache)
    .header('content-length', info.size)
    .send(createReadStream(file));
}

/** Registers the app's files and the fallback to its shell. */
export function registerStatic(app: FastifyInstance, opts: { root?: string | null } = {}): void {
  const root = opts.root === undefined ? defaultWebRoot() : opts.root;
  app.get('/*', needs('public'), async (req, reply) => {
    const urlPath = req.url.split('?')[0]!;
    if (isApiTarget(req.url))
      return reply.code(404).send({ error: { code: 'not_found', message: `no route GET ${urlPath}` } });
    const index = root ? path.join(root, 'index.html') : null;
    if (!root || !index || !existsSync(index))
      return reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The Gluon dashboard is not built. Run `npm run build` in the Gluon checkout, then reload.');
    const file = urlPath === '/' ? null : await resolveStaticFile(root, urlPath);
    if (file) return sendFile(reply, file, urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
    // A missing file (it has an extension) is a 404; any other address is a page of the app.
    if (path.posix.extname(urlPath))
      return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
    return sendFile(reply, index, REVALIDATE);
  });
}
