// The conflict panel of an edit editor. The person's own text is never lost: when another
// delegation changed the clause meanwhile (noteIntervening), when the server refused the save
// as overlapping (showConflict: what was saved first, with its words marked, and the choices
// resubmit / take theirs / discard), and when the clause was deleted under the editor
// (orphanEditor: offer to insert the text as a new clause).
import { t, tn, formatList, errorText } from '../i18n.js';
import { h, replaceChildren, timeEl } from '../dom.js';
import { api } from '../api.js';
import { stateChip } from '../colors.js';
import { wordDiff } from '../diff.js';
import { state, clauseEls, nameOf, learnName } from './state.js';
import { setEditorInfo } from './editor-form.js';

/** Another delegation changed the clause while this editor was open. */
export function noteIntervening(editor, by, clause) {
  if (!by) return;
  editor.intervening.set(by.state, by.name ?? nameOf(by.state));
  const names = formatList([...editor.intervening.values()]);
  setEditorInfo(editor,
    h('p', null, h('strong', null, t('room.conflict.changedMeanwhile', { names })),
      ' ', t('room.conflict.untouched')),
    h('details', { class: 'their-text' },
      h('summary', null, t('room.conflict.showNow')),
      h('blockquote', { class: 'quote', dir: 'auto' }, clause.text)));
}

/** The overlapping-change conflict: keep the person's text, show what beat it, offer to resubmit. */
export function showConflict(editor, err) {
  const current = err.current ?? null;
  editor.conflict.hidden = false;
  if (!current) {
    orphanEditor(editor, null, err.message ? errorText(err) : null);
    return;
  }
  // The clause as it is now becomes the base of the next attempt.
  const before = editor.baseText;
  state.clauses.set(current.id, { ...(state.clauses.get(current.id) ?? {}), ...current });
  editor.base = current.rev;
  editor.baseText = current.text;
  editor.conflictWith = current;
  const info = state.commits.get(current.rev);
  const byName = info?.by?.name ?? nameOf(current.by);
  const whenEl = h('span', { class: 'conflict-when' }, info?.at ? tn('room.conflict.at', { time: timeEl(info.at) }) : '');
  const diff = wordDiff(before, current.text);
  const theirs = h('blockquote', { class: 'quote quote--theirs', dir: 'auto', 'aria-label': t('room.conflict.savedFirst') },
    diff.filter((d) => d.op !== '-').map((d) => (d.op === '+' ? h('mark', { class: 'their-change' }, d.text) : d.text)));
  const heading = h('h4', { class: 'conflict-title', tabindex: '-1' }, t('room.conflict.overlaps'));
  replaceChildren(editor.conflict,
    heading,
    h('p', { class: 'conflict-by' }, tn('room.conflict.by', { who: h('span', null, stateChip(current.by, byName), ' ', h('strong', null, byName)), when: whenEl })),
    theirs,
    h('p', null, t('room.conflict.explain')),
    h('p', { class: 'actions' },
      h('button', { type: 'button', class: 'button button--primary', dataset: { action: 'resubmit' }, onclick: () => editor.save() }, t('room.conflict.resubmitMine')),
      ' ',
      h('button', { type: 'button', class: 'button', onclick: () => { editor.textarea.value = current.text; editor.textarea.focus(); } }, t('room.conflict.takeTheirs')),
      ' ',
      h('button', { type: 'button', class: 'button button--quiet', onclick: () => editor.close(true) }, t('room.conflict.discard'))),
  );
  editor.saveButton.textContent = t('room.conflict.resubmit');
  editor.el.classList.add('has-conflict');
  setEditorInfo(editor);
  editor.intervening.clear();
  editor.status.textContent = '';
  heading.focus();
  if (!info) fillConflictWhen(editor, current, whenEl, heading.parentElement.querySelector('.conflict-by strong'));
}

/** The author and time of the commit that won, when this page did not see it arrive. */
async function fillConflictWhen(editor, current, whenEl, nameEl) {
  try {
    const hist = await api.history(state.slug, current.id, state.code);
    const entry = (hist.entries ?? []).find((e) => e.commit === current.rev);
    if (!entry) return;
    learnName(entry.by);
    state.commits.set(entry.commit, { by: entry.by, at: entry.at });
    if (editor.conflictWith !== current) return;
    replaceChildren(whenEl, tn('room.conflict.at', { time: timeEl(entry.at) }));
    if (nameEl && entry.by?.name) nameEl.textContent = entry.by.name;
  } catch { /* the time is a nicety */ }
}

/** The clause under an open editor was deleted: keep the person's text, offer to insert it anew. */
export function orphanEditor(editor, ev, message) {
  editor.orphaned = true;
  const parts = clauseEls.get(editor.clauseId);
  if (parts) {
    parts.li.classList.add('is-deleted');
    parts.body.hidden = true;
    parts.tools.hidden = true;
    editor.anchor = state.order[Math.max(0, state.order.indexOf(editor.clauseId) - 1)] ?? null;
  }
  const who = ev?.by?.name ? t('room.conflict.deletedBy', { name: ev.by.name }) : t('room.conflict.deleted');
  editor.conflict.hidden = false;
  replaceChildren(editor.conflict,
    h('h4', { class: 'conflict-title' }, who),
    message ? h('p', null, message) : null,
    h('p', null, t('room.conflict.kept')));
  editor.saveButton.textContent = t('room.conflict.insertNew');
  editor.el.classList.add('has-conflict');
}
