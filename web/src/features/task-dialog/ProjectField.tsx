/**
 * The new task dialog's project: a choice grouped by workspace (the one picked, else the board's filter,
 * else the last used, else the first), with the chosen project's path and whether it trusts the
 * repository's own settings.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { ProjectDto } from '../../../../shared/api.js';
import { useGluon } from '../../hooks/useGluon.js';
import { pickProject, readLastProject } from './last-project.js';

/** Projects grouped by workspace, workspaces and projects in name order. */
export function groupProjects(projects: readonly ProjectDto[]): [string, ProjectDto[]][] {
  const by = new Map<string, ProjectDto[]>();
  for (const p of projects) by.set(p.workspace, [...(by.get(p.workspace) ?? []), p]);
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([w, list]) => [w, list.sort((a, b) => a.name.localeCompare(b.name))]);
}

/** The projects listed and the one chosen; `defaultProject`: the one the board is filtered on. */
export function useProjectChoice(defaultProject?: string) {
  const { api } = useGluon();
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api.listProjects() });
  const [picked, setPicked] = useState<string | null>(null);
  const [lastUsed] = useState(readLastProject);
  const groups = useMemo(() => groupProjects(projects.data ?? []), [projects.data]);
  const chosen = pickProject(
    groups.flatMap(([, list]) => list),
    { picked, filtered: defaultProject, last: lastUsed },
  );
  const placeholder = projects.isLoading
    ? 'Loading…'
    : projects.data?.length
      ? 'Choose a project'
      : 'No project yet: gluon project add <path>';
  return { groups, chosen, placeholder, pick: setPicked };
}

export function ProjectField({ choice }: { choice: ReturnType<typeof useProjectChoice> }) {
  const { chosen } = choice;
  return (
    <>
      <label className="field">
        <span>Project</span>
        <select value={chosen?.name ?? ''} onChange={(e) => choice.pick(e.target.value)} aria-label="Project">
          <option value="" disabled>
            {choice.placeholder}
          </option>
          {choice.groups.map(([workspace, list]) => (
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
    </>
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
