/**
 * The keyword prefilter of the secret rules, as gitleaks does it: a rule's regex runs only on text that
 * contains one of its keywords (case-insensitive). All keywords are found in one pass over the text by an
 * Aho–Corasick automaton compiled into a dense table. Speed matters (every event goes through it):
 * - the text is walked as UTF-8 bytes in a reused buffer, several times faster in V8 than `charCodeAt`
 *   over strings of mixed widths; a non-ASCII byte resets the automaton, as no keyword has one;
 * - bytes map to the few classes the keywords use (upper case folded to lower case, every other byte one
 *   class), so the table stays small enough for the cache.
 */

export interface KeywordIndex {
  /** The rules (indexes, ascending) with a keyword in `text`; rules without keywords always. */
  rulesIn(text: string): readonly number[];
}

/**
 * Builds the index for `keywords[i]`, the keywords of rule `i`.
 * - keywords are compared in lower case; a rule with an empty or non-ASCII keyword, or with none, always
 *   runs (rather than silently never running).
 */
export function createKeywordIndex(keywords: readonly (readonly string[])[]): KeywordIndex {
  const always = new Uint8Array(keywords.length);
  const lists = keywords.map((list, rule) => {
    if (list.length > 0 && list.every(isAscii)) return list.map((k) => k.toLowerCase());
    always[rule] = 1;
    return [];
  });

  // Byte classes: 0 for bytes no keyword uses, 1.. for the others (an upper-case letter shares its
  // lower-case letter's class).
  const byteClass = new Uint8Array(256);
  let classes = 1;
  for (const k of lists.flat()) for (const ch of k) byteClass[ch.charCodeAt(0)] ||= classes++;
  for (let c = 65; c <= 90; c++) byteClass[c] = byteClass[c + 32]!;

  const trie: Map<number, number>[] = [new Map()];
  const outputs: number[][] = [[]];
  lists.forEach((list, rule) => {
    for (const keyword of list) {
      let state = 0;
      for (const ch of keyword) {
        const c = byteClass[ch.charCodeAt(0)]!;
        let next = trie[state]!.get(c);
        if (next === undefined) {
          next = trie.push(new Map()) - 1;
          outputs.push([]);
          trie[state]!.set(c, next);
        }
        state = next;
      }
      outputs[state]!.push(rule);
    }
  });

  // Breadth-first: each state's failure link, its dense row, and its outputs merged with the failure's.
  const table = new Uint16Array(trie.length * classes);
  const fail = new Uint16Array(trie.length);
  const queue: number[] = [];
  for (const [c, next] of trie[0]!) {
    table[c] = next;
    queue.push(next);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    outputs[state] = [...new Set([...outputs[state]!, ...outputs[fail[state]!]!])];
    for (let c = 1; c < classes; c++) {
      const next = trie[state]!.get(c);
      const viaFail = table[fail[state]! * classes + c]!;
      if (next === undefined) table[state * classes + c] = viaFail;
      else {
        fail[next] = viaFail;
        table[state * classes + c] = next;
        queue.push(next);
      }
    }
  }
  // The hot loop reads one number per byte: the next state's row offset, negated when that state ends a
  // keyword (row offsets are multiples of `classes`, so 0 is never an accepting state's).
  const rows = new Int32Array(table.length);
  for (let i = 0; i < table.length; i++) {
    const next = table[i]!;
    rows[i] = outputs[next]!.length > 0 ? -(next * classes) : next * classes;
  }
  const alwaysRules: readonly number[] = [...always.keys()].filter((r) => always[r] === 1);
  const encoder = new TextEncoder();
  let buffer = new Uint8Array(64 * 1024);

  return {
    rulesIn(text) {
      if (buffer.length < text.length * 3) buffer = new Uint8Array(text.length * 3);
      const length = encoder.encodeInto(text, buffer).written;
      const ends = walk(buffer, length, rows, byteClass);
      if (ends.length === 0) return alwaysRules;
      const found = always.slice();
      for (const row of ends) for (const rule of outputs[row / classes]!) found[rule] = 1;
      const rules: number[] = [];
      for (let r = 0; r < found.length; r++) if (found[r]) rules.push(r);
      return rules;
    },
  };
}

/** Runs the automaton over `length` bytes; returns the row offsets of the keyword ends it passed. */
function walk(bytes: Uint8Array, length: number, rows: Int32Array, byteClass: Uint8Array): number[] {
  const ends: number[] = [];
  let row = 0;
  for (let i = 0; i < length; i++) {
    row = rows[row + byteClass[bytes[i]!]!]!;
    if (row < 0) {
      row = -row;
      ends.push(row);
    }
  }
  return ends;
}

function isAscii(keyword: string): boolean {
  if (keyword === '') return false;
  for (let i = 0; i < keyword.length; i++) if (keyword.charCodeAt(i) > 0x7f) return false;
  return true;
}
