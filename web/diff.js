// Word-level diff, used to highlight what changed when an amendment arrives live,
// and to render the server's diffs ({op: '=' | '+' | '-', text}) on the history page.
//
// One definition with the server: tokenize, the minimal diff and its readable clean-up are
// storage/words.cpp written again in JavaScript, rule for rule (the tokenizer's tables, the
// O(NP) diff of dtl with its tie-breaking, the folding and the alignment), so that the room's
// live highlight and the history page show the same diff for the same two texts. The shared
// table tests/shared/word-diff-cases.json is run against both (ctest and node --test).
// The rule is in docs/diffs.md. Positions here count UTF-16 units; the server counts bytes,
// which gives the same tokens for any well-formed text.
import { h, srOnly } from './dom.js';

// ------------------------------------------------------------------------- tokenizer

const SPACE = 0;
const WORD = 1;
const EXTEND = 2;
const ASCII = 3;
const BRACKET = 4;
const SINGLE = 5;
const S = SINGLE;
const E = EXTEND;

// Non-ASCII code points that are not word characters (words.cpp, kRanges): [lo, hi, class].
const RANGES = [
  [0x0080, 0x009F, S], [0x00A0, 0x00A9, S], [0x00AB, 0x00B1, S], [0x00B4, 0x00B4, S],
  [0x00B6, 0x00B8, S], [0x00BB, 0x00BB, S], [0x00BF, 0x00BF, S], [0x00D7, 0x00D7, S],
  [0x00F7, 0x00F7, S], [0x0300, 0x036F, E], [0x037E, 0x037E, S], [0x0387, 0x0387, S],
  [0x055A, 0x055F, S], [0x0589, 0x058A, S], [0x05BE, 0x05BE, S], [0x05C0, 0x05C0, S],
  [0x05C3, 0x05C3, S], [0x05C6, 0x05C6, S], [0x05F3, 0x05F4, S], [0x0609, 0x060D, S],
  [0x061B, 0x061B, S], [0x061D, 0x061F, S], [0x066A, 0x066D, S], [0x06D4, 0x06D4, S],
  [0x0964, 0x0965, S], [0x1AB0, 0x1AFF, E], [0x1DC0, 0x1DFF, E], [0x2000, 0x200B, S],
  [0x200C, 0x200D, E], [0x200E, 0x2015, S], [0x2016, 0x2016, BRACKET], [0x2017, 0x206F, S],
  [0x20A0, 0x20CF, S], [0x20D0, 0x20FF, E], [0x2100, 0x214F, S], [0x2190, 0x27E5, S],
  [0x27E6, 0x27E7, BRACKET], [0x27E8, 0x2BFF, S], [0x2E00, 0x2E7F, S], [0x2E80, 0x9FFF, S],
  [0xA000, 0xA4CF, S], [0xAC00, 0xD7AF, S], [0xE000, 0xF8FF, S], [0xF900, 0xFAFF, S],
  [0xFE00, 0xFE0F, E], [0xFE10, 0xFE1F, S], [0xFE20, 0xFE2F, E], [0xFE30, 0xFE6F, S],
  [0xFEFF, 0xFEFF, S], [0xFF01, 0xFF0F, S], [0xFF1A, 0xFF20, S], [0xFF3B, 0xFF40, S],
  [0xFF5B, 0xFF9F, S], [0xFFE0, 0xFFFF, S], [0x1F000, 0x1F3FA, S], [0x1F3FB, 0x1F3FF, E],
  [0x1F400, 0x1FAFF, S], [0x20000, 0x3FFFF, S], [0xE0000, 0xE001F, S], [0xE0020, 0xE007F, E],
  [0xE0100, 0xE01EF, E], [0xF0000, 0x10FFFF, S],
];

const isAsciiAlnum = (c) => (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39);
const isAsciiSpace = (c) => c === 0x20 || c === 0x09 || c === 0x0A || c === 0x0D;
const isRegionalIndicator = (cp) => cp >= 0x1F1E6 && cp <= 0x1F1FF;
const isApostrophe = (cp) => cp === 0x27 || cp === 0x2019;
const isSurrogate = (cp) => cp >= 0xD800 && cp <= 0xDFFF; // a lone one: not UTF-8, a token alone

function classify(cp) {
  if (cp < 0x80) {
    if (isAsciiSpace(cp)) return SPACE;
    return isAsciiAlnum(cp) ? WORD : ASCII;
  }
  let lo = 0;
  let hi = RANGES.length; // the last range starting at or before cp
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cp < RANGES[mid][0]) hi = mid;
    else lo = mid + 1;
  }
  if (lo > 0 && cp <= RANGES[lo - 1][1]) return RANGES[lo - 1][2];
  return WORD;
}

const cpLen = (cp) => (cp > 0xFFFF ? 2 : 1);

function wordAt(s, i) {
  if (i >= s.length) return false;
  const cp = s.codePointAt(i);
  return !isSurrogate(cp) && classify(cp) === WORD;
}

function wordEnd(s, i) {
  while (i < s.length) {
    const cp = s.codePointAt(i);
    let len = 1;
    if (cp < 0x80) {
      if (isAsciiAlnum(cp)) { i++; continue; }
      if (cp !== 0x27) break;
    } else {
      if (isSurrogate(cp)) break;
      const cls = classify(cp);
      if (cls === WORD || cls === EXTEND) { i += cpLen(cp); continue; }
      if (!isApostrophe(cp)) break;
      len = cpLen(cp);
    }
    if (!wordAt(s, i + len)) break; // an apostrophe between word characters stays in
    i += len;
  }
  return i;
}

function extendersEnd(s, i, first) {
  let pairOpen = isRegionalIndicator(first);
  while (i < s.length) {
    const cp = s.codePointAt(i);
    if (isSurrogate(cp)) break;
    if (pairOpen && isRegionalIndicator(cp)) { pairOpen = false; i += cpLen(cp); continue; }
    pairOpen = false;
    if (classify(cp) !== EXTEND) break;
    i += cpLen(cp);
    if (cp === 0x200D && i < s.length) { // ZWJ: the pictograph after it joins in
      const joined = s.codePointAt(i);
      if (!isSurrogate(joined) && classify(joined) === SINGLE) i += cpLen(joined);
    }
  }
  return i;
}

function tokenEnd(s, i) {
  const cp = s.codePointAt(i);
  if (isSurrogate(cp)) return i + 1;
  switch (classify(cp)) {
    case SPACE: {
      let j = i + 1;
      while (j < s.length && isAsciiSpace(s.charCodeAt(j))) j++;
      return j;
    }
    case WORD:
    case EXTEND: return wordEnd(s, i + cpLen(cp));
    case ASCII:
    case BRACKET: return i + cpLen(cp);
    default: return extendersEnd(s, i + cpLen(cp), cp);
  }
}

/**
 * Splits text into tokens, as the server does (storage/words.cpp): runs of letters and digits
 * of any script (an apostrophe between two letters stays in), runs of white space, single
 * punctuation characters, single ideographs. Joining them gives the text back.
 */
export function tokenize(text) {
  const s = String(text ?? '');
  const out = [];
  let i = 0;
  while (i < s.length) {
    const end = tokenEnd(s, i);
    out.push(s.slice(i, end));
    i = end;
  }
  return out;
}

// ------------------------------------------------------------------------- minimal diff

const MAX_CORDINATES_SIZE = 2_000_000; // dtl's, which bounds one pass (see dtlCommon)

/**
 * The pairs [i, j] with a[i] === b[j] of the longest common subsequence that dtl::Diff
 * chooses (Wu, Manber, Myers, "An O(NP) sequence comparison algorithm"), in order.
 * Written step for step after dtl's compose/snake/recordSequence, so that the choice among
 * several longest subsequences is the server's.
 */
function dtlCommon(a0, b0) {
  let A = a0;
  let B = b0;
  let swapped = false;
  if (A.length >= B.length) { [A, B] = [B, A]; swapped = true; }
  const pairs = [];
  let ox = 0;
  let oy = 0;
  const pathLen = A.length + B.length + 3;
  const path = new Array(pathLen).fill(-1);
  for (;;) {
    const M = A.length;
    const N = B.length;
    const delta = N - M;
    const offset = M + 1;
    const fp = new Array(M + N + 3).fill(-1);
    path.fill(-1);
    const cx = [];
    const cy = [];
    const ck = [];
    const snake = (k, above, below) => {
      const r = above > below ? path[k - 1 + offset] : path[k + 1 + offset];
      let y = Math.max(above, below);
      let x = y - k;
      while (x < M && y < N && A[x] === B[y]) { x++; y++; }
      path[k + offset] = cx.length;
      cx.push(x); cy.push(y); ck.push(r);
      return y;
    };
    let p = -1;
    do {
      ++p;
      for (let k = -p; k <= delta - 1; ++k) fp[k + offset] = snake(k, fp[k - 1 + offset] + 1, fp[k + 1 + offset]);
      for (let k = delta + p; k >= delta + 1; --k) fp[k + offset] = snake(k, fp[k - 1 + offset] + 1, fp[k + 1 + offset]);
      fp[delta + offset] = snake(delta, fp[delta - 1 + offset] + 1, fp[delta + 1 + offset]);
    } while (fp[delta + offset] !== N && cx.length < MAX_CORDINATES_SIZE);
    const vx = [];
    const vy = [];
    for (let r = path[delta + offset]; r !== -1; r = ck[r]) { vx.push(cx[r]); vy.push(cy[r]); }
    // recordSequence
    let px = 0;
    let py = 0;
    for (let i = vx.length - 1; i >= 0; --i) {
      while (px < vx[i] || py < vy[i]) {
        if (vy[i] - vx[i] > py - px) py++;
        else if (vy[i] - vx[i] < py - px) px++;
        else {
          pairs.push(swapped ? [py + oy, px + ox] : [px + ox, py + oy]);
          px++; py++;
        }
      }
    }
    if (px >= M && py >= N) return pairs;
    // dtl's "nontrivial difference": the rest is compared again from where this pass stopped
    A = A.slice(px);
    B = B.slice(py);
    ox += px;
    oy += py;
  }
}

// The changed regions from a to b (token arrays) as {a0, a1, b0, b1}: words.cpp, changes().
function changes(a, b) {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix
         && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const aEnd = a.length - suffix;
  const bEnd = b.length - suffix;
  if (prefix === aEnd && prefix === bEnd) return [];
  if (prefix === aEnd || prefix === bEnd) return [{ a0: prefix, a1: aEnd, b0: prefix, b1: bEnd }];

  const ids = new Map();
  const sidesOf = [];
  const intern = (from, to, t, side) => {
    const out = [];
    for (let k = from; k < to; k++) {
      let id = ids.get(t[k]);
      if (id === undefined) { id = sidesOf.length; ids.set(t[k], id); sidesOf.push(0); }
      sidesOf[id] |= side;
      out.push(id);
    }
    return out;
  };
  const aIds = intern(prefix, aEnd, a, 1);
  const bIds = intern(prefix, bEnd, b, 2);
  const shared = (all) => {
    const kept = [];
    const at = [];
    all.forEach((id, k) => { if (sidesOf[id] === 3) { kept.push(id); at.push(prefix + k); } });
    return { kept, at };
  };
  const sa = shared(aIds);
  const sb = shared(bIds);
  const matches = [];
  if (sa.kept.length > 0 && sb.kept.length > 0) {
    for (const [i, j] of dtlCommon(sa.kept, sb.kept)) matches.push([sa.at[i], sb.at[j]]);
  }
  matches.push([aEnd, bEnd]);
  const out = [];
  let aNext = prefix;
  let bNext = prefix;
  for (const [am, bm] of matches) {
    if (am !== aNext || bm !== bNext) out.push({ a0: aNext, a1: am, b0: bNext, b1: bm });
    aNext = am + 1;
    bNext = bm + 1;
  }
  return out;
}

// ------------------------------------------------------------------------- readable clean-up

/** Folding thresholds (words.hpp, docs/diffs.md). */
export const FOLD_SHORT_WORD = 3;
export const FOLD_LONG_WORDS = 1;

const codePoints = (s) => { let n = 0; for (const _ of s) n++; return n; };
const isSpaceToken = (t) => t.length > 0 && isAsciiSpace(t.charCodeAt(0));
function isWordToken(t) {
  if (t.length === 0) return false;
  const cp = t.codePointAt(0);
  if (isSurrogate(cp)) return false;
  const cls = classify(cp);
  return cls === WORD || cls === EXTEND;
}
const isLongWord = (t) => isWordToken(t) && codePoints(t) > FOLD_SHORT_WORD;
const span = (t, from, to) => t.slice(from, to).join('');

// Slides a pure insertion or deletion to start at a word after white space (words.cpp, align).
function align(hk, a, b, loA, loB, hiA, hiB) {
  const insertion = hk.a0 === hk.a1;
  if (insertion === (hk.b0 === hk.b1)) return;
  const t = insertion ? b : a;
  const [e0k, e1k, o0k, o1k] = insertion ? ['b0', 'b1', 'a0', 'a1'] : ['a0', 'a1', 'b0', 'b1'];
  const lo = insertion ? loB : loA;
  const hi = insertion ? hiB : hiA;
  const oLo = insertion ? loA : loB;
  const oHi = insertion ? hiA : hiB;
  const shift = (d) => { hk[e0k] += d; hk[e1k] += d; hk[o0k] += d; hk[o1k] += d; };
  while (hk[e0k] > lo && hk[o0k] > oLo && t[hk[e0k] - 1] === t[hk[e1k] - 1]) shift(-1);
  // An edge between white space and anything: 2; between punctuation and a word: 1; inside
  // a run of words: 0; at an end of the text: 3. Ties go to an edit that starts with a word.
  const edge = (x, y) => {
    if (x === undefined || y === undefined) return 3;
    if (isSpaceToken(x) || isSpaceToken(y)) return 2;
    return isWordToken(x) && isWordToken(y) ? 0 : 1;
  };
  const score = () => 10 * (edge(t[hk[e0k] - 1], t[hk[e0k]]) + edge(t[hk[e1k] - 1], t[hk[e1k]]))
    + (isSpaceToken(t[hk[e0k]]) ? 0 : 1);
  let best = hk[e0k];
  let bestScore = score();
  while (hk[e1k] < hi && hk[o1k] < oHi && t[hk[e0k]] === t[hk[e1k]]) {
    shift(1);
    const sc = score();
    if (sc > bestScore) { bestScore = sc; best = hk[e0k]; }
  }
  while (hk[e0k] > best) shift(-1);
}

function readable(a, b, hs) {
  hs.forEach((hk, k) => {
    const loA = k === 0 ? 0 : hs[k - 1].a1;
    const loB = k === 0 ? 0 : hs[k - 1].b1;
    const hiA = k + 1 === hs.length ? a.length : hs[k + 1].a0;
    const hiB = k + 1 === hs.length ? b.length : hs[k + 1].b0;
    align(hk, a, b, loA, loB, hiA, hiB);
  });
  // Code points before each token (prefix sums), so that a span's length costs nothing.
  const before = (t) => {
    const out = new Array(t.length + 1);
    out[0] = 0;
    t.forEach((tok, k) => { out[k + 1] = out[k] + codePoints(tok); });
    return out;
  };
  const cpA = before(a);
  const cpB = before(b);
  const size = (hk) => Math.max(cpA[hk.a1] - cpA[hk.a0], cpB[hk.b1] - cpB[hk.b0]);
  const foldable = (x, y) => {
    let longWords = 0;
    for (let k = x.a1; k < y.a0; k++) if (isLongWord(a[k])) longWords++;
    if (longWords > FOLD_LONG_WORDS) return false;
    const len = cpA[y.a0] - cpA[x.a1];
    return len <= size(x) && len <= size(y);
  };
  const out = [];
  for (const hk of hs) {
    out.push({ ...hk });
    while (out.length >= 2 && foldable(out[out.length - 2], out[out.length - 1])) {
      const y = out.pop();
      out[out.length - 1].a1 = y.a1;
      out[out.length - 1].b1 = y.b1;
    }
  }
  return out;
}

function pieces(a, b, hs) {
  const out = [];
  const add = (op, text) => { if (text !== '') out.push({ op, text }); };
  let ai = 0;
  for (const hk of hs) {
    add('=', span(a, ai, hk.a0));
    add('-', span(a, hk.a0, hk.a1));
    add('+', span(b, hk.b0, hk.b1));
    ai = hk.a1;
  }
  add('=', span(a, ai, a.length));
  return out;
}

/**
 * Word diff of a → b for people to read, as the server makes it (words::diff): the minimal
 * diff with short equalities between edits folded in and edits aligned to words.
 * Joining '=' and '-' gives a; joining '=' and '+' gives b.
 */
export function wordDiff(a, b) {
  const x = tokenize(a);
  const y = tokenize(b);
  return pieces(x, y, readable(x, y, changes(x, y)));
}

/** The minimal word diff (words::minimal_diff): what the merge sees. Same form as wordDiff. */
export function minimalDiff(a, b) {
  const x = tokenize(a);
  const y = tokenize(b);
  return pieces(x, y, changes(x, y));
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
    const words = tokenize(text).filter((t) => /[\p{L}\p{N}]/u.test(t)).length;
    if (op === '+') ins += words;
    else if (op === '-') del += words;
  }
  return { ins, del };
}
