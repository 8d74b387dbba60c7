import { describe, expect, it } from 'vitest';
import type { PendingInput, TaskDto } from '../../../shared/api.js';
import { ApiError, type GluonClient } from '../../../shared/client.js';
import { buildTask } from '../../../cli/src/testing/fixtures.js';
import { createActions } from './actions.js';
import type { Access } from './access.js';
import type { Links } from './links.js';
import type { ChatContext } from './reply.js';

const chat: ChatContext = { surface: 'telegram', chatId: '-100500', userId: '1001' };
const question: PendingInput = {
  requestId: 'req1',
  kind: 'question',
  live: true,
  questions: [{ question: 'Which color?', options: [{ label: 'red' }, { label: 'blue' }] }],
  createdAt: '2025-01-01T00:00:00.000Z',
};

function setup(task: TaskDto, linkedTo: string | null = null) {
  const calls: [string, ...unknown[]][] = [];
  const created: string[] = [];
  const record =
    (name: string, result: () => unknown = () => task) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return result();
    };
  const client = {
    getTask: record('getTask'),
    createTask: record('createTask', () => buildTask({ id: 'newtask00001', status: 'queued' })),
    answer: record('answer'),
    approve: record('approve'),
    deny: record('deny'),
    resume: record('resume'),
    listProjects: record('listProjects', () => [{ name: 'sample' }, { name: 'api' }]),
    cancel: record('cancel', () => {
      throw new ApiError(409, 'invalid_transition', 'a done task cannot be cancelled');
    }),
  } as unknown as GluonClient;
  const links: Links = {
    projectOf: () => linkedTo,
    set: (...args) => void calls.push(['link', ...args]),
    chatsOf: () => [],
  };
  const access = { isAllowed: () => true } as unknown as Access;
  const actions = createActions({
    client,
    links,
    access,
    publicUrl: 'http://gluon.test',
    onTaskCreated: (surface, id) => void created.push(`${surface}:${id}`),
    log: () => {},
  });
  return { actions, calls, created };
}

describe('chat actions', () => {
  it('/new needs a project or a linked chat, and tells the notifier who started the task', async () => {
    const unlinked = setup(buildTask());
    const refused = await unlinked.actions.run({ kind: 'new', project: null, prompt: 'x' }, chat);
    expect(refused.text).toContain('not linked to a project');
    expect(unlinked.calls).toEqual([]);

    const linked = setup(buildTask(), 'sample');
    const reply = await linked.actions.run(
      { kind: 'new', project: null, prompt: 'fix it', profile: 'deep' },
      chat,
    );
    expect(linked.calls).toEqual([['createTask', { project: 'sample', prompt: 'fix it', profile: 'deep' }]]);
    expect(linked.created).toEqual(['telegram:newtask00001']);
    expect(reply.text).toContain('🚀 Started #newtask00001');
    expect(reply.buttons?.[0]?.[0]?.action).toEqual({ kind: 'logs', taskId: 'newtask00001' });
  });

  it('a button acts only while the task waits on the request it was made for', async () => {
    const { actions, calls } = setup(buildTask({ inputRequired: true, pendingInput: question }));
    const stale = await actions.press({ kind: 'approve', taskId: 'abcd1234ef', requestId: 'old' }, chat);
    expect(stale.text).toContain('no longer waits');
    expect(calls.map((c) => c[0])).toEqual(['getTask']);
    const answered = await actions.press(
      { kind: 'answer', taskId: 'abcd1234ef', requestId: 'req1', option: 1 },
      chat,
    );
    expect(calls.at(-1)).toEqual(['answer', 'abcd1234ef', 'blue']);
    expect(answered.text).toContain('Answered “blue” by telegram user 1001');
  });

  it.each([
    [
      'a question',
      { status: 'running', inputRequired: true, pendingInput: question },
      'answer',
      '✍️ Answered',
    ],
    ['a finished task', { status: 'review' }, 'resume', '▶️ Resumed'],
    ['a running task', { status: 'running' }, null, 'is running'],
    [
      'an approval',
      { status: 'running', inputRequired: true, pendingInput: { ...question, kind: 'approval' } },
      null,
      'use its buttons',
    ],
  ] as const)('a reply to a message about %s', async (_what, fields, call, text) => {
    const { actions, calls } = setup(buildTask(fields as never));
    const reply = await actions.replyTo('abcd1234ef', 'two spaces', chat);
    expect(reply.text).toContain(text);
    expect(calls.at(-1)).toEqual(call ? [call, 'abcd1234ef', 'two spaces'] : ['getTask', 'abcd1234ef']);
  });

  it('turns API errors into a short warning', async () => {
    const { actions } = setup(buildTask());
    expect((await actions.run({ kind: 'cancel', id: 'abcd' }, chat)).text).toBe(
      '⚠️ a done task cannot be cancelled',
    );
  });

  it('links a chat only to a project that exists', async () => {
    const { actions, calls } = setup(buildTask());
    expect((await actions.run({ kind: 'link', project: 'nope' }, chat)).text).toBe(
      '⚠️ No project nope. Projects: sample, api',
    );
    expect((await actions.run({ kind: 'link', project: 'api' }, chat)).text).toContain('linked to api');
    expect(calls.at(-1)).toEqual(['link', 'telegram', '-100500', 'api']);
  });
});
