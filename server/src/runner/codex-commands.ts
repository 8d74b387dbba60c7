/**
 * Commands Codex ran but left out of its JSON stream. `codex exec --json` does not report a command its
 * sandbox refused (measured with Codex 0.171.0: no `command_execution` item at all), though the model saw
 * it fail — exactly the attempt a human most wants to see. Codex's rollout file has the call and its
 * output, and an `item_completed` record for every command it did report, keyed by the same call id; a
 * call whose output arrives with no such record is one it left out.
 */

export interface UnreportedCommand {
  callId: string;
  /** The script the model asked to run. */
  command: string;
  /** What it printed (Codex's header of chunk id, wall time and exit code removed). */
  output: string;
  exitCode: number | null;
}

const SHELL_TOOLS = new Set(['exec_command', 'shell', 'local_shell']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export class UnreportedCommands {
  private calls = new Map<string, string>();
  private reported = new Set<string>();
  private found: UnreportedCommand[] = [];

  /** Takes one rollout line (others than calls, outputs and command records are skipped unparsed). */
  take(line: string): void {
    if (!line.includes('function_call') && !line.includes('CommandExecution')) return;
    let record: Obj;
    try {
      record = JSON.parse(line) as Obj;
    } catch {
      return;
    }
    const p = isObj(record.payload) ? record.payload : {};
    if (record.type === 'event_msg' && p.type === 'item_completed' && isObj(p.item)) {
      if (p.item.type === 'CommandExecution' && typeof p.item.id === 'string') this.reported.add(p.item.id);
    } else if (record.type === 'response_item' && typeof p.call_id === 'string') {
      if (p.type === 'function_call' && SHELL_TOOLS.has(String(p.name)))
        this.noteCall(p.call_id, p.arguments);
      if (p.type === 'function_call_output') this.noteOutput(p.call_id, p.output);
    }
  }

  /** The unreported commands found since the last call. */
  drain(): UnreportedCommand[] {
    return this.found.splice(0);
  }

  private noteCall(callId: string, args: unknown): void {
    try {
      const parsed = JSON.parse(String(args)) as { cmd?: unknown; command?: unknown };
      const command = parsed.cmd ?? parsed.command;
      this.calls.set(callId, Array.isArray(command) ? command.join(' ') : String(command ?? ''));
    } catch {
      this.calls.set(callId, String(args));
    }
  }

  private noteOutput(callId: string, output: unknown): void {
    const command = this.calls.get(callId);
    this.calls.delete(callId);
    if (command === undefined || this.reported.delete(callId)) return;
    const text = typeof output === 'string' ? output : JSON.stringify(output ?? '');
    const code = /Process exited with code (-?\d+)/.exec(text)?.[1];
    const at = text.indexOf('\nOutput:\n');
    this.found.push({
      callId,
      command,
      output: at < 0 ? text : text.slice(at + '\nOutput:\n'.length),
      exitCode: code === undefined ? null : Number(code),
    });
  }
}
