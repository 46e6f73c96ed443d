// What every editor shares: the form (text, note, info, conflict panel, error, status line and
// buttons), its small state setters, the client-side check of the text rules, and where an
// insert editor goes when the clause it was anchored to disappears.
//
// An editor is a plain object made by editor.js: {kind: 'edit' | 'insert', key, ...} with
// `save()` and `close(returnFocus)`; editorForm adds its elements (textarea, note, info,
// conflict, error, status, saveButton, cancelButton, el).
import { t } from '../i18n.js';
import { h, replaceChildren } from '../dom.js';
import { state, els, mustPropose, isFinal } from './state.js';
import { sendFocus } from './presence.js';

// The text rules of protocol.md, checked before sending so the person gets a precise message.
const TEXT_MAX_BYTES = 16384;
const NOTE_MAX_BYTES = 2048;
const utf8 = new TextEncoder();

export function textProblem(text) {
  if (!text.trim()) return t('room.editor.empty');
  if (utf8.encode(text).length > TEXT_MAX_BYTES) return t('room.editor.tooLong', { max: TEXT_MAX_BYTES });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return t('room.editor.control');
  return null;
}

export function noteProblem(note) {
  if (utf8.encode(note).length > NOTE_MAX_BYTES) return t('room.editor.noteTooLong', { max: NOTE_MAX_BYTES });
  return null;
}

let editorSeq = 0;

/**
 * The common parts of an editor form: text, note, status line, buttons.
 * `fields(n)` returns extra fields shown above the text (ids can use the editor's number n).
 */
export function editorForm(editor, { title, text, saveLabel, proposeLabel = t('room.editor.propose'), fields = () => [] }) {
  const n = ++editorSeq;
  editor.saveLabel = saveLabel;
  editor.proposeLabel = proposeLabel;
  editor.mode = 'save';
  const extraFields = fields(n);
  editor.textarea = h('textarea', {
    id: `editor-text-${n}`, class: 'input input--text', rows: Math.min(12, Math.max(4, Math.ceil(text.length / 60))),
    spellcheck: 'true', value: text, required: true, dir: 'auto',
  });
  editor.textarea.value = text;
  editor.note = h('input', { id: `editor-note-${n}`, type: 'text', class: 'input', maxlength: 2048, autocomplete: 'off', dir: 'auto',
    'aria-describedby': `editor-note-hint-${n}` });
  editor.info = h('div', { class: 'editor-info', hidden: true, role: 'status' });
  editor.conflict = h('div', { class: 'conflict', hidden: true });
  editor.error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  editor.status = h('p', { class: 'editor-status', role: 'status', 'aria-live': 'polite' });
  editor.saveButton = h('button', { type: 'submit', class: 'button button--primary' }, saveLabel);
  editor.cancelButton = h('button', { type: 'button', class: 'button', onclick: () => editor.close(true) }, t('common.cancel'));
  // Procedure (procedure.md): "Propose" tables the change for the committee instead of saving it;
  // in the formal stage it is the only way for a delegation, and the save button itself proposes.
  editor.proposeButton = h('button', {
    type: 'button', class: 'button', hidden: true, dataset: { action: 'propose' },
    'aria-describedby': `editor-propose-hint-${n}`, onclick: () => editor.propose?.(),
  }, t('room.editor.proposeInstead'));
  editor.stageNote = h('p', { class: 'editor-stage', id: `editor-propose-hint-${n}`, hidden: true });
  editor.el = h('form', { class: ['editor', `editor--${editor.kind}`], novalidate: true, 'aria-label': title },
    h('h3', { class: 'editor-title' }, title),
    editor.info,
    editor.conflict,
    extraFields,
    h('label', { for: editor.textarea.id, class: 'label' }, t('room.editor.text')),
    editor.textarea,
    h('label', { for: editor.note.id, class: 'label' }, t('common.note'), ' ', h('span', { class: 'optional' }, t('room.editor.noteWhy'))),
    editor.note,
    h('p', { id: `editor-note-hint-${n}`, class: 'hint' }, t('room.editor.noteHint')),
    editor.stageNote,
    editor.error,
    h('p', { class: 'actions' }, editor.saveButton, ' ', editor.proposeButton, ' ', editor.cancelButton, h('span', { class: 'hint hint--keys' }, ' ', t('room.editor.escCancels'))),
    editor.status,
  );
  editor.el.addEventListener('submit', (ev) => { ev.preventDefault(); editor.save(); });
  editor.el.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { ev.preventDefault(); editor.close(true); }
    else if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); editor.save(); }
  });
  editor.textarea.addEventListener('focus', () => sendFocus(editor.kind === 'edit' ? editor.clauseId : editor.after ?? state.order[0] ?? null));
  return editor.el;
}

/**
 * Fits an editor to the draft's stage: in the formal stage a delegation's save button proposes
 * (and says why); in the working stage "Propose instead" sits beside it; once adopted, nothing
 * can be saved. Called when the editor opens and after every change of stage.
 */
export function applyStage(editor) {
  if (!editor.saveButton) return;
  const role = state.you?.role;
  const canPropose = Boolean(editor.propose) && (role === 'delegation' || role === 'chair') && !editor.orphaned;
  const mode = isFinal() ? 'final' : mustPropose() && canPropose ? 'propose' : 'save';
  if (mode === editor.mode && editor.stageApplied) return;
  editor.stageApplied = true;
  editor.mode = mode;
  editor.saveButton.hidden = mode === 'final';
  // A conflict panel's "Resubmit my text" saves too.
  for (const b of editor.conflict.querySelectorAll('[data-action="resubmit"]')) b.hidden = mode === 'final';
  if (mode === 'final') {
    editor.saveButton.disabled = true;
    editor.proposeButton.hidden = true;
    editor.stageNote.textContent = t('room.editor.final');
  } else if (mode === 'propose') {
    editor.saveButton.textContent = editor.proposeLabel;
    editor.proposeButton.hidden = true;
    editor.stageNote.textContent = t('room.editor.formal');
  } else {
    editor.proposeButton.hidden = !canPropose;
    editor.stageNote.textContent = canPropose
      ? t('room.editor.proposeInsteadHint') : '';
  }
  editor.stageNote.hidden = !editor.stageNote.textContent;
  editor.stageNote.classList.toggle('editor-stage--strong', mode !== 'save');
}

export function setEditorError(editor, message) {
  editor.error.textContent = message ?? '';
  editor.error.hidden = !message;
}

export function setEditorInfo(editor, ...content) {
  replaceChildren(editor.info, content);
  editor.info.hidden = content.length === 0;
}

export function setBusy(editor, busy, statusText = '') {
  editor.busy = busy;
  editor.saveButton.disabled = busy || editor.mode === 'final';
  editor.proposeButton.disabled = busy;
  editor.el.setAttribute('aria-busy', busy ? 'true' : 'false');
  editor.status.textContent = statusText;
}

/** Insert editors whose anchor clause `isGone(id)` move to the top, with a word of explanation. */
export function moveInsertEditorsToTop(isGone) {
  for (const editor of state.editors.values()) {
    if (editor.kind === 'insert' && editor.after && isGone(editor.after)) {
      editor.after = null;
      els.topInsertSlot.append(editor.el);
      setEditorInfo(editor, t('room.editor.anchorDeleted'));
    }
  }
}
