/**
 * `gluon demo [--port 45867]`: a clearly labelled demo that needs no account. It starts the scripted fake
 * of Anthropic's API (fakes/anthropic), makes a sample repository under $GLUON_HOME/demo, and runs a Gluon
 * server on its own data directory whose agents — the real Claude Code — talk to the fake. The dashboard
 * shows a DEMO banner (the server reports `demo: true` on /api/health).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { InvalidArgumentError, type Command } from 'commander';
import type { StartOptions } from '../../../server/src/server.js';
import { writeCodeCache } from '../code-cache.js';

const run = promisify(execFile);
export const DEMO_PORT = 45867;

const SAMPLE_FILES: Record<string, string> = {
  'README.md': '# Greeter\n\nA tiny sample project for the Gluon demo.\n',
  'src/greet.js': 'export function greet(name) {\n  return `Hello, ${name}!`;\n}\n',
  'src/greet.test.js':
    "import { greet } from './greet.js';\nif (greet('Ada') !== 'Hello, Ada!') throw new Error('greet is broken');\n",
  'package.json':
    '{ "name": "greeter", "type": "module", "scripts": { "test": "node src/greet.test.js" } }\n',
  '.claude/commands/explain.md':
    '---\ndescription: Explain a file\nargument-hint: <file>\n---\nExplain what $ARGUMENTS does and write notes.\n',
  '.claude/commands/ask-me.md':
    '---\ndescription: Let the agent ask you a question\n---\n[[scenario:question]] Ask me which colour to use.\n',
};

/** Creates the sample repository (once): a few files, two slash commands, one commit. */
export async function ensureSampleRepo(dir: string): Promise<void> {
  if (existsSync(path.join(dir, '.git'))) return;
  for (const [file, text] of Object.entries(SAMPLE_FILES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const git = (...args: string[]) =>
    run(
      'git',
      [
        '-c',
        'user.name=Gluon Demo',
        '-c',
        'user.email=demo@gluon.invalid',
        '-c',
        'core.hooksPath=/dev/null',
        ...args,
      ],
      { cwd: dir },
    );
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'Sample project');
}

/** The demo agents' environment: the fake API and a scratch HOME, nothing of the user's own. */
export function demoAgentEnv(
  fakeUrl: string,
  home: string,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const agentHome = path.join(home, 'agent-home');
  mkdirSync(agentHome, { recursive: true });
  return {
    PATH: base.PATH,
    LANG: base.LANG ?? 'C.UTF-8',
    HOME: agentHome,
    ANTHROPIC_BASE_URL: fakeUrl,
    ANTHROPIC_API_KEY: 'sk-ant-demo-not-a-real-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    ...(base.IS_SANDBOX ? { IS_SANDBOX: base.IS_SANDBOX } : {}),
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return port;
}

/** Registers `gluon demo`. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Start a labelled demo: a sample repository and a scripted model instead of Claude (no account needed)',
    )
    .option('--port <port>', `port to listen on (default ${DEMO_PORT})`, parsePort)
    .action(async (opts: { port?: number }) => {
      // Loaded here so that every other command starts without the server's code.
      const { gluonHome } = await import('../../../server/src/config.js');
      const { startServer } = await import('../../../server/src/server.js');
      const { installProcessGuards, pinYoungGeneration } =
        await import('../../../server/src/process-guards.js');
      installProcessGuards();
      const { startFakeAnthropic } = await import('../../../fakes/anthropic/index.js');
      const home = path.join(gluonHome(), 'demo');
      const repo = path.join(home, 'sample-repo');
      mkdirSync(home, { recursive: true, mode: 0o700 });
      await ensureSampleRepo(repo);
      const fake = await startFakeAnthropic({ latencyMs: 150 });
      // `demo` makes /api/health say so, and the dashboard show a DEMO banner.
      const options: StartOptions = {
        home,
        // A scripted model on a sample repository: auto runs even where the sandbox cannot start.
        config: { port: opts.port ?? DEMO_PORT, sandbox: { allowUnsandboxedAuto: true } },
        env: demoAgentEnv(fake.url, home),
        demo: true,
      };
      const server = await startServer(options);
      if (!(await server.services.projects.find('demo')))
        await server.services.projects.add({ path: repo, name: 'demo', workspace: 'demo' });
      const link = `${server.url}/#token=${server.token}`;
      process.stdout.write(`Gluon DEMO is serving on ${server.url}\n`);
      process.stdout.write(`Open the dashboard: ${link}\n`);
      process.stdout.write(
        'Agents here talk to a scripted test model, not to Claude: nothing costs money or leaves this machine.\n',
      );
      process.stdout.write(`Demo data: ${home} (delete it to start over). Stop with Ctrl+C.\n`);
      pinYoungGeneration(writeCodeCache);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.stdout.write('Gluon demo is stopping…\n');
          void server
            .close()
            .then(() => fake.close())
            .then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
