// Editing in place: the edit editor (replaces a clause's text, with `base` = the rev it started
// from) and the insert editor (a new clause after another, or at the top); opening, saving and
// closing them, and inserting anew the text of an editor whose clause was deleted.
// The form itself is editor-form.js's; conflicts are shown by conflict.js.
import { t, errorText, formatList } from '../i18n.js';
import { h, announce } from '../dom.js';
import { state, els, clauseEls, nameOf, clauseLabel } from './state.js';
import { editorForm, setEditorError, setBusy, textProblem, noteProblem, applyStage } from './editor-form.js';
import { act, refusalText } from './procedure.js';
import { showConflict } from './conflict.js';
import { showChange, removeClauseEl } from './render.js';
import { updateFocusFromEditors } from './presence.js';
import { stopTyping } from './live.js';

/** `prefill` {text, note}: an editor that starts from other words (tabling a proposal again). */
export function openEditEditor(id, prefill = null) {
  const key = `edit:${id}`;
  const existing = state.editors.get(key);
  if (existing) { existing.textarea.focus(); return; }
  const c = state.clauses.get(id);
  const parts = clauseEls.get(id);
  if (!c || !parts) return;
  const editor = {
    kind: 'edit', key, clauseId: id, base: c.rev, baseText: c.text, intervening: new Map(),
    ownCommits: new Set(), conflictWith: null, orphaned: false,
  };
  editor.save = () => saveEdit(editor);
  editor.propose = () => proposeChange(editor);
  editor.close = (returnFocus) => closeEditor(editor, returnFocus);
  editorForm(editor, { title: t('room.editor.editTitle', { clause: clauseLabel(id) }), text: prefill?.text ?? c.text, saveLabel: t('room.editor.save') });
  if (prefill?.note) editor.note.value = prefill.note;
  applyStage(editor);
  state.editors.set(key, editor);
  parts.li.classList.add('is-editing');
  parts.editorSlot.append(editor.el);
  parts.body.hidden = true;
  parts.tools.hidden = true;
  editor.textarea.focus();
  editor.textarea.setSelectionRange(editor.textarea.value.length, editor.textarea.value.length);
  updateFocusFromEditors();
}

export function openInsertEditor(afterId) {
  const key = `insert:${afterId ?? 'top'}`;
  const existing = state.editors.get(key);
  if (existing) { existing.textarea.focus(); return; }
  const editor = { kind: 'insert', key, after: afterId, ownCommits: new Set() };
  editor.save = () => saveInsert(editor);
  editor.propose = () => proposeChange(editor);
  editor.close = (returnFocus) => closeEditor(editor, returnFocus);
  const title = afterId ? t('room.editor.insertAfterTitle', { clause: clauseLabel(afterId) }) : t('room.insertTop');
  editorForm(editor, {
    title, text: '', saveLabel: t('room.editor.insert'), proposeLabel: t('room.editor.proposeInsertion'),
    fields: (n) => {
      editor.kindSelect = h('select', { id: `editor-kind-${n}`, class: 'input input--select' },
        h('option', { value: 'operative' }, t('room.editor.kind.operative')),
        h('option', { value: 'preamble' }, t('room.editor.kind.preamble')),
        h('option', { value: 'heading' }, t('room.editor.kind.heading')));
      return [h('label', { for: editor.kindSelect.id, class: 'label' }, t('room.editor.kind')), editor.kindSelect];
    },
  });
  applyStage(editor);
  state.editors.set(key, editor);
  const slot = afterId ? clauseEls.get(afterId)?.insertSlot : els.topInsertSlot;
  (slot ?? els.topInsertSlot).append(editor.el);
  editor.kindSelect.focus();
  updateFocusFromEditors();
}

function closeEditor(editor, returnFocus) {
  state.editors.delete(editor.key);
  stopTyping(editor);
  editor.el.remove();
  if (editor.kind === 'edit') {
    const parts = clauseEls.get(editor.clauseId);
    if (editor.orphaned || !state.clauses.has(editor.clauseId)) {
      removeClauseEl(editor.clauseId);
    } else if (parts) {
      parts.li.classList.remove('is-editing');
      parts.body.hidden = false;
      parts.tools.hidden = false;
      if (returnFocus) parts.tools.querySelector('[data-action="edit"]')?.focus();
    }
  } else if (returnFocus) {
    const parts = editor.after ? clauseEls.get(editor.after) : null;
    const target = parts ? parts.tools.querySelector('[data-action="insert"]') : els.topTools.querySelector('button');
    target?.focus();
  }
  updateFocusFromEditors();
}

async function saveEdit(editor) {
  if (editor.busy || editor.mode === 'final') return;
  if (editor.mode === 'propose' && !editor.orphaned) { proposeChange(editor); return; }
  const text = editor.textarea.value;
  const note = editor.note.value.trim();
  const problem = textProblem(text) ?? noteProblem(note);
  if (problem) { setEditorError(editor, problem); editor.textarea.focus(); return; }
  setEditorError(editor, null);
  if (editor.orphaned) { reinsertOrphan(editor); return; }
  const current = state.clauses.get(editor.clauseId);
  if (current && text === current.text && editor.base === current.rev) { closeEditor(editor, true); return; }
  setBusy(editor, true, t('room.editor.saving'));
  const msg = { type: 'amend', op: 'replace', clause: editor.clauseId, base: editor.base, text };
  if (note) msg.note = note;
  try {
    const ack = await state.socket.request(msg);
    editor.ownCommits.add(ack.commit);
    setBusy(editor, false);
    closeEditor(editor, true);
    if (ack.merged) {
      const names = [...editor.intervening.values()];
      const other = names.length ? formatList(names) : otherAuthor(editor);
      const text2 = t('room.editor.merged', { other });
      state.mergedNotices.set(ack.commit, text2);
      showChange(editor.clauseId, text2, null, null, true);
      announce(t('room.sentence', { text: text2 }), 'success');
    } else {
      announce(t('room.editor.saved', { clause: clauseLabel(editor.clauseId) }), 'success');
    }
  } catch (err) {
    setBusy(editor, false);
    if (err.code === 'conflict') showConflict(editor, err);
    else setEditorError(editor, err.code === 'forbidden' ? refusalText(err) : err.message ? errorText(err) : t('room.editor.refused', { code: err.code }));
  }
}

function otherAuthor(editor) {
  const c = state.clauses.get(editor.clauseId);
  if (c && c.by && c.by !== state.you?.state) return nameOf(c.by);
  return t('room.editor.anotherDelegation');
}

/** Saving an orphaned editor (see conflict.js): its text becomes a new clause where the old one stood. */
async function reinsertOrphan(editor) {
  const kind = editor.kindBefore ?? 'operative';
  const order = state.order;
  const li = clauseEls.get(editor.clauseId)?.li;
  // The closest preceding clause still in the draft.
  let after = null;
  for (let el = li?.previousElementSibling; el; el = el.previousElementSibling) {
    if (el.dataset.clauseId && state.clauses.has(el.dataset.clauseId)) { after = el.dataset.clauseId; break; }
  }
  if (after && !order.includes(after)) after = null;
  setBusy(editor, true, t('room.editor.inserting'));
  const msg = { type: 'amend', op: 'insert', after, kind: li?.dataset.kind ?? kind, text: editor.textarea.value };
  const note = editor.note.value.trim();
  if (note) msg.note = note;
  try {
    await state.socket.request(msg);
    setBusy(editor, false);
    closeEditor(editor, false);
    announce(t('room.editor.reinserted'), 'success');
  } catch (err) {
    setBusy(editor, false);
    setEditorError(editor, err.message ? errorText(err) : t('room.editor.refused', { code: err.code }));
  }
}

async function saveInsert(editor) {
  if (editor.busy || editor.mode === 'final') return;
  if (editor.mode === 'propose') { proposeChange(editor); return; }
  const text = editor.textarea.value;
  const note = editor.note.value.trim();
  const problem = textProblem(text) ?? noteProblem(note);
  if (problem) { setEditorError(editor, problem); editor.textarea.focus(); return; }
  setEditorError(editor, null);
  setBusy(editor, true, t('room.editor.inserting'));
  const msg = { type: 'amend', op: 'insert', after: editor.after ?? null, kind: editor.kindSelect.value, text };
  if (note) msg.note = note;
  try {
    const ack = await state.socket.request(msg);
    setBusy(editor, false);
    closeEditor(editor, false);
    const parts = clauseEls.get(ack.clause);
    announce(ack.clause && state.clauses.has(ack.clause) ? t('room.editor.inserted', { clause: clauseLabel(ack.clause) }) : t('room.editor.insertedClause'), 'success');
    if (parts) parts.tools.querySelector('a, button')?.focus();
    else pendingFocus = ack.clause;
  } catch (err) {
    setBusy(editor, false);
    setEditorError(editor, err.message ? errorText(err) : t('room.editor.refused', { code: err.code }));
  }
}

/** Tables the editor's change as a proposal (procedure.md) instead of saving it. */
async function proposeChange(editor) {
  if (editor.busy || editor.mode === 'final') return;
  const text = editor.textarea.value;
  const note = editor.note.value.trim();
  const problem = textProblem(text) ?? noteProblem(note);
  if (problem) { setEditorError(editor, problem); editor.textarea.focus(); return; }
  let msg;
  if (editor.kind === 'edit') {
    const current = state.clauses.get(editor.clauseId);
    if (editor.orphaned || !current) { setEditorError(editor, t('room.editor.nothingLeft')); return; }
    if (text === current.text) { setEditorError(editor, t('room.editor.unchanged')); editor.textarea.focus(); return; }
    msg = { type: 'propose', op: 'replace', clause: editor.clauseId, base: editor.base, text };
  } else {
    msg = { type: 'propose', op: 'insert', after: editor.after ?? null, kind: editor.kindSelect.value, text };
  }
  if (note) msg.note = note;
  setEditorError(editor, null);
  setBusy(editor, true, t('room.editor.tabling'));
  try {
    const reply = await act(msg);
    setBusy(editor, false);
    closeEditor(editor, true);
    const n = reply?.proposal;
    announce(t(state.sponsors.length ? 'room.editor.tabled' : 'room.editor.tabledVote', { n: n ?? '' }), 'success');
  } catch (err) {
    setBusy(editor, false);
    setEditorError(editor, refusalText(err));
  }
}

// The ack of an insert comes before its `amended` event: the new clause's first tool takes the
// focus as soon as its element appears.
let pendingFocus = null;

/** Starts watching the page for the clause an insert is waiting for (room.js calls it once, after setting els.app). */
export function initEditor() {
  new MutationObserver(() => {
    if (pendingFocus && clauseEls.has(pendingFocus)) {
      clauseEls.get(pendingFocus).tools.querySelector('a, button')?.focus();
      pendingFocus = null;
    }
  }).observe(els.app, { childList: true, subtree: true });
}
