// The controls that change the draft's structure: each clause's tool bar (History, Edit,
// Insert after, Move up/down, Delete), the "Insert a clause at the top" button, the delete
// confirmation, moving a clause (in the formal stage, a delegation proposes the move instead), and
// keeping numbers, labels and enabled move buttons right after any change of order. Observers get
// only the History link.
import { t, errorText } from '../i18n.js';
import { h, replaceChildren, srOnly, announce } from '../dom.js';
import { paths } from '../api.js';
import { state, els, clauseEls, nameOf, canEdit, clauseLabel, mustPropose, isFinal } from './state.js';
import { act, refusalText } from './procedure.js';
import { noteProblem } from './editor-form.js';
import { openEditEditor, openInsertEditor } from './editor.js';
import { disputeTool, refreshDisputeTools } from './dispute.js';

/** Fills the tool bar of a clause element made by render.js's createClauseEl. */
export function buildTools(id) {
  const parts = clauseEls.get(id);
  const ref = () => srOnly(` ${clauseLabel(id)}`);
  const tools = [
    h('a', { href: paths.clause(state.slug, id), class: 'tool tool--history' }, t('room.tool.history'), ref()),
  ];
  if (canEdit()) {
    tools.push(
      h('button', { type: 'button', class: 'tool', dataset: { action: 'edit' }, onclick: () => openEditEditor(id) }, t('room.tool.edit'), ref()),
      h('button', { type: 'button', class: 'tool', dataset: { action: 'insert' }, onclick: () => openInsertEditor(id) }, t('room.tool.insertAfter'), ref()),
      h('button', { type: 'button', class: 'tool', dataset: { action: 'up' }, onclick: () => moveClause(id, -1) }, h('span', { 'aria-hidden': 'true' }, '↑ '), t('room.tool.moveUp'), ref()),
      h('button', { type: 'button', class: 'tool', dataset: { action: 'down' }, onclick: () => moveClause(id, +1) }, h('span', { 'aria-hidden': 'true' }, '↓ '), t('room.tool.moveDown'), ref()),
      h('button', { type: 'button', class: 'tool tool--danger', dataset: { action: 'delete' }, onclick: () => openDeleteConfirm(id) }, t('room.tool.delete'), ref()),
      disputeTool(id, ref()), // room/dispute.js: bracket words (procedure.md)
    );
  }
  replaceChildren(parts.tools, tools);
  parts.tools.setAttribute('aria-label', t('room.tool.actionsFor', { clause: clauseLabel(id) }));
}

/** The button above the first clause (after render.js's buildPage). */
export function buildTopTools() {
  if (canEdit()) {
    els.topTools.append(h('button', {
      type: 'button', class: 'button button--quiet', onclick: () => openInsertEditor(null),
    }, t('room.insertTop')));
  }
  trackSelectedClause();
}

let selectedClause = null; // the clause holding the text selection: its tools show (style.css)
let tracking = false;

/** Marks the clause in which words are selected (`clause--selected`), once per page. */
function trackSelectedClause() {
  if (tracking) return;
  tracking = true;
  document.addEventListener('selectionchange', () => {
    const sel = document.getSelection();
    const node = sel && !sel.isCollapsed ? sel.anchorNode : null;
    const clause = (node?.nodeType === Node.ELEMENT_NODE ? node : node?.parentElement)?.closest('li.clause') ?? null;
    if (clause === selectedClause) return;
    selectedClause?.classList.remove('clause--selected');
    clause?.classList.add('clause--selected');
    selectedClause = clause;
  });
}

/** Numbers, labels and the enabled state of move buttons, after any change of order. */
export function refreshAllControls() {
  state.order.forEach((id, index) => {
    const c = state.clauses.get(id);
    const parts = clauseEls.get(id);
    if (!c || !parts) return;
    parts.number.textContent = c.kind === 'operative' ? t('room.clauseNumber', { n: c.number }) : '';
    parts.number.hidden = c.kind !== 'operative';
    for (const span of parts.tools.querySelectorAll('.visually-hidden')) span.textContent = ` ${clauseLabel(id)}`;
    parts.tools.setAttribute('aria-label', t('room.tool.actionsFor', { clause: clauseLabel(id) }));
    const up = parts.tools.querySelector('[data-action="up"]');
    const down = parts.tools.querySelector('[data-action="down"]');
    if (up) up.disabled = index === 0;
    if (down) down.disabled = index === state.order.length - 1;
  });
  applyStageToTools();
}

/**
 * The stage decides which tools show (procedure.md): once adopted, none that change the text (for
 * everyone, the chair too; room/dispute.js hides its "Bracket…" the same way); in the formal stage
 * a delegation's Edit, Insert, Move and Delete table proposals, and so does its bracket ("Propose a
 * bracket…").
 */
export function applyStageToTools() {
  const final = isFinal();
  for (const parts of clauseEls.values()) {
    for (const b of parts.tools.querySelectorAll('[data-action]')) b.hidden = final;
    if (final && !parts.confirm.hidden) { parts.confirm.hidden = true; parts.confirm.replaceChildren(); }
  }
  for (const b of els.topTools?.querySelectorAll('button') ?? []) b.hidden = final;
  refreshDisputeTools();
}

function openDeleteConfirm(id) {
  const parts = clauseEls.get(id);
  const c = state.clauses.get(id);
  if (!parts || !c) return;
  const noteId = `delete-note-${id}`;
  const note = h('input', { id: noteId, type: 'text', class: 'input', maxlength: 2048, autocomplete: 'off' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const base = c.rev;
  const close = (focus = true) => {
    parts.confirm.hidden = true;
    parts.confirm.replaceChildren();
    if (focus) parts.tools.querySelector('[data-action="delete"]')?.focus();
  };
  const propose = mustPropose();
  const yes = h('button', { type: 'submit', class: 'button button--danger' }, propose ? t('room.delete.propose') : t('room.delete.confirm'));
  const form = h('form', { class: 'confirm', novalidate: true, 'aria-label': t('room.delete.label', { clause: clauseLabel(id) }) },
    propose
      ? h('p', { class: 'confirm-question' }, h('strong', null, t('room.delete.proposeQuestion', { clause: clauseLabel(id) })),
        ' ', t('room.delete.proposeExplain'))
      : h('p', { class: 'confirm-question' }, h('strong', null, t('room.delete.question', { clause: clauseLabel(id) })),
        ' ', t('room.delete.explain')),
    h('label', { for: noteId, class: 'label' }, t('common.note'), ' ', h('span', { class: 'optional' }, t('common.optional'))),
    note, error,
    h('p', { class: 'actions' }, yes, ' ', h('button', { type: 'button', class: 'button', onclick: () => close() }, t('room.delete.keep'))));
  form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
  let currentBase = base;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = note.value.trim();
    const problem = noteProblem(n);
    if (problem) { error.textContent = problem; error.hidden = false; return; }
    yes.disabled = true;
    if (propose) {
      const pmsg = { type: 'propose', op: 'delete', clause: id, base: currentBase };
      if (n) pmsg.note = n;
      try {
        const reply = await act(pmsg);
        close();
        announce(t('room.delete.tabled', { n: reply?.proposal ?? '', clause: clauseLabel(id) }), 'success');
      } catch (err) {
        yes.disabled = false;
        error.textContent = refusalText(err);
        error.hidden = false;
      }
      return;
    }
    const msg = { type: 'amend', op: 'delete', clause: id, base: currentBase };
    if (n) msg.note = n;
    try {
      await state.socket.request(msg);
      close(false);
    } catch (err) {
      yes.disabled = false;
      if (err.code === 'conflict' && err.current) {
        currentBase = err.current.rev;
        error.textContent = t('room.delete.changed', { name: nameOf(err.current.by) });
      } else if (err.code === 'conflict') {
        error.textContent = t('room.delete.gone');
      } else {
        error.textContent = err.message ? errorText(err) : t('room.delete.refused', { code: err.code });
      }
      error.hidden = false;
    }
  });
  replaceChildren(parts.confirm, form);
  parts.confirm.hidden = false;
  yes.focus();
}

async function moveClause(id, delta) {
  const index = state.order.indexOf(id);
  const target = index + delta;
  if (index < 0 || target < 0 || target >= state.order.length) return;
  // `after` is the clause just before the new position (null for the top).
  const without = state.order.filter((x) => x !== id);
  const after = target === 0 ? null : without[target - 1];
  const parts = clauseEls.get(id);
  const button = parts?.tools.querySelector(`[data-action="${delta < 0 ? 'up' : 'down'}"]`);
  if (mustPropose()) { openMoveProposal(id, after, button); return; }
  if (button) button.setAttribute('aria-busy', 'true');
  try {
    await state.socket.request({ type: 'amend', op: 'move', clause: id, after });
    announce(t('room.moved', { clause: clauseLabel(id) }), 'success');
  } catch (err) {
    announce(err.message ? errorText(err) : t('room.moveRefused', { code: err.code }), 'error');
  } finally {
    if (button) {
      button.removeAttribute('aria-busy');
      if (button.disabled) parts?.tools.querySelector('[data-action="edit"]')?.focus();
      else if (document.activeElement === document.body) button.focus();
    }
  }
}

/**
 * Formal stage, a delegation: Move up / Move down table a proposal (`propose` op `move`) instead of
 * moving, after a confirmation with an optional note, as Delete proposes a deletion.
 */
function openMoveProposal(id, after, opener) {
  const parts = clauseEls.get(id);
  if (!parts || !state.clauses.has(id)) return;
  const what = after ? t('room.move.after', { clause: clauseLabel(id), after: clauseLabel(after) }) : t('room.move.top', { clause: clauseLabel(id) });
  const noteId = `move-note-${id}`;
  const note = h('input', { id: noteId, type: 'text', class: 'input', maxlength: 2048, autocomplete: 'off' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const close = (focus = true) => {
    parts.confirm.hidden = true;
    parts.confirm.replaceChildren();
    if (!focus) return;
    const target = opener && !opener.disabled && !opener.hidden ? opener : parts.tools.querySelector('[data-action="edit"]');
    target?.focus();
  };
  const yes = h('button', { type: 'submit', class: 'button button--primary', dataset: { action: 'propose-move' } }, t('room.move.propose'));
  const form = h('form', { class: 'confirm confirm--move', novalidate: true, 'aria-label': t('room.move.label', { clause: clauseLabel(id) }) },
    h('p', { class: 'confirm-question' }, h('strong', null, t('room.move.question', { what })),
      ' ', t('room.move.explain')),
    h('label', { for: noteId, class: 'label' }, t('common.note'), ' ', h('span', { class: 'optional' }, t('common.optional'))),
    note, error,
    h('p', { class: 'actions' }, yes, ' ', h('button', { type: 'button', class: 'button', onclick: () => close() }, t('common.cancel'))));
  form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = note.value.trim();
    const problem = noteProblem(n);
    if (problem) { error.textContent = problem; error.hidden = false; return; }
    yes.disabled = true;
    const msg = { type: 'propose', op: 'move', clause: id, after };
    if (n) msg.note = n;
    try {
      const reply = await act(msg);
      close();
      announce(t('room.move.tabled', { n: reply?.proposal ?? '', what }), 'success');
    } catch (err) {
      yes.disabled = false;
      error.textContent = refusalText(err);
      error.hidden = false;
    }
  });
  replaceChildren(parts.confirm, form);
  parts.confirm.hidden = false;
  yes.focus();
}
