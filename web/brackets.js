// Bracketed text (procedure.md, "Bracketed text"): disputed wording inside a clause's text,
//
//   ⟦CHN: wording ‖ USA: other wording ‖ RUS: ⟧
//
// U+27E6 opens, U+27E7 closes, alternatives are joined by " ‖ " (space, U+2016, space), each
// alternative is `CODE: wording`, and an empty wording means "delete this". Brackets do not nest.
// This module reads the notation the way the server does (storage/brackets.cpp), maps positions
// between the text as JavaScript holds it (UTF-16) and the UTF-8 byte offsets the server expects,
// and draws brackets for the pages that only show them (clause history, compare). The drafting
// room's interactive brackets are room/brackets.js's.
import { h, srOnly } from './dom.js';
import { paintState } from './colors.js';

export const OPEN = '\u27E6';
export const BAR = '\u2016';
export const CLOSE = '\u27E7';
export const SEPARATOR = ` ${BAR} `;

const MARKS_RE = /[\u27E6\u2016\u27E7]/;
const CODE_RE = /^[A-Z0-9]{2,8}$/;

/** True when the text holds any of ⟦ ‖ ⟧. */
export function hasMarks(text) {
  return MARKS_RE.test(String(text ?? ''));
}

/**
 * The brackets of `text`, in order, or null when the notation is broken (the text is then shown
 * as it is). Every position is a UTF-16 index into `text`:
 *   {index, start (at ⟦), end (just past ⟧), alternatives: [{state, wording, from (start of CODE),
 *    start, end (of the wording)}]}
 */
export function parseBrackets(text) {
  const s = String(text ?? '');
  const out = [];
  let pos = 0;
  for (;;) {
    const m = nextMark(s, pos);
    if (m < 0) break;
    if (s[m] !== OPEN) return null; // ‖ or ⟧ outside a bracket
    const inner = m + 1;
    const bars = [];
    let close = -1;
    for (let p = inner; ;) {
      const k = nextMark(s, p);
      if (k < 0) return null; // never closed
      if (s[k] === OPEN) return null; // nested
      if (s[k] === CLOSE) { close = k; break; }
      bars.push(k);
      p = k + 1;
    }
    if (close === inner) return null;
    const alternatives = [];
    let altStart = inner;
    for (let i = 0; i <= bars.length; i++) {
      let altEnd = close;
      if (i < bars.length) {
        const b = bars[i];
        if (!(b > inner && s[b - 1] === ' ' && b + 1 < close && s[b + 1] === ' ')) return null;
        altEnd = b - 1;
      }
      const raw = altEnd > altStart ? s.slice(altStart, altEnd) : '';
      const colon = raw.indexOf(': ');
      if (colon < 0 || !CODE_RE.test(raw.slice(0, colon))) return null;
      alternatives.push({
        state: raw.slice(0, colon),
        wording: raw.slice(colon + 2),
        from: altStart,
        start: altStart + colon + 2,
        end: altEnd > altStart ? altEnd : altStart + colon + 2,
      });
      if (i < bars.length) altStart = bars[i] + 2;
    }
    out.push({ index: out.length, start: m, end: close + 1, alternatives });
    pos = close + 1;
  }
  return out;
}

function nextMark(s, from) {
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === OPEN || c === BAR || c === CLOSE) return i;
  }
  return -1;
}

const utf8 = new TextEncoder();

/** The UTF-8 byte offset of UTF-16 index `i` of `text` (an index inside a surrogate pair moves past it). */
export function byteOffset(text, i) {
  let at = Math.max(0, Math.min(i, text.length));
  const c = text.charCodeAt(at - 1);
  if (at > 0 && at < text.length && c >= 0xd800 && c <= 0xdbff) at += 1;
  return utf8.encode(text.slice(0, at)).length;
}

/**
 * The pieces of `text` that are notation, not wording: each bracket's marks, each `CODE: ` and
 * each ` ‖ `, as [{start, end, kind: 'open' | 'code' | 'bar' | 'close', state?}], in order.
 * Empty when the text has no (well-formed) brackets.
 */
export function notationRanges(text) {
  const brackets = parseBrackets(text);
  if (!brackets) return [];
  const out = [];
  for (const b of brackets) {
    out.push({ start: b.start, end: b.start + 1, kind: 'open' });
    b.alternatives.forEach((a, i) => {
      if (i > 0) out.push({ start: b.alternatives[i - 1].end, end: a.from, kind: 'bar' });
      out.push({ start: a.from, end: a.start, kind: 'code', state: a.state });
    });
    out.push({ start: b.end - 1, end: b.end, kind: 'close' });
  }
  return out;
}

/**
 * `text` (which starts at `offset` in its clause) as nodes, the notation in `ranges` (from
 * notationRanges of the whole clause) drawn legibly: marks bold and larger, codes as small
 * capitals, named on hover by `nameOf(code)` (the draft's roster). The characters stay the
 * clause's own, so copying gives the text back.
 */
export function decorateNotation(text, offset, ranges, nameOf = (c) => c) {
  const s = String(text ?? '');
  if (!ranges.length) return [s];
  const nodes = [];
  let pos = 0;
  for (const r of ranges) {
    const a = Math.max(r.start - offset, pos);
    const b = Math.min(r.end - offset, s.length);
    if (b <= a) continue;
    if (a > pos) nodes.push(s.slice(pos, a));
    const piece = s.slice(a, b);
    if (r.kind === 'code') nodes.push(h('span', { class: 'bk-code-raw', title: codeTitle(r.state, nameOf) }, piece));
    else nodes.push(h('span', { class: ['bk-mark-raw', `bk-mark-raw--${r.kind}`] }, piece));
    pos = b;
  }
  if (pos < s.length) nodes.push(s.slice(pos));
  return nodes;
}

/**
 * A read-only bracket: ⟦ CHN wording ‖ USA other wording ⟧ with each alternative's proponent
 * as a chip (code shown, name for screen readers) on its state colour; "(delete)" for an empty
 * wording. `nameOf(code)` gives a state's name.
 */
export function bracketView(b, nameOf = (c) => c) {
  const el = h('span', { class: 'bk', dataset: { bracket: b.index } },
    srOnly(`Bracket ${b.index + 1}, ${b.alternatives.length} ${b.alternatives.length === 1 ? 'alternative' : 'alternatives'}: `),
    h('span', { class: 'bk-mark bk-mark--open', 'aria-hidden': 'true' }, OPEN));
  b.alternatives.forEach((a, i) => {
    if (i > 0) el.append(h('span', { class: 'bk-sep', 'aria-hidden': 'true' }, ` ${BAR} `), srOnly(' or '));
    el.append(alternativeView(a, i, nameOf));
  });
  el.append(h('span', { class: 'bk-mark bk-mark--close', 'aria-hidden': 'true' }, CLOSE), srOnly(' (end of bracket)'));
  return el;
}

/** "China (CHN)"; the code alone when its name is not known. */
function codeTitle(code, nameOf) {
  const name = nameOf(code) ?? code;
  return name && name !== code ? `${name} (${code})` : code;
}

/** One alternative: its proponent's code on their colour, then the wording (or "(delete)"). */
export function alternativeView(a, i, nameOf = (c) => c, wordingNodes = null) {
  const name = nameOf(a.state) ?? a.state;
  const el = h('span', { class: ['bk-alt', i === 0 ? 'bk-alt--first' : 'bk-alt--next', a.wording === '' ? 'bk-alt--delete' : null], dataset: { alt: i, state: a.state } },
    h('span', { class: 'bk-who', title: codeTitle(a.state, nameOf) },
      h('span', { 'aria-hidden': 'true' }, a.state), srOnly(`${name}${name !== a.state ? ` (${a.state})` : ''}: `)),
    a.wording === ''
      ? h('span', { class: 'bk-delete' }, '(delete)')
      : h('span', { class: 'bk-words' }, wordingNodes ?? a.wording));
  paintState(el, a.state);
  return el;
}

/** A whole text with its brackets drawn (plain text when it has none or its notation is broken). */
export function textWithBrackets(text, nameOf) {
  const s = String(text ?? '');
  const brackets = hasMarks(s) ? parseBrackets(s) : null;
  if (!brackets || !brackets.length) return [s];
  const nodes = [];
  let pos = 0;
  for (const b of brackets) {
    if (b.start > pos) nodes.push(s.slice(pos, b.start));
    nodes.push(bracketView(b, nameOf));
    pos = b.end;
  }
  if (pos < s.length) nodes.push(s.slice(pos));
  return nodes;
}
