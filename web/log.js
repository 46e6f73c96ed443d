// The whole-draft log: every amendment, newest first, with the chair's stage commits and the
// amendments that adopted a proposal marked as such.
import { startI18n } from './i18n.js';
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
  document.title = `Amendment log — ${draft.title} — plenary`;
  const rows = entries.map((e) => {
    const c = e.clause ? clauses.get(e.clause) : null;
    const clauseCell = e.clause
      ? h('a', { href: paths.clause(loc.slug, e.clause) }, clauseName(c, c?.preambleIndex), h('span', { class: 'clause-id' }, ` (${e.clause})`))
      : h('span', { class: 'muted' }, 'whole draft');
    const note = e.note && String(e.note).trim();
    return h('tr', { class: ['log-row', `log-row--${e.op}`], dataset: { commit: e.commit, op: e.op, state: e.by?.state ?? '' } },
      h('td', { 'data-label': 'When' }, timeEl(e.at)),
      h('td', { 'data-label': 'State' }, stateChip(e.by?.state, e.by?.name), ' ', h('span', { class: 'log-name' }, e.by?.name ?? e.by?.state ?? '')),
      h('td', { 'data-label': 'Change' }, changeCell(e)),
      h('td', { 'data-label': 'Clause' }, clauseCell),
      h('td', { 'data-label': 'Note', class: 'log-note' }, note ? note : h('span', { class: 'muted' }, '—')));
  });
  replaceChildren(app,
    h('header', { class: 'doc-header' },
      h('p', { class: 'doc-kicker' }, h('span', null, 'Amendment log'), ' · ', h('span', { class: 'slug' }, loc.slug),
        draft.stage ? [' · ', h('span', { class: 'stage-badge', dataset: { stage: draft.stage } }, stageLabel(draft.stage))] : null),
      h('h1', { class: 'doc-title' }, draft.title),
      h('nav', { class: 'doc-nav', 'aria-label': 'Draft' },
        h('a', { href: paths.room(loc.slug), class: 'link-button' }, h('span', { 'aria-hidden': 'true' }, '← '), 'Back to the drafting room'),
        h('a', { href: paths.compare(loc.slug), class: 'link-button' }, 'Compare versions'))),
    h('section', { class: 'log', 'aria-labelledby': 'log-title' },
      h('h2', { id: 'log-title' }, 'Every amendment, newest first ', h('span', { class: 'count' }, `(${entries.length})`)),
      h('table', { class: 'log-table' },
        h('caption', { class: 'visually-hidden' }, 'Amendments of this draft, newest first'),
        h('thead', null, h('tr', null,
          ['When', 'State', 'Change', 'Clause', 'Note'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rows))));
}
