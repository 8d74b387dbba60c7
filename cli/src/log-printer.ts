/**
 * Prints a task's events as a log. With `streamDeltas`, text and thinking appear inline as the model
 * streams them (`agent.delta`); the block's final `agent.text` / `agent.thinking` then prints only what the
 * deltas did not already show, so nothing appears twice. Without it, deltas are skipped and only the
 * final blocks print (the right view for stored history).
 */
import type { GluonEvent } from '../../shared/events.js';
import { describeEvent, type DescribeContext } from './format-events.js';
import { formatUsd } from '../../shared/text.js';

type BlockKind = 'text' | 'thinking';
interface StreamedBlock {
  messageId: string;
  index: number;
  kind: BlockKind;
  text: string;
}

export interface LogPrinterOptions extends DescribeContext {
  /** Raw output (no newline added): deltas are written as they come. */
  write: (chunk: string) => void;
  streamDeltas: boolean;
}

/** A stateful event → output printer; call `print` for each event in `seq` order, then `end`. */
export class LogPrinter {
  /** The block whose deltas are being written on the current, unfinished line. */
  private open: StreamedBlock | undefined;
  /** Streamed blocks per message id, waiting for their final event. */
  private readonly pending = new Map<string, StreamedBlock[]>();
  /** The block that received the latest delta. */
  private last: StreamedBlock | undefined;
  /** The cost figure last printed, to skip repeats. */
  private lastCost: string | undefined;

  constructor(private readonly options: LogPrinterOptions) {}

  /** Prints one event. */
  print(event: GluonEvent): void {
    if (event.type === 'agent.delta') {
      if (this.options.streamDeltas) this.printDelta(event.data);
      return;
    }
    if (event.type === 'cost.updated' && !event.data.final) {
      // Several updates often carry the same rounded figure; one line is enough.
      const cost = formatUsd(event.data.taskCostUsd);
      if (cost === this.lastCost) return;
      this.lastCost = cost;
    }
    if (event.type === 'agent.text' || event.type === 'agent.thinking') {
      const kind: BlockKind = event.type === 'agent.text' ? 'text' : 'thinking';
      if (this.finishStreamedBlock(event.data.messageId, kind, event.data.text)) return;
    }
    this.endLine();
    for (const line of describeEvent(event, this.options)) this.options.write(`${line}\n`);
  }

  /** Ends an unfinished streamed line, so what follows starts on its own line. */
  end(): void {
    this.endLine();
  }

  private printDelta(delta: { messageId: string; index: number; kind: BlockKind; text: string }): void {
    const { style, write } = this.options;
    const same = (block: StreamedBlock | undefined) =>
      block?.messageId === delta.messageId && block.index === delta.index && block.kind === delta.kind;
    // A block whose line was ended by something else (a reconnect notice) continues on the next line.
    if (!this.open && same(this.last) && this.pending.get(delta.messageId)?.includes(this.last!)) {
      this.open = this.last;
    }
    if (!same(this.open)) {
      this.endLine();
      const block: StreamedBlock = {
        messageId: delta.messageId,
        index: delta.index,
        kind: delta.kind,
        text: '',
      };
      this.open = block;
      this.pending.set(delta.messageId, [...(this.pending.get(delta.messageId) ?? []), block]);
      if (delta.kind === 'thinking') write(style.dim('[thinking] '));
    }
    this.last = this.open;
    this.open!.text += delta.text;
    write(delta.kind === 'thinking' ? style.dim(delta.text) : delta.text);
  }

  /**
   * Completes a streamed block with its final text. Rules: the first pending block of the same message and
   * kind is the one completed; if the final text extends what was streamed, only the rest is written; if
   * it does not match (deltas were not streamed from the start), returns false so it prints in full.
   */
  private finishStreamedBlock(messageId: string, kind: BlockKind, finalText: string): boolean {
    const blocks = this.pending.get(messageId) ?? [];
    const position = blocks.findIndex((block) => block.kind === kind);
    if (position < 0) return false;
    const [block] = blocks.splice(position, 1);
    if (blocks.length === 0) this.pending.delete(messageId);
    if (!block || !finalText.startsWith(block.text)) {
      if (block === this.open) this.endLine();
      return false;
    }
    const rest = finalText.slice(block.text.length).replace(/\s+$/, '');
    if (block !== this.open) {
      this.endLine();
      if (rest) this.options.write(`${kind === 'thinking' ? this.options.style.dim(rest) : rest}\n`);
      return true;
    }
    if (rest) this.options.write(kind === 'thinking' ? this.options.style.dim(rest) : rest);
    block.text += rest;
    this.endLine();
    return true;
  }

  private endLine(): void {
    if (!this.open) return;
    if (!this.open.text.endsWith('\n')) this.options.write('\n');
    this.open = undefined;
  }
}
