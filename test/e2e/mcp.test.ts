/**
 * Gluon's MCP server through the SDK's own client, over both transports: stdio by spawning the built
 * `gluon mcp`, and streamable HTTP at /api/mcp of the real server, whose agents are the real Claude Code
 * against the fake Anthropic API.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, settled, startGluon, waitForTask, type Gluon } from './harness.js';

const TOOLS = [
  'answer_task',
  'approve_task',
  'cancel_task',
  'cost_report',
  'create_task',
  'deny_task',
  'list_projects',
  'list_tasks',
  'resume_task',
  'show_task',
  'task_diff',
];

interface ToolAnswer {
  text: string;
  isError: boolean;
}

/** Calls a tool and returns its text and whether it is a tool error. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolAnswer> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text?: string }[];
  return { text: content.map((c) => c.text ?? '').join('\n'), isError: result.isError === true };
}

/** Creates a task through the tool and returns its id, read from the tool's answer. */
async function createTask(client: Client, args: Record<string, unknown>): Promise<string> {
  const created = await call(client, 'create_task', { project: 'sample', ...args });
  expect(created.isError, created.text).toBe(false);
  const id = /Created task ([a-z0-9]{12})/.exec(created.text)?.[1];
  expect(id, created.text).toBeDefined();
  return id!;
}

describe('the Gluon MCP server', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon();
  });
  afterAll(async () => g?.close());

  it('over stdio (`gluon mcp`): lists its tools, creates a task that reaches review, shows it, reads its diff, resumes it', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(ROOT, 'bin', 'gluon.js'), 'mcp'],
      // The token comes from the data directory, as for every CLI command.
      env: { PATH: process.env.PATH ?? '', HOME: g.home, GLUON_URL: g.server.url, GLUON_HOME: g.home },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const protocolErrors: Error[] = [];
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    client.onerror = (error) => protocolErrors.push(error);
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
      const create = tools.find((t) => t.name === 'create_task')!;
      expect(create.inputSchema.required).toEqual(['project', 'prompt']);
      expect(Object.keys(create.inputSchema.properties ?? {})).toEqual(
        expect.arrayContaining(['profile', 'maxCostUsd', 'approval', 'after']),
      );

      expect((await call(client, 'list_projects', {})).text).toContain(`sample · workspace`);
      const id = await createTask(client, {
        prompt: '[[scenario:write-file path=made.txt content="made over stdio\\n"]] Make a file',
        maxCostUsd: 2,
      });
      await waitForTask(g.client, id, settled, 'the task to settle');
      expect((await g.client.getTask(id)).status).toBe('review');

      const board = await call(client, 'list_tasks', { status: 'review' });
      expect(board.text).toMatch(new RegExp(`review \\(1\\):\\n  ${id}  review  Make a file · sample`));
      expect((await call(client, 'list_tasks', { status: 'failed' })).text).toBe('No tasks match.');

      const shown = await call(client, 'show_task', { id: id.slice(0, 6), events: 50 });
      expect(shown.isError, shown.text).toBe(false);
      expect(shown.text).toContain(`Task ${id}: Make a file`);
      expect(shown.text).toContain('status: review (last run stopped: completed)');
      expect(shown.text).toContain('of a $2.00 cap');
      expect(shown.text).toMatch(/#\d+ \[tool\] Write: \S*made\.txt/);
      expect(shown.text).toMatch(/#\d+ \[commit\] [0-9a-f]{8} /);
      expect(shown.text).toContain('next: read the work with task_diff');

      const diff = await call(client, 'task_diff', { id });
      expect(diff.text).toMatch(/1 file changed .*:\n {2}A made\.txt \+1 -0/);
      expect(diff.text).toContain('+made over stdio');

      const resumed = await call(client, 'resume_task', {
        id,
        feedback: '[[scenario:write-file path=more.txt content="more\\n"]] Add another file',
      });
      expect(resumed.text).toMatch(new RegExp(`Task ${id} resumed: now (queued|running)`));
      expect((await waitForTask(g.client, id, settled, 'the resumed task')).status).toBe('review');
      const oneFile = await call(client, 'task_diff', { id, path: 'more.txt' });
      expect(oneFile.text).toContain('+more');
      expect(oneFile.text).not.toContain('made.txt');

      const costs = await call(client, 'cost_report', { by: 'task' });
      expect(costs.text).toMatch(/^today \$0\.\d{4} · this week/);
      expect(costs.text).toContain('by task:\n  Make a file: $');

      // Bad inputs are tool errors with a reason, from the schema or from the API; the server lives on.
      const badProfile = await call(client, 'create_task', {
        project: 'sample',
        prompt: 'x',
        profile: 'turbo',
      });
      expect(badProfile).toMatchObject({ isError: true, text: expect.stringMatching(/profile/) });
      const unknownProject = await call(client, 'create_task', { project: 'nope', prompt: 'x' });
      expect(unknownProject).toMatchObject({
        isError: true,
        text: expect.stringMatching(/^Gluon refused: .*nope.* \(not_found, HTTP 404\)$/),
      });
      // A task that waits for another one: queued and blocked until that one is reviewed or done.
      const blocker = await g.client.createTask({
        project: 'sample',
        prompt: '[[scenario:ask]] Ask first',
      });
      const waiting = await createTask(client, { prompt: 'after the other', after: [blocker.id] });
      expect(await g.client.getTask(waiting)).toMatchObject({
        status: 'queued',
        waitsFor: [expect.objectContaining({ id: blocker.id })],
      });
      await g.client.cancel(waiting);
      await g.client.cancel(blocker.id);

      const nothingToApprove = await call(client, 'approve_task', { id });
      expect(nothingToApprove).toMatchObject({ isError: true, text: expect.stringMatching(/HTTP 409/) });
      const badId = await call(client, 'show_task', { id: '../x' });
      expect(badId).toMatchObject({ isError: true, text: expect.stringMatching(/id/) });
      expect((await client.listTools()).tools).toHaveLength(TOOLS.length);
    } finally {
      await client.close();
    }
    expect(protocolErrors).toEqual([]);
    expect(stderr).toContain(`gluon mcp: serving the Gluon server at ${g.server.url} over stdio`);
  });

  it('over streamable HTTP (/api/mcp, with the token): an approval, a question, a cancel', async () => {
    const client = new Client({ name: 'e2e-http', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${g.server.url}/api/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${g.server.token}` } },
      }),
    );
    try {
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(TOOLS);

      const careful = await createTask(client, {
        prompt: '[[scenario:danger]] Clean up the build',
        approval: 'careful',
        profile: 'quick',
      });
      await waitForTask(g.client, careful, (t) => t.inputRequired, 'the approval request');
      const waiting = await call(client, 'show_task', { id: careful });
      expect(waiting.text).toContain('WAITING FOR APPROVAL:\n  Bash waits for approval');
      expect(waiting.text).toContain('rm -rf build');
      expect(waiting.text).toContain(`→ approve_task id=${careful}`);
      expect((await call(client, 'list_tasks', {})).text).toMatch(
        new RegExp(`${careful}  running \\[INPUT REQUIRED\\]`),
      );
      expect((await call(client, 'approve_task', { id: careful })).text).toContain(
        `Task ${careful} approved`,
      );
      const approved = await waitForTask(g.client, careful, settled, 'the approved task');
      expect(approved).toMatchObject({ status: 'review', profile: 'quick' });
      const log = await call(client, 'show_task', { id: careful, events: 200 });
      expect(log.text).toContain('[approval] approved');

      const question = await createTask(client, { prompt: '[[scenario:question]] Pick a colour' });
      await waitForTask(g.client, question, (t) => t.inputRequired, 'the question');
      const asked = await call(client, 'show_task', { id: question, events: 0 });
      expect(asked.text).toContain('WAITING FOR AN ANSWER:\n  Color: Which color should I use?\n    1. red');
      expect(asked.text).not.toContain('Last ');
      await call(client, 'answer_task', { id: question, text: 'blue' });
      await waitForTask(g.client, question, settled, 'the answered task');
      expect((await call(client, 'task_diff', { id: question, path: 'answer.txt' })).text).toContain('+blue');

      const slow = await createTask(client, { prompt: '[[scenario:silent ms=60000]] Take your time' });
      await waitForTask(g.client, slow, (t) => t.status === 'running', 'the slow task to run');
      expect((await call(client, 'cancel_task', { id: slow })).text).toMatch(/cancel/);
      expect((await waitForTask(g.client, slow, settled, 'the cancel')).status).toBe('cancelled');

      const bad = await call(client, 'task_diff', { id: careful, maxChars: 5 });
      expect(bad).toMatchObject({ isError: true, text: expect.stringMatching(/maxChars/) });
    } finally {
      await client.close();
    }
  });

  it('refuses /api/mcp without the right token (401), a foreign Origin (403), a GET (405), a huge body (413), what is not MCP (4xx)', async () => {
    const url = `${g.server.url}/api/mcp`;
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const post = (extra: Record<string, string>, body = initialize) =>
      fetch(url, { method: 'POST', headers: { ...headers, ...extra }, body });

    const anonymous = await post({});
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect((await post({ authorization: 'Bearer wrong' })).status).toBe(401);
    const foreign = await post({ authorization: `Bearer ${g.server.token}`, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const get = await fetch(url, { headers: { authorization: `Bearer ${g.server.token}` } });
    expect(get.status).toBe(405);
    const huge = await post(
      { authorization: `Bearer ${g.server.token}` },
      `"${'x'.repeat(2 * 1024 * 1024)}"`,
    );
    expect(huge.status).toBe(413);
    // What is not MCP is refused in the API's error shape.
    const notRpc = await post({ authorization: `Bearer ${g.server.token}` }, '42');
    expect(notRpc.status).toBe(400);
    expect(await notRpc.json()).toEqual({
      error: { code: 'invalid_mcp_request', message: expect.stringMatching(/JSON-RPC/) },
    });
    const noAccept = await post({ authorization: `Bearer ${g.server.token}`, accept: 'application/json' });
    expect(noAccept.status).toBe(406);
    expect(await noAccept.json()).toMatchObject({ error: { code: 'invalid_mcp_request' } });
    const ok = await post({ authorization: `Bearer ${g.server.token}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ result: { serverInfo: { name: 'gluon' } } });

    const sdkClient = new Client({ name: 'no-token', version: '1.0.0' });
    await expect(sdkClient.connect(new StreamableHTTPClientTransport(new URL(url)))).rejects.toMatchObject({
      code: 401,
      message: expect.stringContaining('unauthorized'),
    });
  });
});
