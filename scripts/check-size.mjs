#!/usr/bin/env node
// Size check: no source file over 300 lines, no function over 60 of its own lines (tests, generated
// files and scripts aside; a function nested in another counts for itself, not for its parent). What cannot be split yet is named in scripts/size-allowlist.json, each entry
// with its reason; an entry that no longer exceeds its limit fails too, so the list only shrinks.
// Usage: node scripts/check-size.mjs [--list]   (--list prints every offender, allowed or not)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 60;
const ROOTS = ['server/src', 'shared', 'cli/src', 'bots/src', 'mcp/src', 'web/src', 'fakes', 'bench'];
const SKIP = [/\.test\.tsx?$/, /\/testing\//, /\.generated\.ts$/, /\.d\.ts$/];

const root = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = `${dir}/${name}`;
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(join(root, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !SKIP.some((re) => re.test(path))) out.push(path);
  }
  return out;
}

/** The name a reader would search for: the function's own, or the variable, property or call it sits in. */
function nameOf(node, file) {
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(file);
  if (ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText(file).slice(0, 40)})`;
  return '(anonymous)';
}

const isFunction = (node) => ts.isFunctionLike(node) && 'body' in node && node.body !== undefined;

/**
 * A function's own lines: its span less the bodies of the functions inside it (each is measured for
 * itself), so a factory is as long as its own logic, not the sum of the methods it returns.
 */
function ownLines(fn, lineOf, file) {
  const lines = new Set();
  for (let line = lineOf(fn.getStart(file)); line <= lineOf(fn.getEnd()); line++) lines.add(line);
  const dropNested = (node) => {
    if (node !== fn && isFunction(node)) {
      for (let line = lineOf(node.getStart(file)) + 1; line <= lineOf(node.getEnd()); line++)
        lines.delete(line);
      return;
    }
    ts.forEachChild(node, dropNested);
  };
  ts.forEachChild(fn, dropNested);
  return lines.size;
}

/** Offenders of one file: `file` (over its line limit) and `file#name` (a function over its limit). */
export function measure(path, text) {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE_LINES) found.push({ id: path, lines, limit: MAX_FILE_LINES });
  const lineOf = (pos) => file.getLineAndCharacterOfPosition(pos).line;
  const visit = (node) => {
    if (isFunction(node)) {
      const own = ownLines(node, lineOf, file);
      if (own > MAX_FUNCTION_LINES)
        found.push({ id: `${path}#${nameOf(node, file)}`, lines: own, limit: MAX_FUNCTION_LINES });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

export function checkTree() {
  const allow = JSON.parse(readFileSync(join(root, 'scripts/size-allowlist.json'), 'utf8'));
  const offenders = ROOTS.flatMap(sourceFiles).flatMap((path) =>
    measure(path, readFileSync(join(root, path), 'utf8')),
  );
  const ids = new Set(offenders.map((o) => o.id));
  return {
    offenders,
    unexplained: offenders.filter((o) => !(o.id in allow)),
    stale: Object.keys(allow).filter((id) => !ids.has(id)),
  };
}

if (process.argv[1] && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  const { offenders, unexplained, stale } = checkTree();
  const show = process.argv.includes('--list') ? offenders : unexplained;
  for (const o of show) console.log(`${o.id}: ${o.lines} lines (limit ${o.limit})`);
  for (const id of stale)
    console.log(`${id}: in scripts/size-allowlist.json but within its limit now; remove it`);
  if (unexplained.length || stale.length) process.exit(1);
}
