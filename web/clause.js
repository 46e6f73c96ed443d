// The clause-history view: the current text with per-word blame coloured by state, and the
// timeline of every amendment of the clause (oldest first) with its word diff; amendments that
// adopted a proposal (by vote, with the tally, or as a friendly amendment) are marked so. The
// comments on the clause, on its words and on the proposals that change it are in the timeline
// too, in time order, each on a proposal labelled with it.
import { startI18n, t, tn, formatNumber } from './i18n.js';
import { h, replaceChildren, srOnly, timeEl, formatTime } from './dom.js';
import { opLabel, clauseName, capitalize, rosterNames, nameIn, TABLED, tabledName } from './labels.js';
import { adoptionMark } from './adoption.js';
import { parseLocation, paths, api } from './api.js';
import { stateChip, paintState } from './colors.js';
import { renderDiff, wordDiff, diffStats } from './diff.js';
import { notationRanges } from './bracket-notation.js';
import { decorateNotation } from './bracket-view.js';
import { DraftSocket } from './socket.js';
import { withCode, notFoundPage } from './page.js';

// The language first: everything below draws in it (i18n.js).
await startI18n();
const loc = parseLocation();
const app = document.getElementById('app');
let socket = null;
// The proposals that inserted this clause (an adopted insert, from the history's entries): their
// threads have no clause (docs/extensions.md, "Comments"), so `?clause=` does not give them.
let insertedBy = new Set();

if (!loc || loc.page !== 'clause') notFoundPage(app);
else withCode(app, loc.slug, (code) => load(code, true));

async function load(code, first) {
  const { slug, clause: id } = loc;
  const [draft, history, blame, comments] = await Promise.all([
    api.draft(slug, code),
    api.history(slug, id, code),
    api.blame(slug, id, code).catch((err) => {
      if (err.status === 404 || err.status === 410) return null; // a deleted clause has no current text
      throw err;
    }),
    api.comments(slug, id, code).catch(() => ({ threads: [] })), // a server without comments
  ]);
  // The threads on a proposal that changes this clause come with it (their anchor names the
  // proposal's clause); a proposal that inserted it has none: all threads are read for its own,
  // only then (one more request on such a clause's page).
  insertedBy = new Set((history.entries ?? []).filter((e) => e.op === 'insert' && Number.isInteger(e.proposal)).map((e) => e.proposal));
  const threads = comments.threads ?? [];
  if (insertedBy.size) {
    const all = await api.comments(slug, null, code).catch(() => ({ threads: [] }));
    const known = new Set(threads.map((th) => th.n));
    for (const th of all.threads ?? []) {
      if (th.anchor?.kind === 'proposal' && insertedBy.has(th.anchor.proposal) && !known.has(th.n)) threads.push(th);
    }
  }
  render(draft, history, blame, threads);
  if (first) watch(code);
}

/** Live refresh: reload when an amendment of this clause arrives (and after a reconnection). */
function watch(code) {
  let timer = null;
  let welcomed = false;
  const reload = () => {
    clearTimeout(timer);
    timer = setTimeout(() => load(code, false).catch(() => { /* next event retries */ }), 150);
  };
  socket = new DraftSocket(loc.slug, code, {
    onWelcome() { if (welcomed) reload(); welcomed = true; },
    onEvent(msg) {
      if (msg.type === 'amended' && (msg.clause?.id === loc.clause)) reload();
      else if (msg.type === 'thread' && (msg.thread?.anchor?.clause === loc.clause || insertedBy.has(msg.thread?.anchor?.proposal))) reload();
      else if (msg.type === 'amended' && msg.op === 'move') reload(); // the clause's number may change
    },
    onJoinError() { socket = null; },
  });
  socket.start();
}

function clauseTitle(clause, draft) {
  const pre = clause?.kind === 'preamble'
    ? draft.clauses.filter((c) => c.kind === 'preamble').findIndex((c) => c.id === clause.id) + 1 : null;
  return capitalize(clauseName(clause, pre));
}

function render(draft, history, blame, threads = []) {
  const { slug, clause: id } = loc;
  const clause = (draft.clauses ?? []).find((c) => c.id === id) ?? null;
  const entries = history.entries ?? [];
  const byCommit = new Map(entries.map((e) => [e.commit, e]));
  const title = clauseTitle(clause, draft);
  document.title = t('history.docTitle', { clause: title, title: draft.title });
  const last = entries[entries.length - 1];
  const deleted = !clause || (last && (last.op === 'delete' || last.text === null));

  const backHref = `${paths.room(slug)}${clause ? `#clause-${id}` : ''}`;
  const header = h('header', { class: 'doc-header' },
    h('p', { class: 'doc-kicker' }, h('span', null, t('history.kicker')), ' · ', h('span', { dir: 'auto' }, draft.title)),
    h('h1', { class: 'doc-title' }, title),
    h('nav', { class: 'doc-nav', 'aria-label': t('room.navLabel') },
      h('a', { href: backHref, class: 'link-button' }, h('span', { 'aria-hidden': 'true', class: 'back-arrow' }, '← '), t('page.backToRoom')),
      ' ',
      h('a', { href: paths.log(slug), class: 'link-button' }, t('room.logLink'))));

  const current = h('section', { class: 'current', 'aria-labelledby': 'current-title' });
  if (deleted) {
    const lastText = [...entries].reverse().find((e) => typeof e.text === 'string')?.text ?? '';
    current.append(
      h('h2', { id: 'current-title' }, t('history.deleted')),
      h('p', { class: 'notice notice--deleted', role: 'note' },
        last ? tn('history.deletedBy', { who: h('span', null, stateChip(last.by?.state, last.by?.name), ' ', last.by?.name ?? last.by?.state), when: timeEl(last.at) })
          : t('history.gone')),
      lastText ? h('div', { class: 'last-text' },
        h('h3', { class: 'small-title' }, t('history.lastText')),
        h('p', { class: 'clause-text clause-text--gone', dir: 'auto' }, lastText)) : null);
  } else {
    current.append(h('h2', { id: 'current-title' }, t('history.current')));
    current.append(renderBlame(clause, blame, byCommit, rosterNames(draft.delegations), draft.sponsors));
  }

  const timeline = h('ol', { class: 'timeline' });
  const said = commentItems(threads);
  entries.forEach((e, i) => {
    // The comments written before this amendment come first: the timeline is in time order.
    while (said.length && Date.parse(said[0].at) < Date.parse(e.at)) timeline.append(renderComment(said.shift()));
    const prevText = i > 0 ? entries[i - 1].text ?? '' : '';
    timeline.append(renderEntry(e, i + 1, prevText));
  });
  for (const c of said) timeline.append(renderComment(c));
  const amendments = h('section', { class: 'amendments', 'aria-labelledby': 'amend-title' },
    h('h2', { id: 'amend-title' }, t('history.amendments'), ' ', h('span', { class: 'count' }, t('room.paren', { text: formatNumber(entries.length) }))),
    h('p', { class: 'hint' }, t('history.hint')),
    entries.length ? timeline : h('p', { class: 'muted' }, t('history.none')));

  replaceChildren(app, header, current, amendments);
  if (location.hash.startsWith('#amend-')) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

/**
 * `names`: the draft's roster (rosterNames). A segment is named by its state, not by its commit's
 * author: blame gives a bracket's alternative to the state its code names, while the commit is
 * the one that wrote those bytes (procedure.md, "Bracketed text"). Words still as tabled
 * (`"tabled": true`: the first commit's, which the chair made, or a `TABLED` alternative's) are
 * the text as tabled, named with the draft's `sponsors` (docs/extensions.md), not the chair's.
 */
function renderBlame(clause, blame, byCommit, names, sponsors) {
  const segments = blame?.segments ?? [{ text: clause.text, state: clause.by, commit: clause.rev }];
  const counts = new Map();
  const text = h('p', { class: ['clause-text', 'blame-text', `blame-text--${clause.kind}`], id: 'blame-text', dir: 'auto' });
  if (clause.kind === 'operative') text.append(h('span', { class: 'clause-number' }, t('room.clauseNumber', { n: clause.number })), ' ');
  const notation = notationRanges(segments.map((seg) => String(seg.text)).join('')); // brackets (procedure.md)
  const nameOf = (code) => {
    if (code === TABLED) return tabledName(sponsors);
    if (names.has(code)) return names.get(code);
    const by = [...byCommit.values()].find((e) => e.by?.state === code)?.by;
    return by?.name ?? nameIn(names, code);
  };
  // Who wrote each part is not read between the words (the text reads as the text, also when
  // copied): each part is focusable and has one accessible description, kept in a hidden list.
  const descriptions = h('div', { hidden: true, id: 'blame-descriptions' });
  let offset = 0;
  segments.forEach((seg, k) => {
    const entry = byCommit.get(seg.commit);
    const who = seg.tabled ? TABLED : seg.state;
    const name = nameOf(who);
    const when = entry ? formatTime(entry.at) : '';
    const words = (String(seg.text).match(/\S+/g) ?? []).length;
    const c = counts.get(who) ?? { name, words: 0 };
    c.words += words;
    counts.set(who, c);
    // The words as tabled are named alone ("Text as tabled (CHN, RUS)"), as no one's writing.
    const label = seg.tabled
      ? (when ? t('history.tabledWhen', { name, when }) : name)
      : (when ? t('history.segWhen', { name, code: seg.state, when }) : t('dispute.altWhoPlain', { name, code: seg.state }));
    const descId = `blame-desc-${k}`;
    descriptions.append(h('span', { id: descId }, seg.tabled ? t('history.tabledDesc', { label }) : t('history.writtenBy', { label })));
    const el = h(entry ? 'a' : 'span', {
      class: 'blame-seg',
      href: entry ? `#amend-${seg.commit}` : null,
      title: label,
      'aria-describedby': descId,
      dataset: { state: who ?? '', commit: seg.commit ?? '', label, ...(seg.tabled ? { tabled: 'true' } : {}) },
      tabindex: entry ? null : '0',
    }, decorateNotation(seg.text, offset, notation, nameOf));
    offset += String(seg.text).length;
    paintState(el, who);
    text.append(el);
  });
  const legend = h('ul', { class: 'legend', 'aria-label': t('history.legendLabel') },
    [...counts].map(([code, c]) => h('li', { class: 'legend-item', dataset: { state: code } },
      code === TABLED ? null : [stateChip(code, c.name), ' '], h('span', null, c.name),
      h('span', { class: 'legend-count' }, ' — ', t('history.words', { count: c.words })))));
  return h('div', { class: 'blame' }, text, descriptions,
    h('h3', { class: 'small-title', id: 'legend-title' }, t('history.key')), legend,
    h('p', { class: 'hint' }, t('history.keyHint')));
}

function renderEntry(e, n, prevText) {
  const diff = Array.isArray(e.diff) ? e.diff
    : wordDiff(prevText, typeof e.text === 'string' ? e.text : '');
  const stats = diffStats(diff);
  const note = e.note && String(e.note).trim();
  const li = h('li', { class: ['amend', `amend--${e.op}`], id: `amend-${e.commit}`, dataset: { op: e.op, state: e.by?.state ?? '' } },
    h('div', { class: 'amend-head' },
      h('span', { class: 'amend-n' }, t('room.clauseNumber', { n })),
      stateChip(e.by?.state, e.by?.name),
      h('span', { class: 'amend-who', dir: 'auto' }, e.by?.name ?? e.by?.state ?? t('history.unknown')),
      h('span', { class: 'amend-op' }, opLabel(e.op)),
      timeEl(e.at, 'amend-time')),
    adoptionMark(e),
    note ? h('blockquote', { class: 'amend-note', dir: 'auto' }, h('span', { class: 'visually-hidden' }, t('room.proposal.notePrefix'), ' '), note)
      : h('p', { class: 'amend-note amend-note--none' }, t('history.noNote')),
    h('p', { class: 'amend-diff clause-text', dir: 'auto' }, renderDiff(diff)),
    h('p', { class: 'amend-meta' },
      stats.ins ? h('bdi', null, '+', t('history.words', { count: stats.ins })) : null,
      stats.ins && stats.del ? ' · ' : null,
      stats.del ? h('bdi', null, '−', t('history.words', { count: stats.del })) : null,
      stats.ins || stats.del ? ' · ' : null,
      tn('history.commit', { commit: h('code', { title: e.commit }, String(e.commit ?? '').slice(0, 10)) })));
  paintState(li, e.by?.state);
  return li;
}

// ---------------------------------------------------------------- comments in the timeline

/** The words of the comments in the timeline: catalog keys "history.comment.*". */
const COMMENT_TEXT = {
  opened: () => t('history.comment.opened'),
  replied: () => t('history.comment.replied'),
  resolved: () => t('history.comment.resolved'),
  onWords: (quote) => t('history.comment.onWords', { quote }),
  onProposal: (n) => t('history.comment.onProposal', { n }),
  thread: (n) => t('history.comment.thread', { n }),
};

/** Each comment of `threads` (and each resolution) as a timeline item, oldest first. */
function commentItems(threads) {
  const items = [];
  for (const t of threads) {
    (t.comments ?? []).forEach((c, i) => items.push({ thread: t, at: c.at, by: c.by, text: c.text, kind: i === 0 ? 'opened' : 'replied' }));
    if (t.status === 'resolved' && t.resolved_at) items.push({ thread: t, at: t.resolved_at, by: t.resolved_by, text: null, kind: 'resolved' });
  }
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function renderComment(c) {
  const t = c.thread;
  const li = h('li', { class: ['amend', 'amend--comment'], id: `thread-${t.n}-${Date.parse(c.at)}`, dataset: { thread: String(t.n), state: c.by?.state ?? '', ...(t.anchor?.kind === 'proposal' ? { proposal: String(t.anchor.proposal) } : {}) } },
    h('div', { class: 'amend-head' },
      h('span', { class: 'amend-n amend-n--comment', 'aria-hidden': 'true' }),
      stateChip(c.by?.state, c.by?.name),
      h('span', { class: 'amend-who' }, c.by?.name ?? c.by?.state ?? ''),
      h('span', { class: 'amend-op' }, COMMENT_TEXT[c.kind](), ' ',
        t.anchor?.kind === 'span' ? COMMENT_TEXT.onWords(t.anchor.quote)
          : t.anchor?.kind === 'proposal' ? COMMENT_TEXT.onProposal(t.anchor.proposal) : null,
        ' (', COMMENT_TEXT.thread(t.n), ')'),
      timeEl(c.at, 'amend-time')),
    c.text ? h('blockquote', { class: 'amend-note amend-comment' }, c.text) : null);
  paintState(li, c.by?.state);
  return li;
}
