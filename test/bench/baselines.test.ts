import { describe, expect, it } from 'vitest';
import { bareNodeColdStart, stackFloorColdStart } from '../../bench/baselines.js';

describe('server baselines', () => {
  it('times a bare Node HTTP server to its first answer', async () => {
    const ms = await bareNodeColdStart();
    expect(ms).toBeGreaterThan(0);
  });

  it("serves Fastify over a better-sqlite3 database, nothing else, and reads the process's resident memory", async () => {
    const floor = await stackFloorColdStart();
    expect(floor.ms).toBeGreaterThan(0);
    // Node's own binary alone keeps some 30 MB resident: a reading below that is not this process's.
    expect(floor.rssMb).toBeGreaterThan(30);
    expect(floor.rssMb).toBeLessThan(1024);
  });

  it('serves the same database over node:http alone, in less memory than with Fastify', async () => {
    const [plain, fastify] = [await stackFloorColdStart('node'), await stackFloorColdStart()];
    expect(plain.rssMb).toBeGreaterThan(30);
    expect(plain.rssMb).toBeLessThan(fastify.rssMb);
  });
});
