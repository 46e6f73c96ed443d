// The drafting room's shared state: the local copy of the draft (clauses in document order,
// head commit), who we are and who is present, the open editors, and the long-lived page
// elements. Every room module reads and updates these; nothing here builds DOM, talks to the
// server or touches the page when imported (room.js puts #app into `els.app` at start), so that
// tests/web can load it in Node. Imports only labels.js: every room module may import it.
import { t } from '../i18n.js';
import { clauseName, rosterNames, TABLED, tabledName, proponentLabel } from '../labels.js';

export const state = {
  slug: null,
  code: null,
  socket: null,
  you: null,
  title: '',
  head: null,
  clauses: new Map(), // id -> clause
  order: [],
  present: [],
  names: rosterNames([]), // state code -> name: the roster's (every delegation, present or not), the chair, others met
  commits: new Map(), // commit -> {by, at}
  editors: new Map(), // key -> editor
  liveFocus: undefined, // what we last told the server
  resyncing: false,
  queued: [],
  built: false,
  mergedNotices: new Map(), // our merged commits -> the notice shown for them
  stage: 'working', // procedure.md: working | formal | adopted
  sponsors: [], // state codes
  proposals: new Map(), // n -> proposal record
  liveWording: true, // docs/extensions.md: the chair's setting; live.js shows and follows it
};

/** Long-lived page elements: `app` (room.html's #app, set by room.js), the rest made by render.js's buildPage. */
export const els = { app: null };

/** id -> {li, body, number, text, change, proposalRefs, tools, confirm, editorSlot, insertSlot, focusChips}. */
export const clauseEls = new Map();

export function nameOf(code) {
  if (code === TABLED) return tabledName(state.sponsors); // a bracket's wording as tabled
  return state.names.get(code) ?? code ?? t('room.someone');
}

/** "China (CHN)"; "Text as tabled (CHN, RUS)" for a bracket's wording as tabled. */
export function whoLabel(code) {
  return proponentLabel(code, nameOf(code));
}

export function learnName(by) {
  if (by && by.state && by.name) state.names.set(by.state, by.name);
}

/**
 * The draft's roster (`draft.delegations` of the welcome, or of GET /api/drafts/<slug> after a
 * resync): every delegation's name, so that a state that is not present (a vote's tally, a
 * supporter, a bracket's proponent) is named too. Only a code the roster does not know is shown bare.
 */
export function learnRoster(delegations) {
  for (const [code, name] of rosterNames(delegations)) state.names.set(code, name);
}

export function canEdit() {
  return state.you && state.you.role !== 'observer';
}

export function isChair() {
  return state.you?.role === 'chair';
}

/** A delegation (not the chair) in the formal stage: its changes go to the committee as proposals. */
export function mustPropose() {
  return state.stage === 'formal' && state.you?.role === 'delegation';
}

/** The adopted stage: the text is final, nothing changes any more. */
export function isFinal() {
  return state.stage === 'adopted';
}

/** "operative clause 3", "preambular paragraph 2", "heading" — for screen readers and notices. */
export function clauseLabel(id) {
  const c = state.clauses.get(id);
  const preambleIndex = c?.kind === 'preamble'
    ? state.order.filter((x) => state.clauses.get(x)?.kind === 'preamble').indexOf(id) + 1 : null;
  return clauseName(c, preambleIndex);
}

/** The first words of a text, for naming a clause in a message: “To comply with the UN Charter…”. */
export function openingWords(text, words = 6) {
  const all = String(text ?? '').replace(/[\u27E6\u27E7\u2016]/g, ' ').trim().split(/\s+/).filter(Boolean);
  if (!all.length) return '';
  return t('room.quoted', { words: `${all.slice(0, words).join(' ')}${all.length > words ? '…' : ''}` });
}

/** A clause named for a message: its current number and its opening words. */
export function clauseMention(id) {
  const c = state.clauses.get(id);
  if (!c) return t('room.deletedClause');
  const words = openingWords(c.text);
  return words ? t('room.clauseWithWords', { clause: clauseLabel(id), words }) : clauseLabel(id);
}

/** Operative clauses are numbered 1, 2, 3… in document order (as the server derives them). */
export function renumber() {
  let n = 0;
  for (const id of state.order) {
    const c = state.clauses.get(id);
    if (!c) continue;
    c.number = c.kind === 'operative' ? ++n : null;
  }
}

/**
 * Procedure commits (`staged`, `sponsored`) continue the chain of `main` (procedure.md): keep our
 * head in step, so that the next `amended` (whose parent is that commit) is not taken for a gap.
 */
export function onChainCommit(msg) {
  if (msg.commit && (!state.head || !msg.parent || msg.parent === state.head)) state.head = msg.commit;
}
