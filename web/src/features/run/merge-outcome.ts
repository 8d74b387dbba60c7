/** The Merge button's logic: a queue of one task followed to its end, and what the toast says about it. */
import type { MergeEntryDto } from '../../../../shared/api.js';
import type { GluonClient } from '../../../../shared/client.js';

/** Starts a queue of one task and waits until its entry is final. */
export async function mergeOne(api: GluonClient, taskId: string): Promise<MergeEntryDto> {
  let q = await api.merge([taskId]);
  while (q.status === 'running') {
    await new Promise((r) => setTimeout(r, 500));
    q = await api.mergeQueue(q.id);
  }
  const entry = q.entries[0]!;
  // A queue closed as interrupted (its server stopped) never finished its entry: say so.
  if (q.status === 'interrupted' && (entry.outcome === 'pending' || entry.outcome === 'merging'))
    return {
      ...entry,
      outcome: 'skipped',
      reason: 'the merge was interrupted (its server stopped); merge again',
    };
  return entry;
}

/** What the toast says about a merged, sent back or skipped task. */
export function mergeOutcomeText(e: MergeEntryDto): string {
  if (e.outcome === 'merged') return e.reason ? `Merged: ${e.reason}` : 'Merged';
  if (e.outcome === 'sent_back') return `Sent back to the agent: ${e.reason ?? 'it did not pass'}`;
  return `Not merged: ${e.reason ?? e.outcome}`;
}
