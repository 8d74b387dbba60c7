/**
 * Redaction cost on a 10,000-event corpus shaped like a real run: streamed prose, tool calls, tool results
 * (source files, test output, git logs), a few big outputs, and a few secrets. The corpus is built from this
 * repository's own files, so it is deterministic and looks like what agents read and write.
 * Run: `npx tsx bench/redaction.ts` (prints ms for the whole corpus, median of 5 passes).
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedactor, redactDeep } from '../server/src/domain/redact.js';
import { FAKE } from '../server/src/domain/testing/secret-fakes.js';
import { median } from './stats.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Realistic fake secrets, assembled at run time (no token-shaped literal in the repository). */
const SECRETS = [
  FAKE.ghp,
  FAKE.awsKeyId,
  `postgres://app:${FAKE.password}@db.internal:5432/app`,
  `DB_PASSWORD=${FAKE.password}`,
  `Authorization: Bearer ${FAKE.bearer}`,
];

export interface CorpusEvent {
  type: string;
  data: Record<string, unknown>;
}

/** 10,000 events: 60% deltas, 15% tool calls, 15% tool results, 5% full texts, 5% carrying a secret. */
export function buildCorpus(n = 10_000): CorpusEvent[] {
  const files = execFileSync('git', ['ls-files', 'server/src', 'docs', 'shared'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => /\.(ts|md)$/.test(f))
    .sort();
  const texts = files.map((f) => readFileSync(path.join(root, f), 'utf8'));
  const prose = texts.filter((_t, i) => files[i]!.endsWith('.md')).join('\n');
  const code = texts.filter((_t, i) => files[i]!.endsWith('.ts'));
  const log = execFileSync('git', ['log', '--format=%H %an %s', '-n', '400'], {
    cwd: root,
    encoding: 'utf8',
  });
  const events: CorpusEvent[] = [];
  for (let i = 0; i < n; i++) {
    const at = (i * 397) % Math.max(1, prose.length - 400);
    const r = i % 20;
    if (r < 12)
      events.push({ type: 'agent.delta', data: { kind: 'text', index: 0, text: prose.slice(at, at + 400) } });
    else if (r < 15) {
      const file = code[i % code.length]!;
      events.push({
        type: 'tool.called',
        data: {
          name: 'Edit',
          input: {
            file_path: files[i % files.length],
            old_string: file.slice(0, 300),
            new_string: file.slice(300, 700),
          },
        },
      });
    } else if (r < 18) {
      const big = i % 500 === 15;
      const output = big
        ? code.join('\n').slice(0, 64 * 1024)
        : i % 3 === 0
          ? log.slice(0, 3000)
          : code[i % code.length]!.slice(0, 6000);
      events.push({ type: 'tool.result', data: { toolUseId: `toolu_${i}`, output, isError: false } });
    } else if (r < 19) events.push({ type: 'agent.text', data: { text: prose.slice(at, at + 2000) } });
    else
      events.push({
        type: 'agent.delta',
        data: { kind: 'text', text: `see ${SECRETS[Math.floor(i / 20) % SECRETS.length]} here` },
      });
  }
  return events;
}

/** Milliseconds to redact every event of the corpus (median of `passes`), and how many secrets it hid. */
export function measureRedaction(
  events: CorpusEvent[],
  passes = 5,
): { ms: number; chars: number; hidden: number } {
  const redact = createRedactor(['gluon-token-0123456789abcdef', 'a-known-db-password']);
  const chars = events.reduce((s, e) => s + JSON.stringify(e.data).length, 0);
  const times: number[] = [];
  for (let p = 0; p < passes; p++) {
    const t0 = performance.now();
    for (const e of events) redactDeep(e.data, redact);
    times.push(performance.now() - t0);
  }
  const hidden = events.reduce(
    (n, e) => n + JSON.stringify(redactDeep(e.data, redact)).split('[REDACTED]').length - 1,
    0,
  );
  return { ms: median(times), chars, hidden };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const events = buildCorpus();
  const { ms, chars, hidden } = measureRedaction(events);
  const size = `${(chars / 1e6).toFixed(1)} MB`;
  console.log(
    `redaction: ${events.length} events, ${size}, ${ms.toFixed(1)} ms (median of 5), ${hidden} secrets hidden`,
  );
}
