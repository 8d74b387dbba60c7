/**
 * `npm run bench`: Gluon's speed and memory figures, each printed next to a baseline measured in the same
 * run on the same machine, with the difference and the goal (from the product's issue list); a MISS is
 * reported, not hidden. BENCH_ROUNDS sets how many rounds each latency median takes (default 5);
 * BENCH_ONLY=start,cold,events,memory,board,web,fleet runs a part (fleet needs Postgres at 127.0.0.1:5432);
 * BENCH_SAMPLES=1 also prints the run path's samples round by round.
 */
import { measureBoard } from './board.js';
import { makeRepoOfSize } from './baselines.js';
import { measureColdStart } from './cold-start.js';
import { measureFleet, measureSqliteDispatch } from './fleet.js';
import { measurePostgresCapacity } from './postgres-capacity.js';
import { measureEventPipeline } from './event-pipeline.js';
import { measureMemory } from './memory.js';
import { measureStartLatency } from './start-latency.js';
import { header, mb, missCount, ms, rounds, row, signedMb, signedMs } from './stats.js';
import { reportWeb } from './web.js';

const only = new Set((process.env.BENCH_ONLY ?? 'cold,start,events,memory,board,web,fleet').split(','));
const n = rounds();
console.log(
  `Gluon benchmark (real Claude Code against the scripted fake API on 127.0.0.1; medians of ${n} rounds)\n`,
);
header();

if (only.has('cold')) {
  const cold = await measureColdStart(n, {
    small: await makeRepoOfSize(5),
    big: await makeRepoOfSize(20_000),
  });
  row({
    figure: 'server cold start to ready (5 + 20,000-file projects)',
    value: ms(cold.gluonMs),
    baseline: `${ms(cold.bareMs)} bare Node HTTP`,
    diff: signedMs(cold.gluonMs - cold.bareMs),
    goal: '≤ +150 ms',
    ok: cold.gluonMs - cold.bareMs <= 150,
  });
  row({
    figure: 'server RSS at ready',
    value: mb(cold.rssMb),
    baseline: `${mb(cold.floorRssMb)} Fastify + better-sqlite3 alone`,
    diff: signedMb(cold.rssMb - cold.floorRssMb),
    goal: '≤ 50 MB',
    ok: cold.rssMb <= 50,
  });
  // What the goals above stand on: Node with Fastify and better-sqlite3, nothing else (no Gluon code),
  // and the least any SQLite-backed Node server can be (better-sqlite3 on node:http).
  row({
    figure: 'Fastify + better-sqlite3 alone: cold start, RSS',
    value: `${ms(cold.floorMs)}, ${mb(cold.floorRssMb)}`,
    baseline: `${ms(cold.bareMs)}, bare Node HTTP`,
    diff: signedMs(cold.floorMs - cold.bareMs),
    ok: true,
  });
  row({ figure: 'node:http + better-sqlite3 alone: RSS at ready', value: mb(cold.sqliteRssMb), ok: true });
}

if (only.has('start')) {
  const s = await measureStartLatency(n);
  // Gluon's agents run in the OS sandbox where it starts: judged against raw Claude Code in the same one.
  const firstBase = s.sandboxedFirstLine ?? s.claudeFirstLine;
  const exitBase = s.sandboxedExit ?? s.claudeExit;
  const boxNote = s.sandboxedFirstLine === null ? 'no sandbox (none here)' : 'same sandbox';
  row({
    figure: 'task create → first agent event (WebSocket)',
    value: ms(s.gluonFirstEvent),
    baseline: `${ms(firstBase)} claude first line, ${boxNote}`,
    diff: signedMs(s.gluonFirstEvent - firstBase),
    goal: '≤ +30 ms',
    ok: s.gluonFirstEvent - firstBase <= 30,
  });
  row({
    figure: 'task create → review, committed (20 tool calls)',
    value: ms(s.gluonReview),
    baseline: `${ms(exitBase)} claude exit, ${boxNote}`,
    diff: signedMs(s.gluonReview - exitBase),
    goal: '≤ +60 ms',
    ok: s.gluonReview - exitBase <= 60,
  });
  if (s.sandboxedFirstLine !== null)
    row({
      figure: "raw claude: the sandbox's cost (first line / exit)",
      value: `${ms(s.sandboxedFirstLine)} / ${ms(s.sandboxedExit!)}`,
      baseline: `${ms(s.claudeFirstLine)} / ${ms(s.claudeExit)} no sandbox`,
      diff: `${signedMs(s.sandboxedFirstLine - s.claudeFirstLine)} / ${signedMs(s.sandboxedExit! - s.claudeExit)}`,
      ok: true,
    });
  // The CPU a task costs the machine, next to raw Claude Code's on the same scenario: what Gluon adds,
  // read without the wall-clock noise of a shared host (on 2 cores its CPU is time taken from the agent).
  row({
    figure: 'CPU per task, Gluon and what it starts (20 tool calls)',
    value: ms(s.gluonTreeCpu),
    baseline: `${ms(s.claudeCpu)} raw claude, ${boxNote}`,
    diff: `${signedMs(s.gluonTreeCpu - s.claudeCpu)} (${(((s.gluonTreeCpu - s.claudeCpu) * 100) / s.claudeCpu).toFixed(0)} %)`,
    ok: true,
  });
  row({ figure: "CPU per task, the server's own", value: ms(s.gluonServerCpu), ok: true });
  // Where the run's time goes, call by call: a tool call holds Gluon's approval of it (a round trip from
  // Claude Code to the server); a model turn (the API's answer, Claude Code's own work) should not move.
  for (const [figure, gluon, raw] of [
    ["a tool call, agent's request → its result (median)", s.gluonToolCall, s.claudeToolCall],
    ['a model turn, tool result → next request (median)', s.gluonModelTurn, s.claudeModelTurn],
  ] as const)
    row({
      figure,
      value: ms(gluon),
      baseline: `${ms(raw)} raw claude, ${boxNote}`,
      diff: signedMs(gluon - raw),
      ok: true,
    });
  const bigDiff = s.gluonFirstEventBig - s.gluonFirstEvent;
  row({
    figure: 'first agent event, 20,000-file repository',
    value: ms(s.gluonFirstEventBig),
    baseline: `${ms(s.gluonFirstEvent)} 5-file repository`,
    diff: signedMs(bigDiff),
    goal: '≤ +20 ms',
    ok: bigDiff <= 20,
  });
  // The row above holds Claude Code's own start, which grows with the repository too (it reads the
  // repository's state) and varies by ~100 ms between runs: its share next, then Gluon's own (what it
  // does before it spawns the agent, which the pool keeps from growing with the repository).
  row({
    figure: 'raw claude first line, 20,000-file repository',
    value: ms(s.claudeFirstLineBig),
    baseline: `${ms(firstBase)} 5-file repository, ${boxNote}`,
    diff: signedMs(s.claudeFirstLineBig - firstBase),
    ok: true,
  });
  row({
    figure: 'task create → run.started (worktree ready), 20,000 files',
    value: ms(s.gluonPreparedBig),
    baseline: `${ms(s.gluonPrepared)} 5-file repository`,
    diff: signedMs(s.gluonPreparedBig - s.gluonPrepared),
    ok: true,
  });
  row({
    figure: 'raw git worktree add, 5 / 20,000 files',
    value: ms(s.worktreeBig),
    baseline: `${ms(s.worktreeSmall)} 5 files`,
    diff: signedMs(s.worktreeBig - s.worktreeSmall),
    ok: true,
  });
}

if (only.has('events')) {
  const pipe = await measureEventPipeline();
  const raw = pipe.rawPerSecond;
  row({
    figure: 'events persisted per second',
    value: `${Math.round(pipe.persistedPerSecond)}/s`,
    baseline: `${Math.round(raw)}/s raw inserts`,
    diff: `${((100 * pipe.persistedPerSecond) / raw).toFixed(0)} %`,
    goal: '≥ 50 % of raw',
    ok: pipe.persistedPerSecond >= raw / 2,
  });
  row({
    figure: 'event deliveries per second (20 subscribers)',
    value: `${Math.round(pipe.deliveredPerSecond)}/s`,
    ok: true,
  });
  row({ figure: 'fan-out latency p50 (2,000 events/s, 20 subs)', value: ms(pipe.p50), ok: true });
  row({
    figure: 'fan-out latency p99 (2,000 events/s, 20 subs)',
    value: ms(pipe.p99),
    goal: '< 50 ms',
    ok: pipe.p99 < 50,
  });
}

if (only.has('memory')) {
  const mem = await measureMemory();
  row({
    figure: 'server RSS idle (10 s after one task)',
    value: mb(mem.idleMb),
    goal: '≤ 50 MB',
    ok: mem.idleMb <= 50,
  });
  row({
    figure: 'server RSS during one run',
    value: mb(mem.oneRunMb),
    baseline: `${mb(mem.idleMb)} idle`,
    diff: signedMb(mem.oneRunMb - mem.idleMb),
    goal: '≤ 55 MB',
    ok: mem.oneRunMb <= 55,
  });
  row({
    figure: 'process tree PSS during one run',
    value: mb(mem.treePssMb),
    baseline: `${mb(mem.rawTreePssMb)} raw claude, ${mem.sandboxed ? 'same sandbox' : 'no sandbox'}`,
    diff: signedMb(mem.treePssMb - mem.rawTreePssMb),
    goal: '≤ +25 MB',
    ok: mem.treePssMb - mem.rawTreePssMb <= 25,
  });
  row({
    figure: 'server RSS, 20 concurrent runs',
    value: mb(mem.busyMb),
    baseline: `${mb(mem.idleMb)} idle`,
    diff: signedMb(mem.busyMb - mem.idleMb),
    ok: true,
  });
  row({
    figure: 'server memory per running task',
    value: mb(mem.perRunMb),
    goal: '< 2 MB',
    ok: mem.perRunMb < 2,
  });
}

if (only.has('board')) {
  const b = await measureBoard();
  row({ figure: `board update latency p50 (50 queued, 8 running)`, value: ms(b.p50), ok: true });
  row({
    figure: `board update latency p99 (50 queued, 8 running)`,
    value: ms(b.p99),
    baseline: `${b.samples} updates`,
    goal: '< 50 ms',
    ok: b.p99 < 50,
  });
}

if (only.has('web')) await reportWeb();

if (only.has('fleet')) {
  const pg = await measurePostgresCapacity();
  row({
    figure: 'events persisted per second on Postgres (4 writers)',
    value: `${Math.round(pg.eventsPerSecond)}/s`,
    ok: true,
  });
  row({
    figure: 'Postgres size per 1,000 tasks (60 events each)',
    value: `${pg.eventsMbPer1000Tasks.toFixed(1)} MB`,
    baseline: `tasks table ${pg.tasksMbPer1000Tasks.toFixed(1)} MB`,
    ok: true,
  });
  const single = await measureSqliteDispatch();
  const f = await measureFleet();
  row({
    figure: 'dispatch create → running p50 (Postgres, 3 workers)',
    value: ms(f.dispatch.p50),
    baseline: `${ms(single.p50)} SQLite, one machine`,
    diff: signedMs(f.dispatch.p50 - single.p50),
    ok: true,
  });
  row({
    figure: 'dispatch create → running p99 (Postgres, 3 workers)',
    value: ms(f.dispatch.p99),
    baseline: `${ms(single.p99)} SQLite, one machine`,
    diff: signedMs(f.dispatch.p99 - single.p99),
    ok: true,
  });
  row({
    figure: 'tasks started per minute (30 at once, 1 tool call)',
    value: `${f.dispatch.startedPerMinute.toFixed(0)}/min`,
    baseline: `${single.startedPerMinute.toFixed(0)}/min SQLite (4 at once)`,
    ok: true,
  });
  row({
    figure: `worker event → other server's WebSocket p99 (${f.events} events)`,
    value: ms(f.eventLagP99),
    baseline: `p50 ${ms(f.eventLagP50)}`,
    goal: '≤ 100 ms',
    ok: f.eventLagP99 <= 100,
  });
}
console.log(`\n${missCount()} figure(s) missed their goal.`);
process.exit(0);
