/**
 * A fuzzer over the real server's route table: fast-check generates malformed requests for every route
 * (bad JSON, wrong types, huge strings, 10 MB bodies, unknown or malformed ids, odd content types, stray
 * query parameters), sends them with the token over a real socket, and every answer must be a 4xx with
 * `{error:{code,message}}` — no 5xx, nothing logged as unexpected, and the server still answers a valid
 * request afterwards. Every generated request is malformed by construction, so none may succeed.
 *
 * The seed is fixed; change the run with `GLUON_FUZZ_RUNS=10000` (default 1000) and
 * `GLUON_FUZZ_SEED=<n>` (default 20251204). A failure prints the seed and the shrunk request.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteEntry } from './access.js';
import { DISCORD_INTERACTIONS_PATH } from './routes/discord.js';
import { startLiveApp, type LiveApp } from './testing/live-app.js';

const RUNS = Number(process.env.GLUON_FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.GLUON_FUZZ_SEED ?? 20251204);
const MB = 1024 * 1024;

interface FuzzRequest {
  /** The route it was made for (`GET /api/tasks/:id`). */
  route: string;
  method: string;
  target: string;
  contentType: string | null;
  body: string | Buffer | null;
}

/** A path parameter that names nothing: well-formed but unknown, or malformed (encoded, so HTTP stays valid). */
const badParam = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{12}$/).map((s) => `zz${s}`),
  fc.constantFrom('..%2F..%2Fetc', '%2e%2e', '-rf', '%00', '%E2%80%AE', 'A'.repeat(40), 'x'),
  fc.string({ minLength: 1, maxLength: 80 }).map(encodeURIComponent),
  fc.integer({ min: 60, max: 400 }).map((n) => 'a'.repeat(n)),
);

/** A query every route refuses: an unknown parameter, with known ones set to wrong values beside it. */
const badQuery = fc
  .record({
    unknown: fc.string({ maxLength: 30 }),
    limit: fc.option(fc.constantFrom('-1', '0', 'abc', '1e9', '10001', ''), { nil: undefined }),
    after: fc.option(fc.constantFrom('-5', 'x', '1.5'), { nil: undefined }),
    status: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    q: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
  })
  .map((q) => {
    const search = new URLSearchParams({ zz_unknown: q.unknown });
    for (const key of ['limit', 'after', 'status', 'q'] as const) {
      const value = q[key];
      if (value !== undefined) search.set(key, value);
    }
    return `?${search.toString()}`;
  });

/** A value of the wrong type for any field. */
const wrongValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  fc.string({ maxLength: 50 }),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

const FIELDS = [
  'project',
  'prompt',
  'title',
  'path',
  'name',
  'status',
  'text',
  'reason',
  'github',
  'profile',
];

/** A body no route accepts, and the content type it is sent with. */
const badBody: fc.Arbitrary<{ contentType: string | null; body: string | Buffer }> = fc.oneof(
  { weight: 4, arbitrary: fc.string().map((s) => ({ contentType: 'application/json', body: `${s} {` })) },
  {
    weight: 4,
    arbitrary: fc
      .oneof(fc.integer(), fc.boolean(), fc.string(), fc.array(fc.integer()))
      .map((v) => ({ contentType: 'application/json', body: JSON.stringify(v) })),
  },
  {
    // Known field names with wrong values, and always one unknown field: every schema is strict.
    weight: 6,
    arbitrary: fc
      .dictionary(fc.constantFrom(...FIELDS), wrongValue, { maxKeys: 4 })
      .map((o) => ({ contentType: 'application/json', body: JSON.stringify({ ...o, zz_unknown: 1 }) })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'image/png',
          'application/octet-stream',
          'application/json; charset=latin1',
          'bogus',
        ),
        fc.string({ maxLength: 200 }),
      )
      .map(([contentType, s]) => ({ contentType, body: `\u0000${s}` })),
  },
  { weight: 1, arbitrary: fc.constant({ contentType: null, body: '{"x":' }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('application/json', 'image/png', 'text/plain')
      .map((contentType) => ({ contentType, body: Buffer.alloc(10 * MB + 1, 0x7b) })),
  },
);

function requestFor(route: RouteEntry): fc.Arbitrary<FuzzRequest> {
  const params = route.url.match(/:[A-Za-z]+/g) ?? [];
  const path = fc
    .tuple(...params.map(() => badParam))
    .map((values) => params.reduce((url, p, i) => url.replace(p, values[i]!), route.url));
  const takesBody = route.method !== 'GET' && route.method !== 'HEAD';
  // Routes without parameters are malformed by their query (GET) or their body (the rest).
  const query = params.length === 0 && !takesBody ? badQuery : fc.option(badQuery, { nil: '' });
  const body = takesBody ? badBody : fc.constant({ contentType: null, body: null });
  return fc.record({ path, query, body }).map(({ path: p, query: q, body: b }) => ({
    route: `${route.method} ${route.url}`,
    method: route.method,
    target: `${p}${q}`,
    contentType: b.contentType,
    body: b.body,
  }));
}

describe('1,000 malformed requests over every route', () => {
  let live: LiveApp;
  beforeAll(async () => {
    live = await startLiveApp();
  });
  afterAll(async () => live?.close());

  it(`answers each with a 4xx {error:{code,message}}: 0 5xx, no crash (${RUNS} runs, seed ${SEED})`, async () => {
    // Everything but the dashboard's static files (any page address is a page) and the upgrade itself.
    const routes = routeTable(live.app).filter((r) => r.access !== 'public');
    expect(routes.length).toBeGreaterThan(30);
    const statuses = new Map<number, number>();
    const covered = new Set<string>();
    const request = fc.oneof(...routes.map(requestFor));
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { authorization: `Bearer ${live.token}` };
        if (r.contentType !== null) headers['content-type'] = r.contentType;
        if (r.target.startsWith(DISCORD_INTERACTIONS_PATH)) {
          headers['x-signature-ed25519'] = 'ab'.repeat(64);
          headers['x-signature-timestamp'] = '1700000000';
        }
        const res = await live.send(r.method, r.target, headers, r.body ?? undefined);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        covered.add(r.route);
        expect(res.status, `${r.method} ${r.target.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${r.method} ${r.target.slice(0, 200)}`).toBeLessThan(500);
        if (r.method !== 'HEAD')
          expect(res.json, res.body.slice(0, 200)).toMatchObject({
            error: { code: expect.any(String), message: expect.any(String) },
          });
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    if (RUNS >= 1000) expect(covered.size).toBe(routes.length);
    expect(live.logs.filter((l) => /unexpected/.test(l.msg))).toEqual([]);
    // Still serving: a valid request after the storm.
    const health = await live.send('GET', '/api/health', { authorization: `Bearer ${live.token}` });
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ ok: true });
  });
});
