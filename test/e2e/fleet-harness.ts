/**
 * End-to-end harness for a fleet: a fresh Postgres database, a bare repository as the shared remote (the
 * project's checkout pushes to it), the scripted fake Anthropic API, and real `gluon serve` and
 * `gluon worker` processes, each with its own data directory and HOME, as on separate machines (or in
 * network namespaces of their own: `netns.ts`). Their fleet timings are short (config.json).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import { createPostgresDatabase, type TestDatabase } from '../../server/src/storage/testing/databases.js';
import type { CreateProjectBody } from '../../shared/api.js';
import { createClient, type GluonClient } from '../../shared/client.js';
import type { ProjectDto } from '../../shared/dto.js';
import type { GluonEvent } from '../../shared/events.js';
import { createMachine, type Machine } from './netns.js';
import { addBareOrigin, agentEnv, freePort, git, makeRepo, ROOT, spawnServe, tempDir } from './harness.js';

/**
 * Short, so that a lost worker is noticed in seconds; not shorter, because on a loaded 2-core machine a
 * heartbeat can wait seconds for its answer, and a worker silent that long stops its agents (fenced off).
 */
export const FLEET_TIMINGS = { heartbeatMs: 300, lostAfterMs: 6000, fenceAfterMs: 4000, superviseMs: 500 };

export interface FleetServer {
  home: string;
  port: number;
  child: ChildProcess;
  client: GluonClient;
}

export interface FleetWorker {
  name: string;
  home: string;
  child: ChildProcess;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  /** The network namespace it runs in, when started on a machine of its own. */
  machine?: Machine;
}

export interface Fleet {
  db: TestDatabase;
  fake: FakeAnthropic;
  /** The shared remote (a bare repository) and the checkout that registered the project `sample`. */
  remote: string;
  repo: string;
  servers: FleetServer[];
  workers: FleetWorker[];
  startServer(): Promise<FleetServer>;
  startWorker(
    name: string,
    opts?: { capacity?: number; projects?: string; database?: string; machine?: boolean },
  ): Promise<FleetWorker>;
  /** Registers one more project, `name`, with a shared remote of its own (a bare repository). */
  addProject(name: string, settings?: Omit<CreateProjectBody, 'path' | 'name'>): Promise<ProjectDto>;
  /** Stops a worker: gracefully (SIGTERM, it hands its tasks over) or as a crash (SIGKILL). */
  stopWorker(w: FleetWorker, signal?: NodeJS.Signals): Promise<void>;
  close(): Promise<void>;
}

/** The token every server of a test fleet answers to. */
export const TOKEN = randomBytes(32).toString('hex');

function homeFor(label: string, config: object = {}): string {
  const home = tempDir(label);
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ fleet: FLEET_TIMINGS, ...config }));
  // Every server of the fleet answers to the same token (one installation, several front doors).
  writeFileSync(path.join(home, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  return home;
}

/** Starts the database, the remote, the fake API and one server with the project `sample`. */
export async function startFleet(
  label: string,
  workerConfig: object = {},
  database?: TestDatabase,
): Promise<Fleet> {
  const db = database ?? (await createPostgresDatabase(label));
  const fake = await startFakeAnthropic();
  const { remote, repo } = await checkoutWithRemote();
  const dirs: string[] = [remote, repo];
  const machines: Machine[] = [];
  const env = (home: string) => ({
    ...agentEnv(fake, home),
    GLUON_DATABASE_URL: db.location,
    GLUON_HOME: home,
  });

  const fleet: Fleet = {
    db,
    fake,
    remote,
    repo,
    servers: [],
    workers: [],
    async startServer() {
      const home = homeFor('fleet-serve');
      dirs.push(home);
      const port = await freePort();
      const child = await spawnServe(home, env(home), port);
      const server = {
        home,
        port,
        child,
        client: createClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN }),
      };
      fleet.servers.push(server);
      return server;
    },
    async startWorker(name, opts = {}) {
      const home = homeFor(`fleet-${name}`, workerConfig);
      dirs.push(home);
      const args = ['--capacity', String(opts.capacity ?? 2)];
      if (opts.projects) args.push('--projects', opts.projects);
      if (opts.database) args.push('--database', opts.database);
      // On a machine of its own, it reaches the database and the API only through relays over its link.
      const machine = opts.machine ? await createMachine() : undefined;
      if (machine) machines.push(machine);
      const workerEnv = machine
        ? {
            ...env(home),
            GLUON_DATABASE_URL: await machine.expose(db.location),
            ANTHROPIC_BASE_URL: await machine.expose(fake.url),
          }
        : env(home);
      const worker = { ...(await spawnWorker(name, home, workerEnv, args, machine?.exec)), machine };
      fleet.workers.push(worker);
      return worker;
    },
    async addProject(name, settings = {}) {
      const made = await checkoutWithRemote();
      dirs.push(made.remote, made.repo);
      return fleet.servers[0]!.client.addProject({ ...settings, path: made.repo, name });
    },
    async stopWorker(w, signal = 'SIGTERM') {
      if (w.child.exitCode !== null || w.child.signalCode !== null) return;
      const exited = new Promise((r) => w.child.once('exit', r));
      w.child.kill(signal);
      await exited;
    },
    async close() {
      // A machine cut off would keep its worker waiting for the database: it is joined again first.
      for (const m of machines) await m.heal();
      if (process.env.DEBUG_FLEET)
        for (const w of fleet.workers) console.log(`WORKER ${w.name}:\n${w.output()}`);
      for (const w of fleet.workers) await fleet.stopWorker(w).catch(() => undefined);
      for (const s of fleet.servers) {
        if (s.child.exitCode === null) {
          const exited = new Promise((r) => s.child.once('exit', r));
          s.child.kill('SIGTERM');
          await exited;
        }
      }
      for (const m of machines) await m.close();
      await fake.close();
      await db.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
  const first = await fleet.startServer();
  await first.client.addProject({ path: repo, name: 'sample' });
  return fleet;
}

/** A checkout whose `origin` is a bare repository (the shared remote), `main` pushed. */
async function checkoutWithRemote(): Promise<{ remote: string; repo: string }> {
  const repo = await makeRepo();
  return { remote: await addBareOrigin(repo), repo };
}

/** Starts `gluon worker --name <name> …args` and resolves once it says it runs tasks. */
export async function spawnWorker(
  name: string,
  home: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  /** Argv to run it through (e.g. `ip netns exec NS`). */
  via: string[] = [],
): Promise<FleetWorker> {
  const argv = [process.execPath, path.join(ROOT, 'bin', 'gluon.js'), 'worker', '--name', name, ...args];
  const [command, ...rest] = [...via, ...argv];
  const child = spawn(command!, rest, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = () => (out.includes('runs up to') ? resolve() : undefined);
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`gluon worker ${name} exited (${code}): ${out}`)));
  });
  return { name, home, child, output: () => out };
}

/** Whether `file` is on the task's branch in the shared remote, with its content. */
export async function fileOnRemote(remote: string, branch: string, file: string): Promise<string | null> {
  return git(remote, 'show', `${branch}:${file}`).catch(() => null);
}

/** Every event of a task, as a server reads them. */
export async function eventsOf(client: GluonClient, id: string): Promise<GluonEvent[]> {
  return (await client.events(id, { limit: 10_000 })).events as GluonEvent[];
}

/**
 * How long after `sentAt` (a request sent to a server) the worker that runs the task acted on it: the
 * time stamp of the first event of `type` (after seq `afterSeq`) that `acted` accepts. The worker writes
 * that stamp when it acts (all processes share this machine's clock), so no sleep or poll is measured.
 */
export async function msUntilActed<T extends GluonEvent['type']>(
  client: GluonClient,
  id: string,
  sentAt: number,
  afterSeq: number,
  type: T,
  acted: (e: Extract<GluonEvent, { type: T }>) => boolean = () => true,
): Promise<number> {
  const events = await eventsOf(client, id);
  const hit = events.find(
    (e): e is Extract<GluonEvent, { type: T }> =>
      e.seq > afterSeq && e.type === type && acted(e as Extract<GluonEvent, { type: T }>),
  );
  if (!hit) throw new Error(`no ${type} event after seq ${afterSeq}: ${JSON.stringify(events.slice(-5))}`);
  if (process.env.DEBUG_FLEET) console.log(`${type} acted after ${Date.parse(hit.ts) - sentAt} ms`);
  return Date.parse(hit.ts) - sentAt;
}
