/**
 * A worker says every `heartbeatMs` that it is alive, and acts on what the answers say.
 * Rules: no heartbeat answered for `fenceAfterMs` (the database refuses, or a cut network leaves the
 * heartbeat hanging: a heartbeat still waiting counts as silence) → the worker is fenced off: its agents
 * stop, before anyone can declare it lost and start their tasks elsewhere. Any answer → it reaches the
 * database. Declared lost meanwhile (it was silent too long) → its agents stop (their tasks continue
 * elsewhere already) and it registers again. Fenced off, then answered → the tasks it stopped continue
 * (unless another process declared it lost and moved them first).
 * What the worker does on an answer (stop, register, hand over) runs beside the heartbeats, never in their
 * way: those steps use the database too, and one that waits behind a connection the cut left hanging must
 * not read as silence once the heartbeats are answered again.
 */
export interface HeartbeatDeps {
  name: string;
  heartbeatMs: number;
  fenceAfterMs: number;
  /** One heartbeat at `at`: false when the worker was declared lost meanwhile. */
  heartbeat(name: string, at: string): Promise<boolean>;
  register(): Promise<void>;
  stopAll(): Promise<unknown>;
  /** The tasks whose agents it stopped while fenced off continue (here or on another worker). */
  resume(): Promise<unknown>;
  log(msg: string, err?: unknown): void;
}

export function startHeartbeat(h: HeartbeatDeps): { stop(): void } {
  let lastOk = Date.now();
  let fenced = false;
  let beating: Promise<void> | null = null;
  let acting: Promise<void> | null = null;
  // A heartbeat answered after the worker began to close changes nothing.
  let stopped = false;
  const silentFor = () => Date.now() - lastOk;
  const fence = (why: unknown) => {
    if (fenced || stopped) return;
    fenced = true;
    h.log(`worker ${h.name} cannot reach the database: stopping its agents`, why);
    h.stopAll().catch((err) => h.log(`stopping the agents of worker ${h.name} failed`, err));
  };
  /** What an answer asks for; one thing at a time, while the heartbeats go on. */
  const act = (alive: boolean) => {
    if (stopped || acting || (alive && !fenced)) return;
    acting = (async () => {
      if (!alive) {
        h.log(`worker ${h.name} was declared lost: its tasks continue elsewhere; stopping its agents here`);
        await h.stopAll();
        await h.register();
      }
      if (fenced) {
        h.log(`worker ${h.name} reaches the database again: the tasks it stopped continue`);
        await h.resume();
        fenced = false;
      }
    })()
      .catch((err) => h.log(`worker ${h.name} could not act on its heartbeat`, err))
      .finally(() => (acting = null));
  };
  const beat = async () => {
    // The time the heartbeat says, which is what the other processes compare with `lostAfterMs`.
    const at = Date.now();
    try {
      const alive = await h.heartbeat(h.name, new Date(at).toISOString());
      lastOk = at;
      act(alive);
    } catch (err) {
      if (silentFor() >= h.fenceAfterMs) fence(err);
    }
  };
  const timer = setInterval(() => {
    if (silentFor() >= h.fenceAfterMs) fence(new Error(`no heartbeat answered for ${silentFor()} ms`));
    beating ??= beat().finally(() => (beating = null));
  }, h.heartbeatMs);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
