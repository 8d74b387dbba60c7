import { describe, expect, it } from 'vitest';
import type { EventDataMap, EventType } from './events.js';
import { eventLines, inputRequestLines, type EventLine } from './event-text.js';
import { buildEvent } from './testing/build-event.js';

const wt = '/data/wt/abcd';
const l = (tag: EventLine['tag'], text: string, tone: EventLine['tone'] = 'info'): EventLine => ({
  tag,
  text,
  tone,
});
const d = (tag: EventLine['tag'], text: string): EventLine => ({ tag, text, tone: 'plain', detail: true });

/** Every event type, each with the data that exercises its rules and the lines it reads as. */
const CASES: { [K in EventType]: [EventDataMap[K], EventLine[]][] } = {
  'task.created': [[{ title: 'Fix auth', projectId: 'p' }, [l('task', 'created: Fix auth')]]],
  'status.changed': [
    [
      { from: 'running', to: 'review', reason: 'the agent finished' },
      [l('status', 'running → review (the agent finished)', 'good')],
    ],
    [{ from: null, to: 'queued' }, [l('status', '— → queued')]],
    [{ from: 'running', to: 'failed' }, [l('status', 'running → failed', 'error')]],
  ],
  'run.started': [
    [{ runId: 'r', kind: 'initial', model: 'sonnet' }, [l('run', 'initial started · sonnet', 'muted')]],
    [
      { runId: 'r', kind: 'resume', model: 'sonnet', resumeOf: 'r0' },
      [l('run', 'resume started · sonnet (resumes r0)', 'muted')],
    ],
  ],
  'run.session': [
    [{ sessionId: 's1', model: 'sonnet', tools: ['Bash'] }, [l('session', 's1 · sonnet · 1 tool', 'muted')]],
  ],
  'run.ended': [
    [
      { runId: 'r', stopReason: 'completed', costUsd: 0.0042 },
      [l('run', 'ended: completed · $0.0042', 'muted')],
    ],
    [{ runId: 'r', stopReason: 'cost_cap', costUsd: 2 }, [l('run', 'ended: cost_cap · $2.00', 'warn')]],
    [
      { runId: 'r', stopReason: 'error', costUsd: 0, error: 'cap\nhit' },
      [l('run', 'ended: error · $0.00 — cap hit', 'error')],
    ],
  ],
  'agent.delta': [[{ messageId: 'm', index: 0, kind: 'text', text: 'x' }, []]],
  'agent.text': [
    [{ messageId: 'm', text: 'Done.\nAll good.\n' }, [l('text', 'Done.\nAll good.', 'plain')]],
    [{ messageId: 'm', text: 'hi', subagent: 'explorer' }, [l('text', '(explorer) hi', 'plain')]],
  ],
  'agent.thinking': [[{ messageId: 'm', text: 'hmm\n' }, [l('thinking', 'hmm', 'muted')]]],
  'tool.called': [
    [{ toolUseId: 't', name: 'Bash', input: { command: 'npm   test' } }, [l('tool', 'Bash: npm test')]],
    [{ toolUseId: 't', name: 'Edit', input: { file_path: `${wt}/src/a.ts` } }, [l('tool', 'Edit: src/a.ts')]],
    [
      { toolUseId: 't', name: 'Read', input: { file_path: '/etc/hosts' }, subagent: 'explorer' },
      [l('tool', '(explorer) Read: /etc/hosts')],
    ],
    [{ toolUseId: 't', name: 'ExitPlanMode', input: {} }, [l('tool', 'ExitPlanMode')]],
  ],
  'tool.result': [
    [
      { toolUseId: 't', output: 'one\ntwo\nthree\n', isError: false },
      [l('result', 'one (+2 lines)', 'muted')],
    ],
    [
      { toolUseId: 't', output: `File created at: ${wt}/src/x.ts`, isError: false },
      [l('result', 'File created at: src/x.ts', 'muted')],
    ],
    [{ toolUseId: 't', output: '', isError: false }, [l('result', '(no output)', 'muted')]],
    [
      { toolUseId: 't', output: 'Exit code 1\nnpm ERR!', isError: true },
      [l('result', 'Exit code 1 (+1 line)', 'error')],
    ],
  ],
  'cost.updated': [
    [{ taskCostUsd: 0.0123, runCostUsd: 0.01, final: false }, [l('cost', '$0.0123', 'muted')]],
    [{ taskCostUsd: 1.5, runCostUsd: 1, final: true }, [l('cost', '$1.50 (final)', 'muted')]],
  ],
  'cost.warning': [
    [{ model: 'x', message: 'no price for x' }, [l('cost', 'warning: no price for x', 'warn')]],
  ],
  'run.error': [
    [{ message: 'rate\nlimited', retryable: true }, [l('error', 'rate limited (will retry)', 'error')]],
    [{ message: 'boom', stack: 'at x', retryable: false }, [l('error', 'boom', 'error')]],
  ],
  'git.committed': [
    [
      { sha: '0123456789abcdef', message: 'fix: auth\n\nbody', files: ['a'] },
      [l('commit', '01234567 fix: auth (1 file)', 'good')],
    ],
    [
      { sha: '0123456789abcdef', message: 'x', files: ['a', 'b'] },
      [l('commit', '01234567 x (2 files)', 'good')],
    ],
  ],
  'input.requested': [
    [
      {
        requestId: 'a',
        kind: 'approval',
        toolName: 'Bash',
        toolInput: { command: `rm -rf ${wt}/build` },
        reason: 'destructive',
      },
      [l('approval', 'Bash waits for approval: rm -rf build', 'warn'), d('reason', 'destructive')],
    ],
    [{ requestId: 'a', kind: 'approval' }, [l('approval', 'a tool waits for approval', 'warn')]],
    [
      {
        requestId: 'q',
        kind: 'question',
        questions: [
          {
            question: 'Which database?',
            header: 'DB',
            options: [{ label: 'SQLite' }, { label: 'Postgres', description: 'server' }],
          },
        ],
      },
      [
        l('question', 'DB: Which database?', 'warn'),
        d('option', '1. SQLite'),
        d('option', '2. Postgres — server'),
      ],
    ],
    [{ requestId: 'q', kind: 'question' }, [l('question', 'the agent waits for an answer', 'warn')]],
  ],
  'input.resolved': [
    [
      { requestId: 'q', kind: 'question', decision: 'answered', text: 'use\nSQLite' },
      [l('question', 'answered: use SQLite')],
    ],
    [{ requestId: 'a', kind: 'approval', decision: 'denied' }, [l('approval', 'denied')]],
  ],
  'task.moved': [[{ from: 'review', to: 'done' }, [l('moved', 'review → done', 'good')]]],
  notice: [[{ message: 'reconnected' }, [l('notice', 'reconnected')]]],
  'health.changed': [
    [{ health: 'red', reason: 'no output for 5 min' }, [l('health', 'red: no output for 5 min', 'error')]],
    [{ health: 'yellow', reason: null }, [l('health', 'yellow', 'warn')]],
    [{ health: 'green', reason: null }, [l('health', 'green', 'muted')]],
  ],
  notification: [
    [
      { kind: 'input_required', title: 't', reason: 'asks a question', costUsd: 0.5 },
      [l('notify', 'input required: asks a question · $0.5000', 'warn')],
    ],
  ],
  'loop.iteration': [
    [
      {
        iteration: 3,
        filesChanged: ['a', 'b'],
        commits: ['c1'],
        errors: [],
        costUsd: 0.0123,
        exitSignal: false,
        status: null,
        breaker: 'closed',
        verify: { command: 'npm test', exitCode: 0, output: '' },
        decision: 'continue',
      },
      [l('loop', 'iteration 3: continue · 2 files · 1 commit · $0.0123 · breaker closed · verify passed')],
    ],
    [
      {
        iteration: 4,
        filesChanged: [],
        commits: [],
        errors: ['e'],
        costUsd: 0,
        exitSignal: false,
        status: null,
        breaker: 'half_open',
        decision: 'stop',
      },
      [l('loop', 'iteration 4: stop · 0 files · 0 commits · $0.00 · breaker half_open', 'warn')],
    ],
  ],
  'step.changed': [
    [
      { stepId: 's', name: 'Implement', index: 2, total: 4, status: 'running' },
      [l('step', '2/4 Implement: running')],
    ],
    [
      { stepId: 's', name: 'Review', index: 3, total: 4, status: 'gated' },
      [l('step', '3/4 Review: gated', 'warn')],
    ],
  ],
  'git.synced': [
    [{ action: 'fast_forwarded', detail: 'main' }, [l('git', 'fast forwarded: main', 'good')]],
    [
      { action: 'conflict', detail: 'rebase\nstopped', files: ['a.ts', 'b.ts'] },
      [l('git', 'conflict: rebase stopped (a.ts, b.ts)', 'warn')],
    ],
  ],
};

describe('eventLines', () => {
  const table = Object.entries(CASES).flatMap(([type, cases]) =>
    (cases as [EventDataMap[EventType], EventLine[]][]).map(
      ([data, lines], i) => [`${type} #${i}`, type, data, lines] as const,
    ),
  );
  it.each(table)('%s', (_name, type, data, lines) => {
    expect(eventLines(buildEvent(1, type as EventType, data), { worktreePath: wt })).toEqual(lines);
  });

  it('shows nothing for an event type this build does not know', () => {
    const future = { ...buildEvent(1, 'notice', { message: 'x' }), type: 'run.teleported' };
    expect(eventLines(future as never)).toEqual([]);
  });
});

describe('inputRequestLines', () => {
  it("shows a pending question's own text once, then the questions it does not repeat", () => {
    const lines = inputRequestLines({
      requestId: 'q',
      kind: 'question',
      text: 'Formal or casual?',
      questions: [
        { question: 'Formal or casual?', options: [{ label: 'Formal' }] },
        { question: 'Emoji?', options: [] },
      ],
    });
    expect(lines).toEqual([
      l('question', 'Formal or casual?', 'warn'),
      d('option', '1. Formal'),
      l('question', 'Emoji?', 'warn'),
    ]);
  });
});
