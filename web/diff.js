// Word-level diff, used to highlight what changed when an amendment arrives live,
// and to render the server's diffs ({op: '=' | '+' | '-', text}) on the history page.
import { h, srOnly } from './dom.js';

/** Splits text into word tokens and white-space tokens; joining them gives the text back. */
export function tokenize(text) {
  return String(text ?? '').match(/\s+|[^\s]+/gu) ?? [];
}

const MAX_CELLS = 4_000_000; // above this the middle is reported as one replacement

/**
 * Word diff of a → b as a list of {op, text} with adjacent equal ops joined.
 * Joining '=' and '-' gives a; joining '=' and '+' gives b.
 */
export function wordDiff(a, b) {
  const x = tokenize(a);
  const y = tokenize(b);
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) { endX--; endY--; }

  const ops = [];
  for (let i = 0; i < start; i++) ops.push(['=', x[i]]);
  const n = endX - start;
  const m = endY - start;
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endX; i++) ops.push(['-', x[i]]);
    for (let j = start; j < endY; j++) ops.push(['+', y[j]]);
  } else if (n > 0 || m > 0) {
    // LCS table over the differing middle, filled from the end.
    const w = m + 1;
    const table = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * w + j] = x[start + i] === y[start + j]
          ? table[(i + 1) * w + j + 1] + 1
          : Math.max(table[(i + 1) * w + j], table[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (x[start + i] === y[start + j]) { ops.push(['=', x[start + i]]); i++; j++; }
      else if (table[(i + 1) * w + j] >= table[i * w + j + 1]) { ops.push(['-', x[start + i]]); i++; }
      else { ops.push(['+', y[start + j]]); j++; }
    }
    while (i < n) { ops.push(['-', x[start + i]]); i++; }
    while (j < m) { ops.push(['+', y[start + j]]); j++; }
  }
  for (let i = endX; i < x.length; i++) ops.push(['=', x[i]]);
  return coalesce(ops.map(([op, text]) => ({ op, text })));
}

/** Joins adjacent entries with the same op. */
export function coalesce(diff) {
  const out = [];
  for (const part of diff) {
    if (!part || part.text === '' || part.text == null) continue;
    const last = out[out.length - 1];
    if (last && last.op === part.op) last.text += part.text;
    else out.push({ op: part.op, text: String(part.text) });
  }
  return out;
}

/** The texts before and after a diff. */
export function sides(diff) {
  let before = '';
  let after = '';
  for (const { op, text } of diff) {
    if (op !== '+') before += text;
    if (op !== '-') after += text;
  }
  return { before, after };
}

/**
 * Renders a diff as nodes: <ins>/<del> marked both visually (underline / strike-through)
 * and for screen readers ("inserted:" / "deleted:").
 */
export function renderDiff(diff) {
  const nodes = [];
  for (const { op, text } of diff ?? []) {
    if (op === '+') nodes.push(h('ins', { class: 'diff-ins' }, srOnly('inserted: '), text));
    else if (op === '-') nodes.push(h('del', { class: 'diff-del' }, srOnly('deleted: '), text));
    else nodes.push(document.createTextNode(text));
  }
  return nodes;
}

/** Counts of words inserted and deleted, for summaries. */
export function diffStats(diff) {
  let ins = 0;
  let del = 0;
  for (const { op, text } of diff ?? []) {
    const words = tokenize(text).filter((t) => /\S/.test(t)).length;
    if (op === '+') ins += words;
    else if (op === '-') del += words;
  }
  return { ins, del };
}
