// Which folder may import which: the arrows of docs/ARCHITECTURE.md, checked by the lint.
// Each layer names its files and the imports they may not make; an import (`import`,
// `export … from` or `import()`) whose text matches a pattern fails the lint. Patterns
// read the import's text, so a folder is known by its name: each name below is unique
// in the tree (a new folder with one of these names would need a second look here).

const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/testing/**'];

/** A relative import that reaches into a folder with one of these names. */
const into = (names) => `^(\\.\\./)+(${names.join('|')})/`;

const NOT_CLIENTS = {
  regex: into(['cli', 'bots', 'web']),
  message: 'The server knows no client (cli, bots, web): `gluon serve` composes them.',
};
const NOT_FAKES = {
  regex: into(['fakes', 'test', 'bench']),
  message: 'Fakes, end-to-end helpers and benches are for tests (*.test.ts, testing/) only.',
};
const NOT_MCP = {
  regex: into(['mcp']),
  message: 'Only transport/routes/mcp.ts mounts the MCP server; nothing else in server/ imports mcp/.',
};
const domainOnly = (regex) => ({ regex, message: 'domain/ imports only domain/ and shared/.' });
const ONLY_SHARED = into(['server', 'cli', 'bots', 'mcp', 'web', 'fakes', 'test', 'bench']);
const CLIENT = {
  regex: ONLY_SHARED,
  message: 'cli, bots, mcp and web are clients of the API: they import only shared/ (and their own folder).',
};

/**
 * The layers, general first. `forbid` holds for all of a layer's files, `forbidOutsideTests`
 * for all but its tests (*.test.ts and testing/ folders, which may use fakes and fixtures).
 * A file obeys the last entry that matches it, so each entry lists everything its files obey.
 * @typedef {{ regex: string, message: string }} Forbidden
 * @type {{ name: string, files: string[], ignores?: string[], forbid: Forbidden[], forbidOutsideTests?: Forbidden[] }[]}
 */
export const LAYERS = [
  {
    name: 'server',
    files: ['server/src/**/*.ts'],
    forbid: [NOT_CLIENTS, NOT_MCP],
    forbidOutsideTests: [NOT_FAKES],
  },
  {
    name: 'domain',
    files: ['server/src/domain/**/*.ts'],
    forbid: [
      NOT_CLIENTS,
      NOT_MCP,
      domainOnly(into(['services', 'storage', 'runner', 'transport', 'formulas'])),
      domainOnly(
        '^(\\.\\./)+(config|log|ids|errors|server|bootstrap|worker|main|process-guards|agent-registry)\\.js$',
      ),
    ],
    // Tests of the domain may read their fixture files.
    forbidOutsideTests: [
      NOT_FAKES,
      {
        regex: '^(?!zod$)[^./]',
        message:
          'domain/ is pure logic: no node:*, no database, no framework (zod is the one package it uses).',
      },
    ],
  },
  {
    name: 'storage',
    files: ['server/src/storage/**/*.ts'],
    forbid: [
      NOT_CLIENTS,
      NOT_MCP,
      {
        regex: into(['services', 'transport', 'runner']),
        message: 'storage/ is the bottom layer: it never imports services/, runner/ or transport/.',
      },
    ],
    forbidOutsideTests: [NOT_FAKES],
  },
  {
    name: 'runner',
    files: ['server/src/runner/**/*.ts'],
    forbid: [
      NOT_CLIENTS,
      NOT_MCP,
      {
        regex: into(['storage', 'services', 'transport']),
        message:
          'runner/ knows git and processes, not the database: it reports through hooks and never imports storage/, services/ or transport/.',
      },
    ],
    forbidOutsideTests: [NOT_FAKES],
  },
  {
    name: 'formulas',
    files: ['server/src/formulas/**/*.ts'],
    forbid: [
      NOT_CLIENTS,
      NOT_MCP,
      {
        regex: into(['storage', 'services', 'transport', 'runner']),
        message: 'formulas/ imports only domain/ and shared/.',
      },
    ],
    forbidOutsideTests: [NOT_FAKES],
  },
  {
    name: 'services',
    files: ['server/src/services/**/*.ts'],
    forbid: [
      NOT_CLIENTS,
      NOT_MCP,
      {
        regex: into(['transport']),
        message: 'services/ never import transport/: the arrow points transport → services.',
      },
    ],
    forbidOutsideTests: [NOT_FAKES],
  },
  { name: 'the MCP route', files: ['server/src/transport/routes/mcp.ts'], forbid: [NOT_CLIENTS, NOT_FAKES] },
  {
    name: 'shared',
    files: ['shared/**/*.ts'],
    forbid: [],
    forbidOutsideTests: [
      { regex: ONLY_SHARED, message: 'shared/ is the contract: it imports nothing outside shared/.' },
    ],
  },
  {
    name: 'clients',
    files: ['cli/src/**/*.ts', 'bots/src/**/*.ts', 'mcp/src/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    // The commands that start another part in this process (server, worker, bots, MCP
    // over stdio, the demo's fake Anthropic) or open the database are the CLI's
    // composition roots.
    ignores: ['serve', 'demo', 'worker', 'db', 'mcp', 'bot'].map((name) => `cli/src/commands/${name}.ts`),
    forbid: [],
    forbidOutsideTests: [CLIENT],
  },
  // The dashboard: pages compose features; a feature keeps to itself; what two features share lives
  // below them, in ui/ (components, formatting, the board's columns), hooks/ or stores/. A feature's
  // files sit directly in its folder, so `../name/` from one is another feature.
  {
    name: 'web features',
    files: ['web/src/features/**/*.{ts,tsx}'],
    forbid: [],
    forbidOutsideTests: [
      CLIENT,
      {
        regex: '^\\.\\./(?!\\.)[^/]+/',
        message:
          'A feature does not reach into another one: move what both need to web/src/ui, hooks or stores.',
      },
    ],
  },
  {
    name: 'web parts below the features',
    files: ['web/src/{hooks,ui,stores,api}/**/*.{ts,tsx}'],
    forbid: [],
    forbidOutsideTests: [
      CLIENT,
      {
        regex: '(^|/)features/',
        message: 'hooks, ui, stores and api are below the features: they import none.',
      },
    ],
  },
];

/** The two rules that check one layer: static imports, and `import()` with a literal path. */
export function restrictions(forbid) {
  // esquery reads a regular expression up to the next slash, so slashes are written \x2F.
  const selectorRegex = (regex) => regex.replaceAll('/', '\\x2F');
  return {
    'no-restricted-imports': [
      'error',
      { patterns: forbid.map(({ regex, message }) => ({ regex, message })) },
    ],
    'no-restricted-syntax': [
      'error',
      ...forbid.map(({ regex, message }) => ({
        selector: `ImportExpression[source.value=/${selectorRegex(regex)}/]`,
        message,
      })),
    ],
  };
}

/**
 * Flat-config entries: per layer, one for its files outside tests and one for its tests
 * (an inner array of `files` is a conjunction: in the layer and a test).
 */
export function layerConfigs() {
  return LAYERS.flatMap(({ name, files, ignores = [], forbid, forbidOutsideTests = [] }) => [
    {
      name: `layers/${name}`,
      files,
      ignores: [...ignores, ...TESTS],
      rules: restrictions([...forbid, ...forbidOutsideTests]),
    },
    ...(forbid.length > 0
      ? [
          {
            name: `layers/${name} tests`,
            files: files.flatMap((glob) => TESTS.map((test) => [glob, test])),
            ignores,
            rules: restrictions(forbid),
          },
        ]
      : []),
  ]);
}
