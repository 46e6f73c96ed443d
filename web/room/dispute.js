// Acting on brackets in the drafting room (procedure.md, "Bracketed text"):
// - disputing words: select them in a clause ("Bracket the selected words…" appears under it),
//   or use the clause's "Bracket…" tool (keyboard: type or paste the words), then offer
//   your wording (empty: delete them) → `bracket` with UTF-8 byte offsets into the clause text;
//   a selection of exactly one whole bracket (or inside one) offers one more alternative;
// - clicking (or Enter / Space on) an alternative: the chair keeps it ("Keep this wording" →
//   `resolve`); a delegation proposes keeping it (`propose` op `resolve`, the only way in the
//   formal stage); anyone who may bracket can offer other wording for that bracket.
// - in the formal stage a delegation's bracket is tabled as a proposal (`propose` op `bracket`,
//   docs/extensions.md), voted like any other: the same form, "Propose a bracket".
// The forms sit in a slot under the clause text; refusals are shown there and announced.
import { t, tn, errorText } from '../i18n.js';
import { h, replaceChildren, announce } from '../dom.js';
import { paintState } from '../colors.js';
import { TABLED } from '../labels.js';
import { parseBrackets, byteOffset, hasMarks } from '../bracket-notation.js';
import { state, els, clauseEls, nameOf, whoLabel, canEdit, isChair, mustPropose, isFinal, clauseLabel } from './state.js';
import { act, refusalText, onProcedureChange } from './procedure.js';
import { renderText } from './render.js';
import { sendFocus } from './presence.js';
import { selectionSpan, spanIn } from './bracketed-text.js';

const MARKS_RE = /[\u27E6\u2016\u27E7]/;

/** Who may dispute words directly: delegations in the working stage, the chair until adoption. */
export function canBracket() {
  return canEdit() && !isFinal() && !mustPropose();
}

/** Who may dispute words at all: directly, or (a delegation in the formal stage) by a proposal. */
function canDispute() {
  return canEdit() && !isFinal();
}

// ---------------------------------------------------------------- the slot under a clause

function slotFor(id) {
  const parts = clauseEls.get(id);
  if (!parts) return null;
  if (!parts.disputeSlot || !parts.li.contains(parts.disputeSlot)) {
    parts.disputeSlot = h('div', { class: 'dispute-slot' });
    parts.body.after(parts.disputeSlot);
  }
  return parts.disputeSlot;
}

/** What is open under each clause: id -> {kind: 'hint' | 'form' | 'alt', ...}. */
const open = new Map();

function closeSlot(id, returnFocus = null) {
  open.delete(id);
  const slot = clauseEls.get(id)?.disputeSlot;
  if (slot) slot.replaceChildren();
  returnFocus?.focus?.({ preventScroll: true });
}

// ---------------------------------------------------------------- selecting words

let selectTimer = null;
function onSelectionChange() {
  clearTimeout(selectTimer);
  selectTimer = setTimeout(onSelection, 120);
}

/** The clause whose text holds the whole selection: {id, textEl, range}, or null. */
function selectedInClause() {
  const sel = document.getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0 || !els.list) return null;
  const range = sel.getRangeAt(0);
  const inText = (node) => (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest('.clause-text');
  const a = inText(range.startContainer);
  const b = inText(range.endContainer);
  if (!a || a !== b || !els.list.contains(a)) return null;
  const li = a.closest('li.clause');
  const id = li?.dataset.clauseId;
  if (!id || !state.clauses.has(id)) return null;
  return { id, textEl: a, range };
}

function onSelection() {
  if (!state.built) return;
  const found = selectedInClause();
  // A hint under another clause goes away; forms stay until sent or cancelled.
  for (const [id, what] of open) if (what.kind === 'hint' && id !== found?.id) closeSlot(id);
  if (!found || !canDispute()) return;
  const current = open.get(found.id);
  if (current && current.kind !== 'hint') return;
  const c = state.clauses.get(found.id);
  const span = selectionSpan(found.textEl, c.text, found.range);
  showHint(found.id, span, c);
}

function showHint(id, span, c) {
  const slot = slotFor(id);
  if (!slot) return;
  open.set(id, { kind: 'hint' });
  const button = h('button', {
    type: 'button', class: 'button button--small', dataset: { action: 'dispute-selection' },
    // Pressing the button must not clear the selection it acts on.
    onmousedown: (ev) => ev.preventDefault(),
    onclick: () => openDispute(id, { span, rev: c.rev, text: c.text }),
  }, mustPropose()
    ? (span.bracket ? t('dispute.proposeOtherForThis') : t('dispute.proposeBracket'))
    : (span.bracket ? t('dispute.offerOtherForThis') : t('dispute.bracketSelected')));
  replaceChildren(slot, h('div', { class: 'dispute-hint' },
    span.error ? h('p', { class: 'hint' }, span.error) : button));
}

// ---------------------------------------------------------------- the dispute form

/**
 * Opens the form that brackets words of clause `id`. `from` {span, rev, text}: the span chosen
 * (by selection or an alternative's "Offer other wording"), in the text as it was at `rev`;
 * without it, the form asks for the words (and takes the selection in the clause if any).
 */
export function openDispute(id, from = null) {
  const c = state.clauses.get(id);
  const slot = slotFor(id);
  if (!c || !slot) return;
  if (!canDispute()) {
    announce(isFinal() ? t('dispute.adopted') : t('dispute.observers'), 'error');
    return;
  }
  const proposing = mustPropose(); // the formal stage: the bracket is tabled as a proposal
  let chosen = from;
  if (!chosen) {
    const found = selectedInClause();
    if (found && found.id === id) chosen = { span: selectionSpan(found.textEl, c.text, found.range), rev: c.rev, text: c.text };
    if (chosen?.span.error) chosen = null;
  }
  const bracket = chosen?.span.bracket ?? null;
  const phrase = chosen && !bracket ? chosen.text.slice(chosen.span.start, chosen.span.end) : '';
  const n = ++formSeq;
  const title = proposing
    ? (bracket ? t('dispute.title.proposeOther', { i: bracket.index + 1, clause: clauseLabel(id) }) : t('dispute.title.proposeBracket', { clause: clauseLabel(id) }))
    : (bracket ? t('dispute.title.offerOther', { i: bracket.index + 1, clause: clauseLabel(id) }) : t('dispute.title.bracket', { clause: clauseLabel(id) }));
  const words = bracket ? null : h('textarea', {
    id: `dispute-words-${n}`, class: 'input input--words', rows: 2, spellcheck: 'false', dir: 'auto', 'aria-describedby': `dispute-words-hint-${n}`,
  });
  if (words) words.value = phrase;
  const wording = h('textarea', { id: `dispute-wording-${n}`, class: 'input input--wording', rows: 2, spellcheck: 'true', dir: 'auto', 'aria-describedby': `dispute-wording-hint-${n}` });
  const note = h('input', { id: `dispute-note-${n}`, type: 'text', class: 'input', maxlength: 2048, autocomplete: 'off' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const status = h('p', { class: 'editor-status', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' },
    proposing ? t('dispute.submit.propose') : bracket ? t('dispute.submit.add') : t('dispute.submit.bracket'));
  const cancel = h('button', { type: 'button', class: 'button' }, t('common.cancel'));
  const opener = document.activeElement;
  const close = () => { closeSlot(id, opener && document.contains(opener) ? opener : clauseEls.get(id)?.tools.querySelector('[data-tool="dispute"]')); sendFocus(null); };
  cancel.addEventListener('click', close);
  const form = h('form', { class: 'editor dispute', novalidate: true, 'aria-label': title },
    h('h3', { class: 'editor-title' }, title),
    proposing ? h('p', { class: 'editor-stage hint' }, t('dispute.formal')) : null,
    bracket
      ? h('div', { class: 'dispute-what' }, h('p', { class: 'hint' }, t('dispute.alternativesNow')),
        h('ul', { class: 'dispute-alts' }, bracket.alternatives.map((a) => altLine(a))))
      : [h('label', { for: words.id, class: 'label' }, t('dispute.words')), words,
        h('p', { id: `dispute-words-hint-${n}`, class: 'hint' }, t('dispute.wordsHint'))],
    h('label', { for: wording.id, class: 'label' }, t('dispute.wording')),
    wording,
    h('p', { id: `dispute-wording-hint-${n}`, class: 'hint' }, bracket
      ? t('dispute.wordingHintBracket')
      : t('dispute.wordingHint')),
    h('label', { for: note.id, class: 'label' }, t('common.note'), ' ', h('span', { class: 'optional' }, t('dispute.noteWhy'))),
    note,
    error,
    h('p', { class: 'actions' }, submit, ' ', cancel, h('span', { class: 'hint hint--keys' }, ' ', t('room.editor.escCancels'))),
    status);
  form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
  const fail = (message, field = null) => {
    error.textContent = message;
    error.hidden = false;
    field?.focus();
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    const offered = wording.value;
    if (MARKS_RE.test(offered)) { fail(t('dispute.noMarks'), wording); return; }
    if (offered.trim() === '' && offered !== '') { fail(t('dispute.blank'), wording); return; }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(offered)) { fail(t('dispute.control'), wording); return; }
    const now = state.clauses.get(id);
    if (!now) { fail(t('dispute.deleted')); return; }
    const where = locate(now, chosen, bracket, words?.value ?? '');
    if (where.error) { fail(where.error, words ?? wording); return; }
    const msg = {
      type: 'bracket', clause: id, base: now.rev,
      start: byteOffset(now.text, where.start), end: byteOffset(now.text, where.end), text: offered,
    };
    if (proposing) { msg.type = 'propose'; msg.op = 'bracket'; }
    if (note.value.trim()) msg.note = note.value.trim();
    submit.disabled = true;
    status.textContent = t('dispute.sending');
    try {
      if (!state.socket) throw { code: 'disconnected', local: true, message: t('error.offline') };
      if (proposing) {
        const reply = await act(msg);
        closeSlot(id);
        announce(t('dispute.tabled', { n: reply?.proposal ?? '' }), 'success', { href: `#proposal-${reply?.proposal}`, label: t('dispute.seeProposal') });
        return;
      }
      await state.socket.request(msg);
      closeSlot(id);
      announce(bracket ? t('dispute.added', { i: bracket.index + 1, clause: clauseLabel(id) }) : t('dispute.bracketed', { clause: clauseLabel(id) }), 'success');
      focusBracketOf(id, where.start);
    } catch (err) {
      submit.disabled = false;
      status.textContent = '';
      fail(bracketRefusal(err));
    }
  });
  open.set(id, { kind: 'form' });
  replaceChildren(slot, form);
  sendFocus(id);
  (words && !phrase ? words : wording).focus();
}
let formSeq = 0;

/**
 * Where to bracket in the clause as it is now: the chosen span if the clause has not changed since
 * it was chosen; otherwise (or when the words were typed) the words found once in the current text.
 */
function locate(now, chosen, bracket, typed) {
  if (bracket) {
    if (chosen.rev === now.rev) return { start: bracket.start, end: bracket.end };
    const raw = chosen.text.slice(bracket.start, bracket.end);
    const found = (parseBrackets(now.text) ?? []).filter((b) => now.text.slice(b.start, b.end) === raw);
    if (found.length === 1) return { start: found[0].start, end: found[0].end };
    return { error: t('dispute.bracketChanged') };
  }
  const phrase = typed.trim();
  if (!phrase) return { error: t('dispute.sayWhich') };
  if (chosen && chosen.rev === now.rev && chosen.text.slice(chosen.span.start, chosen.span.end) === phrase) {
    return { start: chosen.span.start, end: chosen.span.end };
  }
  const hits = [];
  for (let i = now.text.indexOf(phrase); i >= 0; i = now.text.indexOf(phrase, i + 1)) hits.push(i);
  const plain = hits.filter((i) => {
    const s = spanIn(now.text, i, i + phrase.length);
    return !s.error && !s.bracket && s.start === i && s.end === i + phrase.length;
  });
  if (plain.length === 1) return { start: plain[0], end: plain[0] + phrase.length };
  if (plain.length > 1) return { error: t('dispute.manyTimes', { count: plain.length }) };
  if (hits.length) return { error: t('dispute.insideBracket') };
  return { error: t('dispute.notFound') };
}

function bracketRefusal(err) {
  if (err?.code === 'bad_request') return t('dispute.refused', { message: err.message ? errorText(err) : t('dispute.refusedWhy') });
  if (err?.code === 'conflict') return t('dispute.changed', { message: err.message ? errorText(err) : t('dispute.changedWhy') });
  return refusalText(err);
}

function focusBracketOf(id, start) {
  // The `amended` event follows the ack: focus the new bracket's last alternative once drawn.
  let tries = 0;
  const look = () => {
    const textEl = clauseEls.get(id)?.text;
    const bk = [...(textEl?.querySelectorAll('.bk') ?? [])].find((el) => Number(el.dataset.start) === start);
    if (bk) { [...bk.querySelectorAll('.bk-alt[tabindex]')].pop()?.focus({ preventScroll: true }); return; }
    if (++tries < 20) setTimeout(look, 50);
  };
  look();
}

function altLine(a) {
  const li = h('li', { class: 'dispute-alt', dataset: { state: a.state } },
    h('span', { class: 'dispute-alt-who' }, a.state === TABLED ? t('bracket.codeColon', { code: nameOf(a.state) }) : t('dispute.altWho', { name: nameOf(a.state), code: a.state }), ' '),
    a.wording === '' ? h('em', null, t('dispute.deleteMark')) : h('q', { dir: 'auto' }, a.wording));
  return paintState(li, a.state);
}

// ---------------------------------------------------------------- clicking an alternative

function onAlternativeClick(ev) {
  const alt = ev.target.closest?.('.bk-alt[role="button"]');
  if (!alt || !els.list?.contains(alt)) return;
  const sel = document.getSelection();
  if (sel && !sel.isCollapsed && alt.closest('.clause-text')?.contains(sel.anchorNode)) return; // selecting words, not choosing
  ev.preventDefault();
  chooseAlternative(alt);
}
function onAlternativeKey(ev) {
  if (ev.key !== 'Enter' && ev.key !== ' ') return;
  const alt = ev.target.closest?.('.bk-alt[role="button"]');
  if (!alt || !els.list?.contains(alt)) return;
  ev.preventDefault();
  chooseAlternative(alt);
}

function chooseAlternative(altEl) {
  const li = altEl.closest('li.clause');
  const id = li?.dataset.clauseId;
  const c = state.clauses.get(id);
  const slot = slotFor(id);
  if (!c || !slot) return;
  const bkEl = altEl.closest('.bk');
  const index = Number(bkEl.dataset.bracket);
  const choose = Number(altEl.dataset.alt);
  const bracket = (parseBrackets(c.text) ?? [])[index];
  const a = bracket?.alternatives[choose];
  if (!a) return;
  const raw = c.text.slice(bracket.start, bracket.end);
  for (const el of li.querySelectorAll('.bk-alt.is-chosen')) el.classList.remove('is-chosen');
  altEl.classList.add('is-chosen');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const close = () => { altEl.classList.remove('is-chosen'); closeSlot(id, document.contains(altEl) ? altEl : null); };
  const buttons = [];
  if (isFinal()) {
    error.textContent = t('dispute.adoptedBrackets');
    error.hidden = false;
  } else if (isChair()) {
    buttons.push(h('button', { type: 'button', class: 'button button--primary', dataset: { action: 'keep' } }, t('dispute.keep')));
  } else if (state.you?.role === 'delegation') {
    buttons.push(h('button', { type: 'button', class: 'button button--primary', dataset: { action: 'propose-keep' } }, t('dispute.proposeKeep')));
  }
  if (canDispute()) {
    buttons.push(h('button', {
      type: 'button', class: 'button', dataset: { action: 'offer' },
      onclick: () => { altEl.classList.remove('is-chosen'); openDispute(id, { span: { start: bracket.start, end: bracket.end, bracket }, rev: c.rev, text: c.text }); },
    }, mustPropose() ? t('dispute.proposeOther') : t('dispute.offerOther')));
  }
  buttons.push(h('button', { type: 'button', class: 'button', onclick: close }, t('common.cancel')));
  const keep = buttons.find((b) => b.dataset.action === 'keep' || b.dataset.action === 'propose-keep');
  keep?.addEventListener('click', async () => {
    const now = state.clauses.get(id);
    const b = (parseBrackets(now?.text ?? '') ?? [])[index];
    if (!now || !b || now.text.slice(b.start, b.end) !== raw) {
      error.textContent = t('dispute.clickAgain');
      error.hidden = false;
      return;
    }
    keep.disabled = true;
    error.hidden = true;
    try {
      if (keep.dataset.action === 'keep') {
        if (!state.socket) throw { code: 'disconnected', local: true, message: t('error.offline') };
        await state.socket.request({ type: 'resolve', clause: id, bracket: index, choose });
        closeSlot(id);
        announce(a.wording === '' ? t('dispute.resolvedDeleted', { i: index + 1, clause: clauseLabel(id) }) : t('dispute.resolvedKept', { i: index + 1, clause: clauseLabel(id), words: a.wording }), 'success');
        clauseEls.get(id)?.tools.querySelector('a, button')?.focus({ preventScroll: true });
      } else {
        const reply = await act({ type: 'propose', op: 'resolve', clause: id, bracket: index, choose });
        closeSlot(id, document.contains(altEl) ? altEl : null);
        announce(a.state === TABLED
          ? t('dispute.tabledKeepTabled', { n: reply?.proposal ?? '', i: index + 1, clause: clauseLabel(id) })
          : t('dispute.tabledKeep', { n: reply?.proposal ?? '', who: nameOf(a.state), i: index + 1, clause: clauseLabel(id) }), 'success');
      }
    } catch (err) {
      keep.disabled = false;
      error.textContent = bracketRefusal(err);
      error.hidden = false;
      announce(error.textContent, 'error');
    }
  });
  const panel = h('div', { class: 'bk-action', role: 'group', 'aria-label': t('dispute.altLabel', { i: index + 1, k: choose + 1 }) },
    h('p', { class: 'bk-action-what' }, tn('dispute.altWhat', {
      which: h('strong', null, t('dispute.altOf', { i: index + 1, k: choose + 1, total: bracket.alternatives.length })),
      who: h('span', { class: 'bk-action-who' }, whoLabel(a.state)),
      words: a.wording === '' ? h('em', null, t('dispute.deleteThese')) : h('q', { dir: 'auto' }, a.wording) })),
    !isChair() && !isFinal() && state.you?.role === 'delegation'
      ? h('p', { class: 'hint' }, t('dispute.onlyChair')) : null,
    error,
    h('p', { class: 'actions' }, buttons));
  panel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
  paintState(panel, a.state);
  open.set(id, { kind: 'alt' });
  replaceChildren(slot, panel);
  (keep ?? buttons[0])?.focus({ preventScroll: true });
}

// ---------------------------------------------------------------- stage

// Alternatives are named from the draft's roster (state.js's nameOf), which the welcome carries:
// a proponent need not be present.

function redrawBracketed() {
  for (const [id, c] of state.clauses) {
    if (hasMarks(c.text) && clauseEls.has(id)) renderText(id, null);
  }
}

let drawnFor = null; // the stage and role the clickable alternatives were drawn for
let sponsorsDrawn = null; // the sponsors named with the wording as tabled (`TABLED: `)
function onProcedure() {
  const key = `${state.stage}|${state.you?.role}`;
  const sponsors = state.sponsors.join(',');
  if (drawnFor !== null && drawnFor !== key) {
    redrawBracketed();
    for (const id of [...open.keys()]) closeSlot(id);
  } else if (sponsorsDrawn !== null && sponsorsDrawn !== sponsors) {
    redrawBracketed();
  }
  drawnFor = key;
  sponsorsDrawn = sponsors;
  refreshDisputeTools();
}

/**
 * Starts listening: selections in the page (the "Bracket the selected words…" hint), clicks and
 * Enter / Space on an alternative, and procedural changes (stage, role) that change what may be
 * done. room.js calls it once, at start.
 */
export function initDispute() {
  document.addEventListener('selectionchange', onSelectionChange);
  document.addEventListener('click', onAlternativeClick);
  document.addEventListener('keydown', onAlternativeKey);
  onProcedureChange(onProcedure);
}

/** The "Bracket…" tool shows only where disputing is possible. */
export function refreshDisputeTools() {
  const show = canDispute();
  for (const parts of clauseEls.values()) {
    const b = parts.tools.querySelector('[data-tool="dispute"]');
    if (!b) continue;
    b.hidden = !show;
    if (b.firstChild?.nodeType === Node.TEXT_NODE) b.firstChild.textContent = toolLabel();
  }
}

/** The tool's label: a delegation in the formal stage proposes its bracket. */
function toolLabel() {
  return mustPropose() ? t('dispute.proposeBracket') : t('dispute.tool');
}

/** The tool button that controls.js puts in each clause's tool bar. */
export function disputeTool(id, ref) {
  return h('button', {
    type: 'button', class: 'tool', dataset: { tool: 'dispute' }, hidden: !canDispute(),
    onmousedown: (ev) => ev.preventDefault(), // keeps a selection in the clause
    onclick: () => openDispute(id),
  }, toolLabel(), ref);
}
