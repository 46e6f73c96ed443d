// The clause-history view: the current text with per-word blame coloured by state, and the
// timeline of every amendment of the clause (oldest first) with its word diff; amendments that
// adopted a proposal (by vote, with the tally, or as a friendly amendment) are marked so.
import { h, replaceChildren, srOnly, timeEl, formatTime } from './dom.js';
import { opLabel, clauseName, capitalize, rosterNames, nameIn, TABLED, tabledName, proponentLabel } from './labels.js';
import { adoptionMark } from './adoption.js';
import { parseLocation, paths, api } from './api.js';
import { stateChip, paintState } from './colors.js';
import { renderDiff, wordDiff, diffStats } from './diff.js';
import { notationRanges } from './bracket-notation.js';
import { decorateNotation } from './bracket-view.js';
import { DraftSocket } from './socket.js';
import { withCode, notFoundPage } from './page.js';

const loc = parseLocation();
const app = document.getElementById('app');
let socket = null;

if (!loc || loc.page !== 'clause') notFoundPage(app);
else withCode(app, loc.slug, (code) => load(code, true));

async function load(code, first) {
  const { slug, clause: id } = loc;
  const [draft, history, blame] = await Promise.all([
    api.draft(slug, code),
    api.history(slug, id, code),
    api.blame(slug, id, code).catch((err) => {
      if (err.status === 404 || err.status === 410) return null; // a deleted clause has no current text
      throw err;
    }),
  ]);
  render(draft, history, blame);
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

function render(draft, history, blame) {
  const { slug, clause: id } = loc;
  const clause = (draft.clauses ?? []).find((c) => c.id === id) ?? null;
  const entries = history.entries ?? [];
  const byCommit = new Map(entries.map((e) => [e.commit, e]));
  const title = clauseTitle(clause, draft);
  document.title = `${title} — history — ${draft.title} — plenary`;
  const last = entries[entries.length - 1];
  const deleted = !clause || (last && (last.op === 'delete' || last.text === null));

  const backHref = `${paths.room(slug)}${clause ? `#clause-${id}` : ''}`;
  const header = h('header', { class: 'doc-header' },
    h('p', { class: 'doc-kicker' }, h('span', null, 'Clause history'), ' · ', h('span', null, draft.title)),
    h('h1', { class: 'doc-title' }, title),
    h('nav', { class: 'doc-nav', 'aria-label': 'Draft' },
      h('a', { href: backHref, class: 'link-button' }, h('span', { 'aria-hidden': 'true' }, '← '), 'Back to the drafting room'),
      ' ',
      h('a', { href: paths.log(slug), class: 'link-button' }, 'Amendment log')));

  const current = h('section', { class: 'current', 'aria-labelledby': 'current-title' });
  if (deleted) {
    const lastText = [...entries].reverse().find((e) => typeof e.text === 'string')?.text ?? '';
    current.append(
      h('h2', { id: 'current-title' }, 'This clause is deleted'),
      h('p', { class: 'notice notice--deleted', role: 'note' },
        last ? ['It was deleted by ', stateChip(last.by?.state, last.by?.name), ' ', last.by?.name ?? last.by?.state, ' on ', timeEl(last.at), '. Its history is kept below.']
          : 'It is no longer in the draft. Its history is kept below.'),
      lastText ? h('div', { class: 'last-text' },
        h('h3', { class: 'small-title' }, 'Last text before deletion'),
        h('p', { class: 'clause-text clause-text--gone' }, lastText)) : null);
  } else {
    current.append(h('h2', { id: 'current-title' }, 'Current text, by who wrote each part'));
    current.append(renderBlame(clause, blame, byCommit, rosterNames(draft.delegations), draft.sponsors));
  }

  const timeline = h('ol', { class: 'timeline' });
  entries.forEach((e, i) => {
    const prevText = i > 0 ? entries[i - 1].text ?? '' : '';
    timeline.append(renderEntry(e, i + 1, prevText));
  });
  const amendments = h('section', { class: 'amendments', 'aria-labelledby': 'amend-title' },
    h('h2', { id: 'amend-title' }, `Amendments `, h('span', { class: 'count' }, `(${entries.length})`)),
    h('p', { class: 'hint' }, 'Oldest first. Inserted words are underlined, deleted words struck through.'),
    entries.length ? timeline : h('p', { class: 'muted' }, 'No amendments recorded.'));

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
  const text = h('p', { class: ['clause-text', 'blame-text', `blame-text--${clause.kind}`], id: 'blame-text' });
  if (clause.kind === 'operative') text.append(h('span', { class: 'clause-number' }, `${clause.number}.`), ' ');
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
    const label = `${proponentLabel(who, name)}${when ? `, ${when}` : ''}`;
    const descId = `blame-desc-${k}`;
    descriptions.append(h('span', { id: descId }, seg.tabled ? `${label}.` : `Written by ${label}.`));
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
  const legend = h('ul', { class: 'legend', 'aria-label': 'States that wrote this text' },
    [...counts].map(([code, c]) => h('li', { class: 'legend-item', dataset: { state: code } },
      code === TABLED ? null : [stateChip(code, c.name), ' '], h('span', null, c.name),
      h('span', { class: 'legend-count' }, ` — ${c.words} ${c.words === 1 ? 'word' : 'words'}`))));
  return h('div', { class: 'blame' }, text, descriptions,
    h('h3', { class: 'small-title', id: 'legend-title' }, 'Key'), legend,
    h('p', { class: 'hint' }, 'Each part is tinted by the state whose amendment wrote it; hover, focus or select a part to see who and when, and follow it to that amendment.'));
}

function renderEntry(e, n, prevText) {
  const diff = Array.isArray(e.diff) ? e.diff
    : wordDiff(prevText, typeof e.text === 'string' ? e.text : '');
  const stats = diffStats(diff);
  const note = e.note && String(e.note).trim();
  const li = h('li', { class: ['amend', `amend--${e.op}`], id: `amend-${e.commit}`, dataset: { op: e.op, state: e.by?.state ?? '' } },
    h('div', { class: 'amend-head' },
      h('span', { class: 'amend-n' }, `${n}.`),
      stateChip(e.by?.state, e.by?.name),
      h('span', { class: 'amend-who' }, e.by?.name ?? e.by?.state ?? 'Unknown'),
      h('span', { class: 'amend-op' }, opLabel(e.op)),
      timeEl(e.at, 'amend-time')),
    adoptionMark(e),
    note ? h('blockquote', { class: 'amend-note' }, h('span', { class: 'visually-hidden' }, 'Note: '), note)
      : h('p', { class: 'amend-note amend-note--none' }, 'No note.'),
    h('p', { class: 'amend-diff clause-text' }, renderDiff(diff)),
    h('p', { class: 'amend-meta' },
      stats.ins ? `+${stats.ins} ${stats.ins === 1 ? 'word' : 'words'}` : null,
      stats.ins && stats.del ? ' · ' : null,
      stats.del ? `−${stats.del} ${stats.del === 1 ? 'word' : 'words'}` : null,
      stats.ins || stats.del ? ' · ' : null,
      'commit ', h('code', { title: e.commit }, String(e.commit ?? '').slice(0, 10))));
  paintState(li, e.by?.state);
  return li;
}
