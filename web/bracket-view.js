// Drawing bracketed text (procedure.md, "Bracketed text") read-only, for the pages that only show
// it (clause history; the room reuses alternativeView): the notation itself (⟦ ‖ ⟧, `CODE: `)
// made legible, or each bracket drawn with its alternatives on their proponents' colours.
// Reading the notation is bracket-notation.js's; the room's interactive brackets are
// room/bracketed-text.js's. The wording as tabled (`TABLED: `, docs/extensions.md) is shown as
// "As tabled" with the draft's sponsors' codes (`sponsors`), on no state's colour.
import { t } from './i18n.js';
import { h, srOnly } from './dom.js';
import { paintState } from './colors.js';
import { TABLED, proponentLabel } from './labels.js';
import { OPEN, BAR, CLOSE, hasMarks, parseBrackets } from './bracket-notation.js';

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
export function bracketView(b, nameOf = (c) => c, sponsors = []) {
  const el = h('span', { class: 'bk', dataset: { bracket: b.index } },
    srOnly(`${t('bracket.sr', { i: b.index + 1, count: b.alternatives.length })} `),
    h('span', { class: 'bk-mark bk-mark--open', 'aria-hidden': 'true' }, OPEN));
  b.alternatives.forEach((a, i) => {
    if (i > 0) el.append(h('span', { class: 'bk-sep', 'aria-hidden': 'true' }, ` ${BAR} `), srOnly(` ${t('bracket.or')} `));
    el.append(alternativeView(a, i, nameOf, null, sponsors));
  });
  el.append(h('span', { class: 'bk-mark bk-mark--close', 'aria-hidden': 'true' }, CLOSE), srOnly(` ${t('bracket.end')}`));
  return el;
}

/** "China (CHN)"; the code alone when its name is not known; the text as tabled by its name. */
function codeTitle(code, nameOf) {
  return proponentLabel(code, nameOf(code) ?? code);
}

/** What a proponent's chip shows: its code; "As tabled: CHN, RUS" for the wording as tabled. */
function chipText(code, sponsors) {
  if (code !== TABLED) return code;
  const codes = Array.isArray(sponsors) ? sponsors : [];
  return codes.length ? t('bracket.tabledChip', { codes: codes.join(', ') }) : t('bracket.tabledChipNoSponsors');
}

/**
 * One alternative: its proponent's code on their colour, then the wording (or "(delete)").
 * `sponsors`: the draft's, shown with the wording as tabled.
 */
export function alternativeView(a, i, nameOf = (c) => c, wordingNodes = null, sponsors = []) {
  const name = nameOf(a.state) ?? a.state;
  const tabled = a.state === TABLED;
  const said = tabled || name === a.state ? t('bracket.codeColon', { code: name }) : t('dispute.altWho', { name, code: a.state });
  const el = h('span', { class: ['bk-alt', i === 0 ? 'bk-alt--first' : 'bk-alt--next', a.wording === '' ? 'bk-alt--delete' : null, tabled ? 'bk-alt--tabled' : null], dataset: { alt: i, state: a.state } },
    h('span', { class: 'bk-who', title: codeTitle(a.state, nameOf) },
      h('span', { 'aria-hidden': 'true' }, chipText(a.state, sponsors)), srOnly(`${said} `)),
    a.wording === ''
      ? h('span', { class: 'bk-delete' }, t('dispute.deleteMark'))
      : h('span', { class: 'bk-words' }, wordingNodes ?? a.wording));
  paintState(el, a.state);
  return el;
}

/** A whole text with its brackets drawn (plain text when it has none or its notation is broken). */
export function textWithBrackets(text, nameOf, sponsors = []) {
  const s = String(text ?? '');
  const brackets = hasMarks(s) ? parseBrackets(s) : null;
  if (!brackets || !brackets.length) return [s];
  const nodes = [];
  let pos = 0;
  for (const b of brackets) {
    if (b.start > pos) nodes.push(s.slice(pos, b.start));
    nodes.push(bracketView(b, nameOf, sponsors));
    pos = b.end;
  }
  if (pos < s.length) nodes.push(s.slice(pos));
  return nodes;
}
