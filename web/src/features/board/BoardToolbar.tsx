/**
 * The board's toolbar: the "+ New task" button, the workspace and project filters (projects of the chosen
 * workspace only), the title search and how many tasks there are.
 */
import { useMemo } from 'react';
import type { ProjectDto } from '../../../../shared/api.js';
import type { BoardFilter } from './board-filter.js';

export function BoardToolbar(props: {
  projects: readonly ProjectDto[];
  filter: BoardFilter;
  onFilter: (filter: BoardFilter) => void;
  onNewTask: () => void;
  /** The count of tasks, or that the board is still connecting. */
  hint: string;
}) {
  const { projects, filter, onFilter } = props;
  const workspaces = useMemo(() => [...new Set(projects.map((p) => p.workspace))].sort(), [projects]);
  return (
    <div className="toolbar">
      <button
        type="button"
        className="btn btn-primary"
        onClick={props.onNewTask}
        aria-keyshortcuts="N"
        title="New task (N)"
      >
        + New task
      </button>
      <select
        aria-label="Workspace filter"
        value={filter.workspace}
        onChange={(e) => onFilter({ ...filter, workspace: e.target.value, project: '' })}
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
        onChange={(e) => onFilter({ ...filter, project: e.target.value })}
      >
        <option value="">All projects</option>
        {projects
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
        onChange={(e) => onFilter({ ...filter, search: e.target.value })}
      />
      <span className="hint">{props.hint}</span>
    </div>
  );
}
