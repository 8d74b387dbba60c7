/**
 * No false positives on ordinary text: this repository's own source files (code, docs, config), and the
 * kinds of output agents print all day — git logs and SHAs, UUIDs, base64 images, lockfile hashes, test
 * and build output. A redaction here would hide what a human needs to read.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact.js';
import { randomChars } from './testing/secret-fakes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const redact = createRedactor([]);
const hex = (n: number, seed: number) => randomChars('0123456789abcdef', n, seed);
const uuid = (seed: number) =>
  `${hex(8, seed)}-${hex(4, seed + 1)}-4${hex(3, seed + 2)}-a${hex(3, seed + 3)}-${hex(12, seed + 4)}`;
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** What `redact` hides in `text`, with some context, for a readable failure. */
const findings = (text: string) =>
  redact.spans(text).map((s) => `${s.rule}: …${text.slice(Math.max(0, s.start - 30), s.end + 10)}…`);

describe('no false positives', () => {
  it('in the source files of this repository (tests and fakes aside: they hold fake secrets on purpose)', () => {
    const files = execFileSync(
      'git',
      ['ls-files', 'server/src', 'shared', 'cli/src', 'web/src', 'bots/src', 'docs'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter((f) => /\.(ts|tsx|md|css|json)$/.test(f) && !/\.test\.tsx?$|\/testing\/|redact/.test(f));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) =>
      findings(readFileSync(path.join(root, f), 'utf8')).map((x) => `${f} ${x}`),
    );
    expect(found).toEqual([]);
  });

  const samples: [name: string, text: string][] = [
    [
      'git log with full SHAs',
      Array.from(
        { length: 20 },
        (_, i) =>
          `commit ${hex(40, i + 1)}\nAuthor: Dev <dev@example.com>\n\n    Fix the parser (#${100 + i})\n`,
      ).join('\n'),
    ],
    [
      'git rev-parse, short SHAs and a range',
      `${hex(40, 50)}\n${hex(7, 51)}..${hex(7, 52)}\nHEAD is now at ${hex(7, 53)} Add tests`,
    ],
    [
      'UUIDs in JSON',
      JSON.stringify(
        Array.from({ length: 20 }, (_, i) => ({ id: uuid(i * 7), taskId: uuid(i * 7 + 100) })),
        null,
        2,
      ),
    ],
    [
      'a base64 PNG data URL',
      `<img src="data:image/png;base64,${randomChars(BASE64, 4000, 9)}==" alt="chart">`,
    ],
    [
      'a markdown image with base64',
      `![diagram](data:image/svg+xml;base64,${randomChars(BASE64, 1200, 10)})`,
    ],
    [
      'lockfile integrity hashes',
      Array.from({ length: 10 }, (_, i) => `"integrity": "sha512-${randomChars(BASE64, 86, 20 + i)}=="`).join(
        ',\n',
      ),
    ],
    [
      'sha256 checksums',
      Array.from({ length: 10 }, (_, i) => `${hex(64, 40 + i)}  dist/gluon-${i}.tgz`).join('\n'),
    ],
    [
      'npm test output',
      '> gluon@0.1.0 test\n> vitest run\n\n ✓ server/src/domain/pricing.test.ts (12 tests) 8ms\n Test Files  42 passed (42)\n      Tests  512 passed (512)\n   Duration  9.81s',
    ],
    [
      'tsc errors',
      "server/src/services/runs.ts(148,9): error TS2322: Type 'string' is not assignable to type 'number'.\nFound 1 error in server/src/services/runs.ts:148",
    ],
    [
      'code handling tokens without values',
      'const token = await readToken(file);\nif (!token) throw new Error("missing API key");\nheaders.authorization = `Bearer ${token}`;\nconst apiKey = config.apiKey ?? process.env.ANTHROPIC_API_KEY;',
    ],
    [
      'python handling secrets by name',
      'password = getpass.getpass()\nsecret_key = os.environ["SECRET_KEY"]\ntoken = request.headers.get("Authorization")',
    ],
    [
      'an env listing without secrets',
      'HOME=/home/dev\nPATH=/usr/local/bin:/usr/bin\nNODE_ENV=production\nLANG=en_US.UTF-8\nTOKEN_TTL=3600\nAUTH_ENABLED=true',
    ],
    [
      'docker and ps output',
      `CONTAINER ID   IMAGE          COMMAND\n${hex(12, 60)}   postgres:16   "docker-entrypoint.s…"\n  PID TTY          TIME CMD\n 4242 pts/0    00:00:01 node`,
    ],
    [
      'URLs with ports, users and fragments',
      'http://127.0.0.1:45866/#/tasks\nssh://git@github.com:22/org/repo.git\nhttps://user@example.com/path?x=1#top',
    ],
    [
      'prose about keys and tokens',
      'Rotate the API key every 90 days. The access token expires after an hour; the refresh token lasts a week. Basic auth is disabled.',
    ],
  ];
  it.each(samples)('in %s', (_name, text) => expect(findings(text)).toEqual([]));
});
