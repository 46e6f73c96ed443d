// Keeping the room in step with the server: the welcome's snapshot (first build, or a rebuild
// after a reconnection that keeps open editors and marks what changed while offline), each
// `amended` event applied in commit order, and a full refresh when a gap in the chain shows that
// an event was missed.
import { t } from '../i18n.js';
import { announce } from '../dom.js';
import { api } from '../api.js';
import { wordDiff } from '../diff.js';
import { capitalize, adoptionText } from '../labels.js';
import { state, els, clauseEls, nameOf, learnName, learnRoster, renumber, openingWords } from './state.js';
import { buildPage, renderYou, createClauseEl, renderText, showChange, placeClauses, removeClauseEl } from './render.js';
import { buildTools, buildTopTools, refreshAllControls } from './controls.js';
import { moveInsertEditorsToTop } from './editor-form.js';
import { noteIntervening, orphanEditor } from './conflict.js';
import { setPresence, sendFocus, watchSelection } from './presence.js';

export function onWelcome(msg) {
  state.you = msg.you ?? { role: 'observer' };
  learnName(state.you);
  state.names.set(state.you.state, state.you.name);
  const hadState = state.built;
  rebuild(msg.draft, hadState);
  setPresence(msg.present ?? []);
  if (hadState) announce(t('room.reconnected'));
  // Re-announce our focus after a reconnection.
  const f = state.liveFocus;
  state.liveFocus = undefined;
  sendFocus(f ?? null);
}

function buildRoom() {
  buildPage();
  buildTopTools();
  watchSelection();
}

function addClauseEl(c) {
  createClauseEl(c);
  buildTools(c.id);
}

/** Builds (or rebuilds, keeping open editors) the room from a draft snapshot. */
function rebuild(draft, catchUp) {
  const oldClauses = state.clauses;
  state.title = draft.title ?? state.slug;
  state.head = draft.head ?? null;
  learnRoster(draft.delegations); // before any text is drawn: brackets name their proponents
  state.clauses = new Map();
  for (const c of draft.clauses ?? []) {
    state.clauses.set(c.id, { ...c });
  }
  state.order = (draft.clauses ?? []).map((c) => c.id);
  // The server numbers operative clauses; derive the numbers only if it did not send them.
  if ([...state.clauses.values()].some((c) => c.kind === 'operative' && !Number.isInteger(c.number))) renumber();
  if (!state.built) buildRoom();
  els.title.textContent = state.title;
  document.title = t('room.docTitle', { title: state.title });
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
      addClauseEl(c);
      renderText(id, catchUp && !old ? wordDiff('', c.text) : null);
      if (catchUp && !old) showChange(id, t('room.offlineAdded'));
    } else if (old && old.text !== c.text) {
      renderText(id, catchUp ? wordDiff(old.text, c.text) : null);
      if (catchUp) showChange(id, t('room.offlineChanged'));
      const editor = state.editors.get(`edit:${id}`);
      if (editor && editor.base !== c.rev) noteIntervening(editor, { state: c.by, name: nameOf(c.by) }, c);
    } else {
      renderText(id, null);
    }
  }
  placeClauses();
  // Insert editors whose anchor vanished move to the top.
  moveInsertEditorsToTop((after) => !state.clauses.has(after));
  refreshAllControls();
  state.built = true;
  // Scroll to a clause named in the fragment (links from the history page).
  if (!catchUp && /^#clause-/.test(location.hash)) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) { target.scrollIntoView({ block: 'center' }); target.classList.add('is-target'); }
  }
}

export function onAmended(ev) {
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
    announce(t('room.refreshFailed'), 'error');
    state.socket?.reconnectNow();
  }
}

function applyAmended(ev) {
  state.head = ev.commit ?? state.head;
  learnName(ev.by);
  if (ev.commit) state.commits.set(ev.commit, { by: ev.by, at: ev.at });
  const id = ev.clause?.id;
  const who = ev.by?.name ?? ev.by?.state ?? t('room.someone');
  // An adopted proposal (procedure.md) says so: "Adopted by vote: proposal 3, … — proposed by China".
  const adopted = adoptionText(ev);
  const said = (verb) => (adopted ? t('room.change.adopted', { adopted, who }) : t(verb, { who }));
  const old = id ? state.clauses.get(id) : null;

  if (ev.op === 'delete') {
    state.clauses.delete(id);
    const editor = state.editors.get(`edit:${id}`);
    if (editor) orphanEditor(editor, ev);
    else removeClauseEl(id);
    // Named as it was, with its opening words: its number now belongs to the clause after it.
    announce(old
      ? t(old.kind === 'operative' ? 'room.change.deletedRenumbered' : 'room.change.deleted', { who, clause: labelFor(old, id), words: openingWords(old.text) })
      : t('room.change.deletedClause', { who }));
  } else if (id) {
    const clause = { ...(old ?? {}), ...ev.clause };
    state.clauses.set(id, clause);
    if (!clauseEls.has(id)) addClauseEl(clause);
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
    else showChange(id, said('room.change.edited'), ev.by, ev.at);
    const editor = state.editors.get(`edit:${id}`);
    if (editor && !editor.ownCommits.has(ev.commit)) noteIntervening(editor, ev.by, c);
  } else if (ev.op === 'insert' && id) {
    renderText(id, wordDiff('', state.clauses.get(id).text));
    showChange(id, said('room.change.inserted'), ev.by, ev.at);
  } else if (ev.op === 'move' && id) {
    renderText(id, null);
    showChange(id, said('room.change.moved'), ev.by, ev.at);
  } else if (id && ev.op !== 'delete') {
    renderText(id, old && old.text !== state.clauses.get(id).text ? wordDiff(old.text, state.clauses.get(id).text) : null);
    if (ev.op === 'bracket' || ev.op === 'resolve') showChange(id, said(ev.op === 'bracket' ? 'room.change.bracketed' : 'room.change.resolved'), ev.by, ev.at);
  }
  setPresence(state.present);
}

/** How a deletion announcement names the clause it removed: "operative clause 3", "a heading". */
function labelFor(c, id) {
  if (c.kind === 'operative') return t('clause.operative', { n: c.number ?? '?' });
  if (c.kind === 'preamble') return t('room.label.aPreamble');
  return id ? t('room.label.aHeading') : t('room.label.aClause');
}
