// The drafting room: the draft's clauses in document order, who is present, live amendments,
// editing in place with conflict handling, insert / delete / move, reconnection with catch-up.
import { h, replaceChildren, srOnly, announce, timeEl } from './dom.js';
import { parseLocation, paths, takeCodeFromFragment, storedCode, forgetCode, showJoinForm, api } from './api.js';
import { stateChip } from './colors.js';
import { wordDiff, tokenize } from './diff.js';
import { DraftSocket } from './socket.js';
import { notFoundPage } from './page.js';

const TEXT_MAX_BYTES = 16384;
const NOTE_MAX_BYTES = 2048;
const HIGHLIGHT_MS = 8000;
const NOTICE_MS = 30000;
const KIND_LABELS = { operative: 'Operative clause', preamble: 'Preambular paragraph', heading: 'Heading' };
const utf8 = new TextEncoder();

const loc = parseLocation();
const app = document.getElementById('app');

const state = {
  slug: loc?.slug,
  code: null,
  socket: null,
  you: null,
  title: '',
  head: null,
  clauses: new Map(), // id -> clause
  order: [],
  present: [],
  names: new Map([['CHAIR', 'Chair']]), // state code -> name
  commits: new Map(), // commit -> {by, at}
  editors: new Map(), // key -> editor
  liveFocus: undefined, // what we last told the server
  resyncing: false,
  queued: [],
  built: false,
  mergedNotices: new Map(), // our merged commits -> the notice shown for them
};

const els = {}; // long-lived page elements
const clauseEls = new Map(); // id -> {li, number, text, change, tools, confirm, editorSlot, insertSlot, focusChips}

// ---------------------------------------------------------------- start

if (!loc || loc.page !== 'room') {
  notFoundPage(app);
} else {
  const code = takeCodeFromFragment(loc.slug) ?? storedCode(loc.slug);
  if (code) start(code);
  else askForCode(null);
}

function askForCode(message) {
  app.classList.remove('room-layout');
  document.title = `Join ${loc.slug} — plenary`;
  const box = h('section', { class: 'join-panel' });
  replaceChildren(app, box);
  showJoinForm(box, { slug: loc.slug, message, onCode: start });
}

function start(code) {
  state.code = code;
  replaceChildren(app, h('p', { class: 'loading', role: 'status' }, 'Connecting to the draft…'));
  state.socket = new DraftSocket(loc.slug, code, {
    onWelcome,
    onEvent,
    onJoinError(msg) {
      state.socket = null;
      state.built = false;
      if (msg.code === 'unauthorized' || msg.code === 'forbidden') {
        forgetCode(loc.slug);
        askForCode('That join code was not accepted for this draft. Check the code (or paste the whole join link) and try again.');
      } else if (msg.code === 'not_found') {
        forgetCode(loc.slug);
        app.classList.remove('room-layout');
        notFoundPage(app, `There is no draft named “${loc.slug}” on this server.`);
      } else {
        announce(msg.message || 'The server refused to let you join.', 'error');
      }
    },
    onStatus(status) {
      document.body.dataset.connection = status;
    },
    onQuietError(msg) {
      // A focus the server did not take (e.g. a clause deleted a moment ago): nothing to show.
      if (msg.code !== 'not_found' && msg.code !== 'bad_request') announce(msg.message || `Error: ${msg.code}`, 'error');
      state.liveFocus = undefined;
    },
  });
  state.socket.start();
}

// ---------------------------------------------------------------- names, labels

function nameOf(code) {
  return state.names.get(code) ?? code ?? 'someone';
}

function learnName(by) {
  if (by && by.state && by.name) state.names.set(by.state, by.name);
}

function canEdit() {
  return state.you && state.you.role !== 'observer';
}

/** "operative clause 3", "preambular paragraph 2", "heading" — for screen readers and notices. */
function clauseLabel(id) {
  const c = state.clauses.get(id);
  if (!c) return 'deleted clause';
  if (c.kind === 'operative') return `operative clause ${c.number ?? '?'}`;
  if (c.kind === 'preamble') {
    const n = state.order.filter((x) => state.clauses.get(x)?.kind === 'preamble').indexOf(id) + 1;
    return `preambular paragraph ${n}`;
  }
  return 'heading';
}

/** Operative clauses are numbered 1, 2, 3… in document order (as the server derives them). */
function renumber() {
  let n = 0;
  for (const id of state.order) {
    const c = state.clauses.get(id);
    if (!c) continue;
    c.number = c.kind === 'operative' ? ++n : null;
  }
}

// ---------------------------------------------------------------- welcome / rebuild

function onWelcome(msg) {
  state.you = msg.you ?? { role: 'observer' };
  learnName(state.you);
  state.names.set(state.you.state, state.you.name);
  const hadState = state.built;
  rebuild(msg.draft, hadState);
  setPresence(msg.present ?? []);
  if (hadState) announce('Reconnected — the draft is up to date.');
  // Re-announce our focus after a reconnection.
  const f = state.liveFocus;
  state.liveFocus = undefined;
  sendFocus(f ?? null);
}

/** Builds (or rebuilds, keeping open editors) the room from a draft snapshot. */
function rebuild(draft, catchUp) {
  const oldClauses = state.clauses;
  state.title = draft.title ?? state.slug;
  state.head = draft.head ?? null;
  state.clauses = new Map();
  for (const c of draft.clauses ?? []) {
    state.clauses.set(c.id, { ...c });
  }
  state.order = (draft.clauses ?? []).map((c) => c.id);
  // The server numbers operative clauses; derive the numbers only if it did not send them.
  if ([...state.clauses.values()].some((c) => c.kind === 'operative' && !Number.isInteger(c.number))) renumber();
  if (!state.built) buildPage();
  els.title.textContent = state.title;
  document.title = `${state.title} — plenary`;
  renderYou();

  // Clauses that disappeared: drop them unless an editor still holds the person's text.
  for (const [id, parts] of clauseEls) {
    if (state.clauses.has(id)) continue;
    const editor = state.editors.get(`edit:${id}`);
    if (editor) orphanEditor(editor, null);
    else { parts.li.remove(); clauseEls.delete(id); }
  }
  for (const id of state.order) {
    const c = state.clauses.get(id);
    const old = oldClauses.get(id);
    if (!clauseEls.has(id)) {
      createClauseEl(c);
      renderText(id, catchUp && !old ? wordDiff('', c.text) : null);
      if (catchUp && !old) showChange(id, 'Added while you were offline');
    } else if (old && old.text !== c.text) {
      renderText(id, catchUp ? wordDiff(old.text, c.text) : null);
      if (catchUp) showChange(id, 'Changed while you were offline');
      const editor = state.editors.get(`edit:${id}`);
      if (editor && editor.base !== c.rev) noteIntervening(editor, { state: c.by, name: nameOf(c.by) }, c);
    } else {
      renderText(id, null);
    }
  }
  placeClauses();
  // Insert editors whose anchor vanished move to the top.
  for (const editor of state.editors.values()) {
    if (editor.kind === 'insert' && editor.after && !state.clauses.has(editor.after)) {
      editor.after = null;
      els.topInsertSlot.append(editor.el);
      setEditorInfo(editor, 'The clause you were inserting after was deleted; your new clause will go at the top.');
    }
  }
  refreshAllControls();
  state.built = true;
  // Scroll to a clause named in the fragment (links from the history page).
  if (!catchUp && /^#clause-/.test(location.hash)) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) { target.scrollIntoView({ block: 'center' }); target.classList.add('is-target'); }
  }
}

function buildPage() {
  els.title = h('h1', { class: 'doc-title', id: 'doc-title' });
  els.you = h('p', { class: 'you' });
  els.presence = h('ul', { class: 'chips presence-list', 'aria-label': 'Delegations present' });
  els.list = h('ol', { class: 'clauses', 'aria-labelledby': 'doc-title' });
  els.topInsertSlot = h('div', { class: 'insert-slot insert-slot--top' });
  els.topTools = h('div', { class: 'doc-tools' });
  app.classList.add('room-layout');
  replaceChildren(app,
    h('header', { class: 'doc-header' },
      h('p', { class: 'doc-kicker' }, h('span', null, 'Working draft'), ' · ', h('span', { class: 'slug' }, state.slug)),
      els.title,
      els.you,
      h('nav', { class: 'doc-nav', 'aria-label': 'Draft' },
        h('a', { href: paths.log(state.slug), class: 'link-button' }, 'Amendment log')),
    ),
    h('section', { class: 'presence', 'aria-label': 'Who is here' },
      h('h2', { class: 'presence-title' }, 'Present'),
      els.presence),
    h('section', { class: 'document', 'aria-label': 'Draft text' },
      els.topTools,
      els.topInsertSlot,
      els.list),
  );
  if (canEdit()) {
    els.topTools.append(h('button', {
      type: 'button', class: 'button button--quiet', onclick: () => openInsertEditor(null),
    }, 'Insert a clause at the top'));
  }
  // Selecting words of a clause (to discuss or quote them) tells the others where we are,
  // as editing does; clearing the selection says we stopped.
  let selectTimer = null;
  document.addEventListener('selectionchange', () => {
    clearTimeout(selectTimer);
    selectTimer = setTimeout(() => {
      if (state.editors.size > 0) return;
      const sel = document.getSelection();
      const node = sel && !sel.isCollapsed ? sel.anchorNode : null;
      const li = node ? (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest('li.clause') : null;
      if (li && els.list.contains(li)) sendFocus(li.dataset.clauseId);
      else if (state.liveFocus) sendFocus(null);
    }, 300);
  });
}

function renderYou() {
  const you = state.you;
  const roleText = you.role === 'chair' ? 'the Chair' : you.role === 'observer' ? 'an observer (read only)' : 'a delegation';
  replaceChildren(els.you,
    'You are ', stateChip(you.state, you.name), ' ', h('strong', null, you.name ?? you.state), ', ', roleText, '.');
  document.body.classList.toggle('is-observer', !canEdit());
}

// ---------------------------------------------------------------- clause elements

function createClauseEl(c) {
  const id = c.id;
  const parts = {};
  parts.number = h('span', { class: 'clause-number', 'aria-hidden': 'false' });
  parts.text = c.kind === 'heading'
    ? h('h2', { class: 'clause-text clause-text--heading' })
    : h('p', { class: 'clause-text' });
  parts.focusChips = h('span', { class: 'chips focus-chips', hidden: true });
  parts.change = h('p', { class: 'clause-change', hidden: true, role: 'status' });
  parts.tools = h('div', { class: 'clause-tools', role: 'group' });
  parts.confirm = h('div', { class: 'clause-confirm', hidden: true });
  parts.editorSlot = h('div', { class: 'editor-slot' });
  parts.insertSlot = h('div', { class: 'insert-slot' });
  parts.body = h('div', { class: 'clause-body' }, parts.number, parts.text);
  parts.li = h('li', { class: ['clause', `clause--${c.kind}`], id: `clause-${id}`, dataset: { clauseId: id, kind: c.kind } },
    parts.body, parts.focusChips, parts.change, parts.tools, parts.confirm, parts.editorSlot, parts.insertSlot);
  clauseEls.set(id, parts);
  buildTools(id);
  return parts;
}

function setClauseKind(id) {
  const c = state.clauses.get(id);
  const parts = clauseEls.get(id);
  if (!c || !parts || parts.li.dataset.kind === c.kind) return;
  const text = c.kind === 'heading' ? h('h2', { class: 'clause-text clause-text--heading' }) : h('p', { class: 'clause-text' });
  parts.text.replaceWith(text);
  parts.text = text;
  parts.li.classList.remove(`clause--${parts.li.dataset.kind}`);
  parts.li.classList.add(`clause--${c.kind}`);
  parts.li.dataset.kind = c.kind;
}

/** Renders a clause's text; with a diff, the inserted words are marked for a short while. */
function renderText(id, diff) {
  const c = state.clauses.get(id);
  const parts = clauseEls.get(id);
  if (!c || !parts) return;
  setClauseKind(id);
  const runs = diff ? diff.filter((d) => d.op !== '-') : [{ op: '=', text: c.text }];
  const toks = [];
  for (const run of runs) for (const t of tokenize(run.text)) toks.push({ t, ins: run.op === '+' });
  const opening = c.kind === 'preamble' ? toks.findIndex((x) => /\S/.test(x.t)) : -1;
  const nodes = [];
  let buf = '';
  let bufIns = false;
  const flush = () => {
    if (!buf) return;
    nodes.push(bufIns ? h('mark', { class: 'live-change' }, buf) : document.createTextNode(buf));
    buf = '';
  };
  toks.forEach((x, i) => {
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
  replaceChildren(parts.text, nodes);
  const hasMarks = diff && toks.some((x) => x.ins);
  parts.li.classList.toggle('is-changed', Boolean(hasMarks));
  clearTimeout(parts.highlightTimer);
  if (hasMarks) {
    const shown = c.text;
    parts.highlightTimer = setTimeout(() => {
      if (state.clauses.get(id)?.text === shown) renderText(id, null);
    }, HIGHLIGHT_MS);
  }
}

/** A short notice under a clause: "Edited by Russian Federation". */
function showChange(id, text, by = null, at = null, merged = false) {
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

function buildTools(id) {
  const parts = clauseEls.get(id);
  const ref = () => srOnly(` ${clauseLabel(id)}`);
  const tools = [
    h('a', { href: paths.clause(state.slug, id), class: 'tool tool--history' }, 'History', ref()),
  ];
  if (canEdit()) {
    tools.push(
      h('button', { type: 'button', class: 'tool', dataset: { action: 'edit' }, onclick: () => openEditEditor(id) }, 'Edit', ref()),
      h('button', { type: 'button', class: 'tool', dataset: { action: 'insert' }, onclick: () => openInsertEditor(id) }, 'Insert after', ref()),
      h('button', { type: 'button', class: 'tool', dataset: { action: 'up' }, onclick: () => moveClause(id, -1) }, h('span', { 'aria-hidden': 'true' }, '↑ '), 'Move up', ref()),
      h('button', { type: 'button', class: 'tool', dataset: { action: 'down' }, onclick: () => moveClause(id, +1) }, h('span', { 'aria-hidden': 'true' }, '↓ '), 'Move down', ref()),
      h('button', { type: 'button', class: 'tool tool--danger', dataset: { action: 'delete' }, onclick: () => openDeleteConfirm(id) }, 'Delete', ref()),
    );
  }
  replaceChildren(parts.tools, tools);
  parts.tools.setAttribute('aria-label', `Actions for ${clauseLabel(id)}`);
}

/** Numbers, labels and the enabled state of move buttons, after any change of order. */
function refreshAllControls() {
  state.order.forEach((id, index) => {
    const c = state.clauses.get(id);
    const parts = clauseEls.get(id);
    if (!c || !parts) return;
    parts.number.textContent = c.kind === 'operative' ? `${c.number}.` : '';
    parts.number.hidden = c.kind !== 'operative';
    for (const span of parts.tools.querySelectorAll('.visually-hidden')) span.textContent = ` ${clauseLabel(id)}`;
    parts.tools.setAttribute('aria-label', `Actions for ${clauseLabel(id)}`);
    const up = parts.tools.querySelector('[data-action="up"]');
    const down = parts.tools.querySelector('[data-action="down"]');
    if (up) up.disabled = index === 0;
    if (down) down.disabled = index === state.order.length - 1;
  });
}

/** Puts the clause elements in document order, moving only what is out of place and keeping focus. */
function placeClauses() {
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

// ---------------------------------------------------------------- presence & focus

function setPresence(present) {
  state.present = Array.isArray(present) ? present : [];
  for (const p of state.present) learnName(p);
  // One chip per delegation in the header.
  const byState = new Map();
  for (const p of state.present) {
    const entry = byState.get(p.state) ?? { state: p.state, name: p.name, role: p.role, count: 0 };
    entry.count += 1;
    byState.set(p.state, entry);
  }
  const items = [...byState.values()].sort((a, b) => (a.role === 'chair' ? -1 : b.role === 'chair' ? 1 : String(a.name).localeCompare(String(b.name))));
  replaceChildren(els.presence, items.map((p) => h('li', { class: 'presence-item', dataset: { state: p.state } },
    stateChip(p.state, p.name), ' ', h('span', { class: 'presence-name' }, p.name ?? p.state),
    p.count > 1 ? h('span', { class: 'presence-count' }, ` ×${p.count}`) : null)));
  if (items.length === 0) els.presence.append(h('li', { class: 'muted' }, 'Nobody else yet.'));
  // Who is working on which clause.
  const focused = new Map();
  for (const p of state.present) {
    if (!p.clause) continue;
    const list = focused.get(p.clause) ?? new Map();
    list.set(p.state, p.name);
    focused.set(p.clause, list);
  }
  for (const [id, parts] of clauseEls) {
    const who = focused.get(id);
    if (!who) { parts.focusChips.hidden = true; parts.focusChips.replaceChildren(); continue; }
    replaceChildren(parts.focusChips,
      h('span', { class: 'visually-hidden' }, 'Working on this clause: '),
      [...who].map(([code, name]) => stateChip(code, name, { class: 'chip--small', title: `${name ?? code} is working on this clause` })));
    parts.focusChips.hidden = false;
  }
}

function sendFocus(clauseId) {
  const value = clauseId ?? null;
  if (state.liveFocus === value) return;
  if (state.socket && state.socket.send({ type: 'focus', clause: value })) state.liveFocus = value;
}

function updateFocusFromEditors() {
  const open = [...state.editors.values()];
  if (open.length === 0) { sendFocus(null); return; }
  const last = open[open.length - 1];
  sendFocus(last.kind === 'edit' ? last.clauseId : last.after ?? state.order[0] ?? null);
}

// ---------------------------------------------------------------- events

function onEvent(msg) {
  if (!state.built) {
    // Nothing is on screen yet: the welcome carries the draft and who is present.
    if (msg.type === 'error') announce(msg.message || `Error: ${msg.code}`, 'error');
    return undefined;
  }
  switch (msg.type) {
    case 'amended': return onAmended(msg);
    case 'staged':
    case 'sponsored':
      // Procedure commits continue the chain of `main` (procedure.md): keep our head in step.
      if (msg.commit && (!state.head || !msg.parent || msg.parent === state.head)) state.head = msg.commit;
      return undefined;
    case 'presence': return setPresence(msg.present);
    case 'error': return announce(msg.message || `Error: ${msg.code}`, 'error');
    default: return undefined; // types added later by the server are ignored
  }
}

function onAmended(ev) {
  if (state.resyncing) { state.queued.push(ev); return; }
  if (state.head && ev.parent && ev.parent !== state.head) {
    // We missed something: fetch the whole draft, then continue from its head.
    resync(ev);
    return;
  }
  applyAmended(ev);
}

async function resync(triggering) {
  state.resyncing = true;
  state.queued = [triggering];
  try {
    const draft = await api.draft(state.slug, state.code);
    state.resyncing = false;
    rebuild(draft, true);
    const queued = state.queued;
    state.queued = [];
    for (const ev of queued) if (ev.parent === state.head) applyAmended(ev);
  } catch (err) {
    state.resyncing = false;
    state.queued = [];
    announce('The draft could not be refreshed; reconnecting.', 'error');
    state.socket?.reconnectNow();
  }
}

function applyAmended(ev) {
  state.head = ev.commit ?? state.head;
  learnName(ev.by);
  if (ev.commit) state.commits.set(ev.commit, { by: ev.by, at: ev.at });
  const id = ev.clause?.id;
  const who = ev.by?.name ?? ev.by?.state ?? 'someone';
  const old = id ? state.clauses.get(id) : null;

  if (ev.op === 'delete') {
    state.clauses.delete(id);
    const editor = state.editors.get(`edit:${id}`);
    if (editor) orphanEditor(editor, ev);
    else removeClauseEl(id);
    announce(`${capitalize(old ? labelFor(old, id) : 'A clause')} was deleted by ${who}.`);
  } else if (id) {
    const clause = { ...(old ?? {}), ...ev.clause };
    state.clauses.set(id, clause);
    if (!clauseEls.has(id)) createClauseEl(clause);
  }
  if (Array.isArray(ev.order)) state.order = ev.order.filter((x) => state.clauses.has(x));
  renumber();
  placeClauses();
  refreshAllControls();

  if (ev.op === 'replace' && id) {
    const c = state.clauses.get(id);
    renderText(id, old ? wordDiff(old.text, c.text) : null);
    const mergedText = state.mergedNotices.get(ev.commit);
    if (mergedText) showChange(id, mergedText, null, ev.at, true);
    else showChange(id, `Edited by ${who}`, ev.by, ev.at);
    const editor = state.editors.get(`edit:${id}`);
    if (editor && !editor.ownCommits.has(ev.commit)) noteIntervening(editor, ev.by, c);
  } else if (ev.op === 'insert' && id) {
    renderText(id, wordDiff('', state.clauses.get(id).text));
    showChange(id, `Inserted by ${who}`, ev.by, ev.at);
  } else if (ev.op === 'move' && id) {
    renderText(id, null);
    showChange(id, `Moved by ${who}`, ev.by, ev.at);
  } else if (id && ev.op !== 'delete') {
    renderText(id, old && old.text !== state.clauses.get(id).text ? wordDiff(old.text, state.clauses.get(id).text) : null);
  }
  setPresence(state.present);
}

function labelFor(c, id) {
  if (c.kind === 'operative') return `operative clause ${c.number ?? ''}`.trim();
  if (c.kind === 'preamble') return 'a preambular paragraph';
  return id ? 'a heading' : 'a clause';
}

function capitalize(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function removeClauseEl(id) {
  const parts = clauseEls.get(id);
  if (!parts) return;
  const hadFocus = parts.li.contains(document.activeElement);
  const next = parts.li.nextElementSibling ?? parts.li.previousElementSibling;
  // Insert editors anchored here move to the top.
  for (const editor of state.editors.values()) {
    if (editor.kind === 'insert' && editor.after === id) {
      editor.after = null;
      els.topInsertSlot.append(editor.el);
      setEditorInfo(editor, 'The clause you were inserting after was deleted; your new clause will go at the top.');
    }
  }
  parts.li.remove();
  clauseEls.delete(id);
  if (hadFocus) {
    const target = next?.querySelector('button, a') ?? els.title;
    if (target === els.title) els.title.setAttribute('tabindex', '-1');
    target.focus();
  }
}

// ---------------------------------------------------------------- editors

function textProblem(text) {
  if (!text.trim()) return 'The clause text cannot be empty.';
  if (utf8.encode(text).length > TEXT_MAX_BYTES) return `The clause text is too long (at most ${TEXT_MAX_BYTES.toLocaleString()} bytes).`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return 'The clause text contains control characters; remove them and try again.';
  return null;
}

function noteProblem(note) {
  if (utf8.encode(note).length > NOTE_MAX_BYTES) return `The note is too long (at most ${NOTE_MAX_BYTES.toLocaleString()} bytes).`;
  return null;
}

let editorSeq = 0;

/** The common parts of an editor form: text, note, status line, buttons. */
function editorForm(editor, { title, text, saveLabel, extraFields = [] }) {
  const n = ++editorSeq;
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
  editor.cancelButton = h('button', { type: 'button', class: 'button', onclick: () => closeEditor(editor, true) }, 'Cancel');
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
    if (ev.key === 'Escape') { ev.preventDefault(); closeEditor(editor, true); }
    else if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); editor.save(); }
  });
  editor.textarea.addEventListener('focus', () => sendFocus(editor.kind === 'edit' ? editor.clauseId : editor.after ?? state.order[0] ?? null));
  return editor.el;
}

function setEditorError(editor, message) {
  editor.error.textContent = message ?? '';
  editor.error.hidden = !message;
}

function setEditorInfo(editor, ...content) {
  replaceChildren(editor.info, content);
  editor.info.hidden = content.length === 0;
}

function setBusy(editor, busy, statusText = '') {
  editor.busy = busy;
  editor.saveButton.disabled = busy;
  editor.el.setAttribute('aria-busy', busy ? 'true' : 'false');
  editor.status.textContent = statusText;
}

function openEditEditor(id) {
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
  editorForm(editor, { title: `Edit ${clauseLabel(id)}`, text: c.text, saveLabel: 'Save' });
  state.editors.set(key, editor);
  parts.li.classList.add('is-editing');
  parts.editorSlot.append(editor.el);
  parts.body.hidden = true;
  parts.tools.hidden = true;
  editor.textarea.focus();
  editor.textarea.setSelectionRange(editor.textarea.value.length, editor.textarea.value.length);
  updateFocusFromEditors();
}

function openInsertEditor(afterId) {
  const key = `insert:${afterId ?? 'top'}`;
  const existing = state.editors.get(key);
  if (existing) { existing.textarea.focus(); return; }
  const editor = { kind: 'insert', key, after: afterId, ownCommits: new Set() };
  editor.save = () => saveInsert(editor);
  const n = editorSeq + 1;
  editor.kindSelect = h('select', { id: `editor-kind-${n}`, class: 'input input--select' },
    h('option', { value: 'operative' }, 'Operative clause (numbered)'),
    h('option', { value: 'preamble' }, 'Preambular paragraph'),
    h('option', { value: 'heading' }, 'Heading (chapeau)'));
  const title = afterId ? `Insert a clause after ${clauseLabel(afterId)}` : 'Insert a clause at the top';
  editorForm(editor, {
    title, text: '', saveLabel: 'Insert clause',
    extraFields: [h('label', { for: editor.kindSelect.id, class: 'label' }, 'Kind'), editor.kindSelect],
  });
  state.editors.set(key, editor);
  const slot = afterId ? clauseEls.get(afterId)?.insertSlot : els.topInsertSlot;
  (slot ?? els.topInsertSlot).append(editor.el);
  editor.kindSelect.focus();
  updateFocusFromEditors();
}

function closeEditor(editor, returnFocus) {
  state.editors.delete(editor.key);
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

/** Another delegation changed the clause while this editor was open. */
function noteIntervening(editor, by, clause) {
  if (!by) return;
  editor.intervening.set(by.state, by.name ?? nameOf(by.state));
  const names = [...editor.intervening.values()].join(', ');
  setEditorInfo(editor,
    h('p', null, h('strong', null, `${names} changed this clause while you were editing.`),
      ' Your text is untouched. When you save, the two changes are merged if they do not overlap.'),
    h('details', { class: 'their-text' },
      h('summary', null, 'Show the clause as it is now'),
      h('blockquote', { class: 'quote' }, clause.text)));
}

async function saveEdit(editor) {
  if (editor.busy) return;
  const text = editor.textarea.value;
  const note = editor.note.value.trim();
  const problem = textProblem(text) ?? noteProblem(note);
  if (problem) { setEditorError(editor, problem); editor.textarea.focus(); return; }
  setEditorError(editor, null);
  if (editor.orphaned) { reinsertOrphan(editor); return; }
  const current = state.clauses.get(editor.clauseId);
  if (current && text === current.text && editor.base === current.rev) { closeEditor(editor, true); return; }
  setBusy(editor, true, 'Saving…');
  const msg = { type: 'amend', op: 'replace', clause: editor.clauseId, base: editor.base, text };
  if (note) msg.note = note;
  try {
    const ack = await state.socket.request(msg);
    editor.ownCommits.add(ack.commit);
    setBusy(editor, false);
    closeEditor(editor, true);
    if (ack.merged) {
      const names = [...editor.intervening.values()];
      const other = names.length ? names.join(' and ') : otherAuthor(editor);
      const text2 = `Your edit was merged with ${other}’s change`;
      state.mergedNotices.set(ack.commit, text2);
      showChange(editor.clauseId, text2, null, null, true);
      announce(`${text2}.`, 'success');
    } else {
      announce(`Saved ${clauseLabel(editor.clauseId)}.`, 'success');
    }
  } catch (err) {
    setBusy(editor, false);
    if (err.code === 'conflict') showConflict(editor, err);
    else setEditorError(editor, err.message || `The server refused the change (${err.code}).`);
  }
}

function otherAuthor(editor) {
  const c = state.clauses.get(editor.clauseId);
  if (c && c.by && c.by !== state.you?.state) return nameOf(c.by);
  return 'another delegation';
}

/** The overlapping-change conflict: keep the person's text, show what beat it, offer to resubmit. */
function showConflict(editor, err) {
  const current = err.current ?? null;
  editor.conflict.hidden = false;
  if (!current) {
    orphanEditor(editor, null, err.message);
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
  const whenEl = h('span', { class: 'conflict-when' }, info?.at ? [' at ', timeEl(info.at)] : '');
  const diff = wordDiff(before, current.text);
  const theirs = h('blockquote', { class: 'quote quote--theirs', 'aria-label': 'The text that was saved first' },
    diff.filter((d) => d.op !== '-').map((d) => (d.op === '+' ? h('mark', { class: 'their-change' }, d.text) : d.text)));
  const heading = h('h4', { class: 'conflict-title', tabindex: '-1' }, 'Your change overlaps one that was saved first');
  replaceChildren(editor.conflict,
    heading,
    h('p', { class: 'conflict-by' }, stateChip(current.by, byName), ' ', h('strong', null, byName), ' saved this text', whenEl, ':'),
    theirs,
    h('p', null, 'Your own text is still in the editor below. Adjust it if you need to, then resubmit it on top of their text — or take their text and discard yours.'),
    h('p', { class: 'actions' },
      h('button', { type: 'button', class: 'button button--primary', dataset: { action: 'resubmit' }, onclick: () => saveEdit(editor) }, 'Resubmit my text on top of theirs'),
      ' ',
      h('button', { type: 'button', class: 'button', onclick: () => { editor.textarea.value = current.text; editor.textarea.focus(); } }, 'Put their text in the editor'),
      ' ',
      h('button', { type: 'button', class: 'button button--quiet', onclick: () => closeEditor(editor, true) }, 'Discard my edit')),
  );
  editor.saveButton.textContent = 'Resubmit';
  editor.el.classList.add('has-conflict');
  setEditorInfo(editor);
  editor.intervening.clear();
  editor.status.textContent = '';
  heading.focus();
  if (!info) fillConflictWhen(editor, current, whenEl, heading.parentElement.querySelector('.conflict-by strong'));
}

async function fillConflictWhen(editor, current, whenEl, nameEl) {
  try {
    const hist = await api.history(state.slug, current.id, state.code);
    const entry = (hist.entries ?? []).find((e) => e.commit === current.rev);
    if (!entry) return;
    learnName(entry.by);
    state.commits.set(entry.commit, { by: entry.by, at: entry.at });
    if (editor.conflictWith !== current) return;
    replaceChildren(whenEl, ' at ', timeEl(entry.at));
    if (nameEl && entry.by?.name) nameEl.textContent = entry.by.name;
  } catch { /* the time is a nicety */ }
}

/** The clause under an open editor was deleted: keep the person's text, offer to insert it anew. */
function orphanEditor(editor, ev, message) {
  editor.orphaned = true;
  const parts = clauseEls.get(editor.clauseId);
  if (parts) {
    parts.li.classList.add('is-deleted');
    parts.body.hidden = true;
    parts.tools.hidden = true;
    editor.anchor = state.order[Math.max(0, state.order.indexOf(editor.clauseId) - 1)] ?? null;
  }
  const who = ev?.by?.name ? `${ev.by.name} deleted this clause` : 'This clause was deleted';
  editor.conflict.hidden = false;
  replaceChildren(editor.conflict,
    h('h4', { class: 'conflict-title' }, `${who} while you were editing it.`),
    message ? h('p', null, message) : null,
    h('p', null, 'Your text is kept below. You can insert it as a new clause at the same place, or discard it.'));
  editor.saveButton.textContent = 'Insert as a new clause';
  editor.el.classList.add('has-conflict');
}

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
  setBusy(editor, true, 'Inserting…');
  const msg = { type: 'amend', op: 'insert', after, kind: li?.dataset.kind ?? kind, text: editor.textarea.value };
  const note = editor.note.value.trim();
  if (note) msg.note = note;
  try {
    await state.socket.request(msg);
    setBusy(editor, false);
    closeEditor(editor, false);
    announce('Your text was inserted as a new clause.', 'success');
  } catch (err) {
    setBusy(editor, false);
    setEditorError(editor, err.message || `The server refused the change (${err.code}).`);
  }
}

async function saveInsert(editor) {
  if (editor.busy) return;
  const text = editor.textarea.value;
  const note = editor.note.value.trim();
  const problem = textProblem(text) ?? noteProblem(note);
  if (problem) { setEditorError(editor, problem); editor.textarea.focus(); return; }
  setEditorError(editor, null);
  setBusy(editor, true, 'Inserting…');
  const msg = { type: 'amend', op: 'insert', after: editor.after ?? null, kind: editor.kindSelect.value, text };
  if (note) msg.note = note;
  try {
    const ack = await state.socket.request(msg);
    setBusy(editor, false);
    closeEditor(editor, false);
    const parts = clauseEls.get(ack.clause);
    announce(`Inserted ${ack.clause && state.clauses.has(ack.clause) ? clauseLabel(ack.clause) : 'the clause'}.`, 'success');
    if (parts) parts.tools.querySelector('a, button')?.focus();
    else pendingFocus = ack.clause;
  } catch (err) {
    setBusy(editor, false);
    setEditorError(editor, err.message || `The server refused the change (${err.code}).`);
  }
}
let pendingFocus = null;
new MutationObserver(() => {
  if (pendingFocus && clauseEls.has(pendingFocus)) {
    clauseEls.get(pendingFocus).tools.querySelector('a, button')?.focus();
    pendingFocus = null;
  }
}).observe(document.getElementById('app'), { childList: true, subtree: true });

// ---------------------------------------------------------------- delete, move

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
  const yes = h('button', { type: 'submit', class: 'button button--danger' }, 'Delete clause');
  const form = h('form', { class: 'confirm', novalidate: true, 'aria-label': `Delete ${clauseLabel(id)}` },
    h('p', { class: 'confirm-question' }, h('strong', null, `Delete ${clauseLabel(id)}?`),
      ' The deletion is recorded as an amendment; its history stays readable.'),
    h('label', { for: noteId, class: 'label' }, 'Note ', h('span', { class: 'optional' }, '(optional)')),
    note, error,
    h('p', { class: 'actions' }, yes, ' ', h('button', { type: 'button', class: 'button', onclick: () => close() }, 'Keep it')));
  form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
  let currentBase = base;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = note.value.trim();
    const problem = noteProblem(n);
    if (problem) { error.textContent = problem; error.hidden = false; return; }
    yes.disabled = true;
    const msg = { type: 'amend', op: 'delete', clause: id, base: currentBase };
    if (n) msg.note = n;
    try {
      await state.socket.request(msg);
      close(false);
    } catch (err) {
      yes.disabled = false;
      if (err.code === 'conflict' && err.current) {
        currentBase = err.current.rev;
        error.textContent = `${nameOf(err.current.by)} changed this clause a moment ago. Read the new text; press “Delete clause” again if you still want to delete it.`;
      } else if (err.code === 'conflict') {
        error.textContent = 'This clause has already been deleted.';
      } else {
        error.textContent = err.message || `The server refused the deletion (${err.code}).`;
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
  if (button) button.setAttribute('aria-busy', 'true');
  try {
    await state.socket.request({ type: 'amend', op: 'move', clause: id, after });
    announce(`Moved ${clauseLabel(id)}.`, 'success');
  } catch (err) {
    announce(err.message || `The server refused the move (${err.code}).`, 'error');
  } finally {
    if (button) {
      button.removeAttribute('aria-busy');
      if (button.disabled) parts?.tools.querySelector('[data-action="edit"]')?.focus();
      else if (document.activeElement === document.body) button.focus();
    }
  }
}
