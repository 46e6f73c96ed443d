// The negotiation procedure in the room (procedure.md): the draft's stage and sponsors, the
// proposals, the events that change them (`staged`, `sponsored`, `tagged`, `proposal`), the
// list fetched on every (re)join, and `act()`, which sends a procedural message and applies the
// sender's own copy of the event it causes (it carries our id, so it never reaches the routes).
// The panels that show all this (stage.js, chair.js, vote.js, proposals.js; dispute.js too)
// register with onProcedureChange in their init…() (called by room.js) and are redrawn after
// every change.
import { announce } from '../dom.js';
import { api } from '../api.js';
import { stageLabel, thresholdLabel, tallyText } from '../labels.js';
import { state, learnName, nameOf, clauseLabel, clauseMention, onChainCommit } from './state.js';

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
    listState.error = err?.message ?? 'The list of proposals could not be loaded.';
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
  if (msg.stage === 'adopted') announce('The draft is adopted: the text is final and can no longer change.', 'success');
  else announce(`${msg.by?.name ?? 'The Chair'} moved the draft to the ${stageLabel(msg.stage).toLowerCase()}.`
    + (msg.stage === 'formal' ? ' Delegations now change the text through proposals.' : ''));
  refreshProcedure();
}

export function onSponsored(msg) {
  onChainCommit(msg);
  state.sponsors = Array.isArray(msg.sponsors) ? msg.sponsors : [];
  announce(state.sponsors.length ? `The sponsors are now ${state.sponsors.map(nameOf).join(', ')}.` : 'The draft has no sponsors any more.');
  refreshProcedure();
}

export function onTagged(msg) {
  if (msg.name === 'adopted') announce('The adopted text is recorded as the version “adopted”.');
  else announce(`The current text is recorded as version “${msg.name}”.`, 'success');
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
  if (!state.socket) throw { code: 'disconnected', message: 'You are offline; wait for the connection to come back, then try again.' };
  const reply = await state.socket.request(msg);
  applyReply(reply);
  return reply;
}

/** A sentence for a refusal, saying what kind of refusal it is. */
export function refusalText(err) {
  const message = err?.message || '';
  switch (err?.code) {
    case 'forbidden': return `Not allowed: ${message || 'your role or the draft’s stage does not allow this.'}`;
    case 'conflict': return `Not possible any more: ${message || 'this was already done, or the situation has changed.'}`;
    case 'not_found': return `Not found: ${message || 'there is no such proposal.'}`;
    case 'rate_limited': return `Too fast: ${message || 'wait a moment and try again.'}`;
    case 'disconnected': return message || 'You are offline; try again once the connection is back.';
    default: return message || `The server refused this (${err?.code ?? 'error'}).`;
  }
}

// ---------------------------------------------------------------- words

/** "amend operative clause 3", "insert an operative clause after the heading", "move … to the top". */
export function proposalSummary(rec) {
  const target = rec.clause ? clauseLabel(rec.clause) : null;
  const where = (after) => (after ? `after ${clauseLabel(after)}` : 'at the top');
  switch (rec.op) {
    case 'replace': return `amend ${target}`;
    case 'delete': return `delete ${target}`;
    case 'insert': return `insert ${kindArticle(rec.kind)} ${where(rec.after)}`;
    case 'move': return `move ${target} ${rec.after ? `after ${clauseLabel(rec.after)}` : 'to the top'}`;
    case 'resolve': return `resolve a bracket in ${target}`;
    case 'bracket': return `bracket words in ${target}`;
    default: return `${rec.op ?? 'change'} ${target ?? ''}`.trim();
  }
}

function kindArticle(kind) {
  if (kind === 'preamble') return 'a preambular paragraph';
  if (kind === 'heading') return 'a heading';
  return 'an operative clause';
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
  const m = clauseMention(id).match(/\(“.*”\)$/);
  return m ? m[0] : '';
}

const VOTE_LINK = { href: '#vote', label: 'Go to the vote' };
const RESULT_LINK = { href: '#vote', label: 'See the result' };

function announceTransition(old, rec) {
  if (old && old.status === 'voting' && rec.status === 'voting' && old.vote?.effective?.computed_at !== rec.vote?.effective?.computed_at
    && (rec.vote?.yes?.length ?? 0) + (rec.vote?.no?.length ?? 0) + (rec.vote?.abstain?.length ?? 0) === 0) {
    announce(`The chair restarted the vote on proposal ${rec.n} on the text as it now stands: vote again.`, 'info', VOTE_LINK);
    return;
  }
  if (old && old.status === 'voting' && rec.status === 'voting' && rec.effective && old.effective
    && ((rec.effective.text ?? null) !== (old.effective.text ?? null) || Boolean(rec.effective.conflict) !== Boolean(old.effective.conflict))) {
    announce(`The text changed during the vote on proposal ${rec.n}: the panel shows what would now be adopted.`, 'error', VOTE_LINK);
    return;
  }
  if (old && old.status === rec.status) return;
  const who = rec.by?.name ?? nameOf(rec.by?.state);
  const mine = rec.by?.state === state.you?.state;
  // A message names the clause by its current number and its opening words.
  const what = rec.clause && state.clauses.has(rec.clause)
    ? `${proposalSummary(rec)} ${openingOf(rec.clause)}` : proposalSummary(rec);
  switch (rec.status) {
    case 'tabled':
      if (!mine) announce(`${who} tabled proposal ${rec.n}: ${what}.`);
      break;
    case 'voting':
      announce(`The vote on proposal ${rec.n} is open (${thresholdLabel(rec.vote?.threshold).toLowerCase()}).`, 'info', VOTE_LINK);
      break;
    case 'adopted':
      announce(rec.vote
        ? `Proposal ${rec.n} (${who}: ${what}) is adopted by vote, ${tallyText(counts(rec))}.`
        : `Proposal ${rec.n} (${who}: ${what}) is adopted as a friendly amendment.`, 'success', rec.vote ? RESULT_LINK : null);
      break;
    case 'rejected':
      announce(`Proposal ${rec.n} (${who}: ${what}) is rejected, ${tallyText(counts(rec))}.`, 'info', RESULT_LINK);
      break;
    case 'withdrawn':
      announce(`${who} withdrew proposal ${rec.n}.`);
      break;
    case 'conflict':
      announce(`Proposal ${rec.n} carried but could not be applied: the text had changed meanwhile. It can be tabled again on the new text.`, 'error');
      break;
    default:
      break;
  }
}
