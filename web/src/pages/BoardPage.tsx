/**
 * The board page: filters (workspace, project, title search), the "+" button (or N), the board, and
 * the run details of `?task=<id>` in a modal over it.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Board } from '../features/board/Board.js';
import { groupColumns, NO_FILTER, type BoardFilter } from '../features/board/board-filter.js';
import { RunView } from '../features/run/RunView.js';
import { NewTaskDialog } from '../features/task-dialog/NewTaskDialog.js';
import { useBoard } from '../hooks/useBoard.js';
import { useGluon } from '../hooks/useGluon.js';
import { navigate } from '../hooks/useRoute.js';
import { Modal } from '../ui/Modal.js';

/** Whether a key press is typed into a field (shortcuts must not fire there). */
function typing(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function BoardPage({ openTaskId }: { openTaskId: string | null }) {
  const { api, board } = useGluon();
  const tasks = useBoard();
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api.listProjects() });
  const [filter, setFilter] = useState<BoardFilter>(NO_FILTER);
  const [creating, setCreating] = useState(false);
  const columns = useMemo(() => groupColumns(tasks, filter), [tasks, filter]);
  const workspaces = useMemo(
    () => [...new Set((projects.data ?? []).map((p) => p.workspace))].sort(),
    [projects.data],
  );
  const open = useCallback((id: string) => navigate(`/?task=${id}`), []);
  const openTask = openTaskId
    ? tasks.find((t) => t.id === openTaskId || t.id.startsWith(openTaskId))
    : undefined;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'n' || e.key === 'N' || e.key === '+') {
        e.preventDefault();
        setCreating(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <main className="page page-board">
      <div className="toolbar">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setCreating(true)}
          aria-keyshortcuts="N"
          title="New task (N)"
        >
          + New task
        </button>
        <select
          aria-label="Workspace filter"
          value={filter.workspace}
          onChange={(e) => setFilter({ ...filter, workspace: e.target.value, project: '' })}
        >
          <option value="">All workspaces</option>
          {workspaces.map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
        <select
          aria-label="Project filter"
          value={filter.project}
          onChange={(e) => setFilter({ ...filter, project: e.target.value })}
        >
          <option value="">All projects</option>
          {(projects.data ?? [])
            .filter((p) => !filter.workspace || p.workspace === filter.workspace)
            .map((p) => (
              <option key={p.id} value={p.name}>
                {p.name}
              </option>
            ))}
        </select>
        <input
          type="search"
          aria-label="Search tasks"
          placeholder="Search titles"
          value={filter.search}
          onChange={(e) => setFilter({ ...filter, search: e.target.value })}
        />
        <span className="hint">{board.loaded ? `${tasks.length} tasks` : 'Connecting…'}</span>
      </div>
      {board.loaded ? <Board columns={columns} onOpen={open} /> : <p className="empty">Loading the board…</p>}
      {creating ? (
        <NewTaskDialog
          defaultProject={filter.project || undefined}
          onClose={() => setCreating(false)}
          onCreated={(task) => {
            setCreating(false);
            navigate(`/?task=${task.id}`);
          }}
        />
      ) : null}
      {openTaskId ? (
        <Modal title="Run details" wide onClose={() => navigate('/')}>
          {openTask ? (
            <RunView key={openTask.id} task={openTask} onClose={() => navigate('/')} />
          ) : (
            <p className="empty">Loading the task…</p>
          )}
        </Modal>
      ) : null}
    </main>
  );
}
