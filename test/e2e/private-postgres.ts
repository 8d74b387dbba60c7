/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary directory, on a free port), so that a test
 * can restart the database under a running fleet without touching the machine's shared server. As root
 * the cluster runs as the `postgres` user (Postgres refuses root); otherwise as the current user.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestDatabase } from '../../server/src/storage/testing/databases.js';
import { freePort } from './harness.js';

const run = promisify(execFile);

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return path.join(root, versions[0], 'bin');
}

export interface PrivatePostgres extends TestDatabase {
  /** Restarts the cluster (fast shutdown: open connections are cut), waiting until it answers again. */
  restart(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-pg-'));
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? Number((await run('id', ['-u', 'postgres'])).stdout.trim()) : null;
  if (owner !== null) chownSync(dir, owner, owner);
  const pgCmd = (cmd: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(binDir(), cmd), ...args])
      : run(path.join(binDir(), cmd), args);
  const data = path.join(dir, 'data');
  const port = await freePort();
  await pgCmd('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]) =>
    pgCmd('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', ...args]);
  await ctl('-o', options, 'start');
  const admin = new pg.Client(`postgres://postgres@127.0.0.1:${port}/postgres`);
  await admin.connect();
  await admin.query('create database gluon');
  await admin.end();
  return {
    dialect: 'postgres',
    location: `postgres://postgres@127.0.0.1:${port}/gluon`,
    async restart() {
      await ctl('-m', 'fast', 'restart', '-o', options);
    },
    async drop() {
      await ctl('-m', 'immediate', 'stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
