import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { soleClaudeBinary } from './claude-options.js';

describe('soleClaudeBinary', () => {
  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'finds the one platform package installed here, as the SDK would, without its libc probe',
    () => {
      const file = soleClaudeBinary();
      expect(file).toMatch(/@anthropic-ai\/claude-agent-sdk-linux-x64\/claude$/);
      expect(existsSync(file!)).toBe(true);
    },
  );

  it('leaves the choice to the SDK where no package of the platform is installed', () => {
    expect(soleClaudeBinary('aix', 'ppc64')).toBeUndefined();
    expect(soleClaudeBinary('linux', 'riscv64')).toBeUndefined();
  });
});
