// The room's page and its clauses: the page skeleton (header, presence, document), one element
// per clause (number, text, notices, and the slots that controls.js and editor.js fill), the
// clause text with the words of a live amendment highlighted for a while, the short
// "Edited by …" notices, and keeping the clause elements in document order.
import { t, tn } from '../i18n.js';
import { h, replaceChildren, timeEl } from '../dom.js';
import { paths } from '../api.js';
import { stateChip } from '../colors.js';
import { tokenize } from '../diff.js';
import { state, els, clauseEls, canEdit } from './state.js';
import { moveInsertEditorsToTop } from './editor-form.js';
import { bracketedText } from './bracketed-text.js';

const HIGHLIGHT_MS = 8000;
const DELETED_MS = 3000; // deleted words stay struck through this long, inserted ones marked longer
const NOTICE_MS = 30000;

// ---------------------------------------------------------------- the page

export function buildPage() {
  els.title = h('h1', { class: 'doc-title', id: 'doc-title', dir: 'auto' });
  els.you = h('p', { class: 'you' });
  els.presence = h('ul', { class: 'chips presence-list', 'aria-label': t('room.presentLabel') });
  els.list = h('ol', { class: 'clauses', 'aria-labelledby': 'doc-title' });
  els.topInsertSlot = h('div', { class: 'insert-slot insert-slot--top' });
  els.topTools = h('div', { class: 'doc-tools' });
  // The procedure (room/stage.js, chair.js, vote.js, proposals.js) fills these.
  els.stage = h('span', { class: 'stage-badge', dataset: { stage: 'working' } }, t('stage.working'));
  els.stageNotice = h('p', { class: 'stage-notice', hidden: true, role: 'note' });
  els.proposalsLink = h('a', { href: '#proposals', class: 'link-button' }, t('room.proposalsLink'));
  els.vote = h('section', { class: 'vote', id: 'vote', hidden: true, 'aria-labelledby': 'vote-title' });
  els.chair = h('section', { class: 'chair-panel', hidden: true, 'aria-labelledby': 'chair-title' });
  els.proposals = h('section', { class: 'proposals', id: 'proposals', 'aria-labelledby': 'proposals-title' });
  els.app.classList.add('room-layout');
  replaceChildren(els.app,
    h('header', { class: 'doc-header' },
      h('p', { class: 'doc-kicker' }, els.stage, ' · ', h('bdi', { class: 'slug' }, state.slug)),
      els.title,
      els.you,
      els.stageNotice,
      h('nav', { class: 'doc-nav', 'aria-label': t('room.navLabel') },
        els.proposalsLink,
        h('a', { href: paths.log(state.slug), class: 'link-button' }, t('room.logLink')),
        h('a', { href: paths.compare(state.slug), class: 'link-button' }, t('room.compareLink'))),
    ),
    els.vote,
    els.chair,
    h('section', { class: 'presence', 'aria-label': t('room.whoIsHere') },
      h('h2', { class: 'presence-title' }, t('room.present')),
      els.presence),
    h('section', { class: 'document', 'aria-label': t('room.draftText') },
      els.topTools,
      els.topInsertSlot,
      els.list),
    els.proposals,
  );
}

export function renderYou() {
  const you = state.you;
  const who = h('span', null, stateChip(you.state, you.name), ' ', h('strong', null, you.name ?? you.state));
  replaceChildren(els.you, tn('room.you', { who, role: you.role === 'chair' || you.role === 'observer' ? you.role : 'delegation' }));
  document.body.classList.toggle('is-observer', !canEdit());
}

// ---------------------------------------------------------------- clause elements

/** Makes (and registers in clauseEls) the element of a clause; its tools are left empty. */
export function createClauseEl(c) {
  const id = c.id;
  const parts = {};
  parts.number = h('span', { class: 'clause-number', 'aria-hidden': 'false' });
  parts.text = c.kind === 'heading'
    ? h('h2', { class: 'clause-text clause-text--heading', dir: 'auto' })
    : h('p', { class: 'clause-text', dir: 'auto' });
  parts.focusChips = h('span', { class: 'chips focus-chips', hidden: true });
  parts.change = h('p', { class: 'clause-change', hidden: true, role: 'status' });
  parts.proposalRefs = h('p', { class: 'clause-proposals', hidden: true });
  parts.tools = h('div', { class: 'clause-tools', role: 'group' });
  parts.confirm = h('div', { class: 'clause-confirm', hidden: true });
  parts.editorSlot = h('div', { class: 'editor-slot' });
  parts.insertSlot = h('div', { class: 'insert-slot' });
  parts.body = h('div', { class: 'clause-body' }, parts.number, parts.text);
  parts.li = h('li', { class: ['clause', `clause--${c.kind}`], id: `clause-${id}`, dataset: { clauseId: id, kind: c.kind } },
    parts.body, parts.focusChips, parts.change, parts.proposalRefs, parts.tools, parts.confirm, parts.editorSlot, parts.insertSlot);
  clauseEls.set(id, parts);
  return parts;
}

function setClauseKind(id) {
  const c = state.clauses.get(id);
  const parts = clauseEls.get(id);
  if (!c || !parts || parts.li.dataset.kind === c.kind) return;
  const text = c.kind === 'heading' ? h('h2', { class: 'clause-text clause-text--heading', dir: 'auto' }) : h('p', { class: 'clause-text', dir: 'auto' });
  parts.text.replaceWith(text);
  parts.text = text;
  parts.li.classList.remove(`clause--${parts.li.dataset.kind}`);
  parts.li.classList.add(`clause--${c.kind}`);
  parts.li.dataset.kind = c.kind;
}

/**
 * Renders a clause's text; with a diff, the inserted words are marked for a short while, and
 * the deleted ones shown struck through for a shorter one (as generated content of an empty,
 * aria-hidden element, so that the text itself, as read or copied, is only the new text; the
 * "Edited by …" notice says what happened). A clause with brackets shows its insertions only.
 */
export function renderText(id, diff, { deleted = true } = {}) {
  const c = state.clauses.get(id);
  const parts = clauseEls.get(id);
  if (!c || !parts) return;
  setClauseKind(id);
  const runs = diff ? diff.filter((d) => d.op !== '-') : [{ op: '=', text: c.text }];
  const withDeleted = Boolean(diff && deleted && diff.some((d) => d.op === '-' && /\S/.test(d.text)));
  const toks = [];
  for (const run of withDeleted ? diff : runs) {
    if (run.op === '-') { if (/\S/.test(run.text)) toks.push({ t: run.text, del: true }); continue; }
    for (const t of tokenize(run.text)) toks.push({ t, ins: run.op === '+' });
  }
  const opening = c.kind === 'preamble' ? toks.findIndex((x) => !x.del && /\S/.test(x.t)) : -1;
  const nodes = [];
  let buf = '';
  let bufIns = false;
  const flush = () => {
    if (!buf) return;
    nodes.push(bufIns ? h('mark', { class: 'live-change' }, buf) : document.createTextNode(buf));
    buf = '';
  };
  toks.forEach((x, i) => {
    if (x.del) {
      flush();
      nodes.push(h('span', { class: 'live-deleted', 'aria-hidden': 'true', dataset: { words: x.t.trim() } }));
      return;
    }
    if (i === opening) {
      flush();
      const word = x.ins ? h('mark', { class: 'live-change' }, x.t) : x.t;
      nodes.push(h('em', { class: 'opening' }, word));
      return;
    }
    if (x.ins !== bufIns) { flush(); bufIns = x.ins; }
    buf += x.t;
  });
  flush();
  const bracketed = bracketedText(c, runs); // brackets drawn by room/bracketed-text.js
  replaceChildren(parts.text, bracketed ?? nodes);
  const hasMarks = diff && (toks.some((x) => x.ins) || (withDeleted && !bracketed));
  parts.li.classList.toggle('is-changed', Boolean(hasMarks));
  clearTimeout(parts.highlightTimer);
  if (hasMarks) {
    const shown = c.text;
    const strike = withDeleted && !bracketed;
    parts.highlightTimer = setTimeout(() => {
      if (state.clauses.get(id)?.text !== shown) return;
      if (strike) renderText(id, diff, { deleted: false });
      else renderText(id, null);
    }, strike ? DELETED_MS : HIGHLIGHT_MS);
  }
}

/** A short notice under a clause: "Edited by Russian Federation". */
export function showChange(id, text, by = null, at = null, merged = false) {
  const parts = clauseEls.get(id);
  if (!parts) return;
  parts.change.classList.toggle('clause-change--merged', merged);
  replaceChildren(parts.change,
    by ? stateChip(by.state, by.name) : null, by ? ' ' : null,
    h('span', { class: 'change-text' }, text),
    at ? ' · ' : null, at ? timeEl(at) : null);
  parts.change.hidden = false;
  clearTimeout(parts.noticeTimer);
  parts.noticeTimer = setTimeout(() => { parts.change.hidden = true; }, NOTICE_MS);
}

/** Puts the clause elements in document order, moving only what is out of place and keeping focus. */
export function placeClauses() {
  const active = document.activeElement;
  const sel = active && (active.tagName === 'TEXTAREA' || active.tagName === 'INPUT')
    ? [active.selectionStart, active.selectionEnd] : null;
  let cursor = els.list.firstElementChild;
  for (const id of state.order) {
    const parts = clauseEls.get(id);
    if (!parts) continue;
    if (parts.li === cursor) { cursor = cursor.nextElementSibling; continue; }
    els.list.insertBefore(parts.li, cursor);
  }
  // Orphans (deleted clauses whose editor is still open) stay where they are.
  if (active && active !== document.activeElement && document.contains(active)) {
    active.focus({ preventScroll: true });
    if (sel) { try { active.setSelectionRange(sel[0], sel[1]); } catch { /* not a text field */ } }
  }
}

/** Removes a clause's element; insert editors anchored to it move to the top, focus to a neighbour. */
export function removeClauseEl(id) {
  const parts = clauseEls.get(id);
  if (!parts) return;
  const hadFocus = parts.li.contains(document.activeElement);
  const next = parts.li.nextElementSibling ?? parts.li.previousElementSibling;
  moveInsertEditorsToTop((after) => after === id);
  parts.li.remove();
  clauseEls.delete(id);
  if (hadFocus) {
    const target = next?.querySelector('button, a') ?? els.title;
    if (target === els.title) els.title.setAttribute('tabindex', '-1');
    target.focus();
  }
}
