// What every editor shares: the form (text, note, info, conflict panel, error, status line and
// buttons), its small state setters, the client-side check of the text rules, and where an
// insert editor goes when the clause it was anchored to disappears.
//
// An editor is a plain object made by editor.js: {kind: 'edit' | 'insert', key, ...} with
// `save()` and `close(returnFocus)`; editorForm adds its elements (textarea, note, info,
// conflict, error, status, saveButton, cancelButton, el).
import { h, replaceChildren } from '../dom.js';
import { state, els } from './state.js';
import { sendFocus } from './presence.js';

// The text rules of protocol.md, checked before sending so the person gets a precise message.
const TEXT_MAX_BYTES = 16384;
const NOTE_MAX_BYTES = 2048;
const utf8 = new TextEncoder();

export function textProblem(text) {
  if (!text.trim()) return 'The clause text cannot be empty.';
  if (utf8.encode(text).length > TEXT_MAX_BYTES) return `The clause text is too long (at most ${TEXT_MAX_BYTES.toLocaleString()} bytes).`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return 'The clause text contains control characters; remove them and try again.';
  return null;
}

export function noteProblem(note) {
  if (utf8.encode(note).length > NOTE_MAX_BYTES) return `The note is too long (at most ${NOTE_MAX_BYTES.toLocaleString()} bytes).`;
  return null;
}

let editorSeq = 0;

/**
 * The common parts of an editor form: text, note, status line, buttons.
 * `fields(n)` returns extra fields shown above the text (ids can use the editor's number n).
 */
export function editorForm(editor, { title, text, saveLabel, fields = () => [] }) {
  const n = ++editorSeq;
  const extraFields = fields(n);
  editor.textarea = h('textarea', {
    id: `editor-text-${n}`, class: 'input input--text', rows: Math.min(12, Math.max(4, Math.ceil(text.length / 60))),
    spellcheck: 'true', value: text, required: true,
  });
  editor.textarea.value = text;
  editor.note = h('input', { id: `editor-note-${n}`, type: 'text', class: 'input', maxlength: 2048, autocomplete: 'off',
    'aria-describedby': `editor-note-hint-${n}` });
  editor.info = h('div', { class: 'editor-info', hidden: true, role: 'status' });
  editor.conflict = h('div', { class: 'conflict', hidden: true });
  editor.error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  editor.status = h('p', { class: 'editor-status', role: 'status', 'aria-live': 'polite' });
  editor.saveButton = h('button', { type: 'submit', class: 'button button--primary' }, saveLabel);
  editor.cancelButton = h('button', { type: 'button', class: 'button', onclick: () => editor.close(true) }, 'Cancel');
  editor.el = h('form', { class: ['editor', `editor--${editor.kind}`], novalidate: true, 'aria-label': title },
    h('h3', { class: 'editor-title' }, title),
    editor.info,
    editor.conflict,
    extraFields,
    h('label', { for: editor.textarea.id, class: 'label' }, 'Text'),
    editor.textarea,
    h('label', { for: editor.note.id, class: 'label' }, 'Note ', h('span', { class: 'optional' }, '(optional: why this change)')),
    editor.note,
    h('p', { id: `editor-note-hint-${n}`, class: 'hint' }, 'The note is recorded with the amendment in the draft’s history.'),
    editor.error,
    h('p', { class: 'actions' }, editor.saveButton, ' ', editor.cancelButton, h('span', { class: 'hint hint--keys' }, ' Esc cancels')),
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
  editor.saveButton.disabled = busy;
  editor.el.setAttribute('aria-busy', busy ? 'true' : 'false');
  editor.status.textContent = statusText;
}

/** Insert editors whose anchor clause `isGone(id)` move to the top, with a word of explanation. */
export function moveInsertEditorsToTop(isGone) {
  for (const editor of state.editors.values()) {
    if (editor.kind === 'insert' && editor.after && isGone(editor.after)) {
      editor.after = null;
      els.topInsertSlot.append(editor.el);
      setEditorInfo(editor, 'The clause you were inserting after was deleted; your new clause will go at the top.');
    }
  }
}
