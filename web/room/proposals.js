// The proposals panel (under the text): every proposal with its number, proposer, what it changes
// (a word diff against the clause's current text while it is open), note, supporters and the
// sponsors' support, vote and outcome; the acts a person may do on it (support, withdraw, table
// again; the chair: put it to the vote with a threshold). Also the short "Proposal 3 (tabled)"
// links on the clauses that open proposals concern.
import { h, replaceChildren, keepFocus, announce } from '../dom.js';
import { paths } from '../api.js';
import { stateChip, paintState } from '../colors.js';
import { wordDiff, renderDiff } from '../diff.js';
import { hasMarks, parseBrackets, OPEN as OPEN_MARK, BAR, CLOSE } from '../bracket-notation.js';
import { textWithBrackets } from '../bracket-view.js';
import { capitalize, statusLabel, thresholdLabel, THRESHOLDS, tallyText, TABLED } from '../labels.js';
import { state, els, clauseEls, nameOf, isChair, isFinal } from './state.js';
import { onProcedureChange, act, refusalText, proposalSummary, counts, openVote, listState } from './procedure.js';
import { openEditEditor } from './editor.js';

const OPEN = new Set(['tabled', 'voting']);
const errors = new Map(); // n -> the last refusal shown on that card
const withdrawing = new Set(); // n of the proposals whose proposer is asked to confirm withdrawing
const thresholds = new Map(); // n -> the threshold the chair picked (kept across redraws)

/** Starts redrawing the panel and the clauses' proposal links after every procedural change (room.js calls it once). */
export function initProposals() {
  onProcedureChange(() => { renderProposals(); renderClauseRefs(); });
}

export function renderProposals() {
  const root = els.proposals;
  if (!root) return;
  const all = [...state.proposals.values()].sort((a, b) => a.n - b.n);
  const open = all.filter((p) => OPEN.has(p.status));
  const decided = all.filter((p) => !OPEN.has(p.status)).reverse();
  els.proposalsLink.textContent = open.length ? `Proposals (${open.length} open)` : 'Proposals';
  keepFocus(root, () => replaceChildren(root,
    h('h2', { id: 'proposals-title', class: 'proposals-title' }, 'Proposals ', h('span', { class: 'count' }, `(${all.length})`)),
    intro(),
    listState.error && !listState.loaded ? h('p', { class: 'form-error', role: 'alert' }, `The proposals could not be loaded: ${listState.error}`) : null,
    all.length === 0 && listState.loaded ? h('p', { class: 'muted' }, 'No proposal has been tabled yet.') : null,
    open.length ? [h('h3', { class: 'small-title' }, 'Open'), h('ol', { class: 'proposal-list' }, open.map(card))] : null,
    decided.length ? [h('h3', { class: 'small-title' }, 'Decided or withdrawn'), h('ol', { class: 'proposal-list' }, decided.map(card))] : null,
  ), () => els.proposals.querySelector('h2'));
}

function intro() {
  const sponsors = state.sponsors;
  const how = state.stage === 'formal'
    ? 'Formal stage: delegations change the text only through proposals.'
    : state.stage === 'adopted' ? 'The text is adopted: no further proposals.'
      : 'Working paper: delegations may amend directly, or table a proposal from a clause’s editor (“Propose”).';
  return h('div', { class: 'proposals-intro' },
    h('p', { class: 'hint' }, how),
    sponsors.length
      ? h('p', { class: 'sponsors-line' }, h('span', { class: 'label-inline' }, 'Sponsors: '),
        sponsors.map((c) => [stateChip(c, nameOf(c)), ' ']),
        h('span', { class: 'hint' }, ' A proposal every sponsor supports is adopted at once as a friendly amendment.'))
      : h('p', { class: 'hint' }, 'The draft has no sponsors, so every proposal is decided by vote.'));
}

function card(rec) {
  const n = rec.n;
  const by = rec.by ?? {};
  const titleId = `proposal-${n}-title`;
  const li = h('li', {
    class: ['proposal', `proposal--${rec.status}`], id: `proposal-${n}`, 'aria-labelledby': titleId,
    dataset: { n, status: rec.status, state: by.state ?? '', focusScope: 'card' },
  },
  h('div', { class: 'proposal-head' },
    h('h4', { class: 'proposal-title', id: titleId, tabindex: '-1' }, `Proposal ${n}`),
    statusBadge(rec.status),
    h('span', { class: 'proposal-by' }, stateChip(by.state, by.name), ' ', h('strong', null, by.name ?? by.state ?? '')),
    h('span', { class: 'proposal-what' }, capitalize(proposalSummary(rec)))),
  rec.note ? h('blockquote', { class: 'proposal-note' }, h('span', { class: 'visually-hidden' }, 'Note: '), rec.note) : null,
  changeView(rec),
  supportView(rec),
  voteView(rec),
  resultView(rec),
  actions(rec),
  h('p', { class: 'form-error', role: 'alert', hidden: !errors.get(n) }, errors.get(n) ?? ''));
  paintState(li, by.state);
  return li;
}

export function statusBadge(status) {
  return h('span', { class: ['status-badge', `status-badge--${status}`], dataset: { status } }, statusLabel(status));
}

/**
 * What the proposal changes. While it is open: its *effective change* (docs/extensions.md), the
 * text adoption would produce now as the server computes it (the same merge adoption applies),
 * as a word diff against the clause as it is now; or "cannot apply as it stands". The element
 * carries `data-effective` (the text shown as the outcome) so that what is shown can be checked
 * against what gets adopted.
 */
export function changeView(rec, { large = false } = {}) {
  const cls = ['proposal-diff', 'clause-text', large ? 'proposal-diff--large' : null];
  const current = rec.clause ? state.clauses.get(rec.clause) : null;
  const open = OPEN.has(rec.status);
  if (open && rec.effective) return effectiveView(rec, current, cls);
  if (rec.op === 'replace' || rec.op === 'insert') {
    const text = rec.text ?? '';
    if (!open) {
      return h('details', { class: 'proposal-text' }, h('summary', null, 'The proposed text'), h('p', { class: cls }, text));
    }
    if (rec.op === 'insert') return h('p', { class: cls }, renderDiff([{ op: '+', text }]));
    if (!current) {
      return h('div', null, h('p', { class: 'hint' }, 'The clause has been deleted since; the proposed text was:'), h('p', { class: cls }, text));
    }
    return h('p', { class: cls, 'aria-label': 'Proposed change against the current text' }, renderDiff(wordDiff(current.text, text)));
  }
  if (rec.op === 'delete') {
    if (!open || !current) return null;
    return h('p', { class: cls }, renderDiff([{ op: '-', text: current.text }]));
  }
  return null; // a move: the summary says it all; a closed resolve or bracket: the result says it
}

/** The effective change of an open proposal against the clause as the room has it now. */
function effectiveView(rec, current, cls) {
  const eff = rec.effective;
  if (eff.conflict) {
    return h('div', { class: 'effective effective--conflict', dataset: { effectiveConflict: 'true' } },
      h('p', { class: 'effective-conflict', role: 'note' },
        h('strong', null, 'Cannot apply as it stands: '),
        eff.problem || 'the clause has changed in the same place since this was tabled.',
        ' Adopting it now would change nothing; its proposer can table it again on the current text.'),
      rec.text != null ? h('details', { class: 'proposal-text' }, h('summary', null, 'The text as proposed'), h('p', { class: cls }, rec.text)) : null);
  }
  const moved = rec.base && current && current.rev !== rec.base;
  const note = moved && rec.op !== 'insert'
    ? h('p', { class: 'hint effective-note' }, 'The clause has changed since this was tabled: this is what adoption would make of it now.')
    : null;
  if (rec.op === 'move') return null;
  if (rec.op === 'delete' || eff.text == null) {
    if (!current) return null;
    return h('p', { class: cls, dataset: { effective: '' }, 'aria-label': 'Adoption would delete the clause' },
      renderDiff([{ op: '-', text: current.text }]));
  }
  if (rec.op === 'insert' || !current) {
    return h('p', { class: cls, dataset: { effective: eff.text }, 'aria-label': 'The new clause' }, renderDiff([{ op: '+', text: eff.text }]));
  }
  if (rec.op === 'resolve') return [resolveView(rec, current.text, eff.text, cls), note];
  if (rec.op === 'bracket') return bracketProposalView(rec, current.text, eff.text, cls);
  return [h('p', { class: cls, dataset: { effective: eff.text }, 'aria-label': 'What adoption would change in the current text' },
    renderDiff(wordDiff(current.text, eff.text))), note];
}

/**
 * A resolve: which wording of the bracket is kept and which removed, drawn in the clause as a
 * diff (the removed alternatives and the marks struck through, the kept wording inserted). When
 * the adopted text (`result`) differs from that (the clause changed elsewhere too), the word diff
 * of the whole clause follows.
 */
function resolveView(rec, text, result, cls) {
  const brackets = hasMarks(text) ? parseBrackets(text) : null;
  const b = brackets?.[rec.bracket];
  const kept = b?.alternatives[rec.choose];
  if (!b || !kept) {
    if (result == null) return h('p', { class: 'hint' }, 'The bracket this proposal resolves is no longer in the clause.');
    return h('p', { class: cls, dataset: { effective: result } }, renderDiff(wordDiff(text, result)));
  }
  const removed = b.alternatives.filter((_, i) => i !== rec.choose);
  const keptWords = (a) => (a.wording === '' ? '(delete the words)' : `“${a.wording}”`);
  // "[RUS] Russian Federation’s wording"; the wording as tabled is the sponsors', not a state's.
  const whose = (a, noun) => (a.state === TABLED
    ? `the wording as tabled${state.sponsors.length ? ` (${state.sponsors.join(', ')})` : ''} `
    : [stateChip(a.state, nameOf(a.state)), ` ${nameOf(a.state) ?? a.state}’s ${noun ? `${noun} ` : ''}`]);
  const sentence = h('p', { class: 'resolve-what' },
    'Keeps ', whose(kept, 'wording'), h('strong', null, keptWords(kept)),
    removed.length ? ['; removes ', removed.map((a, i) => [i ? ', ' : null, whose(a, ''), keptWords(a)])] : null,
    '.');
  const diff = [{ op: '=', text: text.slice(0, b.start) }];
  const drop = (t) => diff.push({ op: '-', text: t });
  drop(OPEN_MARK);
  b.alternatives.forEach((a, i) => {
    if (i) drop(` ${BAR} `);
    if (i === rec.choose) {
      drop(`${a.state}: `);
      if (a.wording) diff.push({ op: '+', text: a.wording });
    } else {
      drop(`${a.state}: ${a.wording}`);
    }
  });
  drop(CLOSE);
  diff.push({ op: '=', text: text.slice(b.end) });
  const plain = text.slice(0, b.start) + kept.wording + text.slice(b.end);
  const shown = result ?? plain;
  return h('div', { class: 'resolve-change' }, sentence,
    h('p', { class: cls, dataset: { effective: shown }, 'aria-label': 'The clause with the bracket resolved' }, renderDiff(diff.filter((d) => d.text))),
    result != null && result !== plain
      ? [h('p', { class: 'hint' }, 'The clause has also changed elsewhere; the text adoption would produce now:'),
        h('p', { class: cls }, renderDiff(wordDiff(text, result)))]
      : null);
}

/** A bracket proposal: which words it disputes, the wording it offers, and the clause with the bracket. */
function bracketProposalView(rec, text, result, cls) {
  const bytes = new TextEncoder().encode(text);
  const words = Number.isInteger(rec.start) && Number.isInteger(rec.end) && rec.end <= bytes.length
    ? new TextDecoder().decode(bytes.slice(rec.start, rec.end)) : null;
  const by = rec.by ?? {};
  return h('div', { class: 'bracket-change' },
    h('p', { class: 'resolve-what' },
      words ? ['Puts ', h('strong', null, `“${words}”`), ' in brackets'] : 'Adds an alternative to a bracket',
      rec.text ? [', with ', stateChip(by.state, by.name), ` ${by.name ?? by.state}’s wording `, h('strong', null, `“${rec.text}”`), ' as an alternative.']
        : [': ', stateChip(by.state, by.name), ` ${by.name ?? by.state} proposes deleting them.`]),
    h('p', { class: cls, dataset: { effective: result }, 'aria-label': 'The clause with the bracket' }, textWithBrackets(result, nameOf, state.sponsors)));
}

/** True when the text of an open vote's proposal changed since the vote was opened. */
export function changedDuringVote(rec) {
  const was = rec?.vote?.effective;
  const now = rec?.effective;
  if (rec?.status !== 'voting' || !was || !now) return false;
  return (was.text ?? null) !== (now.text ?? null) || Boolean(was.conflict) !== Boolean(now.conflict);
}

function supportView(rec) {
  const supporters = rec.supporters ?? [];
  const sponsors = state.sponsors;
  const parts = [];
  if (supporters.length) {
    parts.push(h('p', { class: 'proposal-support' }, h('span', { class: 'label-inline' }, 'Supported by: '),
      supporters.map((c) => [stateChip(c, nameOf(c)), ' ', h('span', { class: 'support-name' }, nameOf(c)), ' '])));
  } else if (OPEN.has(rec.status)) {
    parts.push(h('p', { class: 'proposal-support muted' }, 'No supporters yet.'));
  }
  if (sponsors.length && rec.status === 'tabled') {
    const backs = (c) => c === rec.by?.state || supporters.includes(c);
    const yes = sponsors.filter(backs).length;
    parts.push(h('p', { class: 'sponsor-progress' },
      h('span', { class: 'label-inline' }, `Sponsors in favour: ${yes} of ${sponsors.length} `),
      h('span', { class: 'visually-hidden' }, '(all of them make it a friendly amendment): '),
      h('span', { class: 'chips' }, sponsors.map((c) => h('span', { class: ['sponsor', backs(c) ? 'sponsor--yes' : 'sponsor--no'] },
        stateChip(c, nameOf(c)), h('span', { 'aria-hidden': 'true' }, backs(c) ? ' ✓' : ' …'),
        h('span', { class: 'visually-hidden' }, backs(c) ? ' supports' : ' not yet'))))));
  }
  return parts;
}

function voteView(rec) {
  if (!rec.vote) return null;
  const c = counts(rec);
  return h('p', { class: 'proposal-vote' },
    h('span', { class: 'label-inline' }, `${thresholdLabel(rec.vote.threshold)}: `),
    `${c.yes} yes, ${c.no} no, ${c.abstain} abstaining`,
    rec.status === 'voting' ? [' · ', h('a', { href: '#vote' }, 'the vote is open')] : null);
}

function resultView(rec) {
  switch (rec.status) {
    case 'adopted': {
      const commit = rec.result?.commit;
      const href = commit && rec.clause ? `${paths.clause(state.slug, rec.clause)}#amend-${commit}` : paths.log(state.slug);
      return h('p', { class: 'proposal-result proposal-result--adopted' },
        rec.vote ? `Adopted by vote, ${tallyText(counts(rec))}. ` : 'Adopted as a friendly amendment: every sponsor supports it. ',
        commit ? h('a', { href }, 'See it in the history') : null);
    }
    case 'rejected':
      return h('p', { class: 'proposal-result' }, `Rejected, ${tallyText(counts(rec))}.`);
    case 'withdrawn':
      return h('p', { class: 'proposal-result' }, 'Withdrawn by its proposer.');
    case 'conflict':
      return h('p', { class: 'proposal-result proposal-result--conflict' },
        'It carried, but the text had meanwhile changed in the same place: nothing was applied. The proposer can table it again on the new text.');
    default:
      return null;
  }
}

function actions(rec) {
  const you = state.you ?? {};
  const n = rec.n;
  if (isFinal() || you.role === 'observer' || !you.role) return null;
  const mine = rec.by?.state === you.state;
  const out = [];
  if (rec.status === 'tabled') {
    if (you.role === 'delegation' && !mine) {
      if ((rec.supporters ?? []).includes(you.state)) out.push(h('span', { class: 'you-did' }, '✓ You support this proposal.'));
      else out.push(actButton(n, 'support', `Support proposal ${n}`, 'button--primary', { type: 'support', proposal: n }, `You support proposal ${n}.`));
    }
    if (mine) {
      out.push(h('span', { class: 'you-did' }, 'You tabled this proposal.'));
      if (!withdrawing.has(n)) {
        out.push(h('button', {
          type: 'button', class: 'button button--quiet', dataset: { focusKey: `withdraw-${n}`, action: 'withdraw' },
          onclick: () => { withdrawing.add(n); errors.delete(n); renderProposals(); focusIn(n, `withdraw-yes-${n}`); },
        }, `Withdraw proposal ${n}…`));
      }
    }
    if (isChair()) out.push(chairOpen(rec));
  } else if (rec.status === 'voting') {
    out.push(h('a', { href: '#vote', class: 'button button--link' }, 'Go to the vote'));
  } else if (rec.status === 'conflict' && mine && rec.op === 'replace' && state.clauses.has(rec.clause)) {
    out.push(h('button', {
      type: 'button', class: 'button', dataset: { focusKey: `retable-${n}` },
      onclick: () => openEditEditor(rec.clause, { text: rec.text, note: rec.note ?? '' }),
    }, 'Table it again on the current text'));
  }
  if (rec.status !== 'tabled' || !mine) withdrawing.delete(n);
  return [
    out.length ? h('div', { class: 'actions proposal-actions' }, out) : null,
    withdrawing.has(n) ? withdrawConfirm(rec) : null,
  ];
}

/** "Withdraw proposal 3?" on the card, as "Adopt the text…" asks the chair (no browser dialog). */
function withdrawConfirm(rec) {
  const n = rec.n;
  const qId = `withdraw-q-${n}`;
  const yes = actButton(n, 'withdraw-yes', `Withdraw proposal ${n}`, 'button--danger', { type: 'withdraw', proposal: n }, `You withdrew proposal ${n}.`);
  yes.addEventListener('click', () => withdrawing.delete(n)); // the card is redrawn after the reply
  return h('div', { class: 'confirm proposal-confirm', role: 'group', 'aria-labelledby': qId },
    h('p', { class: 'confirm-question', id: qId }, h('strong', null, `Withdraw proposal ${n}?`),
      ' It is closed for good: its support is lost and it can no longer be adopted. You can table the change again as a new proposal.'),
    h('p', { class: 'actions' }, yes, ' ',
      h('button', {
        type: 'button', class: 'button', dataset: { focusKey: `withdraw-no-${n}` },
        onclick: () => { withdrawing.delete(n); renderProposals(); focusIn(n, `withdraw-${n}`); },
      }, 'Cancel')));
}

function focusIn(n, key) {
  els.proposals?.querySelector(`#proposal-${n} [data-focus-key="${key}"]`)?.focus();
}

function chairOpen(rec) {
  const n = rec.n;
  const id = `threshold-${n}`;
  const select = h('select', { id, class: 'input input--select input--inline', dataset: { focusKey: `threshold-${n}` } },
    THRESHOLDS.map((t) => h('option', { value: t.value, title: t.rule }, t.label)));
  select.value = thresholds.get(n) ?? 'simple';
  select.addEventListener('change', () => thresholds.set(n, select.value));
  const busy = openVote();
  const button = actButton(n, 'open', `Open the vote on proposal ${n}`, 'button--primary',
    () => ({ type: 'open_vote', proposal: n, threshold: select.value }), null);
  if (busy) button.disabled = true;
  return h('span', { class: 'chair-open' },
    h('label', { for: id, class: 'label-inline' }, 'Threshold'), ' ', select, ' ', button,
    busy ? h('span', { class: 'hint' }, ` Close the vote on proposal ${busy.n} first.`) : null);
}

/** A button that sends one act; a refusal is shown on the card and announced. */
export function actButton(n, key, label, cls, msg, okText) {
  const button = h('button', { type: 'button', class: ['button', cls], dataset: { focusKey: `${key}-${n}`, action: key } }, label);
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy') === 'true') return;
    button.setAttribute('aria-busy', 'true');
    errors.delete(n);
    try {
      await act(typeof msg === 'function' ? msg() : msg);
      if (okText) announce(okText, 'success');
    } catch (err) {
      const text = refusalText(err);
      errors.set(n, text);
      announce(text, 'error');
    } finally {
      button.removeAttribute('aria-busy');
      renderProposals();
    }
  });
  return button;
}

/** The "Proposals on this clause" links on each clause that an open proposal concerns. */
export function renderClauseRefs() {
  const refs = new Map();
  for (const rec of state.proposals.values()) {
    if (!OPEN.has(rec.status)) continue;
    const id = rec.op === 'insert' ? rec.after : rec.clause;
    if (!id) continue;
    if (!refs.has(id)) refs.set(id, []);
    refs.get(id).push(rec);
  }
  for (const [id, parts] of clauseEls) {
    const list = refs.get(id);
    if (!list) { parts.proposalRefs.hidden = true; parts.proposalRefs.replaceChildren(); continue; }
    replaceChildren(parts.proposalRefs,
      h('span', { class: 'label-inline' }, list.length === 1 ? 'Proposal: ' : 'Proposals: '),
      list.map((rec, i) => [i ? ', ' : null,
        h('a', { href: `#proposal-${rec.n}` }, `${rec.n} (${rec.op === 'insert' ? 'insert after this, ' : ''}${statusLabel(rec.status).toLowerCase()}, ${rec.by?.name ?? rec.by?.state})`)]));
    parts.proposalRefs.hidden = false;
  }
}
