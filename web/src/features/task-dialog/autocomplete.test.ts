import { describe, expect, it } from 'vitest';
import { mentionedFiles } from '../../ui/mentions.js';
import { applyCompletion, findTrigger, matchCommands } from './autocomplete.js';

describe('prompt completion', () => {
  it('finds a slash command only at the start of the prompt', () => {
    expect(findTrigger('/rev', 4)).toEqual({ kind: 'slash', query: 'rev', start: 0, end: 4 });
    expect(findTrigger('please /rev', 11)).toBeNull();
    expect(findTrigger('/review and more', 3)).toEqual({ kind: 'slash', query: 're', start: 0, end: 7 });
  });

  it('finds an @file token anywhere after whitespace', () => {
    expect(findTrigger('fix @src/ap', 11)).toEqual({ kind: 'file', query: 'src/ap', start: 4, end: 11 });
    expect(findTrigger('line one\n@READ', 14)).toEqual({ kind: 'file', query: 'READ', start: 9, end: 14 });
    expect(findTrigger('mail me@example', 15)).toBeNull();
    expect(findTrigger('plain words', 5)).toBeNull();
  });

  it('replaces the token and puts the caret after a space', () => {
    const t = findTrigger('fix @ap now', 7)!;
    expect(applyCompletion('fix @ap now', t, 'src/app.ts')).toEqual({
      text: 'fix @src/app.ts now',
      caret: 16,
    });
    const s = findTrigger('/re', 3)!;
    expect(applyCompletion('/re', s, 'review')).toEqual({ text: '/review ', caret: 8 });
  });

  it('ranks commands by name prefix, then substring, then description; project before user', () => {
    const commands = [
      { name: 'deploy', description: 'Ship it', argumentHint: null, scope: 'user' as const },
      { name: 'review', description: 'Review the diff', argumentHint: null, scope: 'user' as const },
      { name: 'preview', description: 'Start the preview', argumentHint: null, scope: 'project' as const },
      { name: 'rebase', description: 'Rebase onto main', argumentHint: null, scope: 'project' as const },
    ];
    expect(matchCommands(commands, 're').map((c) => c.name)).toEqual(['rebase', 'review', 'preview']);
    expect(matchCommands(commands, 'ship').map((c) => c.name)).toEqual(['deploy']);
    expect(matchCommands(commands, '').map((c) => c.name)).toEqual(['preview', 'rebase', 'deploy', 'review']);
  });

  it('lists the files a prompt mentions', () => {
    expect(mentionedFiles('@a.ts look at @src/b.ts, not me@x')).toEqual(['a.ts', 'src/b.ts,']);
  });
});
