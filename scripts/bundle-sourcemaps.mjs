// Keeps a bundle's source map to Gluon's own sources: the mappings into node_modules are dropped. Node 20
// reads and keeps every map of a module it loads when source maps are on, and decodes a whole map the first
// time a stack trace goes through it; the dependencies' mappings were four fifths of that for frames nobody
// reads in TypeScript (a dependency's frame then names the bundle's chunk, line and column).
import { readFileSync, writeFileSync } from 'node:fs';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...B64].map((c, i) => [c, i]));

/** The numbers of one VLQ segment ("AAgBC" → [0, 0, 16, 1]). */
function decodeSegment(text) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = DIGIT.get(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

function encodeNumber(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let s = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    s += B64[digit];
  } while (v > 0);
  return s;
}

/** Decodes `mappings` into lines of absolute segments [column, source, line, column, name?]. */
function decode(mappings) {
  const state = [0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    let column = 0;
    return line
      ? line.split(',').map((seg) => {
          const d = decodeSegment(seg);
          column += d[0];
          if (d.length === 1) return [column];
          for (let i = 1; i < d.length; i++) state[i - 1] += d[i];
          return d.length === 5
            ? [column, state[0], state[1], state[2], state[3]]
            : [column, ...state.slice(0, 3)];
        })
      : [];
  });
}

function encode(lines) {
  const prev = [0, 0, 0, 0];
  return lines
    .map((segments) => {
      let column = 0;
      return segments
        .map((seg) => {
          let s = encodeNumber(seg[0] - column);
          column = seg[0];
          for (let i = 1; i < seg.length; i++) {
            s += encodeNumber(seg[i] - prev[i - 1]);
            prev[i - 1] = seg[i];
          }
          return s;
        })
        .join(',');
    })
    .join(';');
}

/**
 * Rewrites the map at `file` without the sources (and mappings) whose path passes through node_modules,
 * or that `alsoDrop` names (a build's scratch files, where a file had no map of its own to compose).
 */
export function keepOwnSources(file, alsoDrop = () => false) {
  const map = JSON.parse(readFileSync(file, 'utf8'));
  const keep = map.sources.map((s) => !s.includes('node_modules/') && !alsoDrop(s));
  const index = [];
  const sources = [];
  map.sources.forEach((s, i) => {
    if (keep[i]) index[i] = sources.push(s) - 1;
  });
  // A dependency's segment stays as a bare column (unmapped), so that the own line before it does not
  // stretch over the dependency's code; a run of them is one.
  const lines = decode(map.mappings).map((segments) => {
    const out = [];
    for (const seg of segments) {
      const mapped = seg.length > 1 && keep[seg[1]];
      if (mapped) out.push([seg[0], index[seg[1]], ...seg.slice(2)]);
      else if (out.length === 0 || out[out.length - 1].length > 1) out.push([seg[0]]);
    }
    return out;
  });
  writeFileSync(file, JSON.stringify({ ...map, sources, mappings: encode(lines) }));
}
