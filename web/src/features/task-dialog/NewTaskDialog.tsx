/**
 * The new task dialog: project (grouped by workspace), prompt with `/` and `@` completion, profile with
 * its model and relative cost, worktree, Ralph loop with its limits, max cost, approval policy, the tasks
 * it waits for (and whose branch it starts from) and image attachments. Ctrl/Cmd+Enter submits; the request is checked with the shared schema first.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  createTaskBody,
  type ApprovalPolicy,
  type Profile,
  type ProjectDto,
  type TaskDto,
} from '../../../../shared/api.js';
import { useGluon } from '../../hooks/useGluon.js';
import { Modal } from '../../ui/Modal.js';
import { AttachmentPicker, rejectReason, type PendingAttachment } from './AttachmentPicker.js';
import { pickProject, readLastProject, rememberProject } from './last-project.js';
import { PromptInput as PromptField } from './PromptInput.js';
import { waitFields, WaitsFor, type WaitsForValue } from './WaitsFor.js';
import { useBoard } from '../../hooks/useBoard.js';

const PROFILES: { id: Profile; name: string; model: string; cost: string }[] = [
  { id: 'quick', name: 'Quick', model: 'Haiku', cost: '≈ ⅓×' },
  { id: 'standard', name: 'Standard', model: 'Sonnet', cost: '1×' },
  { id: 'deep', name: 'Deep', model: 'Opus', cost: '≈ 5×' },
  { id: 'planning', name: 'Planning', model: 'Opus, plan first', cost: '≈ 5×' },
];

/** Projects grouped by workspace, workspaces and projects in name order. */
export function groupProjects(projects: readonly ProjectDto[]): [string, ProjectDto[]][] {
  const by = new Map<string, ProjectDto[]>();
  for (const p of projects) by.set(p.workspace, [...(by.get(p.workspace) ?? []), p]);
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([w, list]) => [w, list.sort((a, b) => a.name.localeCompare(b.name))]);
}

let counter = 0;

export function NewTaskDialog(props: {
  onClose: () => void;
  onCreated: (task: TaskDto) => void;
  defaultProject?: string;
}) {
  const { api, toast, health } = useGluon();
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api.listProjects() });
  const [picked, setPicked] = useState<string | null>(null);
  const [lastUsed] = useState(readLastProject);
  const [prompt, setPrompt] = useState('');
  const [profile, setProfile] = useState<Profile>('standard');
  const [worktree, setWorktree] = useState(true);
  const [ralph, setRalph] = useState(false);
  const [maxIterations, setMaxIterations] = useState('20');
  const [maxCost, setMaxCost] = useState('');
  const [approval, setApproval] = useState<ApprovalPolicy>('auto');
  const [attachments, setAttachments] = useState<PendingAttachment[]>([]);
  const [waits, setWaits] = useState<WaitsForValue>({ after: [], on: null });
  const boardTasks = useBoard();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const groups = useMemo(() => groupProjects(projects.data ?? []), [projects.data]);
  const chosen = pickProject(
    groups.flatMap(([, list]) => list),
    {
      picked,
      filtered: props.defaultProject,
      last: lastUsed,
    },
  );

  const addFiles = (files: File[]) => {
    for (const file of files) {
      const reason = rejectReason(file);
      if (reason) {
        toast(reason, 'error');
        continue;
      }
      const item: PendingAttachment = {
        key: `a${++counter}`,
        file,
        preview: URL.createObjectURL(file),
        uploaded: null,
        error: null,
      };
      setAttachments((list) => [...list, item]);
      api.uploadAttachment(file, file.name).then(
        (uploaded) =>
          setAttachments((list) => list.map((a) => (a.key === item.key ? { ...a, uploaded } : a))),
        (err: Error) =>
          setAttachments((list) => list.map((a) => (a.key === item.key ? { ...a, error: err.message } : a))),
      );
    }
  };

  const submit = async () => {
    if (busy) return;
    if (attachments.some((a) => !a.uploaded && !a.error))
      return setError('Wait for the images to finish uploading.');
    const body = {
      project: chosen?.name ?? '',
      prompt,
      profile,
      worktree,
      approval,
      ...(ralph ? { ralph: true, maxIterations: Number(maxIterations) } : {}),
      ...(maxCost.trim() ? { maxCostUsd: Number(maxCost) } : {}),
      ...waitFields(waits),
      ...(attachments.some((a) => a.uploaded)
        ? { attachments: attachments.flatMap((a) => (a.uploaded ? [a.uploaded.id] : [])) }
        : {}),
    };
    const check = createTaskBody.safeParse(body);
    if (!chosen) return setError('Choose a project.');
    if (!check.success) {
      const issue = check.error.issues[0];
      return setError(`${issue?.path.join('.') || 'task'}: ${issue?.message ?? 'invalid'}`);
    }
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
          addFiles([...e.dataTransfer.files]);
        }}
      >
        <h2>New task</h2>
        <label className="field">
          <span>Project</span>
          <select value={chosen?.name ?? ''} onChange={(e) => setPicked(e.target.value)} aria-label="Project">
            <option value="" disabled>
              {projects.isLoading
                ? 'Loading…'
                : projects.data?.length
                  ? 'Choose a project'
                  : 'No project yet: gluon project add <path>'}
            </option>
            {groups.map(([workspace, list]) => (
              <optgroup key={workspace} label={workspace}>
                {list.map((p) => (
                  <option key={p.id} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        {chosen ? <ProjectTrust project={chosen} /> : null}
        <PromptField
          projectId={chosen?.id ?? null}
          value={prompt}
          onChange={setPrompt}
          onSubmit={() => submit().catch(showFailure)}
          onPasteFiles={addFiles}
        />
        <fieldset className="profiles">
          <legend>Profile</legend>
          {PROFILES.map((p) => (
            <label key={p.id} className={profile === p.id ? 'profile-opt profile-opt-on' : 'profile-opt'}>
              <input
                type="radio"
                name="profile"
                value={p.id}
                checked={profile === p.id}
                onChange={() => setProfile(p.id)}
              />
              <strong>{p.name}</strong> <span title={health?.models?.[p.id] ?? undefined}>{p.model}</span>{' '}
              <span className="hint">{p.cost}</span>
            </label>
          ))}
        </fieldset>
        <div className="row">
          <label className="toggle">
            <input type="checkbox" checked={worktree} onChange={(e) => setWorktree(e.target.checked)} /> Git
            worktree
          </label>
          <label className="toggle">
            <input type="checkbox" checked={ralph} onChange={(e) => setRalph(e.target.checked)} /> Ralph loop
          </label>
          <label className="field-inline">
            Approval
            <select value={approval} onChange={(e) => setApproval(e.target.value as ApprovalPolicy)}>
              <option value="auto">auto</option>
              <option value="careful">careful</option>
              <option value="strict">strict</option>
            </select>
          </label>
        </div>
        <div className="row">
          {ralph ? (
            <label className="field-inline">
              Max iterations
              <input
                type="number"
                min={1}
                max={1000}
                value={maxIterations}
                onChange={(e) => setMaxIterations(e.target.value)}
              />
            </label>
          ) : null}
          <label className="field-inline">
            {ralph ? 'Cost cap $' : 'Max cost $'}
            <input
              type="number"
              min={0}
              step="0.01"
              placeholder="none"
              value={maxCost}
              onChange={(e) => setMaxCost(e.target.value)}
            />
          </label>
        </div>
        <WaitsFor tasks={boardTasks} projectId={chosen?.id ?? null} value={waits} onChange={setWaits} />
        <AttachmentPicker
          items={attachments}
          onAdd={addFiles}
          onRemove={(key) => setAttachments((l) => l.filter((a) => a.key !== key))}
        />
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <span className="hint">Ctrl/⌘ + Enter</span>
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create task'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The project's path and whether its agents load the repository's own `.claude` settings. */
export function ProjectTrust({ project }: { project: ProjectDto }) {
  return (
    <p className="hint" data-testid="project-trust">
      {project.path} ·{' '}
      {project.trustRepoSettings ? (
        <span className="warn-text">
          loads the repository&apos;s own .claude settings, commands and CLAUDE.md (its hooks run here)
        </span>
      ) : (
        'the repository’s own .claude settings are not loaded (gluon project set --trust-repo-settings)'
      )}
    </p>
  );
}
