/**
 * Workspaces and projects: a project is a local git repository that tasks run against.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_WORKSPACE, type CreateProjectBody, type UpdateProjectBody } from '../../../shared/api.js';
import { AppError, conflict, invalidInput, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { inspectRepository, type InspectResult } from '../runner/git-inspect.js';
import { parseVerifyCommand } from '../runner/verify-command.js';
import type { Storage } from '../storage/index.js';
import type { ProjectRecord } from '../storage/projects-repo.js';

/** What the file system's refusals mean for a project path, as answers the user can act on. */
const PATH_ERRORS: Record<string, (p: string) => AppError> = {
  ENOENT: (p) => new AppError(400, 'not_found', `${p} does not exist`),
  ENOTDIR: (p) => new AppError(400, 'not_found', `${p} does not exist (a part of it is a file)`),
  EACCES: (p) => new AppError(400, 'permission_denied', `the server may not read ${p}`),
  EPERM: (p) => new AppError(400, 'permission_denied', `the server may not read ${p}`),
  ELOOP: (p) => invalidInput(`${p} has too many levels of symbolic links`),
  ENAMETOOLONG: () => invalidInput('the project path is too long'),
};

/**
 * Inspects the repository a new project names, with every refusal of the file system as a 4xx.
 * Rules: the path is absolute and has no NUL byte; it must be a readable directory (a missing path, a
 * path through a file, no permission, a symlink loop or an over-long name are each a 400 saying so);
 * git then decides whether it is a repository with a commit.
 */
export async function inspectProjectPath(p: string): Promise<Extract<InspectResult, { ok: true }>> {
  if (p.includes('\0')) throw invalidInput('the project path must not contain a NUL byte');
  if (!path.isAbsolute(p)) throw invalidInput('the project path must be absolute');
  let repo: InspectResult;
  try {
    await stat(p);
    repo = await inspectRepository(p);
  } catch (err) {
    const known = PATH_ERRORS[(err as NodeJS.ErrnoException).code ?? ''];
    if (known) throw known(p);
    throw err;
  }
  if (!repo.ok) throw new AppError(400, repo.error.type, repo.error.message);
  return repo;
}

/** A project's verify command, refused (400) unless it is one plain command (it runs without a shell). */
function checkedVerify(command: string): string {
  const parsed = parseVerifyCommand(command);
  if (!parsed.ok) throw invalidInput(parsed.error);
  return command;
}

export function createProjects(storage: Storage) {
  async function ensureWorkspace(name: string): Promise<string> {
    const existing = await storage.projects.findWorkspaceByName(name);
    if (existing) return existing.id;
    const id = newId();
    await storage.projects.insertWorkspace({ id, name, createdAt: nowIso() });
    return id;
  }

  return {
    /**
     * Registers a repository as a project.
     * Rules: the path must pass `inspectProjectPath` (an absolute, readable git repository with a commit); the name (default:
     * the folder's name) must be unused; the same repository may not be added twice.
     */
    async add(body: CreateProjectBody): Promise<ProjectRecord> {
      const repo = await inspectProjectPath(body.path);
      const name =
        body.name ??
        path
          .basename(repo.root)
          .replace(/[^A-Za-z0-9._-]/g, '-')
          .replace(/^[-.]+/, '') ??
        'project';
      if (await storage.projects.findByName(name))
        throw conflict('duplicate_name', `a project named ${name} already exists`);
      const same = await storage.projects.findByPath(repo.root);
      if (same) throw conflict('duplicate_path', `this repository is already the project ${same.name}`);
      const workspaceId = await ensureWorkspace(body.workspace ?? DEFAULT_WORKSPACE);
      const id = newId();
      await storage.projects.insert({
        id,
        workspaceId,
        name,
        path: repo.root,
        defaultBranch: repo.defaultBranch,
        remoteUrl: repo.remoteUrl,
        github: body.github ?? null,
        settings: {
          ...(body.uncommittedPolicy && { uncommittedPolicy: body.uncommittedPolicy }),
          ...(body.worktreeInclude && { worktreeInclude: body.worktreeInclude }),
          ...(body.trustRepoSettings && { trustRepoSettings: true }),
          ...(body.maxCostPerDayUsd && { maxCostPerDayUsd: body.maxCostPerDayUsd }),
          ...(body.maxCostPerMonthUsd && { maxCostPerMonthUsd: body.maxCostPerMonthUsd }),
          ...(body.issueLabel && { issueLabel: body.issueLabel }),
          ...(body.prAutofix && { prAutofix: true, prAutofixSince: nowIso() }),
          ...(body.prAutofixCapUsd && { prAutofixCapUsd: body.prAutofixCapUsd }),
          ...(body.verify && { verify: checkedVerify(body.verify) }),
          ...(body.mergeMethod && { mergeMethod: body.mergeMethod }),
        },
        createdAt: nowIso(),
      });
      return (await storage.projects.findById(id))!;
    },
    /** Changes a project's settings (caps, policy, include list, trust in its settings, GitHub repository). */
    async update(nameOrId: string, body: UpdateProjectBody): Promise<ProjectRecord> {
      const project =
        (await storage.projects.findByName(nameOrId)) ?? (await storage.projects.findById(nameOrId));
      if (!project) throw notFound(`project ${nameOrId}`);
      const settings: Record<string, unknown> = { ...project.settings };
      for (const key of [
        'uncommittedPolicy',
        'worktreeInclude',
        'trustRepoSettings',
        'maxCostPerDayUsd',
        'maxCostPerMonthUsd',
        'issueLabel',
        'prAutofix',
        'prAutofixCapUsd',
        'verify',
        'mergeMethod',
      ] as const) {
        if (body[key] === null || body[key] === false) delete settings[key];
        else if (body[key] !== undefined) settings[key] = body[key];
      }
      // Turning autofix on starts from now: a pull request's past is not replayed to its agent.
      if (body.prAutofix === true && project.settings.prAutofix !== true) settings.prAutofixSince = nowIso();
      if (typeof settings.verify === 'string') checkedVerify(settings.verify);
      await storage.projects.update(project.id, {
        settings,
        ...(body.github !== undefined ? { github: body.github } : {}),
      });
      return (await storage.projects.findById(project.id))!;
    },
    list: () => storage.projects.list(),
    listWorkspaces: () => storage.projects.listWorkspaces(),
    /** A project by name or id. */
    async find(nameOrId: string): Promise<ProjectRecord | undefined> {
      return (await storage.projects.findByName(nameOrId)) ?? (await storage.projects.findById(nameOrId));
    },
  };
}

export type Projects = ReturnType<typeof createProjects>;

/** Whether the project's agents load the repository's own `.claude` settings (an explicit opt-in). */
export function trustsRepoSettings(project: ProjectRecord | undefined): boolean {
  return project?.settings?.trustRepoSettings === true;
}
