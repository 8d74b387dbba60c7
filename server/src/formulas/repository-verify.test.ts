import { describe, expect, it } from 'vitest';
import type { ApprovalPolicy } from '../../../shared/api.js';
import type { FormulaScope, LoadedFormula } from './formula-store.js';
import { parseFormulaYaml } from './formula-yaml.js';
import { refuseRepositoryVerify } from './repository-verify.js';

function formula(scope: FormulaScope, verify: string | null): LoadedFormula {
  const step = (id: string, v: string | null) =>
    `  - id: ${id}\n    name: ${id}\n    prompt: Do ${id}.\n${v ? `    verify: ${JSON.stringify(v)}\n` : ''}`;
  const parsed = parseFormulaYaml(
    `steps:\n${step('build', null)}${step('check', verify)}`,
    'ship',
    'ship.yaml',
  );
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { formula: parsed.formula, scope, file: '.gluon/formulas/ship.yaml', shadows: [] };
}

describe('refuseRepositoryVerify', () => {
  const rows: [FormulaScope, string | null, ApprovalPolicy, RegExp | null][] = [
    [
      'project',
      'npm test',
      'strict',
      /step check of \.gluon\/formulas\/ship\.yaml runs `npm test`.*strict policy/,
    ],
    ['project', 'npm test', 'careful', null],
    ['project', 'rm -rf ~', 'careful', /careful policy .*rm -rf/],
    ['project', 'rm -rf ~', 'auto', null],
    ['project', null, 'strict', null],
    ['user', 'npm test', 'strict', null],
    ['builtin', 'npm test', 'strict', null],
  ];
  it.each(rows)('%s formula, verify %j, %s → %s', (scope, verify, policy, refusal) => {
    const reason = refuseRepositoryVerify(formula(scope, verify), policy);
    if (refusal === null) expect(reason).toBeNull();
    else expect(reason).toMatch(refusal);
  });
});
