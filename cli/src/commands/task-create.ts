/**
 * `gluon task create --project N [...] <prompt...>`: creates a task and prints only its id on stdout, so
 * `id=$(gluon task create ...)` works.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  AGENT_NAMES,
  APPROVAL_POLICIES,
  PROFILES,
  type AgentName,
  type ApprovalPolicy,
  type CreateTaskBody,
  type Profile,
} from '../../../shared/api.js';
import type { GluonClient } from '../../../shared/client.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { collectList, collectVar, parsePositiveInt, parseUsd } from '../parse.js';

/** The parsed options of `task create`, as commander hands them over. */
export interface TaskCreateOptions {
  project: string;
  title?: string;
  profile?: Profile;
  agent?: AgentName;
  worktree: boolean;
  maxCost?: number;
  ralph?: boolean;
  maxIterations?: number;
  verify?: string;
  formula?: string;
  var?: Record<string, string>;
  approval?: ApprovalPolicy;
  attach?: string[];
  after?: string[];
  on?: string;
  json?: boolean;
}

/**
 * Maps the command line to the request body. Rules: only what the user gave is sent (the server owns the
 * defaults); prompt words are joined by spaces; `--var` needs `--formula`. Attachments are uploaded
 * separately (see uploadAttachments).
 */
export function toCreateTaskBody(words: string[], opts: TaskCreateOptions): CreateTaskBody {
  const prompt = words.join(' ').trim();
  if (!prompt) throw new UsageError('the prompt is empty');
  if (opts.var && !opts.formula) throw new UsageError('--var needs --formula');
  return {
    project: opts.project,
    prompt,
    ...(opts.title !== undefined && { title: opts.title }),
    ...(opts.profile !== undefined && { profile: opts.profile }),
    ...(opts.agent !== undefined && { agent: opts.agent }),
    ...(!opts.worktree && { worktree: false }),
    ...(opts.maxCost !== undefined && { maxCostUsd: opts.maxCost }),
    ...(opts.approval !== undefined && { approval: opts.approval }),
    ...(opts.ralph && { ralph: true }),
    ...(opts.maxIterations !== undefined && { maxIterations: opts.maxIterations }),
    ...(opts.verify !== undefined && { verify: opts.verify }),
    ...(opts.formula !== undefined && { formula: opts.formula }),
    ...(opts.var !== undefined && { vars: opts.var }),
    ...(opts.after?.length && { after: opts.after }),
    ...(opts.on !== undefined && { on: opts.on }),
  };
}

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/**
 * Uploads the `--attach` images and returns their ids.
 * Rules: only PNG, JPEG, GIF and WebP images are attachments (other files are mentioned in the prompt as
 * `@path`, and the agent reads them itself); a file that cannot be read is a usage error.
 */
async function uploadAttachments(files: string[], cwd: string, client: GluonClient): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const full = resolve(cwd, file);
    const mime = IMAGE_TYPES[extname(full).toLowerCase()];
    if (!mime)
      throw new UsageError(
        `--attach takes images (PNG, JPEG, GIF, WebP); mention other files as @${file} in the prompt`,
      );
    let bytes: Buffer;
    try {
      bytes = await readFile(full);
    } catch {
      throw new UsageError(`cannot read ${file}`);
    }
    const image = new Blob([new Uint8Array(bytes)], { type: mime });
    ids.push((await client.uploadAttachment(image, basename(full))).id);
  }
  return ids;
}

function parseTaskId(value: string): string {
  if (!/^[a-z0-9]{4,32}$/.test(value.trim()))
    throw new InvalidArgumentError('expected a task id (4 to 32 of a-z0-9)');
  return value.trim();
}

/** `--after a,b --after c` → [a, b, c]. */
function collectTaskIds(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .filter((v) => v.trim() !== '')
      .map(parseTaskId),
  ];
}

/** Registers `task create`. */
export function registerTaskCreate(program: Command, ctx: CliContext): void {
  const task = program.command('task').description('Create tasks');
  task
    .command('create')
    .description('Create a task and print its id')
    .argument('<prompt...>', 'what the agent should do')
    .requiredOption('--project <name>', 'project to run against')
    .option('--title <title>', 'card title (default: from the prompt)')
    .addOption(new Option('--profile <profile>', 'model profile').choices(PROFILES))
    .addOption(
      new Option('--agent <agent>', "coding agent (default: the profile's, from configuration)").choices(
        AGENT_NAMES,
      ),
    )
    .option('--no-worktree', 'run in the project checkout instead of a new worktree')
    .option('--max-cost <usd>', 'stop the agent when the task has cost this much', parseUsd)
    .option('--ralph', 'run autonomously in a loop until the work is done')
    .option('--max-iterations <n>', 'loop iteration limit', parsePositiveInt)
    .option('--verify <cmd>', 'command that must exit 0 before a done claim stands')
    .option('--formula <name>', 'run a multi-step formula')
    .option('--var <key=value>', 'formula variable (repeatable)', collectVar)
    .addOption(
      new Option('--approval <policy>', 'which tool calls wait for approval').choices(APPROVAL_POLICIES),
    )
    .option('--attach <file>', 'file to attach to the agent context (repeatable)', collectList)
    .option(
      '--after <ids>',
      'wait for these tasks (comma-separated, repeatable) to reach review or done',
      collectTaskIds,
    )
    .option('--on <id>', 'wait for this task and start from its branch', parseTaskId)
    .option('--json', 'print the created task as JSON instead of its id')
    .action(async (words: string[], opts: TaskCreateOptions, cmd: Command) => {
      const body = toCreateTaskBody(words, opts);
      const { client } = ctx.connect(cmd);
      if (opts.attach?.length) body.attachments = await uploadAttachments(opts.attach, ctx.io.cwd, client);
      const created = await client.createTask(body);
      if (opts.json) return ctx.printJson(created);
      ctx.out(created.id);
    });
}
