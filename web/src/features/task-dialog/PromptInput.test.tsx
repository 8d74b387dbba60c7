// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithGluon } from '../../testing/render.js';
import { PromptInput } from './PromptInput.js';

afterEach(cleanup);

function Harness(props: { onSubmit: () => void }) {
  const [value, setValue] = useState('');
  return (
    <>
      <PromptInput
        projectId="p1"
        value={value}
        onChange={setValue}
        onSubmit={props.onSubmit}
        onPasteFiles={() => {}}
      />
      <output data-testid="value">{value}</output>
    </>
  );
}

const type = (text: string) => {
  const area = screen.getByLabelText('Prompt') as HTMLTextAreaElement;
  fireEvent.change(area, { target: { value: text, selectionStart: text.length, selectionEnd: text.length } });
  return area;
};

describe('PromptInput', () => {
  const api = {
    listCommands: vi.fn(async () => [
      { name: 'review', description: 'Review the diff', argumentHint: null, scope: 'project' as const },
      { name: 'standup', description: 'Notes', argumentHint: null, scope: 'user' as const },
    ]),
    searchFiles: vi.fn(async (_p: string, q: string) => ({
      files: q ? [{ path: 'src/app.ts', positions: [4, 5] }] : [],
      total: 1,
    })),
  };

  it('completes a slash command with the keyboard', async () => {
    renderWithGluon(<Harness onSubmit={() => {}} />, api);
    const area = type('/re');
    await screen.findByRole('option', { name: /\/review/ });
    expect(screen.queryByRole('option', { name: /standup/ })).toBeNull();
    fireEvent.keyDown(area, { key: 'Enter' });
    expect(screen.getByTestId('value').textContent).toBe('/review ');
  });

  it('completes an @file from the server search', async () => {
    renderWithGluon(<Harness onSubmit={() => {}} />, api);
    type('fix @ap');
    const option = await screen.findByRole('option');
    expect(option.textContent).toBe('src/app.ts');
    expect([...option.querySelectorAll('b')].map((b) => b.textContent)).toEqual(['a', 'p']);
    fireEvent.mouseDown(option);
    expect(screen.getByTestId('value').textContent).toBe('fix @src/app.ts ');
    await waitFor(() => expect(api.searchFiles).toHaveBeenCalledWith('p1', 'ap'));
  });

  it('puts the caret after the pick at once, so keys typed right after it land there', async () => {
    renderWithGluon(<Harness onSubmit={() => {}} />, api);
    const area = type('/re and more');
    area.setSelectionRange(3, 3);
    fireEvent.click(area);
    await screen.findByRole('option', { name: /\/review/ });
    fireEvent.keyDown(area, { key: 'Enter' });
    // No frame has passed: the caret is already after "/review ", not at the end of the text.
    expect(area.value).toBe('/review and more');
    expect([area.selectionStart, area.selectionEnd]).toEqual([8, 8]);
    expect(document.activeElement).toBe(area);
  });

  it('submits with Ctrl+Enter', () => {
    const onSubmit = vi.fn();
    renderWithGluon(<Harness onSubmit={onSubmit} />, api);
    fireEvent.keyDown(type('do it'), { key: 'Enter', ctrlKey: true });
    expect(onSubmit).toHaveBeenCalledOnce();
  });
});
