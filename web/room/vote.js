// The live vote panel (top of the room while a vote is open): the proposal and its change, the
// threshold, a large tally by state (yes / no / abstain, each a list of chips and names with its
// count), whether it carries right now, who present has not voted, the delegation's own vote
// buttons and the chair's "Close the vote". A "Projector view" toggle fills the screen with it.
// After the vote closes, the outcome stays shown until dismissed or the next vote opens.
import { h, replaceChildren, keepFocus, announce } from '../dom.js';
import { stateChip } from '../colors.js';
import { capitalize, thresholdLabel, thresholdRule, carries } from '../labels.js';
import { state, els, nameOf, isFinal } from './state.js';
import { onProcedureChange, act, refusalText, proposalSummary, counts, openVote } from './procedure.js';
import { changeView, statusBadge } from './proposals.js';

let shown = null; // n of the proposal in the panel
let projector = false;
let error = null;

const CHOICES = [
  { value: 'yes', label: 'Yes', mark: '✓' },
  { value: 'no', label: 'No', mark: '✗' },
  { value: 'abstain', label: 'Abstain', mark: '–' },
];

/**
 * Starts redrawing the panel after every procedural change, and Escape leaving the projector view
 * (room.js calls it once, at start).
 */
export function initVote() {
  onProcedureChange(renderVote);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && projector) { ev.preventDefault(); setProjector(false); }
  });
}

function setProjector(on) {
  projector = on;
  document.body.classList.toggle('has-projector', on);
  renderVote();
  els.vote?.querySelector('[data-focus-key="projector"]')?.focus();
}

export function renderVote() {
  const root = els.vote;
  if (!root) return;
  const voting = openVote();
  if (voting) {
    if (shown !== voting.n) error = null;
    shown = voting.n;
  }
  const rec = shown !== null ? state.proposals.get(shown) : null;
  if (!rec || (rec.status !== 'voting' && !rec.vote)) {
    shown = null;
    root.hidden = true;
    root.replaceChildren();
    if (projector) { projector = false; document.body.classList.remove('has-projector'); }
    return;
  }
  root.hidden = false;
  root.classList.toggle('vote--projector', projector);
  root.classList.toggle('vote--closed', rec.status !== 'voting');
  keepFocus(root, () => replaceChildren(root, panel(rec)), () => root.querySelector('h2'));
}

function panel(rec) {
  const open = rec.status === 'voting';
  const c = counts(rec);
  const threshold = rec.vote?.threshold;
  const now = carries(threshold, c.yes, c.no, c.abstain);
  const by = rec.by ?? {};
  return [
    h('div', { class: 'vote-top' },
      h('h2', { id: 'vote-title', class: 'vote-title', tabindex: '-1' }, open ? `Vote on proposal ${rec.n}` : `Vote on proposal ${rec.n}: closed`),
      statusBadge(rec.status),
      h('span', { class: 'vote-tools' },
        h('button', {
          type: 'button', class: 'button button--quiet', 'aria-pressed': projector ? 'true' : 'false',
          dataset: { focusKey: 'projector' }, onclick: () => setProjector(!projector),
        }, projector ? 'Leave projector view' : 'Projector view'),
        open ? null : h('button', {
          type: 'button', class: 'button button--quiet', dataset: { focusKey: 'dismiss' },
          onclick: () => { shown = null; renderVote(); els.proposals?.querySelector('h2')?.focus(); },
        }, 'Dismiss'))),
    h('p', { class: 'vote-what' }, stateChip(by.state, by.name), ' ', h('strong', null, by.name ?? by.state ?? ''),
      ` proposes to ${proposalSummary(rec)}.`),
    changeView(rec, { large: true }),
    rec.note ? h('p', { class: 'vote-note' }, h('span', { class: 'label-inline' }, 'Note: '), rec.note) : null,
    h('p', { class: 'vote-rule' }, h('strong', null, `${thresholdLabel(threshold)}: `), `${thresholdRule(threshold)}; at least one yes.`),
    verdict(rec, now, c),
    h('div', { class: 'tally', role: 'group', 'aria-label': 'Votes cast' }, CHOICES.map((ch) => column(rec, ch))),
    open ? notVoted(rec) : null,
    open && !isFinal() ? yourPart(rec) : null,
    h('p', { class: 'form-error', role: 'alert', hidden: !error }, error ?? ''),
  ];
}

function column(rec, ch) {
  const codes = rec.vote?.[ch.value] ?? [];
  return h('section', { class: ['tally-col', `tally-col--${ch.value}`], 'aria-label': `${ch.label}: ${codes.length}` },
    h('h3', { class: 'tally-head' }, h('span', { class: 'tally-mark', 'aria-hidden': 'true' }, ch.mark), ' ', ch.label,
      h('span', { class: 'tally-count', dataset: { choice: ch.value } }, String(codes.length))),
    codes.length
      ? h('ul', { class: 'tally-list' }, codes.map((code) => h('li', { class: 'tally-state', dataset: { state: code } },
        stateChip(code, nameOf(code)), ' ', h('span', { class: 'tally-name' }, nameOf(code)))))
      : h('p', { class: 'tally-none' }, 'none'));
}

function verdict(rec, now, c) {
  const counted = `${c.yes} yes, ${c.no} no, ${c.abstain} abstaining`;
  if (rec.status === 'voting') {
    return h('p', { class: ['vote-verdict', now ? 'vote-verdict--carries' : 'vote-verdict--fails'], role: 'status' },
      h('span', { 'aria-hidden': 'true' }, now ? '✓ ' : '✗ '),
      now ? 'Carries as it stands' : 'Does not carry as it stands', ` (${counted}).`);
  }
  const outcome = rec.status === 'adopted' ? 'Adopted' : rec.status === 'rejected' ? 'Rejected'
    : rec.status === 'conflict' ? 'Carried, but it could not be applied to the changed text' : capitalize(rec.status);
  return h('p', { class: ['vote-verdict', rec.status === 'adopted' ? 'vote-verdict--carries' : 'vote-verdict--fails'], role: 'status' },
    h('span', { 'aria-hidden': 'true' }, rec.status === 'adopted' ? '✓ ' : '✗ '), `${outcome} (${counted}).`);
}

/** Delegations present that have not voted yet (the chair and observers do not vote). */
function notVoted(rec) {
  const voted = new Set([...(rec.vote?.yes ?? []), ...(rec.vote?.no ?? []), ...(rec.vote?.abstain ?? [])]);
  const waiting = [...new Set(state.present.filter((p) => p.role === 'delegation' && !voted.has(p.state)).map((p) => p.state))];
  if (!waiting.length) return null;
  return h('p', { class: 'vote-waiting' }, h('span', { class: 'label-inline' }, 'Present, not voted yet: '),
    waiting.map((code) => [stateChip(code, nameOf(code)), ' ']));
}

function yourPart(rec) {
  const you = state.you ?? {};
  if (you.role === 'chair') {
    return h('div', { class: 'actions vote-actions' },
      voteButton(rec, 'close', 'Close the vote', 'button--primary', { type: 'close_vote', proposal: rec.n }));
  }
  if (you.role !== 'delegation') return null;
  const mine = CHOICES.find((ch) => (rec.vote?.[ch.value] ?? []).includes(you.state));
  if (mine) return h('p', { class: 'you-did vote-yours' }, `You voted ${mine.label.toLowerCase()}.`);
  return h('div', { class: 'actions vote-actions', role: 'group', 'aria-label': `Your vote (${you.name ?? you.state})` },
    h('span', { class: 'label-inline' }, 'Your vote:'),
    CHOICES.map((ch) => voteButton(rec, ch.value, ch.label, `button--vote button--vote-${ch.value}`,
      { type: 'vote', proposal: rec.n, choice: ch.value }, `Vote ${ch.label.toLowerCase()} on proposal ${rec.n}`)));
}

function voteButton(rec, key, label, cls, msg, ariaLabel = null) {
  const ch = CHOICES.find((c) => c.value === key);
  const button = h('button', { type: 'button', class: ['button', cls], dataset: { focusKey: `vote-${key}`, action: key }, 'aria-label': ariaLabel },
    ch ? h('span', { 'aria-hidden': 'true' }, `${ch.mark} `) : null, label);
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy') === 'true') return;
    button.setAttribute('aria-busy', 'true');
    error = null;
    try {
      await act(msg);
      if (ch) announce(`You voted ${ch.label.toLowerCase()} on proposal ${rec.n}.`, 'success');
    } catch (err) {
      error = refusalText(err);
      announce(error, 'error');
    } finally {
      button.removeAttribute('aria-busy');
      renderVote();
    }
  });
  return button;
}
