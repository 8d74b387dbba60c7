import { describe, expect, it } from 'vitest';
import type { MergeEntryDto } from '../../../../shared/api.js';
import { mergeOutcomeText } from './merge-outcome.js';

const e = (patch: Partial<MergeEntryDto>): MergeEntryDto => ({
  taskId: 't1',
  title: 'T',
  outcome: 'merged',
  reason: null,
  sha: null,
  conflictFiles: null,
  ...patch,
});

describe('mergeOutcomeText', () => {
  it.each([
    [
      e({ reason: 'merged into main as 1a2b3c4 (fast-forward)' }),
      'Merged: merged into main as 1a2b3c4 (fast-forward)',
    ],
    [e({ outcome: 'sent_back', reason: 'conflicts in a.txt' }), 'Sent back to the agent: conflicts in a.txt'],
    [e({ outcome: 'skipped', reason: 'main is checked out' }), 'Not merged: main is checked out'],
    [e({ outcome: 'skipped' }), 'Not merged: skipped'],
  ])('%o → %s', (entry, text) => expect(mergeOutcomeText(entry)).toBe(text));
});
