// The whole-draft log: every amendment, newest first, with the chair's stage commits and the
// amendments that adopted a proposal marked as such.
import { startI18n, t, formatNumber } from './i18n.js';
import { h, replaceChildren, timeEl } from './dom.js';
import { opLabel, clauseName, stageChangeLabel, adoptionText, stageLabel } from './labels.js';
import { parseLocation, paths, api } from './api.js';
import { stateChip } from './colors.js';
import { DraftSocket } from './socket.js';
import { withCode, notFoundPage } from './page.js';

// The language first: everything below draws in it (i18n.js).
await startI18n();
const loc = parseLocation();
const app = document.getElementById('app');

if (!loc || loc.page !== 'log') notFoundPage(app);
else withCode(app, loc.slug, (code) => load(code, true));

async function load(code, first) {
  const [draft, log] = await Promise.all([api.draft(loc.slug, code), api.log(loc.slug, code)]);
  render(draft, log.entries ?? []);
  if (first) watch(code);
}

function watch(code) {
  let timer = null;
  let welcomed = false;
  const reload = () => {
    clearTimeout(timer);
    timer = setTimeout(() => load(code, false).catch(() => { /* next event retries */ }), 150);
  };
  const socket = new DraftSocket(loc.slug, code, {
    onWelcome() { if (welcomed) reload(); welcomed = true; },
    onEvent(msg) { if (msg.type === 'amended' || msg.type === 'staged' || msg.type === 'sponsored') reload(); },
    onJoinError() { socket.stop(); },
  });
  socket.start();
}

/** The kind of change; a stage commit names its stage, an adopted proposal says how it was adopted. */
function changeCell(e) {
  if (e.op === 'stage') return stageChangeLabel(e.stage);
  const adopted = adoptionText(e);
  if (!adopted) return opLabel(e.op);
  return [opLabel(e.op), h('span', { class: ['log-adopted', e.adopted === 'friendly' ? 'log-adopted--friendly' : null] }, adopted)];
}

function render(draft, entries) {
  const clauses = new Map();
  let p = 0;
  for (const c of draft.clauses ?? []) clauses.set(c.id, { ...c, preambleIndex: c.kind === 'preamble' ? ++p : null });
  document.title = t('log.docTitle', { title: draft.title });
  const rows = entries.map((e) => {
    const c = e.clause ? clauses.get(e.clause) : null;
    const clauseCell = e.clause
      ? h('a', { href: paths.clause(loc.slug, e.clause) }, clauseName(c, c?.preambleIndex), ' ', h('bdi', { class: 'clause-id' }, t('room.paren', { text: e.clause })))
      : h('span', { class: 'muted' }, t('log.wholeDraft'));
    const note = e.note && String(e.note).trim();
    return h('tr', { class: ['log-row', `log-row--${e.op}`], dataset: { commit: e.commit, op: e.op, state: e.by?.state ?? '' } },
      h('td', { 'data-label': t('log.col.when') }, timeEl(e.at)),
      h('td', { 'data-label': t('log.col.state') }, stateChip(e.by?.state, e.by?.name), ' ', h('span', { class: 'log-name', dir: 'auto' }, e.by?.name ?? e.by?.state ?? '')),
      h('td', { 'data-label': t('log.col.change') }, changeCell(e)),
      h('td', { 'data-label': t('log.col.clause') }, clauseCell),
      h('td', { 'data-label': t('log.col.note'), class: 'log-note', dir: 'auto' }, note ? note : h('span', { class: 'muted' }, '—')));
  });
  replaceChildren(app,
    h('header', { class: 'doc-header' },
      h('p', { class: 'doc-kicker' }, h('span', null, t('room.logLink')), ' · ', h('bdi', { class: 'slug' }, loc.slug),
        draft.stage ? [' · ', h('span', { class: 'stage-badge', dataset: { stage: draft.stage } }, stageLabel(draft.stage))] : null),
      h('h1', { class: 'doc-title', dir: 'auto' }, draft.title),
      h('nav', { class: 'doc-nav', 'aria-label': t('room.navLabel') },
        h('a', { href: paths.room(loc.slug), class: 'link-button' }, h('span', { 'aria-hidden': 'true', class: 'back-arrow' }, '← '), t('page.backToRoom')),
        h('a', { href: paths.compare(loc.slug), class: 'link-button' }, t('room.compareLink')))),
    h('section', { class: 'log', 'aria-labelledby': 'log-title' },
      h('h2', { id: 'log-title' }, t('log.title'), ' ', h('span', { class: 'count' }, t('room.paren', { text: formatNumber(entries.length) }))),
      h('table', { class: 'log-table' },
        h('caption', { class: 'visually-hidden' }, t('log.caption')),
        h('thead', null, h('tr', null,
          ['log.col.when', 'log.col.state', 'log.col.change', 'log.col.clause', 'log.col.note'].map((id) => h('th', { scope: 'col' }, t(id))))),
        h('tbody', null, rows))));
}
