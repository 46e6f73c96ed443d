// The proposals panel (under the text): every proposal with its number, proposer, what it changes
// (a word diff against the clause's current text while it is open), note, supporters and the
// sponsors' support, vote and outcome; the acts a person may do on it (support, withdraw, table
// again; the chair: put it to the vote with a threshold). Also the short "Proposal 3 (tabled)"
// links on the clauses that open proposals concern. Each card has its comment count (comments.js).
import { t, tn, formatNumber, currentLanguage, locale } from '../i18n.js';
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
import { proposalCommentButton } from './comments.js';

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
  els.proposalsLink.textContent = open.length ? t('room.proposals.linkOpen', { count: open.length }) : t('room.proposalsLink');
  keepFocus(root, () => replaceChildren(root,
    h('h2', { id: 'proposals-title', class: 'proposals-title' }, t('room.proposalsLink'), ' ', h('span', { class: 'count' }, t('room.paren', { text: formatNumber(all.length) }))),
    intro(),
    listState.error && !listState.loaded ? h('p', { class: 'form-error', role: 'alert' }, t('room.proposals.notLoaded', { error: listState.error })) : null,
    all.length === 0 && listState.loaded ? h('p', { class: 'muted' }, t('room.proposals.none')) : null,
    open.length ? [h('h3', { class: 'small-title' }, t('room.proposals.open')), h('ol', { class: 'proposal-list' }, open.map(card))] : null,
    decided.length ? [h('h3', { class: 'small-title' }, t('room.proposals.decided')), h('ol', { class: 'proposal-list' }, decided.map(card))] : null,
  ), () => els.proposals.querySelector('h2'));
}

function intro() {
  const sponsors = state.sponsors;
  const how = state.stage === 'formal'
    ? t('room.notice.formal')
    : state.stage === 'adopted' ? t('room.proposals.adoptedIntro')
      : t('room.proposals.workingIntro');
  return h('div', { class: 'proposals-intro' },
    h('p', { class: 'hint' }, how),
    sponsors.length
      ? h('p', { class: 'sponsors-line' }, h('span', { class: 'label-inline' }, t('room.proposals.sponsors'), ' '),
        sponsors.map((c) => [stateChip(c, nameOf(c)), ' ']),
        h('span', { class: 'hint' }, ' ', t('room.proposals.friendlyRule')))
      : h('p', { class: 'hint' }, t('room.proposals.noSponsors')));
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
    h('h4', { class: 'proposal-title', id: titleId, tabindex: '-1' }, t('room.proposal.title', { n })),
    statusBadge(rec.status),
    h('span', { class: 'proposal-by' }, stateChip(by.state, by.name), ' ', h('strong', { dir: 'auto' }, by.name ?? by.state ?? '')),
    proposalCommentButton(n), // its threads of comments (room/comments.js)
    h('span', { class: 'proposal-what' }, capitalize(proposalSummary(rec)))),
  rec.note ? h('blockquote', { class: 'proposal-note', dir: 'auto' }, h('span', { class: 'visually-hidden' }, t('room.proposal.notePrefix'), ' '), rec.note) : null,
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
  const p = (attrs, ...kids) => h('p', { dir: 'auto', ...attrs }, ...kids); // the draft's words keep their own direction
  const current = rec.clause ? state.clauses.get(rec.clause) : null;
  const open = OPEN.has(rec.status);
  if (open && rec.effective) return effectiveView(rec, current, cls);
  if (rec.op === 'replace' || rec.op === 'insert') {
    const text = rec.text ?? '';
    if (!open) {
      return h('details', { class: 'proposal-text' }, h('summary', null, t('room.proposal.proposedText')), p({ class: cls }, text));
    }
    if (rec.op === 'insert') return p({ class: cls }, renderDiff([{ op: '+', text }]));
    if (!current) {
      return h('div', null, h('p', { class: 'hint' }, t('room.proposal.deletedSince')), p({ class: cls }, text));
    }
    return p({ class: cls, 'aria-label': t('room.proposal.againstCurrent') }, renderDiff(wordDiff(current.text, text)));
  }
  if (rec.op === 'delete') {
    if (!open || !current) return null;
    return p({ class: cls }, renderDiff([{ op: '-', text: current.text }]));
  }
  return null; // a move: the summary says it all; a closed resolve or bracket: the result says it
}

/** The effective change of an open proposal against the clause as the room has it now. */
function effectiveView(rec, current, cls) {
  const eff = rec.effective;
  if (eff.conflict) {
    return h('div', { class: 'effective effective--conflict', dataset: { effectiveConflict: 'true' } },
      h('p', { class: 'effective-conflict', role: 'note' },
        h('strong', null, t('room.effective.cannotApply'), ' '),
        eff.problem && currentLanguage() === 'en' ? eff.problem : t('room.effective.sameplace'),
        ' ', t('room.effective.nothing')),
      rec.text != null ? h('details', { class: 'proposal-text' }, h('summary', null, t('room.effective.asProposed')), h('p', { class: cls, dir: 'auto' }, rec.text)) : null);
  }
  const moved = rec.base && current && current.rev !== rec.base;
  const note = moved && rec.op !== 'insert'
    ? h('p', { class: 'hint effective-note' }, t('room.effective.changedSince'))
    : null;
  if (rec.op === 'move') return null;
  if (rec.op === 'delete' || eff.text == null) {
    if (!current) return null;
    return h('p', { class: cls, dir: 'auto', dataset: { effective: '' }, 'aria-label': t('room.effective.wouldDelete') },
      renderDiff([{ op: '-', text: current.text }]));
  }
  if (rec.op === 'insert' || !current) {
    return h('p', { class: cls, dir: 'auto', dataset: { effective: eff.text }, 'aria-label': t('room.effective.newClause') }, renderDiff([{ op: '+', text: eff.text }]));
  }
  if (rec.op === 'resolve') return [resolveView(rec, current.text, eff.text, cls), note];
  if (rec.op === 'bracket') return bracketProposalView(rec, current.text, eff.text, cls);
  return [h('p', { class: cls, dir: 'auto', dataset: { effective: eff.text }, 'aria-label': t('room.effective.wouldChange') },
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
    if (result == null) return h('p', { class: 'hint' }, t('room.resolve.gone'));
    return h('p', { class: cls, dir: 'auto', dataset: { effective: result } }, renderDiff(wordDiff(text, result)));
  }
  const removed = b.alternatives.filter((_, i) => i !== rec.choose);
  const keptWords = (a) => (a.wording === '' ? t('room.resolve.deleteWords') : t('room.quoted', { words: a.wording }));
  const whose = (a) => h('span', null, stateChip(a.state, nameOf(a.state)), ' ', nameOf(a.state) ?? a.state);
  // The wording as tabled is the sponsors' text, not a state's: "the wording as tabled (CHN, RUS)".
  const tabled = state.sponsors.length
    ? t('room.resolve.tabledWording', { codes: state.sponsors.join(', ') }) : t('room.resolve.tabledWordingNoSponsors');
  const removedWords = (a, i) => [i ? ', ' : null, a.state === TABLED
    ? tn('room.resolve.tabledWords', { tabled, words: keptWords(a) })
    : tn('room.resolve.whoseWords', { who: whose(a), words: keptWords(a) })];
  const keptTabled = kept.state === TABLED;
  const sentence = h('p', { class: 'resolve-what' },
    removed.length
      ? tn(keptTabled ? 'room.resolve.keepsTabledRemoves' : 'room.resolve.keepsRemoves', { who: keptTabled ? null : whose(kept), tabled, words: h('strong', null, keptWords(kept)),
        removed: removed.map(removedWords).flat(Infinity) })
      : tn(keptTabled ? 'room.resolve.keepsTabled' : 'room.resolve.keeps', { who: keptTabled ? null : whose(kept), tabled, words: h('strong', null, keptWords(kept)) }));
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
    h('p', { class: cls, dir: 'auto', dataset: { effective: shown }, 'aria-label': t('room.resolve.resolvedClause') }, renderDiff(diff.filter((d) => d.text))),
    result != null && result !== plain
      ? [h('p', { class: 'hint' }, t('room.resolve.elsewhere')),
        h('p', { class: cls, dir: 'auto' }, renderDiff(wordDiff(text, result)))]
      : null);
}

/** A bracket proposal: which words it disputes, the wording it offers, and the clause with the bracket. */
function bracketProposalView(rec, text, result, cls) {
  const bytes = new TextEncoder().encode(text);
  const words = Number.isInteger(rec.start) && Number.isInteger(rec.end) && rec.end <= bytes.length
    ? new TextDecoder().decode(bytes.slice(rec.start, rec.end)) : null;
  const by = rec.by ?? {};
  return h('div', { class: 'bracket-change' },
    h('p', { class: 'resolve-what' }, tn(
      words ? (rec.text ? 'room.bracketProposal.wordsWith' : 'room.bracketProposal.wordsDelete')
        : (rec.text ? 'room.bracketProposal.alternativeWith' : 'room.bracketProposal.alternativeDelete'),
      { words: h('strong', { dir: 'auto' }, t('room.quoted', { words: words ?? '' })), who: h('span', null, stateChip(by.state, by.name), ' ', by.name ?? by.state),
        wording: h('strong', { dir: 'auto' }, t('room.quoted', { words: rec.text ?? '' })) })),
    h('p', { class: cls, dir: 'auto', dataset: { effective: result }, 'aria-label': t('room.bracketProposal.clause') }, textWithBrackets(result, nameOf, state.sponsors)));
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
    parts.push(h('p', { class: 'proposal-support' }, h('span', { class: 'label-inline' }, t('room.support.by'), ' '),
      supporters.map((c) => [stateChip(c, nameOf(c)), ' ', h('span', { class: 'support-name' }, nameOf(c)), ' '])));
  } else if (OPEN.has(rec.status)) {
    parts.push(h('p', { class: 'proposal-support muted' }, t('room.support.none')));
  }
  if (sponsors.length && rec.status === 'tabled') {
    const backs = (c) => c === rec.by?.state || supporters.includes(c);
    const yes = sponsors.filter(backs).length;
    parts.push(h('p', { class: 'sponsor-progress' },
      h('span', { class: 'label-inline' }, t('room.support.sponsorsInFavour', { yes, total: sponsors.length }), ' '),
      h('span', { class: 'visually-hidden' }, t('room.support.allMakeFriendly'), ' '),
      h('span', { class: 'chips' }, sponsors.map((c) => h('span', { class: ['sponsor', backs(c) ? 'sponsor--yes' : 'sponsor--no'] },
        stateChip(c, nameOf(c)), h('span', { 'aria-hidden': 'true' }, backs(c) ? ' ✓' : ' …'),
        h('span', { class: 'visually-hidden' }, ' ', backs(c) ? t('room.support.supports') : t('room.support.notYet')))))));
  }
  return parts;
}

function voteView(rec) {
  if (!rec.vote) return null;
  const c = counts(rec);
  return h('p', { class: 'proposal-vote' },
    h('span', { class: 'label-inline' }, t('room.vote.thresholdLabel', { threshold: thresholdLabel(rec.vote.threshold) }), ' '),
    t('room.vote.counts', c),
    rec.status === 'voting' ? [' · ', h('a', { href: '#vote' }, t('room.vote.isOpen'))] : null);
}

function resultView(rec) {
  switch (rec.status) {
    case 'adopted': {
      const commit = rec.result?.commit;
      const href = commit && rec.clause ? `${paths.clause(state.slug, rec.clause)}#amend-${commit}` : paths.log(state.slug);
      return h('p', { class: 'proposal-result proposal-result--adopted' },
        rec.vote ? t('room.result.adoptedVote', { tally: tallyText(counts(rec)) }) : t('room.result.adoptedFriendly'), ' ',
        commit ? h('a', { href }, t('room.result.seeHistory')) : null);
    }
    case 'rejected':
      return h('p', { class: 'proposal-result' }, t('room.result.rejected', { tally: tallyText(counts(rec)) }));
    case 'withdrawn':
      return h('p', { class: 'proposal-result' }, t('room.result.withdrawn'));
    case 'conflict':
      return h('p', { class: 'proposal-result proposal-result--conflict' },
        t('room.result.conflict'));
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
      if ((rec.supporters ?? []).includes(you.state)) out.push(h('span', { class: 'you-did' }, t('room.act.youSupport')));
      else out.push(actButton(n, 'support', t('room.act.support', { n }), 'button--primary', { type: 'support', proposal: n }, t('room.act.supported', { n })));
    }
    if (mine) {
      out.push(h('span', { class: 'you-did' }, t('room.act.youTabled')));
      if (!withdrawing.has(n)) {
        out.push(h('button', {
          type: 'button', class: 'button button--quiet', dataset: { focusKey: `withdraw-${n}`, action: 'withdraw' },
          onclick: () => { withdrawing.add(n); errors.delete(n); renderProposals(); focusIn(n, `withdraw-yes-${n}`); },
        }, t('room.act.withdrawAsk', { n })));
      }
    }
    if (isChair()) out.push(chairOpen(rec));
  } else if (rec.status === 'voting') {
    out.push(h('a', { href: '#vote', class: 'button button--link' }, t('room.link.vote')));
  } else if (rec.status === 'conflict' && mine && rec.op === 'replace' && state.clauses.has(rec.clause)) {
    out.push(h('button', {
      type: 'button', class: 'button', dataset: { focusKey: `retable-${n}` },
      onclick: () => openEditEditor(rec.clause, { text: rec.text, note: rec.note ?? '' }),
    }, t('room.act.retable')));
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
  const yes = actButton(n, 'withdraw-yes', t('room.act.withdraw', { n }), 'button--danger', { type: 'withdraw', proposal: n }, t('room.act.withdrew', { n }));
  yes.addEventListener('click', () => withdrawing.delete(n)); // the card is redrawn after the reply
  return h('div', { class: 'confirm proposal-confirm', role: 'group', 'aria-labelledby': qId },
    h('p', { class: 'confirm-question', id: qId }, h('strong', null, t('room.act.withdrawQuestion', { n })),
      ' ', t('room.act.withdrawExplain')),
    h('p', { class: 'actions' }, yes, ' ',
      h('button', {
        type: 'button', class: 'button', dataset: { focusKey: `withdraw-no-${n}` },
        onclick: () => { withdrawing.delete(n); renderProposals(); focusIn(n, `withdraw-${n}`); },
      }, t('common.cancel'))));
}

function focusIn(n, key) {
  els.proposals?.querySelector(`#proposal-${n} [data-focus-key="${key}"]`)?.focus();
}

function chairOpen(rec) {
  const n = rec.n;
  const id = `threshold-${n}`;
  const select = h('select', { id, class: 'input input--select input--inline', dataset: { focusKey: `threshold-${n}` } },
    THRESHOLDS.map((x) => h('option', { value: x.value, title: t(x.rule) }, t(x.label))));
  select.value = thresholds.get(n) ?? 'simple';
  select.addEventListener('change', () => thresholds.set(n, select.value));
  const busy = openVote();
  const button = actButton(n, 'open', t('room.act.openVote', { n }), 'button--primary',
    () => ({ type: 'open_vote', proposal: n, threshold: select.value }), null);
  if (busy) button.disabled = true;
  return h('span', { class: 'chair-open' },
    h('label', { for: id, class: 'label-inline' }, t('room.act.threshold')), ' ', select, ' ', button,
    busy ? h('span', { class: 'hint' }, ' ', t('room.act.closeFirst', { n: busy.n })) : null);
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
      h('span', { class: 'label-inline' }, t('room.refs.label', { count: list.length }), ' '),
      list.map((rec, i) => [i ? ', ' : null,
        h('a', { href: `#proposal-${rec.n}` }, t(rec.op === 'insert' ? 'room.refs.insert' : 'room.refs.item', {
          n: rec.n, status: statusLabel(rec.status).toLocaleLowerCase(locale()), who: rec.by?.name ?? rec.by?.state })) ]));
    parts.proposalRefs.hidden = false;
  }
}
