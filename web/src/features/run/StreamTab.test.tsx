// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useSyncExternalStore } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../../shared/events.js';
import { EventStore } from '../../stores/event-store.js';
import { StreamTab } from './StreamTab.js';
import { useOutputRows } from './useOutputRows.js';

afterEach(cleanup);

function Output({ store }: { store: EventStore }) {
  useSyncExternalStore(store.subscribe, store.getVersion);
  return <StreamTab store={store} model={useOutputRows(store)} mode="output" />;
}

function storeWith(count: number): EventStore {
  const store = new EventStore((flush) => flush());
  for (let i = 1; i <= count; i += 1) {
    const n = Math.ceil(i / 2);
    const e =
      i % 2
        ? {
            type: 'tool.called',
            data: {
              toolUseId: `u${n}`,
              name: n % 3 === 0 ? 'Read' : 'Bash',
              input: n % 3 === 0 ? { file_path: `f${n}.ts` } : { command: `echo ${n}` },
            },
          }
        : { type: 'tool.result', data: { toolUseId: `u${n}`, output: `out ${n}`, isError: n % 1000 === 0 } };
    store.append({ seq: i, taskId: 't', runId: 'r', ts: '', ...e } as GluonEvent);
  }
  store.markLive();
  return store;
}

describe('StreamTab (Output)', () => {
  it('renders a window of 100,000 events, not all of them', () => {
    const store = storeWith(100_000);
    const { container } = render(<Output store={store} />);
    expect(screen.getByText('50,000 rows')).toBeTruthy();
    const rendered = container.querySelectorAll('.vl-row').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(200);
  });

  it('filters by tool type and errors', () => {
    const store = storeWith(6000);
    render(<Output store={store} />);
    fireEvent.click(screen.getByRole('button', { name: 'Files' }));
    expect(screen.getByText('1,000 rows')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Errors' }));
    expect(screen.getByText('3 rows')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Bash' }));
    expect(screen.getByText('2,000 rows')).toBeTruthy();
  });

  it('expands a tool call to show its input and output, and shows live events as they come', () => {
    const store = storeWith(2);
    const { container } = render(<Output store={store} />);
    const head = container.querySelector('.row-tool-head') as HTMLButtonElement;
    expect(head.textContent).toContain('echo 1');
    fireEvent.click(head);
    expect(container.querySelector('.row-tool-body')?.textContent).toContain('out 1');
    act(() =>
      store.append({
        seq: 3,
        taskId: 't',
        runId: 'r',
        ts: '',
        type: 'agent.text',
        data: { messageId: 'm', text: 'All **done**.' },
      }),
    );
    expect(container.querySelector('strong')?.textContent).toBe('done');
  });

  it('pauses auto-scroll on request and offers to resume', () => {
    render(<Output store={storeWith(10)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Auto-scroll on' }));
    expect(screen.getByRole('button', { name: /paused/ })).toBeTruthy();
  });
});
