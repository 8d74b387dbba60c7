// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildProjectDto } from '../../../../shared/testing/build-project.js';
import { buildTaskDto } from '../../../../shared/testing/build-task.js';
import { renderWithGluon } from '../../testing/render.js';
import { NewTaskDialog } from './NewTaskDialog.js';

const project = (id: string, name: string, workspace: string) => buildProjectDto({ id, name, workspace });

// Listed out of order: the dialog sorts by workspace, then name (api, then web in "apps"; docs in "zz").
const PROJECTS = [project('p3', 'docs', 'zz'), project('p2', 'web', 'apps'), project('p1', 'api', 'apps')];

function open() {
  const api = {
    listProjects: vi.fn(async () => PROJECTS),
    listCommands: vi.fn(async () => [
      { name: 'review', description: 'Review', argumentHint: null, scope: 'project' as const },
    ]),
    createTask: vi.fn(async () => buildTaskDto()),
    uploadAttachment: vi.fn(async (_image: Blob, name: string) => ({
      id: 'abcdefabcdef',
      name,
      mime: 'image/png',
      size: 4,
    })),
  };
  const { toasts } = renderWithGluon(<NewTaskDialog onClose={() => {}} onCreated={() => {}} />, api);
  return Object.assign(api, { toasts });
}

const projectSelect = () => screen.getByLabelText('Project') as HTMLSelectElement;

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('NewTaskDialog', () => {
  it('starts with the first project, so `/` completes from the first keystroke', async () => {
    const api = open();
    await waitFor(() => expect(projectSelect().value).toBe('api'));
    const prompt = screen.getByLabelText('Prompt');
    fireEvent.change(prompt, { target: { value: '/re', selectionStart: 3, selectionEnd: 3 } });
    await screen.findByRole('option', { name: /\/review/ });
    expect(api.listCommands).toHaveBeenCalledWith('p1');
  });

  it('starts with the project of the last task created, and remembers the one used next', async () => {
    localStorage.setItem('gluon.lastProject', 'docs');
    const api = open();
    await waitFor(() => expect(projectSelect().value).toBe('docs'));
    fireEvent.change(projectSelect(), { target: { value: 'web' } });
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'fix it' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create task' }));
    await waitFor(() => expect(api.createTask).toHaveBeenCalledOnce());
    expect(api.createTask.mock.calls[0]).toMatchObject([{ project: 'web', prompt: 'fix it' }]);
    await waitFor(() => expect(localStorage.getItem('gluon.lastProject')).toBe('web'));
  });

  it('falls back to the first project when the remembered one is gone', async () => {
    localStorage.setItem('gluon.lastProject', 'deleted');
    open();
    await waitFor(() => expect(projectSelect().value).toBe('api'));
  });

  it('uploads a dropped image, refuses a file that is not one, and sends the image with the task', async () => {
    URL.createObjectURL ??= () => 'blob:preview';
    URL.revokeObjectURL ??= () => {};
    const api = open();
    await waitFor(() => expect(projectSelect().value).toBe('api'));
    const image = new File(['png!'], 'shot.png', { type: 'image/png' });
    const text = new File(['hi'], 'notes.txt', { type: 'text/plain' });
    const form = screen.getByRole('heading', { name: 'New task' }).closest('form')!;
    fireEvent.drop(form, { dataTransfer: { files: [image, text] } });
    expect(api.toasts).toEqual(['notes.txt: only PNG, JPEG, GIF and WebP images can be attached']);
    await waitFor(() => expect(api.uploadAttachment).toHaveBeenCalledWith(image, 'shot.png'));
    expect(screen.getByAltText('shot.png')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'look at this' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create task' }));
    await waitFor(() => expect(api.createTask).toHaveBeenCalledOnce());
    expect(api.createTask.mock.calls[0]).toMatchObject([{ attachments: ['abcdefabcdef'] }]);
  });

  it('keeps each thumbnail until its image is removed or the dialog closes', async () => {
    let made = 0;
    const revoked: string[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `blob:preview-${++made}`);
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => void revoked.push(url));
    const api = open();
    await waitFor(() => expect(projectSelect().value).toBe('api'));
    const form = screen.getByRole('heading', { name: 'New task' }).closest('form')!;
    const one = new File(['1'], 'one.png', { type: 'image/png' });
    const two = new File(['2'], 'two.png', { type: 'image/png' });
    fireEvent.drop(form, { dataTransfer: { files: [one, two] } });
    // Both uploads answer: the list changes twice, and neither thumbnail loses its picture.
    await waitFor(() => expect(api.uploadAttachment).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(screen.queryAllByText('…')).toHaveLength(0));
    expect(revoked).toEqual([]);
    expect((screen.getByAltText('two.png') as HTMLImageElement).src).toBe('blob:preview-2');
    fireEvent.click(screen.getByRole('button', { name: 'Remove one.png' }));
    expect(revoked).toEqual(['blob:preview-1']);
    expect(screen.queryByAltText('one.png')).toBeNull();
    cleanup();
    expect(revoked).toEqual(['blob:preview-1', 'blob:preview-2']);
    vi.restoreAllMocks();
  });
});
