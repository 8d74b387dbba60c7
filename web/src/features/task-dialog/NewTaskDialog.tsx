/**
 * The new task dialog: project (grouped by workspace), prompt with `/` and `@` completion, profile with
 * its model and relative cost, worktree, Ralph loop with its limits, max cost, approval policy, the tasks
 * it waits for (and whose branch it starts from) and image attachments. Ctrl/Cmd+Enter submits; the
 * request is checked with the shared schema first. Each field is a component of its own file.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { HealthDto, Profile, TaskDto } from '../../../../shared/api.js';
import { useBoard } from '../../hooks/useBoard.js';
import { useGluon } from '../../hooks/useGluon.js';
import { Modal } from '../../ui/Modal.js';
import { AttachmentPicker } from './AttachmentPicker.js';
import { rememberProject } from './last-project.js';
import { ProfilePicker } from './ProfilePicker.js';
import { ProjectField, useProjectChoice } from './ProjectField.js';
import { PromptInput as PromptField } from './PromptInput.js';
import { CapFields, ModeFields } from './RunOptionFields.js';
import { bodyProblem, defaultRunOptions, taskBody, type RunOptions } from './task-body.js';
import { useAttachments } from './useAttachments.js';
import { WaitsFor, type WaitsForValue } from './WaitsFor.js';

export function NewTaskDialog(props: {
  onClose: () => void;
  onCreated: (task: TaskDto) => void;
  defaultProject?: string;
}) {
  const { api } = useGluon();
  const project = useProjectChoice(props.defaultProject);
  const { chosen } = project;
  const [prompt, setPrompt] = useState('');
  const [profile, setProfile] = useState<Profile>('standard');
  const health = useQueryClient().getQueryData<HealthDto>(['health']);
  const [options, setOptions] = useState<RunOptions>(() => defaultRunOptions(health));
  const [waits, setWaits] = useState<WaitsForValue>({ after: [], on: null });
  const attachments = useAttachments();
  const boardTasks = useBoard();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    if (attachments.uploading) return setError('Wait for the images to finish uploading.');
    const form = {
      project: chosen?.name ?? '',
      prompt,
      profile,
      options,
      waits,
      attachments: attachments.ids,
    };
    const body = taskBody(form);
    if (!chosen) return setError('Choose a project.');
    const problem = bodyProblem(body);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      const created = await api.createTask(body);
      rememberProject(chosen.name);
      props.onCreated(created);
    } finally {
      setBusy(false);
    }
  };
  const showFailure = (err: unknown) => setError((err as Error).message);

  return (
    <Modal title="New task" onClose={props.onClose}>
      <form
        className="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          submit().catch(showFailure);
        }}
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          attachments.add([...e.dataTransfer.files]);
        }}
      >
        <h2>New task</h2>
        <ProjectField choice={project} />
        <PromptField
          projectId={chosen?.id ?? null}
          value={prompt}
          onChange={setPrompt}
          onSubmit={() => submit().catch(showFailure)}
          onPasteFiles={attachments.add}
        />
        <ProfilePicker value={profile} onChange={setProfile} />
        <ModeFields value={options} onChange={setOptions} />
        <CapFields value={options} onChange={setOptions} />
        <WaitsFor tasks={boardTasks} projectId={chosen?.id ?? null} value={waits} onChange={setWaits} />
        <AttachmentPicker items={attachments.items} onAdd={attachments.add} onRemove={attachments.remove} />
        <DialogFooter error={error} busy={busy} onCancel={props.onClose} />
      </form>
    </Modal>
  );
}

/** The dialog's error, if any, and its buttons. */
function DialogFooter(props: { error: string | null; busy: boolean; onCancel: () => void }) {
  return (
    <>
      {props.error ? (
        <p className="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <span className="hint">Ctrl/⌘ + Enter</span>
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={props.busy}>
          {props.busy ? 'Creating…' : 'Create task'}
        </button>
      </div>
    </>
  );
}
