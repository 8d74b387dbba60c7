import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseLocation, databaseSecrets, loadConfig } from './config.js';

const homes: string[] = [];
function home(config?: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gluon-config-'));
  homes.push(dir);
  if (config) writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}
afterEach(() => {
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the database setting', () => {
  it('is SQLite in the data directory when nothing names a Postgres URL', () => {
    const dir = home();
    const config = loadConfig(dir, {}, {});
    expect(databaseLocation(config)).toBe(path.join(dir, 'gluon.db'));
    expect(config.database).toEqual({ poolSize: 10, statementTimeoutMs: 30_000 });
    expect(databaseSecrets(config)).toEqual([]);
  });

  it('takes database.url from config.json, and GLUON_DATABASE_URL over it, keeping the other settings', () => {
    const dir = home({ database: { url: 'postgres://file@db/gluon', poolSize: 4 } });
    expect(databaseLocation(loadConfig(dir, {}, {}))).toBe('postgres://file@db/gluon');
    const config = loadConfig(dir, {}, { GLUON_DATABASE_URL: 'postgresql://env@db/gluon' });
    expect(config.database).toEqual({
      url: 'postgresql://env@db/gluon',
      poolSize: 4,
      statementTimeoutMs: 30_000,
    });
  });

  it('refuses a URL that is not Postgres', () => {
    expect(() => loadConfig(home(), {}, { GLUON_DATABASE_URL: 'mysql://x@db/gluon' })).toThrow(
      /postgres:\/\/ URL/,
    );
    expect(() => loadConfig(home({ database: { url: '/tmp/x.db' } }), {}, {})).toThrow(/postgres:\/\/ URL/);
  });

  it('lists the password of the URL, as written and decoded, for redaction', () => {
    const config = loadConfig(
      home(),
      {},
      { GLUON_DATABASE_URL: 'postgres://gluon:p%40ss-w0rd-long@db/gluon' },
    );
    expect(databaseSecrets(config).sort()).toEqual(['p%40ss-w0rd-long', 'p@ss-w0rd-long']);
  });
});

describe('a damaged config.json', () => {
  it.each([
    ['truncated mid-save', '{"maxConcurrentTasks": 4,', /not valid JSON/],
    ['stray text', '{"port": 45866} oops', /not valid JSON/],
    ['empty', '', /not valid JSON/],
    ['not an object', '[1, 2]', /expected a JSON object/],
    ['null', 'null', /expected a JSON object/],
  ])('%s: one message naming the file and the way out', (_name, text, why) => {
    const dir = home();
    writeFileSync(path.join(dir, 'config.json'), text);
    let message = '';
    try {
      loadConfig(dir, {}, {});
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(why);
    expect(message).toContain(path.join(dir, 'config.json'));
    expect(message).toMatch(/fix it or move it away|expected a JSON object/);
  });

  it('a value of the wrong type names the setting', () => {
    expect(() => loadConfig(home({ maxConcurrentTasks: 'lots' }), {}, {})).toThrow(/maxConcurrentTasks/);
  });
});
