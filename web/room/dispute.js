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
    ? (span.bracket ? 'Propose other wording for this bracket…' : 'Propose a bracket…')
    : (span.bracket ? 'Offer other wording for this bracket…' : 'Bracket the selected words…'));
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
    announce(isFinal() ? 'The text is adopted: it can no longer change.' : 'Observers follow the draft but cannot bracket words.', 'error');
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
    ? (bracket ? `Propose other wording for bracket ${bracket.index + 1} of ${clauseLabel(id)}` : `Propose a bracket in ${clauseLabel(id)}`)
    : (bracket ? `Offer other wording for bracket ${bracket.index + 1} of ${clauseLabel(id)}` : `Bracket words in ${clauseLabel(id)}`);
  const words = bracket ? null : h('textarea', {
    id: `dispute-words-${n}`, class: 'input input--words', rows: 2, spellcheck: 'false', 'aria-describedby': `dispute-words-hint-${n}`,
  });
  if (words) words.value = phrase;
  const wording = h('textarea', { id: `dispute-wording-${n}`, class: 'input input--wording', rows: 2, spellcheck: 'true', 'aria-describedby': `dispute-wording-hint-${n}` });
  const note = h('input', { id: `dispute-note-${n}`, type: 'text', class: 'input', maxlength: 2048, autocomplete: 'off' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const status = h('p', { class: 'editor-status', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' },
    proposing ? 'Propose the bracket' : bracket ? 'Add my alternative' : 'Bracket and offer my wording');
  const cancel = h('button', { type: 'button', class: 'button' }, 'Cancel');
  const opener = document.activeElement;
  const close = () => { closeSlot(id, opener && document.contains(opener) ? opener : clauseEls.get(id)?.tools.querySelector('[data-tool="dispute"]')); sendFocus(null); };
  cancel.addEventListener('click', close);
  const form = h('form', { class: 'editor dispute', novalidate: true, 'aria-label': title },
    h('h3', { class: 'editor-title' }, title),
    proposing ? h('p', { class: 'editor-stage hint' }, 'Formal stage: the bracket is tabled as a proposal. It goes into the text only if the committee adopts it, by vote or with the support of every sponsor.') : null,
    bracket
      ? h('div', { class: 'dispute-what' }, h('p', { class: 'hint' }, 'The alternatives now:'),
        h('ul', { class: 'dispute-alts' }, bracket.alternatives.map((a) => altLine(a))))
      : [h('label', { for: words.id, class: 'label' }, 'Words you dispute'), words,
        h('p', { id: `dispute-words-hint-${n}`, class: 'hint' }, 'Select them in the clause text, or type them exactly as they stand (outside any bracket).')],
    h('label', { for: wording.id, class: 'label' }, 'Your wording'),
    wording,
    h('p', { id: `dispute-wording-hint-${n}`, class: 'hint' }, bracket
      ? 'Your wording is added to the bracket under your name. Leave it empty to propose deleting the bracketed words.'
      : 'The words are put in brackets: they stay as the first alternative, under the state that wrote them (as tabled, under the sponsors, when no one has changed them), and yours follows under your name. Leave it empty to propose deleting them.'),
    h('label', { for: note.id, class: 'label' }, 'Note ', h('span', { class: 'optional' }, '(optional: why)')),
    note,
    error,
    h('p', { class: 'actions' }, submit, ' ', cancel, h('span', { class: 'hint hint--keys' }, ' Esc cancels')),
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
    if (MARKS_RE.test(offered)) { fail('Your wording cannot contain ⟦, ‖ or ⟧: the brackets are drawn for you.', wording); return; }
    if (offered.trim() === '' && offered !== '') { fail('Leave the wording empty to propose deleting the words, or write words.', wording); return; }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(offered)) { fail('Your wording contains control characters; remove them.', wording); return; }
    const now = state.clauses.get(id);
    if (!now) { fail('This clause was deleted meanwhile.'); return; }
    const where = locate(now, chosen, bracket, words?.value ?? '');
    if (where.error) { fail(where.error, words ?? wording); return; }
    const msg = {
      type: 'bracket', clause: id, base: now.rev,
      start: byteOffset(now.text, where.start), end: byteOffset(now.text, where.end), text: offered,
    };
    if (proposing) { msg.type = 'propose'; msg.op = 'bracket'; }
    if (note.value.trim()) msg.note = note.value.trim();
    submit.disabled = true;
    status.textContent = 'Sending…';
    try {
      if (!state.socket) throw { code: 'disconnected', message: 'You are offline; wait for the connection to come back, then try again.' };
      if (proposing) {
        const reply = await act(msg);
        closeSlot(id);
        announce(`Tabled as proposal ${reply?.proposal ?? ''}: the bracket goes into the text if the committee adopts it.`, 'success', { href: `#proposal-${reply?.proposal}`, label: 'See the proposal' });
        return;
      }
      await state.socket.request(msg);
      closeSlot(id);
      announce(bracket ? `Your alternative was added to bracket ${bracket.index + 1} of ${clauseLabel(id)}.` : `The words are bracketed in ${clauseLabel(id)}, with your wording as an alternative.`, 'success');
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
    return { error: 'The bracket changed meanwhile: look at it again and choose again.' };
  }
  const phrase = typed.trim();
  if (!phrase) return { error: 'Say which words you dispute: select them in the clause or type them.' };
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
  if (plain.length > 1) return { error: `These words appear ${plain.length} times in the clause: select the ones you mean in the text.` };
  if (hits.length) return { error: 'These words are inside a bracket (or cut one): to offer wording for a bracket, click one of its alternatives or select the whole bracket.' };
  return { error: 'These words are not in the clause as it stands now. Select them in the text, or copy them exactly.' };
}

function bracketRefusal(err) {
  if (err?.code === 'bad_request') return `The server could not bracket this: ${err.message || 'the span or the wording is not valid.'}`;
  if (err?.code === 'conflict') return `The clause changed meanwhile: ${err.message || 'look at it again and choose again.'}`;
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
    h('span', { class: 'dispute-alt-who' }, `${whoLabel(a.state)}: `),
    a.wording === '' ? h('em', null, '(delete)') : h('q', null, a.wording));
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
    error.textContent = 'The text is adopted: its brackets can no longer be resolved.';
    error.hidden = false;
  } else if (isChair()) {
    buttons.push(h('button', { type: 'button', class: 'button button--primary', dataset: { action: 'keep' } }, 'Keep this wording'));
  } else if (state.you?.role === 'delegation') {
    buttons.push(h('button', { type: 'button', class: 'button button--primary', dataset: { action: 'propose-keep' } }, 'Propose keeping this wording'));
  }
  if (canDispute()) {
    buttons.push(h('button', {
      type: 'button', class: 'button', dataset: { action: 'offer' },
      onclick: () => { altEl.classList.remove('is-chosen'); openDispute(id, { span: { start: bracket.start, end: bracket.end, bracket }, rev: c.rev, text: c.text }); },
    }, mustPropose() ? 'Propose other wording…' : 'Offer other wording…'));
  }
  buttons.push(h('button', { type: 'button', class: 'button', onclick: close }, 'Cancel'));
  const keep = buttons.find((b) => b.dataset.action === 'keep' || b.dataset.action === 'propose-keep');
  keep?.addEventListener('click', async () => {
    const now = state.clauses.get(id);
    const b = (parseBrackets(now?.text ?? '') ?? [])[index];
    if (!now || !b || now.text.slice(b.start, b.end) !== raw) {
      error.textContent = 'The clause changed meanwhile: click the alternative again in the text as it is now.';
      error.hidden = false;
      return;
    }
    keep.disabled = true;
    error.hidden = true;
    try {
      if (keep.dataset.action === 'keep') {
        if (!state.socket) throw { code: 'disconnected', message: 'You are offline; wait for the connection to come back, then try again.' };
        await state.socket.request({ type: 'resolve', clause: id, bracket: index, choose });
        closeSlot(id);
        announce(`Bracket ${index + 1} of ${clauseLabel(id)} is resolved: ${a.wording === '' ? 'the words are deleted' : `“${a.wording}” is kept`}.`, 'success');
        clauseEls.get(id)?.tools.querySelector('a, button')?.focus({ preventScroll: true });
      } else {
        const reply = await act({ type: 'propose', op: 'resolve', clause: id, bracket: index, choose });
        closeSlot(id, document.contains(altEl) ? altEl : null);
        announce(`Tabled as proposal ${reply?.proposal ?? ''}: keep ${a.state === TABLED ? 'the wording as tabled' : `${nameOf(a.state)}’s wording`} in bracket ${index + 1} of ${clauseLabel(id)}.`, 'success');
      }
    } catch (err) {
      keep.disabled = false;
      error.textContent = bracketRefusal(err);
      error.hidden = false;
      announce(error.textContent, 'error');
    }
  });
  const panel = h('div', { class: 'bk-action', role: 'group', 'aria-label': `Bracket ${index + 1}, alternative ${choose + 1}` },
    h('p', { class: 'bk-action-what' },
      h('strong', null, `Bracket ${index + 1}, alternative ${choose + 1} of ${bracket.alternatives.length}`), ' — proposed by ',
      h('span', { class: 'bk-action-who' }, whoLabel(a.state)), ': ',
      a.wording === '' ? h('em', null, 'delete these words') : h('q', null, a.wording)),
    !isChair() && !isFinal() && state.you?.role === 'delegation'
      ? h('p', { class: 'hint' }, 'Only the chair resolves a bracket; you can table a proposal to keep this wording, for the committee to adopt.') : null,
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
  return mustPropose() ? 'Propose a bracket…' : 'Bracket…';
}

/** The tool button that controls.js puts in each clause's tool bar. */
export function disputeTool(id, ref) {
  return h('button', {
    type: 'button', class: 'tool', dataset: { tool: 'dispute' }, hidden: !canDispute(),
    onmousedown: (ev) => ev.preventDefault(), // keeps a selection in the clause
    onclick: () => openDispute(id),
  }, toolLabel(), ref);
}
