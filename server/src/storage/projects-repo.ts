/**
 * Workspaces and projects: rows ↔ records.
 */
import type { Db } from './db.js';
import type { ProjectsTable } from './schema.js';

export interface ProjectRecord {
  id: string;
  workspaceId: string;
  workspace: string;
  name: string;
  path: string;
  defaultBranch: string;
  remoteUrl: string | null;
  github: string | null;
  settings: Record<string, unknown>;
  createdAt: string;
}

type ProjectRow = ProjectsTable & { workspace: string };

function toRecord(row: ProjectRow): ProjectRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    workspace: row.workspace,
    name: row.name,
    path: row.path,
    defaultBranch: row.default_branch,
    remoteUrl: row.remote_url,
    github: row.github,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

function selectProjects(db: Db) {
  return db
    .selectFrom('projects')
    .innerJoin('workspaces', 'workspaces.id', 'projects.workspace_id')
    .selectAll('projects')
    .select('workspaces.name as workspace');
}

export function createProjectsRepo(db: Db) {
  return {
    async findWorkspaceByName(name: string) {
      return db.selectFrom('workspaces').selectAll().where('name', '=', name).executeTakeFirst();
    },
    async insertWorkspace(row: { id: string; name: string; createdAt: string }) {
      await db
        .insertInto('workspaces')
        .values({ id: row.id, name: row.name, created_at: row.createdAt })
        .execute();
    },
    async listWorkspaces() {
      return db.selectFrom('workspaces').select(['id', 'name']).orderBy('name').execute();
    },
    async insert(p: Omit<ProjectRecord, 'workspace'>) {
      await db
        .insertInto('projects')
        .values({
          id: p.id,
          workspace_id: p.workspaceId,
          name: p.name,
          path: p.path,
          default_branch: p.defaultBranch,
          remote_url: p.remoteUrl,
          github: p.github,
          settings: JSON.stringify(p.settings),
          created_at: p.createdAt,
        })
        .execute();
    },
    async update(
      id: string,
      patch: { github?: string | null; settings?: Record<string, unknown> },
    ): Promise<void> {
      const set: { github?: string | null; settings?: string } = {};
      if (patch.github !== undefined) set.github = patch.github;
      if (patch.settings !== undefined) set.settings = JSON.stringify(patch.settings);
      if (Object.keys(set).length) await db.updateTable('projects').set(set).where('id', '=', id).execute();
    },
    async list(): Promise<ProjectRecord[]> {
      return (await selectProjects(db).orderBy('projects.name').execute()).map(toRecord);
    },
    async findById(id: string): Promise<ProjectRecord | undefined> {
      const row = await selectProjects(db).where('projects.id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    async findByName(name: string): Promise<ProjectRecord | undefined> {
      const row = await selectProjects(db).where('projects.name', '=', name).executeTakeFirst();
      return row && toRecord(row);
    },
    async findByPath(path: string): Promise<ProjectRecord | undefined> {
      const row = await selectProjects(db).where('projects.path', '=', path).executeTakeFirst();
      return row && toRecord(row);
    },
  };
}

export type ProjectsRepo = ReturnType<typeof createProjectsRepo>;
