/**
 * `npm run bench`: Gluon's speed and memory figures, each printed next to a baseline measured in the same
 * run on the same machine. Targets come from the product's issue list; a MISS is reported, not hidden.
 */
import { measureEventPipeline, rawSqliteInsertsPerSecond } from './event-pipeline.js';
import { measureMemory } from './memory.js';
import { measureStartLatency } from './start-latency.js';
import { ms, report } from './stats.js';
import { reportWeb } from './web.js';

console.log('Gluon benchmark (real Claude Code against the scripted fake API on 127.0.0.1)\n');

const start = await measureStartLatency();
const baseline = start.claudeMs + start.worktreeMs;
report(
  'task create → first agent event (WebSocket)',
  ms(start.gluonMs),
  `${ms(start.claudeMs)} claude + ${ms(start.worktreeMs)} git`,
  `≤ baseline + 300 ms (${ms(baseline + 300)})`,
  start.gluonMs <= baseline + 300,
);

const raw = rawSqliteInsertsPerSecond(20_000);
const pipe = await measureEventPipeline();
report(
  'events persisted per second',
  `${Math.round(pipe.persistedPerSecond)}/s`,
  `${Math.round(raw)}/s raw inserts`,
  '≥ 20,000/s',
  pipe.persistedPerSecond >= 20_000,
);
report(
  'event deliveries per second (20 subscribers)',
  `${Math.round(pipe.deliveredPerSecond)}/s`,
  '-',
  '-',
  true,
);
report('fan-out latency p50 (2,000 events/s, 20 subs)', ms(pipe.p50), '-', '-', true);
report('fan-out latency p99 (2,000 events/s, 20 subs)', ms(pipe.p99), '-', '< 50 ms', pipe.p99 < 50);

const mem = await measureMemory();
report('server memory, idle', `${mem.idleMb.toFixed(1)} MB`, '-', '-', true);
report(
  'server memory, 20 concurrent runs',
  `${mem.busyMb.toFixed(1)} MB`,
  `${mem.idleMb.toFixed(1)} MB idle`,
  '-',
  true,
);
report('server memory per running task', `${mem.perRunMb.toFixed(2)} MB`, '-', '< 2 MB', mem.perRunMb < 2);

await reportWeb();
process.exit(0);
