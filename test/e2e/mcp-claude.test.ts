/**
 * Claude Code itself driving Gluon: a real Claude Code session (through the Agent SDK) with `gluon mcp`
 * as its MCP server, whose scripted model answer is a call of `mcp__gluon__create_task`. The task it
 * hands over then exists in Gluon and runs to review with its own agent.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent } from '../../fakes/anthropic/run-agent.js';
import { ROOT, settled, startGluon, tempDir, waitForTask, type Gluon } from './harness.js';

/** A directive parameter value in quotes: backslashes and quotes escaped as the fake reads them. */
const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

describe('Claude Code calling a Gluon MCP tool', () => {
  let g: Gluon;
  let planner: string;
  beforeAll(async () => {
    g = await startGluon();
    planner = tempDir('planner');
    mkdirSync(path.join(planner, 'home'));
  });
  afterAll(async () => {
    await g?.close();
    if (planner) rmSync(planner, { recursive: true, force: true });
  });

  it('creates a task through mcp__gluon__create_task, and the task runs in Gluon', async () => {
    const handOver = {
      project: 'sample',
      prompt: '[[scenario:write-file path=planned.txt content=planned]] Write the planned file',
      profile: 'quick',
      maxCostUsd: 1,
    };
    const run = await runAgent({
      baseUrl: g.fake.url,
      cwd: planner,
      home: path.join(planner, 'home'),
      prompt: `[[scenario:call-tool name=mcp__gluon__create_task input=${quoted(JSON.stringify(handOver))}]] Plan the work and hand it to Gluon`,
      mcpServers: {
        gluon: {
          type: 'stdio',
          command: process.execPath,
          args: [path.join(ROOT, 'bin', 'gluon.js'), 'mcp'],
          env: { PATH: process.env.PATH ?? '', GLUON_URL: g.server.url, GLUON_TOKEN: g.server.token },
        },
      },
    });
    expect(run.error).toBeNull();

    const init = run.messages.find((m) => m.type === 'system' && m.subtype === 'init');
    expect(init).toMatchObject({ mcp_servers: [{ name: 'gluon', status: 'connected' }] });
    expect(init && 'tools' in init ? init.tools : []).toContain('mcp__gluon__create_task');

    const said = run.result?.subtype === 'success' ? run.result.result : '';
    const id = /mcp__gluon__create_task answered: Created task ([a-z0-9]{12}) "Write the planned file"/.exec(
      said,
    )?.[1];
    expect(id, said).toBeDefined();

    const tasks = await g.client.listTasks();
    expect(tasks.map((t) => t.id)).toEqual([id]);
    expect(tasks[0]).toMatchObject({ project: 'sample', profile: 'quick', maxCostUsd: 1 });
    const done = await waitForTask(g.client, id!, settled, 'the handed-over task');
    expect(done.status).toBe('review');
    expect((await g.client.diff(id!, { path: 'planned.txt' })).diff).toContain('+planned');
  });
});
