/**
 * The board page: filters (workspace, project, title search), the "+" button (or N), the board, and
 * the run details of `?task=<id>` in a modal over it.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { Board } from '../features/board/Board.js';
import { groupColumns, NO_FILTER, type BoardFilter } from '../features/board/board-filter.js';
import { BoardToolbar } from '../features/board/BoardToolbar.js';
import { RunView } from '../features/run/RunView.js';
import { NewTaskDialog } from '../features/task-dialog/NewTaskDialog.js';
import { useBoard, useBoardTask } from '../hooks/useBoard.js';
import { useGluon } from '../hooks/useGluon.js';
import { useKeyShortcut } from '../hooks/useKeyShortcut.js';
import { navigate } from '../hooks/useRoute.js';
import { Modal } from '../ui/Modal.js';

const NEW_TASK_KEYS = ['n', 'N', '+'];
const EMPTY: never[] = [];

export function BoardPage({ openTaskId }: { openTaskId: string | null }) {
  const { api, board } = useGluon();
  const tasks = useBoard();
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api.listProjects() });
  const [filter, setFilter] = useState<BoardFilter>(NO_FILTER);
  const [creating, setCreating] = useState(false);
  const columns = useMemo(() => groupColumns(tasks, filter), [tasks, filter]);
  const open = useCallback((id: string) => navigate(`/?task=${id}`), []);
  const startCreating = useCallback(() => setCreating(true), []);
  useKeyShortcut(NEW_TASK_KEYS, startCreating);

  return (
    <main className="page page-board">
      <BoardToolbar
        projects={projects.data ?? EMPTY}
        filter={filter}
        onFilter={setFilter}
        onNewTask={startCreating}
        hint={board.loaded ? `${tasks.length} tasks` : 'Connecting…'}
      />
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
      {openTaskId ? <RunDetails taskId={openTaskId} /> : null}
    </main>
  );
}

/** The run details of `?task=<id>` (a full id or a prefix) in a modal over the board. */
function RunDetails({ taskId }: { taskId: string }) {
  const task = useBoardTask(taskId);
  return (
    <Modal title="Run details" wide onClose={() => navigate('/')}>
      {task ? (
        <RunView key={task.id} task={task} onClose={() => navigate('/')} />
      ) : (
        <p className="empty">Loading the task…</p>
      )}
    </Modal>
  );
}
