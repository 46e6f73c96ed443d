// Brackets drawn in the drafting room (procedure.md, "Bracketed text"): a clause text holding
// ⟦CODE: wording ‖ CODE: other wording⟧ is drawn with each alternative on its proponent's
// colour, named (code shown, name for screen readers and on hover), "(delete)" for an empty
// wording; and a selection in the drawn text is mapped back to positions in the raw text.
//
// How the drawing maps back: every piece of the raw text that is shown as it is (plain text,
// and each alternative's wording) is a `.bk-raw` span with `data-raw-start`, holding only that
// text (live-change marks and the preamble's italic opening word are inside it, and add no
// characters). Everything else (marks, separators, proponents, "(delete)") is chrome inside a
// `.bk` span with `data-start`/`data-end`: a selection edge there counts as the bracket's edge.
// room/dispute.js does the acting (disputing words, offering wording, resolving).
import { t } from '../i18n.js';
import { h, srOnly } from '../dom.js';
import { hasMarks, parseBrackets, OPEN, CLOSE, BAR } from '../bracket-notation.js';
import { alternativeView } from '../bracket-view.js';
import { state, nameOf } from './state.js';
import { TABLED } from '../labels.js';

/**
 * The nodes of a clause's text with its brackets drawn, or null when it has none (render.js then
 * draws it as before). `runs` are render.js's: the text in pieces {op: '=' | '+', text}, '+' for
 * words to mark as just changed.
 */
export function bracketedText(c, runs) {
  const text = c?.text ?? '';
  if (!hasMarks(text)) return null;
  const brackets = parseBrackets(text);
  if (!brackets || !brackets.length) return null;
  // Which characters to mark as just changed.
  const changed = new Uint8Array(text.length);
  let at = 0;
  for (const run of runs ?? []) {
    const len = String(run.text ?? '').length;
    if (run.op === '+') changed.fill(1, at, Math.min(at + len, text.length));
    at += len;
  }
  // The preamble's opening word is in italics (render.js does the same for clean texts).
  let opening = null;
  if (c.kind === 'preamble') {
    const m = /\S+/u.exec(text);
    if (m && !brackets.some((b) => m.index < b.end && m.index + m[0].length > b.start)) opening = [m.index, m.index + m[0].length];
  }
  const interactive = canActOnBrackets();
  const nodes = [];
  let pos = 0;
  for (const b of brackets) {
    if (b.start > pos) nodes.push(rawRun(text, pos, b.start, changed, opening));
    nodes.push(drawBracket(text, b, changed, interactive));
    pos = b.end;
  }
  if (pos < text.length) nodes.push(rawRun(text, pos, text.length, changed, opening));
  return nodes;
}

/** Whether clicking an alternative does something for this person (see dispute.js). */
export function canActOnBrackets() {
  const role = state.you?.role;
  return (role === 'chair' || role === 'delegation') && state.stage !== 'adopted';
}

function rawRun(text, start, end, changed, opening) {
  const el = h('span', { class: 'bk-raw', dataset: { rawStart: start } });
  const cuts = new Set([start, end]);
  for (let i = start + 1; i < end; i++) if (changed[i] !== changed[i - 1]) cuts.add(i);
  if (opening) for (const o of opening) if (o > start && o < end) cuts.add(o);
  const points = [...cuts].sort((a, b) => a - b);
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k], points[k + 1]];
    let node = document.createTextNode(text.slice(a, b));
    if (changed[a]) node = h('mark', { class: 'live-change' }, node);
    if (opening && a >= opening[0] && b <= opening[1]) node = h('em', { class: 'opening' }, node);
    el.append(node);
  }
  return el;
}

function drawBracket(text, b, changed, interactive) {
  const n = b.alternatives.length;
  const el = h('span', {
    class: 'bk', dataset: { bracket: b.index, start: b.start, end: b.end },
  },
  srOnly(`${t('bracket.sr', { i: b.index + 1, count: n })} `),
  h('span', { class: 'bk-mark bk-mark--open', 'aria-hidden': 'true' }, OPEN));
  b.alternatives.forEach((a, i) => {
    if (i > 0) el.append(h('span', { class: 'bk-sep', 'aria-hidden': 'true' }, ` ${BAR} `), srOnly(` ${t('bracket.or')} `));
    const words = a.wording === '' ? null : rawRun(text, a.start, a.end, changed, null);
    const alt = alternativeView(a, i, nameOf, words, state.sponsors);
    if (interactive) {
      alt.setAttribute('role', 'button');
      alt.setAttribute('tabindex', '0');
      // The wording as tabled is named alone ("Text as tabled (CHN, RUS)"), without a code.
      const chair = state.you?.role === 'chair';
      alt.setAttribute('title', a.state === TABLED
        ? t(chair ? 'bracket.titleTabledChair' : 'bracket.titleTabledOthers', { name: nameOf(a.state) })
        : t(chair ? 'bracket.titleChair' : 'bracket.titleOthers', { name: nameOf(a.state), code: a.state }));
    }
    el.append(alt);
  });
  el.append(h('span', { class: 'bk-mark bk-mark--close', 'aria-hidden': 'true' }, CLOSE), srOnly(` ${t('bracket.end')}`));
  return el;
}

// ---------------------------------------------------------------- selection → raw text

/** The position in the raw text of a DOM point inside a clause text element drawn by bracketedText. */
function rawIndex(textEl, text, node, offset, edge) {
  // A selection that ends at the very start of a mark (or starts at the very end of one) ends
  // (starts) where the words next to it do: the edge of the text node beside it.
  if (node.nodeType === Node.TEXT_NODE && !node.parentElement?.closest('.bk-raw')) {
    const walker = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT);
    walker.currentNode = node;
    if (edge === 'end' && offset === 0) {
      const prev = walker.previousNode();
      if (prev?.parentElement?.closest('.bk-raw')) return rawIndex(textEl, text, prev, prev.data.length, edge);
    } else if (edge === 'start' && offset === node.data.length) {
      const next = walker.nextNode();
      if (next?.parentElement?.closest('.bk-raw')) return rawIndex(textEl, text, next, 0, edge);
    }
  }
  const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const run = el?.closest('.bk-raw');
  if (run && textEl.contains(run)) {
    const r = document.createRange();
    r.setStart(run, 0);
    r.setEnd(node, offset);
    return Number(run.dataset.rawStart) + r.toString().length;
  }
  const bk = el?.closest('.bk');
  if (bk && textEl.contains(bk)) return Number(edge === 'start' ? bk.dataset.start : bk.dataset.end);
  // Between pieces: the first piece that starts after the point.
  const point = document.createRange();
  point.setStart(node, offset);
  for (const unit of textEl.querySelectorAll(':scope > .bk-raw, :scope > .bk')) {
    if (point.comparePoint(unit, 0) >= 0) return Number(unit.dataset.rawStart ?? unit.dataset.start);
  }
  return text.length;
}

/** Whether a clause text element shows brackets (so that its DOM is not its raw text). */
export function isBracketed(textEl) {
  return Boolean(textEl.querySelector('.bk'));
}

/**
 * The span of the raw `text` that a DOM range selects in `textEl`: {start, end} (UTF-16 indexes,
 * white space at either edge left out), with `bracket` when it is exactly one whole bracket; a
 * selection that ends inside a bracket counts as the whole bracket. {error} when it cannot be
 * bracketed (empty, or a bracket together with other words). With `withinWording` (a comment,
 * which may be on words of one alternative), words inside one alternative's wording stay as selected.
 */
export function selectionSpan(textEl, text, range, { withinWording = false } = {}) {
  let start;
  let end;
  if (isBracketed(textEl)) {
    start = rawIndex(textEl, text, range.startContainer, range.startOffset, 'start');
    end = rawIndex(textEl, text, range.endContainer, range.endOffset, 'end');
  } else {
    // A clean text is drawn as it is (text nodes, live-change marks, the opening italic).
    const r = document.createRange();
    r.setStart(textEl, 0);
    r.setEnd(range.startContainer, range.startOffset);
    start = r.toString().length;
    end = start + range.toString().length;
  }
  return withinWording ? wordingSpan(text, start, end) ?? spanIn(text, start, end) : spanIn(text, start, end);
}

/** [start, end) of `text` trimmed, when it lies inside the wording of one alternative of a bracket; else null. */
function wordingSpan(text, start, end) {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  while (s < e && /\s/u.test(text[s])) s++;
  while (e > s && /\s/u.test(text[e - 1])) e--;
  if (s >= e) return null;
  for (const b of parseBrackets(text) ?? []) {
    if (b.alternatives.some((a) => a.start <= s && e <= a.end)) return { start: s, end: e, bracket: null };
  }
  return null;
}

/** Fits [start, end) of `text` to what the server brackets (see selectionSpan). */
export function spanIn(text, start, end) {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  const brackets = parseBrackets(text) ?? [];
  for (const b of brackets) {
    if (s > b.start && s < b.end) s = b.start;
    if (e > b.start && e < b.end) e = b.end;
  }
  while (s < e && /\s/u.test(text[s])) s++;
  while (e > s && /\s/u.test(text[e - 1])) e--;
  if (s >= e) return { error: t('dispute.selectFirst') };
  const inside = brackets.filter((b) => s <= b.start && b.end <= e);
  if (inside.length === 1 && inside[0].start === s && inside[0].end === e) return { start: s, end: e, bracket: inside[0] };
  if (inside.length) {
    return { error: t('dispute.mixedSelection') };
  }
  return { start: s, end: e, bracket: null };
}
