// Comments beside the text (docs/extensions.md, "Comments"): a count beside each clause and on
// each proposal's card, the threads of one clause or proposal in a side panel (a bottom sheet on
// a phone), the commented words underlined (in clauses with brackets too), writing, replying,
// resolving and reopening. Live: the server sends every thread that changes (`thread`), the open
// ones after each welcome (`threads`), and again when an amendment moved a thread's words (act
// "anchor"), so nothing here computes where words went. Resolved threads are not in `threads`
// (and the welcome does not say whether there are any): once per welcome, after the page is
// drawn, they are read from GET …/comments. A clause or proposal whose threads are all resolved
// keeps a quieter button for everyone ("2 resolved threads"), so that observers can read them
// too; its panel opens on them. Elsewhere they stay hidden behind "2 resolved threads" until
// asked for.
//
// Keyboard: each comment button opens the panel and puts the focus in it; Escape closes it and
// gives the focus back to the button; Ctrl+Enter (or Cmd+Enter) sends a comment or a reply.
// Clicking underlined words opens the panel on their thread. The underline uses the CSS Custom
// Highlight API (no change to the clause's DOM, which render.js and bracketed-text.js own);
// where it is missing the count and the quote in the panel still say which words.
import { t } from '../i18n.js';
import { h, replaceChildren, announce, timeEl, keepFocus, srOnly } from '../dom.js';
import { api } from '../api.js';
import { byteOffset } from '../bracket-notation.js';
import { stateChip } from '../colors.js';
import { state, els, clauseEls, nameOf, canEdit as canAct, isChair, isFinal, clauseLabel } from './state.js';
import { selectionSpan, isBracketed } from './bracketed-text.js';
import { onProcedureChange } from './procedure.js';

/** Every string of this module, in one place: the catalog keys (web/i18n/<lang>.json, "comments.*"). */
const TEXT = {
  button: (n) => (n ? String(n) : '+'),
  buttonLabel: (count, clause) => t('comments.buttonLabel', { count, clause }),
  proposalButtonLabel: (count, n) => t('comments.proposalButtonLabel', { count, n }),
  resolvedButtonLabel: (count, clause) => t('comments.resolvedButtonLabel', { count, clause }),
  proposalResolvedButtonLabel: (count, n) => t('comments.proposalResolvedButtonLabel', { count, n }),
  title: (clause) => t('comments.title', { clause }),
  proposalTitle: (n) => t('comments.proposalTitle', { n }),
  close: () => t('comments.close'),
  closeLabel: () => t('comments.closeLabel'),
  none: () => t('comments.none'),
  proposalNone: () => t('comments.proposalNone'),
  noneOpen: () => t('comments.noneOpen'),
  resolvedCount: (count) => t('comments.resolvedCount', { count }),
  commentCount: (count) => t('comments.commentCount', { count }),
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
  arrivedProposal: (who, n) => t('comments.arrivedProposal', { who, n }),
  observer: () => t('comments.observer'),
  closed: () => t('comments.closed'),
  failed: () => t('comments.failed'),
};

/** Writing comments: delegations and the chair, until the text is adopted (then they stay to read). */
const canEdit = () => canAct() && !isFinal();

const threads = new Map(); // n -> thread as the server sent it
// Resolved threads known only by what they are on (`threads` after a welcome lists them so, not
// their comments): n -> {n, anchor}; counted until GET …/comments has brought them whole.
const resolvedStubs = new Map();
const drafts = new Map(); // focus key -> unsent text (kept across redraws)
// What the panel shows: `target` is {clause: id} or {proposal: n}; `showResolved` whether its
// resolved threads are drawn (for the next clause or proposal opened: shown when it has only
// resolved ones, else hidden); `resolvedPending` when it was opened before they were read (they
// are shown when they come if it then has only resolved ones).
const panel = { el: null, target: null, opener: null, showResolved: false, resolvedPending: false };
const drawn = new Map(); // n -> {clause, ranges}: the underlines last drawn, for clicks on them
let selected = null; // the last words selected in a clause: {clause, rev, start, end (bytes), quote}
let highlightQueued = false;
// The resolved threads whole (GET …/comments), read once per welcome when a panel first opens:
// `resolvedAsked` is null (not yet, or the answer failed: asked again when a panel opens) or the
// welcome generation it was asked for; `resolvedRead` the generation last answered.
let welcomes = 0;
let resolvedAsked = null;
let resolvedRead = null;

// ---------------------------------------------------------------- threads and what they are on

/** "c:<clause id>" or "p:<proposal n>": what a panel shows, what a thread is on. */
function keyOf(target) {
  if (!target) return null;
  return target.proposal !== undefined ? `p:${target.proposal}` : `c:${target.clause}`;
}

/** What a thread is on: its proposal (even when the proposal concerns a clause), else its clause. */
function targetOf(th) {
  return th.anchor?.kind === 'proposal' ? { proposal: th.anchor.proposal } : { clause: th.anchor?.clause };
}

function threadsFor(target) {
  const key = keyOf(target);
  return [...threads.values()].filter((th) => keyOf(targetOf(th)) === key);
}

const openCount = (target) => threadsFor(target).filter((th) => th.status === 'open').length;
const resolvedCount = (target) => threadsFor(target).filter((th) => th.status !== 'open').length
  + [...resolvedStubs.values()].filter((st) => !threads.has(st.n) && keyOf(targetOf(st)) === keyOf(target)).length;
const exists = (target) => (target.proposal !== undefined ? state.proposals.has(target.proposal) : state.clauses.has(target.clause));

// ---------------------------------------------------------------- events

/**
 * A welcome (room.js calls it before `threads` can come): the threads known before are forgotten
 * (the server sends `threads` next only when the draft has some). Resolved threads are read whole
 * once per welcome, when a panel first opens (at once when one is open across a reconnection):
 * a room of hundreds that reconnects must not read every discussion at once.
 */
export function welcomeComments() {
  threads.clear();
  resolvedStubs.clear();
  welcomes++;
  resolvedAsked = null;
  if (panel.target) loadResolved();
  refresh();
}

/** `threads` (right after a welcome): the open threads whole, the resolved ones as what they are on. */
export function onThreads(msg) {
  for (const th of msg.threads ?? []) if (Number.isInteger(th?.n)) threads.set(th.n, th);
  for (const st of msg.resolved ?? []) if (Number.isInteger(st?.n) && st.anchor) resolvedStubs.set(st.n, st);
  refresh();
}

/** `thread`: one thread after a write or after an amendment moved its words. */
export function onThread(msg) {
  const th = msg.thread;
  if (!Number.isInteger(th?.n)) return;
  threads.set(th.n, th);
  refresh(keyOf(targetOf(th)));
  if (msg.act === 'comment' && msg.id === undefined && msg.by && msg.by.state !== state.you?.state) {
    const who = msg.by.name ?? nameOf(msg.by.state);
    if (th.anchor?.kind === 'proposal') announce(TEXT.arrivedProposal(who, th.anchor.proposal));
    else if (th.anchor?.clause) announce(TEXT.arrived(who, clauseLabel(th.anchor.clause)));
  }
}

/** Reads every thread once per welcome, for the resolved ones (`threads` has only the open ones). */
function loadResolved() {
  if (resolvedAsked === welcomes || !state.slug || !state.code) return;
  const asked = welcomes;
  resolvedAsked = asked;
  api.comments(state.slug, null, state.code).then((body) => {
    if (asked !== welcomes) return;
    resolvedRead = asked;
    // A thread we know came live (or in `threads`) and is at least as new as this answer.
    for (const th of body?.threads ?? []) if (Number.isInteger(th?.n) && !threads.has(th.n)) threads.set(th.n, th);
    if (panel.target && panel.resolvedPending) {
      panel.resolvedPending = false;
      if (!panel.showResolved && openCount(panel.target) === 0 && resolvedCount(panel.target) > 0) panel.showResolved = true;
    }
    refresh();
  }, () => {
    if (asked === welcomes) resolvedAsked = null; // asked again when a panel opens next
  });
}

/**
 * Redraws the counts, the underlines, and the open panel when it shows `clauseId` (every clause
 * when none is given), after a change of threads or of the text.
 */
export function refreshComments(clauseId = null) {
  refresh(clauseId ? keyOf({ clause: clauseId }) : null);
}

/** The same for a panel key ("c:…", "p:…"; null: whatever is open). */
function refresh(key = null) {
  drawButtons();
  queueHighlights();
  if (!panel.target || (key && key !== keyOf(panel.target))) return;
  if (!exists(panel.target) && !threadsFor(panel.target).length) { closePanel(); return; }
  keepFocus(panel.el, drawPanel, () => panel.el.querySelector('.comments-resolved-toggle') ?? panel.el.querySelector('h2'));
  const active = document.activeElement;
  if (active?.tagName === 'TEXTAREA' && panel.el.contains(active)) active.setSelectionRange(active.value.length, active.value.length);
}

// ---------------------------------------------------------------- the counts

function drawButtons() {
  for (const [id, parts] of clauseEls) drawButton(id, parts);
  for (const b of els.proposals?.querySelectorAll('.comment-count[data-proposal]') ?? []) drawCount(b, { proposal: Number(b.dataset.proposal) });
}

function drawButton(id, parts) {
  if (!parts.commentButton) {
    parts.commentButton = h('button', { type: 'button', class: 'comment-count', dataset: { clauseId: id } });
    parts.commentButton.addEventListener('click', () => openPanel({ clause: id }, parts.commentButton));
    parts.body.append(parts.commentButton);
  }
  drawCount(parts.commentButton, { clause: id });
}

/**
 * The comment button of proposal `n`'s card (proposals.js redraws its cards on every procedural
 * change and asks for a new one each time; the count is kept up to date here).
 */
export function proposalCommentButton(n) {
  const b = h('button', { type: 'button', class: 'comment-count comment-count--proposal', dataset: { proposal: n, focusKey: `comments-${n}` } });
  b.addEventListener('click', () => openPanel({ proposal: n }, b));
  drawCount(b, { proposal: n });
  return b;
}

/**
 * A button's count: the open threads; with none open but resolved ones, their number in a
 * quieter style (`comment-count--resolved`), shown to everyone (observers read them); with no
 * thread at all, "+" for those who may write, hidden for the others.
 */
function drawCount(b, target) {
  const open = openCount(target);
  const resolved = open === 0 ? resolvedCount(target) : 0;
  const onProposal = target.proposal !== undefined;
  b.hidden = open === 0 && resolved === 0 && !canEdit();
  b.dataset.count = String(open);
  b.dataset.resolved = String(resolved);
  b.classList.toggle('comment-count--resolved', resolved > 0);
  b.setAttribute('aria-label', resolved
    ? (onProposal ? TEXT.proposalResolvedButtonLabel(resolved, target.proposal) : TEXT.resolvedButtonLabel(resolved, clauseLabel(target.clause)))
    : (onProposal ? TEXT.proposalButtonLabel(open, target.proposal) : TEXT.buttonLabel(open, clauseLabel(target.clause))));
  b.setAttribute('aria-expanded', String(keyOf(panel.target) === keyOf(target)));
  b.textContent = TEXT.button(open || resolved);
}

/** The button that opens `target`'s panel now (proposal cards are redrawn, their buttons replaced). */
function buttonFor(target) {
  if (target.proposal !== undefined) return els.proposals?.querySelector(`.comment-count[data-proposal="${target.proposal}"]`) ?? null;
  return clauseEls.get(target.clause)?.commentButton ?? null;
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

/** A DOM range over [start, end) (UTF-16) of the text nodes of `el`. */
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

/**
 * The DOM ranges that show [start, end) (UTF-16) of the raw `text` in a clause's text element, or
 * null when the element does not show that text (yet). A clean text is drawn as it is. With
 * brackets (bracketed-text.js) each piece shown as it is, a `.bk-raw` run, says where it starts in
 * the raw text: the span's part of every run it covers; a whole bracket inside the span is
 * underlined whole (its marks and proponents too).
 */
function rangesFor(textEl, text, start, end) {
  if (textEl.textContent === text) {
    const r = rangeIn(textEl, start, end);
    return r ? [r] : null;
  }
  if (!isBracketed(textEl)) return null;
  const ranges = [];
  const whole = [];
  for (const bk of textEl.querySelectorAll('.bk')) {
    if (start <= Number(bk.dataset.start) && Number(bk.dataset.end) <= end) {
      const r = document.createRange();
      r.selectNodeContents(bk);
      ranges.push(r);
      whole.push(bk);
    }
  }
  for (const run of textEl.querySelectorAll('.bk-raw')) {
    const at = Number(run.dataset.rawStart);
    const shown = run.textContent;
    if (text.slice(at, at + shown.length) !== shown) return null; // drawn from another text
    if (whole.some((bk) => bk.contains(run))) continue;
    const a = Math.max(start, at);
    const b = Math.min(end, at + shown.length);
    if (a >= b) continue;
    const r = rangeIn(run, a - at, b - at);
    if (r) ranges.push(r);
  }
  return ranges.length ? ranges : null;
}

function drawHighlights() {
  drawn.clear();
  if (typeof CSS === 'undefined' || !CSS.highlights || typeof Highlight === 'undefined') return;
  const all = [];
  for (const th of threads.values()) {
    if (th.status !== 'open' || th.anchor?.kind !== 'span' || !Number.isInteger(th.now?.start)) continue;
    const c = state.clauses.get(th.anchor.clause);
    const parts = clauseEls.get(th.anchor.clause);
    // After an amendment the server sends the thread again right after the `amended` when its
    // words moved; otherwise they are where they were. A text drawn from another rev is skipped.
    if (!c || !parts) continue;
    const ranges = rangesFor(parts.text, c.text, utf16Index(c.text, th.now.start), utf16Index(c.text, th.now.end));
    if (!ranges) continue;
    drawn.set(th.n, { clause: c.id, ranges });
    all.push(...ranges);
  }
  CSS.highlights.set('plenary-comment', new Highlight(...all));
}

/** The DOM point under the pointer (Chromium, Firefox: caretPositionFromPoint; older: caretRangeFromPoint). */
function pointAt(x, y) {
  if (document.caretPositionFromPoint) {
    const p = document.caretPositionFromPoint(x, y);
    return p && { node: p.offsetNode, offset: p.offset };
  }
  const r = document.caretRangeFromPoint?.(x, y);
  return r && { node: r.startContainer, offset: r.startOffset };
}

/**
 * A click on underlined words opens the panel on their thread. Not when words were selected (a
 * new comment, a bracket), nor on an alternative of a bracket that the reader can act on
 * (dispute.js: keeping or offering wording); there the clause's comment button leads to it.
 */
function onTextClick(e) {
  if (e.button !== 0 || !drawn.size) return;
  const sel = document.getSelection();
  if (sel && !sel.isCollapsed) return;
  const textEl = e.target instanceof Element ? e.target.closest('.clause-text') : null;
  if (!textEl || e.target.closest('.bk-alt[role="button"]')) return;
  const id = textEl.closest('li.clause')?.dataset.clauseId;
  const at = pointAt(e.clientX, e.clientY);
  if (!id || !at) return;
  for (const [n, d] of drawn) {
    if (d.clause !== id || !d.ranges.some((r) => r.isPointInRange(at.node, at.offset))) continue;
    openPanel({ clause: id }, clauseEls.get(id)?.commentButton ?? null, n);
    return;
  }
}

// ---------------------------------------------------------------- the panel

/** Opens the panel on `target` ({clause} or {proposal}); the focus goes to thread `n` if given, else the title. */
function openPanel(target, opener, n = null) {
  if (!panel.el) {
    panel.el = h('aside', { class: 'comments-panel', id: 'comments-panel', 'aria-labelledby': 'comments-title', hidden: true });
    panel.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); closePanel(); }
    });
    document.body.append(panel.el);
  }
  if (keyOf(target) !== keyOf(panel.target)) {
    // Only resolved threads: they are what there is to read. Not read yet: decided when they come.
    panel.showResolved = openCount(target) === 0 && resolvedCount(target) > 0;
    panel.resolvedPending = resolvedRead !== welcomes;
  }
  panel.target = target;
  panel.opener = opener;
  loadResolved();
  drawPanel();
  panel.el.hidden = false;
  document.body.classList.add('has-comments-panel');
  drawButtons();
  // A phone: the sheet covers the lower part of the screen; what it is about goes above it.
  if (window.matchMedia('(max-width: 640px)').matches) opener?.closest('.proposal, li.clause')?.scrollIntoView({ block: 'start' });
  const item = n !== null ? panel.el.querySelector(`#thread-${n}`) : null;
  item?.classList.add('is-target'); // until the next redraw: the thread of the words clicked
  (item ?? panel.el.querySelector('h2'))?.focus({ preventScroll: true });
  item?.scrollIntoView({ block: 'nearest' });
}

function closePanel() {
  if (!panel.el) return;
  panel.el.hidden = true;
  document.body.classList.remove('has-comments-panel');
  const { target, opener } = panel;
  panel.target = null;
  panel.opener = null;
  drawButtons();
  // A proposal's card may have been redrawn meanwhile: its new button.
  const back = opener && document.contains(opener) ? opener : target && buttonFor(target);
  back?.focus();
}

function drawPanel() {
  const target = panel.target;
  const onProposal = target.proposal !== undefined;
  const all = threadsFor(target).sort((a, b) => a.n - b.n);
  const open = all.filter((th) => th.status === 'open');
  const resolved = all.filter((th) => th.status !== 'open');
  const resolvedTotal = resolvedCount(target); // with those not read yet
  const close = h('button', { type: 'button', class: 'button button--small comments-close', 'aria-label': TEXT.closeLabel(), dataset: { focusKey: 'close' } }, TEXT.close());
  close.addEventListener('click', closePanel);
  let toggle = null;
  if (resolvedTotal) {
    toggle = h('button', {
      type: 'button', class: 'comments-resolved-toggle', 'aria-expanded': String(panel.showResolved),
      'aria-controls': panel.showResolved ? 'threads-resolved' : null, dataset: { focusKey: 'resolved-toggle' },
    }, TEXT.resolvedCount(resolvedTotal));
    toggle.addEventListener('click', () => {
      panel.showResolved = !panel.showResolved;
      keepFocus(panel.el, drawPanel);
    });
  }
  replaceChildren(panel.el,
    h('div', { class: 'comments-head' },
      h('h2', { id: 'comments-title', tabindex: '-1', dataset: { focusKey: 'title' } }, onProposal ? TEXT.proposalTitle(target.proposal) : TEXT.title(clauseLabel(target.clause))),
      close),
    open.length ? h('ol', { class: 'threads' }, ...open.map(drawThread))
      : h('p', { class: 'comments-none' }, resolvedTotal ? TEXT.noneOpen() : onProposal ? TEXT.proposalNone() : TEXT.none()),
    toggle,
    toggle && panel.showResolved ? h('ol', { class: 'threads threads--resolved', id: 'threads-resolved' }, ...resolved.map(drawThread)) : null,
    canEdit() && exists(target) ? newCommentForm(target) : null,
    !canEdit() ? h('p', { class: 'comments-note' }, isFinal() ? TEXT.closed() : TEXT.observer()) : null);
}

function anchorNote(th) {
  switch (th.now?.state) {
    case 'changed': return TEXT.changed();
    case 'words_gone': return TEXT.wordsGone();
    case 'deleted': return TEXT.deleted();
    default: return null;
  }
}

/** One thread; a resolved one greyed, its comments folded under "3 comments". */
function drawThread(th) {
  const note = anchorNote(th);
  const mine = th.comments?.[0]?.by?.state === state.you?.state;
  const resolved = th.status !== 'open';
  const comments = h('ol', { class: 'thread-comments' }, ...(th.comments ?? []).map((c) => h('li', { class: 'thread-comment' },
    h('p', { class: 'thread-meta' }, stateChip(c.by?.state, c.by?.name), ' ', h('strong', null, c.by?.name ?? nameOf(c.by?.state)), ' · ', timeEl(c.at)),
    h('p', { class: 'thread-text', dir: 'auto' }, c.text))));
  const li = h('li', { class: ['thread', `thread--${th.status}`], id: `thread-${th.n}`, tabindex: '-1', dataset: { thread: String(th.n), state: th.now?.state ?? 'exact', focusScope: '' } },
    th.anchor?.kind === 'span' ? h('blockquote', { class: 'thread-quote', dir: 'auto' }, srOnly(`${TEXT.onWords()} `), `“${th.anchor.quote}”`) : null,
    note ? h('p', { class: 'thread-anchor-note' }, note) : null,
    resolved ? h('p', { class: 'thread-resolved' }, TEXT.resolved(th.resolved_by?.name ?? nameOf(th.resolved_by?.state))) : null,
    resolved ? h('details', { class: 'thread-folded', dataset: { focusKey: `folded-${th.n}` } }, h('summary', null, TEXT.commentCount(th.comments?.length ?? 0)), comments) : comments);
  if (!canEdit()) return li;
  const actions = h('div', { class: 'thread-actions' });
  if (!resolved) {
    const key = `reply-${th.n}`;
    const box = h('textarea', { class: 'thread-reply', rows: '2', 'aria-label': TEXT.replyLabel(th.n), dataset: { focusKey: key } });
    box.value = drafts.get(key) ?? '';
    box.addEventListener('input', () => drafts.set(key, box.value));
    const send = h('button', { type: 'button', class: 'button button--small', dataset: { focusKey: `${key}-send` } }, TEXT.reply());
    const submit = () => write({ type: 'reply', thread: th.n, text: box.value }, key, send);
    send.addEventListener('click', submit);
    box.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); } });
    actions.append(box, send);
  }
  if (mine || isChair()) {
    const b = h('button', { type: 'button', class: 'button button--small button--quiet', dataset: { focusKey: `status-${th.n}` } }, resolved ? TEXT.reopen() : TEXT.resolve());
    b.addEventListener('click', () => write({ type: resolved ? 'reopen_thread' : 'resolve_thread', thread: th.n }, null, b));
    actions.append(b);
  }
  if (actions.childElementCount) li.append(actions);
  return li;
}

/** The new comment: on the selected words of the clause, on the whole clause, or on the proposal. */
function newCommentForm(target) {
  const onProposal = target.proposal !== undefined;
  const key = `new-${keyOf(target)}`;
  const sel = !onProposal && selected?.clause === target.clause ? selected : null;
  const box = h('textarea', { id: 'comment-new', rows: '3', dataset: { focusKey: key } });
  box.value = drafts.get(key) ?? '';
  box.addEventListener('input', () => drafts.set(key, box.value));
  const onWords = sel ? h('input', { type: 'checkbox', id: 'comment-on-words', checked: true, dataset: { focusKey: `${key}-words` } }) : null;
  const send = h('button', { type: 'button', class: 'button button--small', dataset: { focusKey: `${key}-send` } }, TEXT.send());
  const submit = () => {
    const msg = onProposal ? { type: 'comment', proposal: target.proposal, text: box.value } : { type: 'comment', clause: target.clause, text: box.value };
    if (sel && onWords.checked) Object.assign(msg, { base: sel.rev, start: sel.start, end: sel.end });
    write(msg, key, send, () => { if (sel && selected === sel) selected = null; });
  };
  send.addEventListener('click', submit);
  box.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); } });
  return h('div', { class: 'comment-new' },
    h('label', { for: 'comment-new' }, TEXT.newComment()),
    onProposal ? null
      : sel ? h('p', { class: 'comment-on-words' }, onWords, ' ', h('label', { for: 'comment-on-words' }, TEXT.onSelection(sel.quote)))
        : h('p', { class: 'comment-hint' }, TEXT.selectHint()),
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
  const span = selectionSpan(textEl, c.text, range, { withinWording: true }); // a comment may be on words of one alternative
  if (span.error || span.start === undefined) return;
  selected = { clause: c.id, rev: c.rev, start: byteOffset(c.text, span.start), end: byteOffset(c.text, span.end), quote: c.text.slice(span.start, span.end) };
  if (panel.target?.clause === c.id) keepFocus(panel.el, drawPanel);
}

/** Starts following selections, clicks on underlined words and redraws of clause texts (room.js calls it once). */
export function initComments() {
  document.addEventListener('selectionchange', noteSelection);
  els.app.addEventListener('click', onTextClick);
  onProcedureChange(() => refresh()); // adopted: the buttons to write go away; a proposal gone
  // render.js and bracketed-text.js redraw clause texts (amendments, highlights that fade):
  // the underlines follow.
  new MutationObserver(queueHighlights).observe(els.app, { childList: true, subtree: true, characterData: true });
}
