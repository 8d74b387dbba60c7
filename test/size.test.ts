import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module script, without type declarations
import { checkTree, measure } from '../scripts/check-size.mjs';

interface Offender {
  id: string;
  lines: number;
  limit: number;
}

const body = (n: number) => Array.from({ length: n }, (_, i) => `  const a${i} = ${i};`).join('\n');

describe('size check', () => {
  it('finds a file over 300 lines and a function over 60 of its own lines', () => {
    const long = `export function long() {\n${body(60)}\n}\n`;
    expect((measure('x.ts', long) as Offender[]).map((o) => o.id)).toEqual(['x.ts#long']);
    const fine = `export function fine() {\n${body(58)}\n}\n`;
    expect(measure('x.ts', fine)).toEqual([]);
    const big = `${body(301)}\n`;
    expect((measure('big.ts', big) as Offender[]).map((o) => o.id)).toEqual(['big.ts']);
  });

  it('counts a nested function for itself, not for the factory around it', () => {
    const factory = `export function make() {\n  const a = 1;\n  function inner() {\n${body(40)}\n  }\n  const b = () => {\n${body(40)}\n  };\n  return { inner, b, a };\n}\n`;
    expect(measure('f.ts', factory)).toEqual([]);
  });

  it('passes on the tree: every offender is in the allowlist, and no entry is stale', () => {
    const { unexplained, stale } = checkTree() as { unexplained: Offender[]; stale: string[] };
    expect(unexplained.map((o) => `${o.id} (${o.lines})`)).toEqual([]);
    expect(stale).toEqual([]);
  });
});
