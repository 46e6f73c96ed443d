// The live vote panel (top of the room while a vote is open): the proposal and its change, the
// threshold, a large tally by state (yes / no / abstain, each a list of chips and names with its
// count), whether it carries right now, who present has not voted, the delegation's own vote
// buttons and the chair's "Close the vote". A "Projector view" toggle fills the screen with it.
// After the vote closes, the outcome stays shown until dismissed or the next vote opens.
// While a vote is open and the panel is out of sight, a compact vote bar stays at the bottom of
// the screen (a bottom sheet on phones): the proposal's change above, then the vote buttons (or
// the chair's Close). Casting a vote asks to confirm, since it is final. The projector view fits
// the screen without scrolling (names in columns, shrinking to state codes when they do not fit)
// and shows the outcome and the adopted text large after closing.
import { t, tn, formatNumber } from '../i18n.js';
import { h, replaceChildren, keepFocus, announce } from '../dom.js';
import { stateChip } from '../colors.js';
import { capitalize, thresholdLabel, thresholdRule, carries, statusLabel } from '../labels.js';
import { state, els, nameOf, isFinal } from './state.js';
import { onProcedureChange, act, refusalText, proposalSummary, counts, openVote } from './procedure.js';
import { changeView, statusBadge, changedDuringVote } from './proposals.js';

let shown = null; // n of the proposal in the panel
let projector = false;
let error = null;
let confirming = null; // {n, choice}: the vote a delegation is asked to confirm
let panelInView = false; // the panel is on screen (then the bar is not needed)
let bar = null; // the vote bar, made on first use

// Message ids: `label` heads a tally column (the UN's words: in favour, against, abstentions),
// `button` is what a delegation presses.
const CHOICES = [
  { value: 'yes', label: 'term.inFavour', button: 'vote.button.yes', mark: '✓' },
  { value: 'no', label: 'term.against', button: 'vote.button.no', mark: '✗' },
  { value: 'abstain', label: 'term.abstain', button: 'vote.button.abstain', mark: '–' },
];

/**
 * Starts redrawing the panel after every procedural change, Escape leaving the projector view,
 * and the projector view fitted again when the screen changes size (room.js calls it once, at
 * start).
 */
export function initVote() {
  onProcedureChange(renderVote);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && projector) { ev.preventDefault(); setProjector(false); }
  });
  window.addEventListener('resize', () => { if (projector && els.vote && !els.vote.hidden) fitProjector(els.vote); });
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
  watchPanel(root);
  const voting = openVote();
  if (voting) {
    if (shown !== voting.n) { error = null; confirming = null; }
    shown = voting.n;
  }
  const rec = shown !== null ? state.proposals.get(shown) : null;
  if (confirming && (rec?.n !== confirming.n || rec?.status !== 'voting' || votedChoice(rec))) confirming = null;
  if (!rec || (rec.status !== 'voting' && !rec.vote)) {
    shown = null;
    root.hidden = true;
    root.replaceChildren();
    if (projector) { projector = false; document.body.classList.remove('has-projector'); }
    renderBar(null);
    return;
  }
  root.hidden = false;
  root.classList.toggle('vote--projector', projector);
  root.classList.toggle('vote--closed', rec.status !== 'voting');
  keepFocus(root, () => replaceChildren(root, panel(rec)), () => root.querySelector('h2'));
  if (projector) fitProjector(root);
  renderBar(rec.status === 'voting' ? rec : null);
}

// ---------------------------------------------------------------- the vote bar

/** Notes whether the panel is on screen: the bar shows only when it is not. */
function watchPanel(root) {
  if (root.dataset.watched || typeof IntersectionObserver !== 'function') return;
  root.dataset.watched = 'true';
  new IntersectionObserver((entries) => {
    const seen = entries.some((e) => e.isIntersecting && e.intersectionRatio > 0.25);
    if (seen === panelInView) return;
    panelInView = seen;
    renderBar(openVote());
  }, { threshold: [0, 0.25, 0.5] }).observe(root);
}

function renderBar(rec) {
  if (!bar) {
    if (!rec) return;
    bar = h('section', { class: 'vote-bar', id: 'vote-bar', 'aria-label': t('vote.bar'), hidden: true });
    document.body.append(bar);
    new ResizeObserver(() => {
      document.body.style.setProperty('--vote-bar-h', bar.hidden ? '0px' : `${bar.offsetHeight}px`);
    }).observe(bar);
  }
  const show = Boolean(rec) && !panelInView && !projector && !els.vote?.hidden;
  bar.hidden = !show;
  document.body.classList.toggle('has-vote-bar', show);
  if (!show) {
    document.body.style.setProperty('--vote-bar-h', '0px');
    bar.replaceChildren();
    return;
  }
  const c = counts(rec);
  keepFocus(bar, () => replaceChildren(bar,
    h('p', { class: 'vote-bar-head' },
      h('a', { href: '#vote', class: 'vote-bar-title', onclick: goToPanel }, t('vote.barTitle', { n: rec.n, what: proposalSummary(rec) })),
      h('span', { class: 'vote-bar-counts', 'aria-label': t('room.vote.counts', c) },
        h('bdi', { class: 'vote-bar-count vote-bar-count--yes' }, `✓ ${formatNumber(c.yes)}`), ' ',
        h('bdi', { class: 'vote-bar-count vote-bar-count--no' }, `✗ ${formatNumber(c.no)}`), ' ',
        h('bdi', { class: 'vote-bar-count' }, `– ${formatNumber(c.abstain)}`))),
    changedDuringVote(rec) ? h('p', { class: 'vote-bar-changed', role: 'alert' }, '⚠ ', t('vote.changed')) : null,
    h('div', { class: 'vote-bar-change' }, changeView(rec)),
    isFinal() ? null : yourPart(rec, 'bar'),
    h('p', { class: 'form-error', role: 'alert', hidden: !error }, error ?? ''),
  ));
  document.body.style.setProperty('--vote-bar-h', `${bar.offsetHeight}px`);
}

function goToPanel(ev) {
  ev.preventDefault();
  els.vote?.scrollIntoView({ block: 'start' });
  els.vote?.querySelector('h2')?.focus({ preventScroll: true });
}

function panel(rec) {
  const open = rec.status === 'voting';
  const c = counts(rec);
  const threshold = rec.vote?.threshold;
  const now = carries(threshold, c.yes, c.no, c.abstain);
  const by = rec.by ?? {};
  return [
    h('div', { class: 'vote-top' },
      h('h2', { id: 'vote-title', class: 'vote-title', tabindex: '-1' }, open ? t('vote.title', { n: rec.n }) : t('vote.titleClosed', { n: rec.n })),
      statusBadge(rec.status),
      h('span', { class: 'vote-tools' },
        h('button', {
          type: 'button', class: 'button button--quiet', 'aria-pressed': projector ? 'true' : 'false',
          dataset: { focusKey: 'projector' }, onclick: () => setProjector(!projector),
        }, projector ? t('vote.leaveProjector') : t('vote.projector')),
        open ? null : h('button', {
          type: 'button', class: 'button button--quiet', dataset: { focusKey: 'dismiss' },
          onclick: () => { shown = null; renderVote(); els.proposals?.querySelector('h2')?.focus(); },
        }, t('vote.dismiss')))),
    h('p', { class: 'vote-what' }, tn('vote.proposes', { who: h('span', null, stateChip(by.state, by.name), ' ', h('strong', null, by.name ?? by.state ?? '')), what: proposalSummary(rec) })),
    open && changedDuringVote(rec) ? changedNotice(rec) : null,
    open ? changeView(rec, { large: true }) : outcomeText(rec),
    rec.note ? h('p', { class: 'vote-note' }, h('span', { class: 'label-inline' }, t('room.proposal.notePrefix'), ' '), h('span', { dir: 'auto' }, rec.note)) : null,
    h('p', { class: 'vote-rule' }, h('strong', null, t('room.vote.thresholdLabel', { threshold: thresholdLabel(threshold) }), ' '), t('vote.rule', { rule: thresholdRule(threshold) })),
    // The delegation's vote (and the chair's Close) before the tally, so that a phone reaches it.
    open && !isFinal() ? yourPart(rec) : null,
    h('p', { class: 'form-error', role: 'alert', hidden: !error }, error ?? ''),
    verdict(rec, now, c),
    h('div', { class: 'tally', role: 'group', 'aria-label': t('vote.cast') }, CHOICES.map((ch) => column(rec, ch))),
    open ? notVoted(rec) : null,
  ];
}

/**
 * The text of the proposal's clause changed while the vote is open: what the vote would now
 * adopt is not what it was opened on. Said prominently, with the chair's restart (the votes
 * cast are cleared and the vote starts again on the text as it now stands).
 */
function changedNotice(rec) {
  const chair = state.you?.role === 'chair';
  return h('div', { class: 'vote-changed', role: 'alert', dataset: { changed: 'true' } },
    h('p', { class: 'vote-changed-title' }, h('span', { 'aria-hidden': 'true' }, '⚠ '),
      h('strong', null, t('vote.changed'))),
    h('p', { class: 'vote-changed-more' },
      rec.vote?.effective?.conflict || rec.effective?.conflict
        ? t('vote.changedConflict')
        : t('vote.changedAmended'), ' ',
      chair ? t('vote.restartChair') : t('vote.restartOthers')),
    chair ? h('p', { class: 'actions' },
      voteButton(rec, 'restart', t('vote.restart'), 'button--primary', { type: 'restart_vote', proposal: rec.n })) : null);
}

/** After closing: what the vote decided, large (the adopted text itself when it was adopted). */
function outcomeText(rec) {
  if (rec.status !== 'adopted') return changeView(rec, { large: true });
  const clause = rec.clause ? state.clauses.get(rec.clause) : null;
  const text = rec.op === 'insert' ? rec.text : rec.op === 'delete' ? null : clause?.text;
  if (rec.op === 'delete') return h('p', { class: 'vote-adopted-text' }, t('vote.deleted'));
  if (text == null) return null;
  return h('div', { class: 'vote-adopted' },
    h('p', { class: 'label-inline vote-adopted-label' }, t('vote.adoptedText')),
    h('p', { class: 'clause-text proposal-diff--large vote-adopted-text', dir: 'auto', dataset: { adopted: text } }, text));
}

// ---------------------------------------------------------------- projector

/**
 * Fits the projector view to the screen without scrolling, as large as it goes: the type grows
 * (--fit up to 1.4) while everything fits; when even the normal size does not, the names in the
 * tally give way to state codes, then the type shrinks, step by step, until nothing overflows.
 */
function fitProjector(root) {
  // The change itself may scroll in its box (a very long clause), but it does not grow to that.
  const overflows = (withChange = false) => root.scrollHeight > root.clientHeight + 1
    || [...root.querySelectorAll(withChange ? '.tally-list, .proposal-diff--large' : '.tally-list')]
      .some((l) => l.scrollHeight > l.clientHeight + 1 || l.scrollWidth > l.clientWidth + 1);
  root.classList.remove('tally--codes');
  for (const fit of [1.4, 1.3, 1.2, 1.1]) {
    root.style.setProperty('--fit', String(fit));
    if (!overflows(true)) return;
  }
  root.style.setProperty('--fit', '1');
  if (!overflows()) return;
  root.classList.add('tally--codes');
  for (let fit = 1; fit >= 0.5 && overflows(); fit -= 0.05) root.style.setProperty('--fit', fit.toFixed(2));
}

function column(rec, ch) {
  const codes = rec.vote?.[ch.value] ?? [];
  return h('section', { class: ['tally-col', `tally-col--${ch.value}`], 'aria-label': t('vote.column', { choice: t(ch.label), count: codes.length }) },
    h('h3', { class: 'tally-head' }, h('span', { class: 'tally-mark', 'aria-hidden': 'true' }, ch.mark), ' ', t(ch.label),
      h('span', { class: 'tally-count', dataset: { choice: ch.value } }, formatNumber(codes.length))),
    codes.length
      ? h('ul', { class: 'tally-list' }, codes.map((code) => h('li', { class: 'tally-state', dataset: { state: code } },
        stateChip(code, nameOf(code)), ' ', h('span', { class: 'tally-name', dir: 'auto' }, nameOf(code)))))
      : h('p', { class: 'tally-none' }, t('vote.none')));
}

function verdict(rec, now, c) {
  const counted = t('room.vote.counts', c);
  if (rec.status === 'voting') {
    return h('p', { class: ['vote-verdict', now ? 'vote-verdict--carries' : 'vote-verdict--fails'], role: 'status' },
      h('span', { 'aria-hidden': 'true' }, now ? '✓ ' : '✗ '),
      t('vote.verdict', { outcome: now ? t('vote.carries') : t('vote.fails'), counted }));
  }
  const outcome = rec.status === 'adopted' ? t('status.adopted') : rec.status === 'rejected' ? t('status.rejected')
    : rec.status === 'conflict' ? t('vote.carriedConflict') : capitalize(statusLabel(rec.status));
  return h('p', { class: ['vote-verdict', rec.status === 'adopted' ? 'vote-verdict--carries' : 'vote-verdict--fails'], role: 'status' },
    h('span', { 'aria-hidden': 'true' }, rec.status === 'adopted' ? '✓ ' : '✗ '), t('vote.verdict', { outcome, counted }));
}

/** Delegations present that have not voted yet (the chair and observers do not vote). */
function notVoted(rec) {
  const voted = new Set([...(rec.vote?.yes ?? []), ...(rec.vote?.no ?? []), ...(rec.vote?.abstain ?? [])]);
  const waiting = [...new Set(state.present.filter((p) => p.role === 'delegation' && !voted.has(p.state)).map((p) => p.state))];
  if (!waiting.length) return null;
  return h('p', { class: 'vote-waiting' }, h('span', { class: 'label-inline' }, t('vote.waiting'), ' '),
    waiting.map((code) => [stateChip(code, nameOf(code)), ' ']));
}

function votedChoice(rec) {
  const you = state.you?.state;
  return CHOICES.find((ch) => (rec?.vote?.[ch.value] ?? []).includes(you)) ?? null;
}

/** The delegation's vote (with its confirmation) or the chair's Close; `where` is 'panel' or 'bar'. */
function yourPart(rec, where = 'panel') {
  const you = state.you ?? {};
  if (you.role === 'chair') {
    return h('div', { class: 'actions vote-actions' },
      voteButton(rec, 'close', t('vote.close'), 'button--primary', { type: 'close_vote', proposal: rec.n }));
  }
  if (you.role !== 'delegation') return null;
  const mine = votedChoice(rec);
  if (mine) return h('p', { class: 'you-did vote-yours' }, t('vote.youVoted', { choice: mine.value }));
  if (confirming?.n === rec.n) {
    const ch = CHOICES.find((c) => c.value === confirming.choice);
    const qId = `vote-confirm-${where}`;
    return h('div', { class: 'confirm vote-confirm', role: 'group', 'aria-labelledby': qId },
      h('p', { class: 'confirm-question', id: qId }, h('strong', null, t('vote.confirmQuestion', { choice: ch.value, n: rec.n })),
        ' ', t('vote.final')),
      h('p', { class: 'actions' },
        voteButton(rec, ch.value, t('vote.confirm', { choice: ch.value }), `button--vote button--vote-${ch.value} button--confirm`,
          { type: 'vote', proposal: rec.n, choice: ch.value }, null, 'confirm'),
        ' ',
        h('button', {
          type: 'button', class: 'button', dataset: { focusKey: 'vote-cancel' },
          onclick: () => { const was = confirming.choice; confirming = null; renderVote(); focusChoice(was); },
        }, t('common.cancel'))));
  }
  return h('div', { class: 'actions vote-actions', role: 'group', 'aria-label': t('vote.yoursLabel', { who: you.name ?? you.state }) },
    h('span', { class: 'label-inline' }, t('vote.yours')),
    CHOICES.map((ch) => h('button', {
      type: 'button', class: ['button', 'button--vote', `button--vote-${ch.value}`],
      dataset: { focusKey: `vote-${ch.value}`, action: ch.value }, 'aria-label': t('vote.choiceLabel', { choice: ch.value, n: rec.n }),
      onclick: () => { confirming = { n: rec.n, choice: ch.value }; error = null; renderVote(); focusConfirm(where); },
    }, h('span', { 'aria-hidden': 'true' }, `${ch.mark} `), t(ch.button))));
}

/** After a choice: the focus on its confirmation, in the part (panel or bar) that asked. */
function focusConfirm(where) {
  const scope = where === 'bar' ? bar : els.vote;
  scope?.querySelector('[data-focus-key="vote-confirm"]')?.focus();
}

function focusChoice(choice) {
  const scope = bar && !bar.hidden ? bar : els.vote;
  scope.querySelector(`[data-focus-key="vote-${choice}"]`)?.focus();
}

function voteButton(rec, key, label, cls, msg, ariaLabel = null, focusKey = key) {
  const ch = CHOICES.find((c) => c.value === key);
  const button = h('button', { type: 'button', class: ['button', cls], dataset: { focusKey: `vote-${focusKey}`, action: key }, 'aria-label': ariaLabel },
    ch ? h('span', { 'aria-hidden': 'true' }, `${ch.mark} `) : null, label);
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy') === 'true') return;
    button.setAttribute('aria-busy', 'true');
    error = null;
    try {
      await act(msg);
      confirming = null;
      if (ch) announce(t('vote.youVotedOn', { choice: ch.value, n: rec.n }), 'success', { href: '#vote', label: t('vote.seeTally') });
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
