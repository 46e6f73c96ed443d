// The negotiation procedure in the room (procedure.md): the draft's stage and sponsors, the
// proposals, the events that change them (`staged`, `sponsored`, `tagged`, `proposal`), the
// list fetched on every (re)join, and `act()`, which sends a procedural message and applies the
// sender's own copy of the event it causes (it carries our id, so it never reaches the routes).
// The panels that show all this (stage.js, chair.js, vote.js, proposals.js; dispute.js too)
// register with onProcedureChange in their init…() (called by room.js) and are redrawn after
// every change.
import { t, errorText, formatList, locale } from '../i18n.js';
import { announce } from '../dom.js';
import { api } from '../api.js';
import { stageLabel, thresholdLabel, tallyText } from '../labels.js';
import { state, learnName, nameOf, clauseLabel, openingWords, onChainCommit } from './state.js';

const views = [];

/** Registers a redraw function, called after any change of stage, sponsors or proposals. */
export function onProcedureChange(fn) {
  views.push(fn);
}

export function refreshProcedure() {
  for (const fn of views) {
    try { fn(); } catch (err) { console.error(err); } // one broken panel must not hide the others
  }
}

// ---------------------------------------------------------------- snapshot and list

let loadSeq = 0;
let touched = null; // proposals changed by events while the list is loading
export const listState = { loaded: false, error: null };

/** The welcome's draft carries `stage` and `sponsors`; the proposals come over HTTP. */
export function procedureWelcome(draft) {
  state.stage = draft?.stage ?? 'working';
  state.sponsors = Array.isArray(draft?.sponsors) ? draft.sponsors : [];
  refreshProcedure();
  loadProposals();
}

export async function loadProposals() {
  const seq = ++loadSeq;
  touched = new Set();
  try {
    const body = await api.proposals(state.slug, state.code);
    if (seq !== loadSeq) return;
    for (const rec of body?.proposals ?? []) {
      if (!rec || !Number.isInteger(rec.n) || touched.has(rec.n)) continue;
      state.proposals.set(rec.n, rec);
      learnName(rec.by);
    }
    listState.loaded = true;
    listState.error = null;
  } catch (err) {
    if (seq !== loadSeq) return;
    listState.error = err?.message ? errorText(err) : t('room.proposals.loadFailed');
  }
  touched = null;
  refreshProcedure();
}

/** After our own `proposed` reply: the `proposal` event normally follows; if not, fetch the list. */
export function expectProposal(n) {
  if (!Number.isInteger(n) || state.proposals.has(n)) return;
  setTimeout(() => { if (!state.proposals.has(n)) loadProposals(); }, 1500);
}

// ---------------------------------------------------------------- events

export function onProposal(msg) {
  const rec = msg?.proposal;
  if (!rec || !Number.isInteger(rec.n)) return;
  const old = state.proposals.get(rec.n) ?? null;
  state.proposals.set(rec.n, rec);
  touched?.add(rec.n);
  learnName(rec.by);
  announceTransition(old, rec);
  refreshProcedure();
}

export function onStaged(msg) {
  onChainCommit(msg);
  learnName(msg.by);
  if (!msg.stage || msg.stage === state.stage) return;
  state.stage = msg.stage;
  const who = msg.by?.name ?? t('room.theChair');
  if (msg.stage === 'adopted') announce(t('room.staged.adopted'), 'success');
  else if (msg.stage === 'formal') announce(t('room.staged.formal', { who }));
  else if (msg.stage === 'working') announce(t('room.staged.working', { who }));
  else announce(t('room.staged.other', { who, stage: stageLabel(msg.stage) }));
  refreshProcedure();
}

export function onSponsored(msg) {
  onChainCommit(msg);
  state.sponsors = Array.isArray(msg.sponsors) ? msg.sponsors : [];
  announce(state.sponsors.length ? t('room.sponsored', { names: formatList(state.sponsors.map(nameOf)) }) : t('room.sponsoredNone'));
  refreshProcedure();
}

export function onTagged(msg) {
  if (msg.name === 'adopted') announce(t('room.tagged.adopted'));
  else announce(t('room.tagged', { name: msg.name }), 'success');
}

/** Applies a reply that is the sender's copy of a procedural event. */
function applyReply(reply) {
  if (!reply) return;
  if (reply.type === 'proposal') onProposal(reply);
  else if (reply.type === 'staged') onStaged(reply);
  else if (reply.type === 'sponsored') onSponsored(reply);
  else if (reply.type === 'tagged') onTagged(reply);
  else if (reply.type === 'proposed') expectProposal(reply.proposal);
}

/**
 * Sends a procedural message; resolves with the reply (already applied), rejects with the error
 * message ({code, message}) after the reply is refused.
 */
export async function act(msg) {
  if (!state.socket) throw { code: 'disconnected', local: true, message: t('error.offline') };
  const reply = await state.socket.request(msg);
  applyReply(reply);
  return reply;
}

/** A sentence for a refusal, saying what kind of refusal it is. */
export function refusalText(err) {
  const message = err?.message ? errorText(err) : '';
  switch (err?.code) {
    case 'forbidden': return t('room.refusal.forbidden', { message: message || t('room.refusal.forbiddenWhy') });
    case 'conflict': return t('room.refusal.conflict', { message: message || t('room.refusal.conflictWhy') });
    case 'not_found': return t('room.refusal.notFound', { message: message || t('room.refusal.notFoundWhy') });
    case 'rate_limited': return t('room.refusal.rateLimited', { message: message || t('room.refusal.rateLimitedWhy') });
    case 'disconnected': return message || t('room.refusal.offline');
    default: return message || t('room.refusal.other', { code: err?.code ?? 'error' });
  }
}

// ---------------------------------------------------------------- words

/** "amend operative clause 3", "insert an operative clause after the heading", "move … to the top". */
export function proposalSummary(rec) {
  const target = rec.clause ? clauseLabel(rec.clause) : null;
  const after = rec.after ? clauseLabel(rec.after) : null;
  switch (rec.op) {
    case 'replace': return t('room.summary.replace', { clause: target });
    case 'delete': return t('room.summary.delete', { clause: target });
    case 'insert': return after ? t('room.summary.insertAfter', { kind: kindArticle(rec.kind), after }) : t('room.summary.insertTop', { kind: kindArticle(rec.kind) });
    case 'move': return after ? t('room.summary.moveAfter', { clause: target, after }) : t('room.summary.moveTop', { clause: target });
    case 'resolve': return t('room.summary.resolve', { clause: target });
    case 'bracket': return t('room.summary.bracket', { clause: target });
    default: return t('room.summary.other', { op: rec.op ?? '?', clause: target ?? '' }).trim();
  }
}

function kindArticle(kind) {
  if (kind === 'preamble') return t('room.label.aPreamble');
  if (kind === 'heading') return t('room.label.aHeading');
  return t('room.label.anOperative');
}

/** {yes, no, abstain} counts of a record's vote. */
export function counts(rec) {
  const v = rec?.vote;
  return { yes: v?.yes?.length ?? 0, no: v?.no?.length ?? 0, abstain: v?.abstain?.length ?? 0 };
}

/** The proposal whose vote is open (one per draft at a time), or null. */
export function openVote() {
  for (const rec of state.proposals.values()) if (rec.status === 'voting') return rec;
  return null;
}

function openingOf(id) {
  const words = openingWords(state.clauses.get(id)?.text);
  return words ? t('room.paren', { text: words }) : '';
}

const voteLink = () => ({ href: '#vote', label: t('room.link.vote') });
const resultLink = () => ({ href: '#vote', label: t('room.link.result') });

function announceTransition(old, rec) {
  if (old && old.status === 'voting' && rec.status === 'voting' && old.vote?.effective?.computed_at !== rec.vote?.effective?.computed_at
    && (rec.vote?.yes?.length ?? 0) + (rec.vote?.no?.length ?? 0) + (rec.vote?.abstain?.length ?? 0) === 0) {
    announce(t('room.transition.restarted', { n: rec.n }), 'info', voteLink());
    return;
  }
  if (old && old.status === 'voting' && rec.status === 'voting' && rec.effective && old.effective
    && ((rec.effective.text ?? null) !== (old.effective.text ?? null) || Boolean(rec.effective.conflict) !== Boolean(old.effective.conflict))) {
    announce(t('room.transition.textChanged', { n: rec.n }), 'error', voteLink());
    return;
  }
  if (old && old.status === rec.status) return;
  const who = rec.by?.name ?? nameOf(rec.by?.state);
  const mine = rec.by?.state === state.you?.state;
  // A message names the clause by its current number and its opening words.
  const what = rec.clause && state.clauses.has(rec.clause)
    ? t('room.summaryWithWords', { summary: proposalSummary(rec), words: openingOf(rec.clause) }) : proposalSummary(rec);
  switch (rec.status) {
    case 'tabled':
      if (!mine) announce(t('room.transition.tabled', { who, n: rec.n, what }));
      break;
    case 'voting':
      announce(t('room.transition.voting', { n: rec.n, threshold: thresholdLabel(rec.vote?.threshold).toLocaleLowerCase(locale()) }), 'info', voteLink());
      break;
    case 'adopted':
      announce(rec.vote
        ? t('room.transition.adoptedVote', { n: rec.n, who, what, tally: tallyText(counts(rec)) })
        : t('room.transition.adoptedFriendly', { n: rec.n, who, what }), 'success', rec.vote ? resultLink() : null);
      break;
    case 'rejected':
      announce(t('room.transition.rejected', { n: rec.n, who, what, tally: tallyText(counts(rec)) }), 'info', resultLink());
      break;
    case 'withdrawn':
      announce(t('room.transition.withdrawn', { who, n: rec.n }));
      break;
    case 'conflict':
      announce(t('room.transition.conflict', { n: rec.n }), 'error');
      break;
    default:
      break;
  }
}
