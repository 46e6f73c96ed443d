// Comments beside the text (docs/extensions.md, "Comments"): a count beside each clause, the
// clause's threads in a side panel (a bottom sheet on a phone), the commented words underlined,
// writing, replying, resolving and reopening. Live: the server sends every thread that changes
// (`thread`), the open ones after each welcome (`threads`), and again when an amendment moved a
// thread's words (act "anchor"), so nothing here computes where words went.
//
// Keyboard: each clause's comment button opens the panel and puts the focus in it; Escape
// closes it and gives the focus back to the button; Ctrl+Enter (or Cmd+Enter) sends a comment
// or a reply. The underline uses the CSS Custom Highlight API (no change to the clause's DOM,
// which render.js and bracketed-text.js own); where it is missing the count and the quote in
// the panel still say which words.
import { t } from '../i18n.js';
import { h, replaceChildren, announce, timeEl, keepFocus, srOnly } from '../dom.js';
import { byteOffset } from '../bracket-notation.js';
import { stateChip } from '../colors.js';
import { state, els, clauseEls, nameOf, canEdit as canAct, isChair, isFinal, clauseLabel } from './state.js';
import { selectionSpan } from './bracketed-text.js';
import { onProcedureChange } from './procedure.js';

/** Every string of this module, in one place: the catalog keys (web/i18n/<lang>.json, "comments.*"). */
const TEXT = {
  button: (n) => (n ? String(n) : '+'),
  buttonLabel: (count, clause) => t('comments.buttonLabel', { count, clause }),
  title: (clause) => t('comments.title', { clause }),
  close: () => t('comments.close'),
  closeLabel: () => t('comments.closeLabel'),
  none: () => t('comments.none'),
  onWords: () => t('comments.onWords'),
  changed: () => t('comments.changed'),
  wordsGone: () => t('comments.wordsGone'),
  deleted: () => t('comments.deleted'),
  resolved: (who) => t('comments.resolvedBy', { who }),
  reply: () => t('comments.reply'),
  replyLabel: (n) => t('comments.replyLabel', { n }),
  resolve: () => t('comments.resolve'),
  reopen: () => t('comments.reopen'),
  newComment: () => t('comments.new'),
  onSelection: (quote) => t('comments.onSelection', { quote }),
  selectHint: () => t('comments.selectHint'),
  send: () => t('comments.send'),
  empty: () => t('comments.empty'),
  arrived: (who, clause) => t('comments.arrived', { who, clause }),
  observer: () => t('comments.observer'),
  closed: () => t('comments.closed'),
  failed: () => t('comments.failed'),
};

/** Writing comments: delegations and the chair, until the text is adopted (then they stay to read). */
const canEdit = () => canAct() && !isFinal();

const threads = new Map(); // n -> thread as the server sent it
const drafts = new Map(); // focus key -> unsent text (kept across redraws)
const panel = { el: null, clause: null, opener: null };
let selected = null; // the last words selected in a clause: {clause, rev, start, end (bytes), quote}
let highlightQueued = false;

// ---------------------------------------------------------------- events

/** `threads` (after each welcome): the open threads; the ones we knew are replaced. */
export function onThreads(msg) {
  threads.clear();
  for (const t of msg.threads ?? []) if (Number.isInteger(t?.n)) threads.set(t.n, t);
  refreshComments();
}

/** `thread`: one thread after a write or after an amendment moved its words. */
export function onThread(msg) {
  const t = msg.thread;
  if (!Number.isInteger(t?.n)) return;
  threads.set(t.n, t);
  refreshComments(t.anchor?.clause);
  if (msg.act === 'comment' && msg.id === undefined && msg.by && msg.by.state !== state.you?.state && t.anchor?.clause) {
    announce(TEXT.arrived(msg.by.name ?? nameOf(msg.by.state), clauseLabel(t.anchor.clause)));
  }
}

function threadsOf(clauseId) {
  return [...threads.values()].filter((t) => t.anchor?.clause === clauseId && t.anchor?.kind !== 'proposal');
}

/**
 * Redraws the counts, the underlines, and the open panel when it shows `clauseId` (every clause
 * when none is given), after a change of threads or of the text.
 */
export function refreshComments(clauseId = null) {
  for (const [id, parts] of clauseEls) drawButton(id, parts);
  queueHighlights();
  if (!panel.clause || (clauseId && clauseId !== panel.clause)) return;
  if (!state.clauses.has(panel.clause) && !threadsOf(panel.clause).length) { closePanel(); return; }
  keepFocus(panel.el, drawPanel, () => panel.el.querySelector('h2'));
  const active = document.activeElement;
  if (active?.tagName === 'TEXTAREA' && panel.el.contains(active)) active.setSelectionRange(active.value.length, active.value.length);
}

// ---------------------------------------------------------------- the count beside each clause

function drawButton(id, parts) {
  const open = threadsOf(id).filter((t) => t.status === 'open').length;
  if (!parts.commentButton) {
    parts.commentButton = h('button', { type: 'button', class: 'comment-count', dataset: { clauseId: id } });
    parts.commentButton.addEventListener('click', () => openPanel(id, parts.commentButton));
    parts.body.append(parts.commentButton);
  }
  const b = parts.commentButton;
  b.hidden = open === 0 && !canEdit();
  b.dataset.count = String(open);
  b.setAttribute('aria-label', TEXT.buttonLabel(open, clauseLabel(id)));
  b.setAttribute('aria-expanded', String(panel.clause === id));
  b.textContent = TEXT.button(open);
}

// ---------------------------------------------------------------- underlines

function queueHighlights() {
  if (highlightQueued) return;
  highlightQueued = true;
  requestAnimationFrame(() => {
    highlightQueued = false;
    drawHighlights();
  });
}

/** UTF-16 index of UTF-8 byte offset `bytes` of `text`. */
function utf16Index(text, bytes) {
  let b = 0;
  let i = 0;
  while (i < text.length && b < bytes) {
    const cp = text.codePointAt(i);
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** A DOM range over [start, end) (UTF-16) of the text nodes of `el`, whose text is `text`. */
function rangeIn(el, start, end) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let at = 0;
  let begun = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const len = node.data.length;
    if (!begun && start <= at + len) { range.setStart(node, start - at); begun = true; }
    if (begun && end <= at + len) { range.setEnd(node, end - at); return range; }
    at += len;
  }
  return null;
}

function drawHighlights() {
  if (typeof CSS === 'undefined' || !CSS.highlights || typeof Highlight === 'undefined') return;
  const ranges = [];
  for (const t of threads.values()) {
    if (t.status !== 'open' || t.anchor?.kind !== 'span' || !Number.isInteger(t.now?.start)) continue;
    const c = state.clauses.get(t.anchor.clause);
    const parts = clauseEls.get(t.anchor.clause);
    // Drawn with brackets, the DOM is not the raw text. After an amendment the server sends the
    // thread again right after the `amended` when its words moved; otherwise they are where they were.
    if (!c || !parts || parts.text.textContent !== c.text) continue;
    const r = rangeIn(parts.text, utf16Index(c.text, t.now.start), utf16Index(c.text, t.now.end));
    if (r) ranges.push(r);
  }
  CSS.highlights.set('plenary-comment', new Highlight(...ranges));
}

// ---------------------------------------------------------------- the panel

function openPanel(clauseId, opener) {
  if (!panel.el) {
    panel.el = h('aside', { class: 'comments-panel', id: 'comments-panel', 'aria-labelledby': 'comments-title', hidden: true });
    panel.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); closePanel(); }
    });
    document.body.append(panel.el);
  }
  panel.clause = clauseId;
  panel.opener = opener;
  drawPanel();
  panel.el.hidden = false;
  document.body.classList.add('has-comments-panel');
  for (const [id, parts] of clauseEls) drawButton(id, parts);
  panel.el.querySelector('h2')?.focus();
}

function closePanel() {
  if (!panel.el) return;
  panel.el.hidden = true;
  document.body.classList.remove('has-comments-panel');
  const opener = panel.opener;
  panel.clause = null;
  panel.opener = null;
  for (const [id, parts] of clauseEls) drawButton(id, parts);
  if (opener && document.contains(opener)) opener.focus();
}

function drawPanel() {
  const id = panel.clause;
  const list = threadsOf(id).sort((a, b) => (a.status === b.status ? a.n - b.n : a.status === 'open' ? -1 : 1));
  const close = h('button', { type: 'button', class: 'button button--small comments-close', 'aria-label': TEXT.closeLabel(), dataset: { focusKey: 'close' } }, TEXT.close());
  close.addEventListener('click', closePanel);
  replaceChildren(panel.el,
    h('div', { class: 'comments-head' },
      h('h2', { id: 'comments-title', tabindex: '-1' }, TEXT.title(clauseLabel(id))),
      close),
    list.length ? h('ol', { class: 'threads' }, ...list.map(drawThread)) : h('p', { class: 'comments-none' }, TEXT.none()),
    canEdit() && state.clauses.has(id) ? newCommentForm(id) : null,
    !canEdit() ? h('p', { class: 'comments-note' }, isFinal() ? TEXT.closed() : TEXT.observer()) : null);
}

function anchorNote(t) {
  switch (t.now?.state) {
    case 'changed': return TEXT.changed();
    case 'words_gone': return TEXT.wordsGone();
    case 'deleted': return TEXT.deleted();
    default: return null;
  }
}

function drawThread(t) {
  const note = anchorNote(t);
  const mine = t.comments?.[0]?.by?.state === state.you?.state;
  const li = h('li', { class: ['thread', `thread--${t.status}`], id: `thread-${t.n}`, dataset: { thread: String(t.n), state: t.now?.state ?? 'exact', focusScope: '' } },
    t.anchor?.kind === 'span' ? h('blockquote', { class: 'thread-quote' }, srOnly(`${TEXT.onWords()} `), `“${t.anchor.quote}”`) : null,
    note ? h('p', { class: 'thread-anchor-note' }, note) : null,
    h('ol', { class: 'thread-comments' }, ...(t.comments ?? []).map((c) => h('li', { class: 'thread-comment' },
      h('p', { class: 'thread-meta' }, stateChip(c.by?.state, c.by?.name), ' ', h('strong', null, c.by?.name ?? nameOf(c.by?.state)), ' · ', timeEl(c.at)),
      h('p', { class: 'thread-text' }, c.text)))),
    t.status === 'resolved' ? h('p', { class: 'thread-resolved' }, TEXT.resolved(t.resolved_by?.name ?? nameOf(t.resolved_by?.state))) : null);
  if (!canEdit()) return li;
  const actions = h('div', { class: 'thread-actions' });
  if (t.status === 'open') {
    const key = `reply-${t.n}`;
    const box = h('textarea', { class: 'thread-reply', rows: '2', 'aria-label': TEXT.replyLabel(t.n), dataset: { focusKey: key } });
    box.value = drafts.get(key) ?? '';
    box.addEventListener('input', () => drafts.set(key, box.value));
    const send = h('button', { type: 'button', class: 'button button--small', dataset: { focusKey: `${key}-send` } }, TEXT.reply());
    const submit = () => write({ type: 'reply', thread: t.n, text: box.value }, key, send);
    send.addEventListener('click', submit);
    box.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); } });
    actions.append(box, send);
  }
  if (mine || isChair()) {
    const resolve = t.status === 'open';
    const b = h('button', { type: 'button', class: 'button button--small button--quiet', dataset: { focusKey: `status-${t.n}` } }, resolve ? TEXT.resolve() : TEXT.reopen());
    b.addEventListener('click', () => write({ type: resolve ? 'resolve_thread' : 'reopen_thread', thread: t.n }, null, b));
    actions.append(b);
  }
  if (actions.childElementCount) li.append(actions);
  return li;
}

function newCommentForm(id) {
  const key = `new-${id}`;
  const sel = selected?.clause === id ? selected : null;
  const box = h('textarea', { id: 'comment-new', rows: '3', dataset: { focusKey: key } });
  box.value = drafts.get(key) ?? '';
  box.addEventListener('input', () => drafts.set(key, box.value));
  const onWords = sel ? h('input', { type: 'checkbox', id: 'comment-on-words', checked: true, dataset: { focusKey: `${key}-words` } }) : null;
  const send = h('button', { type: 'button', class: 'button button--small', dataset: { focusKey: `${key}-send` } }, TEXT.send());
  const submit = () => {
    const msg = { type: 'comment', clause: id, text: box.value };
    if (sel && onWords.checked) Object.assign(msg, { base: sel.rev, start: sel.start, end: sel.end });
    write(msg, key, send, () => { if (selected === sel) selected = null; });
  };
  send.addEventListener('click', submit);
  box.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); } });
  return h('div', { class: 'comment-new' },
    h('label', { for: 'comment-new' }, TEXT.newComment()),
    sel ? h('p', { class: 'comment-on-words' }, onWords, ' ', h('label', { for: 'comment-on-words' }, TEXT.onSelection(sel.quote))) : h('p', { class: 'comment-hint' }, TEXT.selectHint()),
    box, send);
}

async function write(msg, draftKey, button, done) {
  if ('text' in msg && !/\S/.test(msg.text)) { announce(TEXT.empty(), 'error'); return; }
  button.disabled = true;
  try {
    const reply = await state.socket.request(msg);
    if (draftKey) drafts.delete(draftKey);
    done?.();
    onThread(reply);
  } catch (err) {
    button.disabled = false;
    announce(err?.message || TEXT.failed(), 'error');
  }
}

// ---------------------------------------------------------------- start

/** Remembers the words last selected in a clause, for the next comment on it. */
function noteSelection() {
  const sel = document.getSelection();
  if (!sel || !sel.rangeCount || sel.isCollapsed) return;
  const range = sel.getRangeAt(0);
  const node = range.commonAncestorContainer;
  const textEl = (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest('.clause-text');
  const li = textEl?.closest('li.clause');
  const c = li && state.clauses.get(li.dataset.clauseId);
  if (!c) return;
  const span = selectionSpan(textEl, c.text, range);
  if (span.error || span.start === undefined) return;
  selected = { clause: c.id, rev: c.rev, start: byteOffset(c.text, span.start), end: byteOffset(c.text, span.end), quote: c.text.slice(span.start, span.end) };
  if (panel.clause === c.id) keepFocus(panel.el, drawPanel);
}

/** Starts following selections and redraws of clause texts (room.js calls it once). */
export function initComments() {
  document.addEventListener('selectionchange', noteSelection);
  onProcedureChange(() => refreshComments()); // adopted: the buttons to write go away
  // render.js and bracketed-text.js redraw clause texts (amendments, highlights that fade):
  // the underlines follow.
  new MutationObserver(queueHighlights).observe(els.app, { childList: true, subtree: true, characterData: true });
}
