// Bracketed text (procedure.md, "Bracketed text"): disputed wording inside a clause's text,
//
//   ⟦CHN: wording ‖ USA: other wording ‖ RUS: ⟧
//
// U+27E6 opens, U+27E7 closes, alternatives are joined by " ‖ " (space, U+2016, space), each
// alternative is `CODE: wording`, and an empty wording means "delete this". Brackets do not nest.
// This module reads the notation the way the server does (storage/brackets.cpp) and maps positions
// between the text as JavaScript holds it (UTF-16) and the UTF-8 byte offsets the server expects.
// Pure: no DOM, no imports, so that it runs in Node (tests/web/bracket-notation.test.mjs).
// Drawing brackets is bracket-view.js's (pages that only show them) and room/bracketed-text.js's
// (the drafting room's interactive ones).

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
