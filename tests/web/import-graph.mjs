#!/usr/bin/env node
// The import graph of web/ (the static ES modules the pages load, no build step): prints each
// module with the local modules it imports, and exits 1 when the graph has a cycle, naming it.
// Why no cycle (docs/architecture.md, "Web front end"): a module in a cycle can run before the
// modules it needs have evaluated, so what it does at import depends on which page imported
// which file first. Run by CTest (tests/web/CMakeLists.txt):
//   node tests/web/import-graph.mjs [web-dir]      graph as text, then "no cycle" or the cycles
//   node tests/web/import-graph.mjs --dot [web-dir] the graph in Graphviz's dot language
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const dot = args.includes('--dot');
const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(here, '..', '..', 'web'));

/** Every .js file under `dir`, as paths relative to webDir with '/' separators, sorted. */
function modules(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...modules(p));
    else if (entry.name.endsWith('.js')) out.push(path.relative(webDir, p).split(path.sep).join('/'));
  }
  return out.sort();
}

// Static imports and re-exports: `import … from 'x'`, `import 'x'`, `export … from 'x'`;
// also `import('x')` with a literal, which can close a cycle as well. Comments are removed first.
const IMPORT_RE = /(?:^|[;\s])(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file) {
  const src = fs.readFileSync(path.join(webDir, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const out = new Set();
  for (const m of src.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2];
    let target;
    if (spec.startsWith('/static/')) target = spec.slice('/static/'.length);
    else if (spec.startsWith('./') || spec.startsWith('../')) target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    else continue; // static.test.mjs refuses any other import
    out.add(target);
  }
  return [...out].sort();
}

const graph = new Map(modules(webDir).map((f) => [f, importsOf(f)]));

let broken = false;
for (const [file, deps] of graph) {
  for (const d of deps) {
    if (!graph.has(d)) { console.error(`${file} imports ${d}, which does not exist`); broken = true; }
  }
}

// Tarjan's strongly connected components: every component of more than one module, or a module
// importing itself, is a cycle.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
let next = 0;
function visit(v) {
  index.set(v, next); low.set(v, next); next++;
  stack.push(v); onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const scc = [];
    let w;
    do { w = stack.pop(); onStack.delete(w); scc.push(w); } while (w !== v);
    if (scc.length > 1 || graph.get(v).includes(v)) cycles.push(scc.sort());
  }
}
for (const v of graph.keys()) if (!index.has(v)) visit(v);

if (dot) {
  console.log('digraph web {');
  console.log('  rankdir=LR; node [shape=box, fontname="monospace"];');
  for (const [file, deps] of graph) {
    if (!deps.length) console.log(`  "${file}";`);
    for (const d of deps) console.log(`  "${file}" -> "${d}";`);
  }
  console.log('}');
} else {
  for (const [file, deps] of graph) console.log(`${file}${deps.length ? ` -> ${deps.join(', ')}` : ''}`);
}

/** One shortest cycle through `from` inside the component `scc`: [from, …, from]. */
function shortestCycle(from, scc) {
  const inScc = new Set(scc);
  const prev = new Map();
  const queue = [from];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v)) {
      if (!inScc.has(w)) continue;
      if (w === from) {
        const chain = [];
        for (let x = v; x !== from; x = prev.get(x)) chain.unshift(x);
        return [from, ...chain, from];
      }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return [from, from];
}

if (cycles.length) {
  for (const c of cycles) {
    console.error(`import cycle among: ${c.join(', ')}`);
    console.error(`  for example: ${shortestCycle(c[0], c).join(' -> ')}`);
  }
  process.exit(1);
}
if (broken) process.exit(1);
if (!dot) console.log(`no cycle among ${graph.size} modules`);
