import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The import rules of eslint/layers.js, proven to fire on a wrong-way import of each
// kind and to pass on the real tree. Types are not needed for these rules, so the
// checks run without the TypeScript program (fast, and the probe files need not exist).

const root = fileURLToPath(new URL('..', import.meta.url));
const LAYER_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

function layerLint(): ESLint {
  return new ESLint({
    cwd: root,
    overrideConfig: tseslint.configs.disableTypeChecked,
    ruleFilter: ({ ruleId }) => LAYER_RULES.has(ruleId),
  });
}

/** The messages the layer rules give for `code` placed at `file`. */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await layerLint().lintText(code, { filePath: `${root}${file}` });
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

const WRONG_WAY: [string, string, string][] = [
  ['server/src/domain/probe.ts', "import { readFile } from 'node:fs/promises';", 'pure logic'],
  ['server/src/domain/probe.ts', "import Database from 'better-sqlite3';", 'pure logic'],
  [
    'server/src/domain/probe.ts',
    "import { openStorage } from '../storage/index.js';",
    'domain/ imports only',
  ],
  ['server/src/domain/probe.ts', "import { loadConfig } from '../config.js';", 'domain/ imports only'],
  [
    'server/src/domain/probe.ts',
    "export { startRun } from '../services/runs/index.js';",
    'domain/ imports only',
  ],
  ['server/src/domain/probe.ts', "const runs = await import('../runner/git.js');", 'domain/ imports only'],
  [
    'server/src/domain/testing/probe.ts',
    "import { openStorage } from '../../storage/index.js';",
    'domain/ imports only',
  ],
  ['server/src/storage/probe.ts', "import type { Services } from '../services/index.js';", 'bottom layer'],
  [
    'server/src/storage/testing/probe.ts',
    "import { buildApp } from '../../transport/http.js';",
    'bottom layer',
  ],
  ['server/src/runner/probe.ts', "import { tasksRepo } from '../storage/tasks-repo.js';", 'not the database'],
  [
    'server/src/runner/testing/probe.ts',
    "import { createEventLog } from '../../services/event-log.js';",
    'not the database',
  ],
  [
    'server/src/services/runs/probe.ts',
    "import { presentTask } from '../../transport/presenters.js';",
    'transport → services',
  ],
  ['server/src/server-probe.ts', "import { startBots } from '../../bots/src/index.js';", 'knows no client'],
  [
    'server/src/services/probe.ts',
    "const cli = await import('../../../cli/src/main.js');",
    'knows no client',
  ],
  [
    'server/src/services/probe.ts',
    "import { serveStdio } from '../../../mcp/src/stdio.js';",
    'mounts the MCP server',
  ],
  [
    'server/src/runner/probe.ts',
    "import { startFakeOpenAi } from '../../../fakes/openai/index.js';",
    'for tests',
  ],
  ['cli/src/probe.ts', "import { gluonHome } from '../../server/src/config.js';", 'only shared/'],
  [
    'cli/src/commands/logs-probe.ts',
    "const server = await import('../../../server/src/server.js');",
    'only shared/',
  ],
  ['bots/src/core/probe.ts', "import { formatTask } from '../../../cli/src/format-task.js';", 'only shared/'],
  [
    'mcp/src/tools/probe.ts',
    "import type { Services } from '../../../server/src/services/index.js';",
    'only shared/',
  ],
  [
    'web/src/features/board/probe.tsx',
    "import { ids } from '../../../../server/src/ids.js';",
    'only shared/',
  ],
  ['shared/probe.ts', "import { formatTask } from '../cli/src/format-task.js';", 'the contract'],
  ['web/src/features/run/probe.tsx', "import { planMove } from '../board/board-filter.js';", 'another one'],
  ['web/src/features/run/probe.tsx', "import { ids } from '../../../../server/src/ids.js';", 'only shared/'],
  [
    'web/src/hooks/useProbe.ts',
    "import { RunView } from '../features/run/RunView.js';",
    'below the features',
  ],
  ['web/src/stores/probe.ts', "import { Board } from '../features/board/Board.js';", 'below the features'],
];

const RIGHT_WAY: [string, string][] = [
  [
    'server/src/domain/probe.ts',
    "import { z } from 'zod';\nimport type { Task } from '../../../shared/api.js';",
  ],
  ['server/src/domain/testing/probe.ts', "import { redact } from '../redact.js';"],
  ['server/src/domain/probe.test.ts', "import { readFileSync } from 'node:fs';"],
  [
    'server/src/runner/probe.ts',
    "import { redact } from '../domain/redact.js';\nimport { spawn } from 'node:child_process';",
  ],
  [
    'server/src/services/probe.ts',
    "import { openStorage } from '../storage/index.js';\nimport { git } from '../runner/git.js';",
  ],
  ['server/src/transport/routes/mcp.ts', "import { handleMcpPost } from '../../../../mcp/src/http.js';"],
  [
    'server/src/runner/testing/probe.ts',
    "import { startFakeOpenAi } from '../../../../fakes/openai/index.js';",
  ],
  ['server/src/services/probe.test.ts', "import { startFakeGitHub } from '../../../fakes/github/index.js';"],
  ['cli/src/commands/serve.ts', "const server = await import('../../../server/src/server.js');"],
  [
    'bots/src/core/probe.ts',
    "import type { Task } from '../../../shared/api.js';\nimport { reply } from './reply.js';",
  ],
  ['web/src/features/board/probe.tsx', "import type { Task } from '../../../../shared/api.js';"],
  [
    'web/src/features/run/probe.tsx',
    "import { Modal } from '../../ui/Modal.js';\nimport { EventStore } from '../../stores/event-store.js';\nimport { Tabs } from './Tabs.js';",
  ],
  ['web/src/pages/ProbePage.tsx', "import { Board } from '../features/board/Board.js';"],
];

describe('layer rules', () => {
  it.each(WRONG_WAY)('%s: %s fails the lint', async (file, code, expected) => {
    const messages = await violations(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(expected);
  });

  it.each(RIGHT_WAY)('%s: %s passes', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });

  // Linting ~600 files on a shared machine takes a while; the bound is generous, not a measure.
  it('the tree obeys them', { timeout: 300_000 }, async () => {
    const results = await layerLint().lintFiles([
      'server/src',
      'shared',
      'cli/src',
      'bots/src',
      'mcp/src',
      'web/src',
    ]);
    const found = results.flatMap((result) =>
      result.messages.map(
        (message) => `${result.filePath.slice(root.length)}:${message.line} ${message.message}`,
      ),
    );
    expect(results.length).toBeGreaterThan(300);
    expect(found).toEqual([]);
  });
});
