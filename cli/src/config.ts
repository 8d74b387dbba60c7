/**
 * Where the CLI finds the server and its token: `--server` / `GLUON_URL` (default loopback on the default
 * port) and `GLUON_TOKEN` / `$GLUON_HOME/token` (GLUON_HOME defaults to `~/.gluon`).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORT } from '../../shared/api.js';
import { UsageError } from './errors.js';

export interface ServerConfig {
  baseUrl: string;
  token: string | undefined;
  /** Where the token was looked for, to say so when the server answers 401. */
  tokenSource: string;
}

/** The data directory: `$GLUON_HOME`, else `~/.gluon`. */
export function gluonHome(env: NodeJS.ProcessEnv): string {
  return env.GLUON_HOME?.trim() || join(homedir(), '.gluon');
}

/**
 * Resolves the server URL and token.
 * Rules: `--server` beats `GLUON_URL` beats the default; the URL must be http(s) (else a usage error);
 * `GLUON_TOKEN` beats the token file; a missing or unreadable file means no token (the server will say 401).
 */
export function resolveServerConfig(env: NodeJS.ProcessEnv, serverOption?: string): ServerConfig {
  const raw = serverOption?.trim() || env.GLUON_URL?.trim() || `http://127.0.0.1:${DEFAULT_PORT}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid server URL '${raw}' (expected e.g. http://127.0.0.1:${DEFAULT_PORT})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid server URL '${raw}': only http and https are supported`);
  }
  const baseUrl = url.toString().replace(/\/+$/, '');

  const envToken = env.GLUON_TOKEN?.trim();
  if (envToken) return { baseUrl, token: envToken, tokenSource: 'GLUON_TOKEN' };
  const file = join(gluonHome(env), 'token');
  let token: string | undefined;
  try {
    token = readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    token = undefined;
  }
  return { baseUrl, token, tokenSource: file };
}
