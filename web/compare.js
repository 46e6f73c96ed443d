// The compare page (procedure.md, "Versions"): two versions of the draft, clause by clause in the
// order of the newer one, with inserted and deleted words marked (<ins>/<del>: underline and
// strike-through, and "inserted:"/"deleted:" for screen readers), each clause labelled with what
// happened to it ("Added", "Removed", "Changed", "Moved from 3 to 1", "Unchanged") and its number
// before and after ("3 → 2"), removed clauses where they stood. The two versions are picked from
// the named versions (tags) and the amendments of the log; `?from=…&to=…` keeps the comparison
// linkable. Printable (compare.css).
import { startI18n, t, tn, formatDate, locale, errorText } from './i18n.js';
import { h, replaceChildren, srOnly, formatTime } from './dom.js';
import { opLabel, clauseName, stageChangeLabel } from './labels.js';
import { parseLocation, paths, api } from './api.js';
import { renderDiff } from './diff.js';
import { withCode, notFoundPage } from './page.js';

// The language first: everything below draws in it (i18n.js).
await startI18n();
const loc = parseLocation();
const app = document.getElementById('app');
const RECENT = 60; // amendments offered in the pickers besides the versions

// Message ids.
const CHANGE_LABELS = { added: 'compare.change.added', removed: 'compare.change.removed', changed: 'compare.change.changed', moved: 'compare.change.moved', same: 'compare.change.same' };
const KIND_LABELS = { operative: 'compare.kind.operative', preamble: 'compare.kind.preamble', heading: 'compare.kind.heading' };

let ctx = null; // {code, draft, versions, entries}
let hideSame = false;

if (!loc || loc.page !== 'compare') notFoundPage(app);
else withCode(app, loc.slug, load);

async function load(code) {
  const [draft, versions, log] = await Promise.all([
    api.draft(loc.slug, code),
    api.versions(loc.slug, code),
    api.log(loc.slug, code),
  ]);
  ctx = { code, draft, versions: versions.versions ?? [], entries: log.entries ?? [] };
  const { from, to } = wanted();
  if (!new URLSearchParams(location.search).get('from') || !new URLSearchParams(location.search).get('to')) {
    history.replaceState(history.state, '', paths.compare(loc.slug, from, to));
  }
  buildPage();
  await showComparison(from, to);
}

window.addEventListener('popstate', () => {
  if (!ctx) return;
  const { from, to } = wanted();
  setPickers(from, to);
  showComparison(from, to);
});

/** from/to of the address, or the defaults: the last named version before the current text, and the current text. */
function wanted() {
  const q = new URLSearchParams(location.search);
  const head = ctx.draft.head ?? ctx.entries[0]?.commit ?? null;
  const to = q.get('to') || head;
  let from = q.get('from');
  if (!from) {
    const named = [...ctx.versions].reverse().find((v) => v.commit !== head && v.name !== to);
    from = named?.name ?? ctx.entries[ctx.entries.length - 1]?.commit ?? head;
  }
  return { from, to };
}

// ---------------------------------------------------------------- the page

const ui = {};

function buildPage() {
  const { draft } = ctx;
  ui.from = h('select', { id: 'cmp-from', name: 'from', class: 'input input--select cmp-select' });
  ui.to = h('select', { id: 'cmp-to', name: 'to', class: 'input input--select cmp-select' });
  ui.swap = h('button', { type: 'button', class: 'button button--quiet cmp-swap' }, h('span', { 'aria-hidden': 'true' }, '⇄ '), t('compare.swap'));
  ui.hide = h('input', { type: 'checkbox', id: 'cmp-hide-same' });
  ui.hide.checked = hideSame;
  ui.results = h('section', { class: 'cmp-results', 'aria-labelledby': 'cmp-title', 'aria-live': 'polite', 'aria-busy': 'false' });
  const form = h('form', { class: 'cmp-form', novalidate: true, 'aria-label': t('compare.formLabel') },
    h('div', { class: 'cmp-pick' }, h('label', { for: 'cmp-from', class: 'label' }, t('compare.from'), ' ', h('span', { class: 'optional' }, t('compare.fromHint'))), ui.from),
    ui.swap,
    h('div', { class: 'cmp-pick' }, h('label', { for: 'cmp-to', class: 'label' }, t('compare.to'), ' ', h('span', { class: 'optional' }, t('compare.toHint'))), ui.to),
    h('div', { class: 'cmp-go' }, h('button', { type: 'submit', class: 'button button--primary' }, t('compare.submit'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(ui.from.value, ui.to.value);
  });
  ui.swap.addEventListener('click', () => go(ui.to.value, ui.from.value));
  ui.hide.addEventListener('change', () => {
    hideSame = ui.hide.checked;
    ui.results.classList.toggle('cmp-results--hide-same', hideSame);
  });
  const print = h('button', { type: 'button', class: 'button button--quiet' }, t('compare.print'));
  print.addEventListener('click', () => window.print());
  replaceChildren(app,
    h('header', { class: 'doc-header' },
      h('p', { class: 'doc-kicker' }, h('span', null, t('room.compareLink')), ' · ', h('bdi', { class: 'slug' }, loc.slug)),
      h('h1', { class: 'doc-title', dir: 'auto' }, draft.title),
      h('nav', { class: 'doc-nav', 'aria-label': t('room.navLabel') },
        h('a', { href: paths.room(loc.slug), class: 'link-button' }, h('span', { 'aria-hidden': 'true', class: 'back-arrow' }, '← '), t('page.backToRoom')),
        h('a', { href: paths.log(loc.slug), class: 'link-button' }, t('room.logLink')))),
    h('section', { class: 'cmp-controls', 'aria-label': t('compare.choose') },
      form,
      h('div', { class: 'cmp-options' },
        h('p', { class: 'check' }, ui.hide, h('label', { for: 'cmp-hide-same' }, t('compare.hideSame'))),
        print),
      ctx.versions.length ? null : h('p', { class: 'hint' }, t('compare.noVersions'))),
    ui.results);
  const { from, to } = wanted();
  setPickers(from, to);
}

function go(from, to) {
  if (!from || !to) return;
  history.pushState(null, '', paths.compare(loc.slug, from, to));
  setPickers(from, to);
  showComparison(from, to);
}

/** The options of both pickers: the named versions, the current text, recent amendments; plus what the address names. */
function setPickers(from, to) {
  for (const [select, value] of [[ui.from, from], [ui.to, to]]) {
    const groups = pickerGroups();
    const known = new Set(groups.flatMap((g) => g.options.map((o) => o.value)));
    if (value && !known.has(value)) groups.unshift({ label: t('compare.group.address'), options: [{ value, text: describe(value) }] });
    replaceChildren(select, groups.map((g) => h('optgroup', { label: g.label },
      g.options.map((o) => h('option', { value: o.value }, o.text)))));
    select.value = value ?? '';
  }
}

function pickerGroups() {
  const { draft, versions, entries } = ctx;
  const head = draft.head ?? entries[0]?.commit;
  const groups = [];
  if (versions.length) {
    groups.push({
      label: t('compare.group.named'),
      options: [...versions].reverse().map((v) => ({ value: v.name, text: t(v.note ? 'compare.versionNote' : 'compare.version', { name: v.name, time: shortTime(v.at), note: v.note ?? '' }) })),
    });
  }
  if (head) groups.push({ label: t('compare.group.current'), options: [{ value: head, text: t('compare.theCurrentText') }] });
  const recent = entries.slice(0, RECENT).filter((e) => e.commit !== head);
  const first = entries[entries.length - 1];
  if (first && first.commit !== head && !recent.includes(first)) recent.push(first);
  if (recent.length) groups.push({ label: t('compare.group.after'), options: recent.map((e) => ({ value: e.commit, text: entryText(e) })) });
  return groups;
}

function short(commit) {
  return String(commit ?? '').slice(0, 10);
}

/** "27 Nov 2026, 10:15 — Russian Federation: Amended operative clause 3 (1a2b3c4d5e)". */
function entryText(e) {
  const who = e.by?.name ?? e.by?.state ?? '?';
  const c = e.clause ? ctx.draft.clauses?.find((x) => x.id === e.clause) : null;
  const what = e.op === 'stage' ? stageChangeLabel(e.stage)
    : e.clause ? t('compare.opClause', { op: opLabel(e.op), clause: c ? clauseName(c, preambleIndex(c)) : t('compare.clauseId', { id: e.clause }) }) : opLabel(e.op);
  return t('compare.entry', { time: shortTime(e.at), who, what, commit: short(e.commit).slice(0, 7) });
}

/** "27 Nov, 10:15": enough to tell versions and amendments apart in a picker. */
function shortTime(iso) {
  return formatDate(iso, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

function preambleIndex(c) {
  return ctx.draft.clauses.filter((x) => x.kind === 'preamble').findIndex((x) => x.id === c.id) + 1;
}

/** How a version is named in headings: "rev.1", "the current text", "the text after …". */
function describe(value) {
  const v = ctx.versions.find((x) => x.name === value);
  if (v) return v.name;
  const head = ctx.draft.head ?? ctx.entries[0]?.commit;
  if (value === head) return t('compare.currentText');
  const e = ctx.entries.find((x) => x.commit === value || (value.length >= 7 && x.commit.startsWith(value)));
  if (e) return t('compare.textAfter', { who: e.by?.name ?? e.by?.state, time: formatTime(e.at) });
  return t('compare.commit', { commit: short(value) });
}

// ---------------------------------------------------------------- the comparison

let seq = 0;

async function showComparison(from, to) {
  const mine = ++seq;
  ui.results.setAttribute('aria-busy', 'true');
  replaceChildren(ui.results, h('p', { class: 'loading', role: 'status' }, t('compare.comparing')));
  let body;
  try {
    body = await api.compare(loc.slug, from, to, ctx.code);
  } catch (err) {
    if (mine !== seq) return;
    ui.results.setAttribute('aria-busy', 'false');
    replaceChildren(ui.results, h('div', { class: 'cmp-error', role: 'alert' },
      h('h2', { id: 'cmp-title' }, err.status === 404 ? t('compare.noSuchVersion') : t('compare.cannotCompare')),
      h('p', null, err.message ? errorText(err) : t('error.http', { status: err.status })),
      h('p', { class: 'hint' }, t('compare.chooseTwo'))));
    return;
  }
  if (mine !== seq) return;
  ui.results.setAttribute('aria-busy', 'false');
  renderComparison(from, to, body);
}

function renderComparison(from, to, body) {
  const clauses = body.clauses ?? [];
  const counts = { changed: 0, added: 0, removed: 0, moved: 0, same: 0 };
  for (const c of clauses) counts[c.change] = (counts[c.change] ?? 0) + 1;
  const fromName = describe(from);
  const toName = describe(to);
  document.title = t('compare.docTitle', { from: fromName, to: toName, title: ctx.draft.title });
  const parts = [['changed', 'compare.count.changed'], ['added', 'compare.count.added'], ['removed', 'compare.count.removed'], ['moved', 'compare.count.moved'], ['same', 'compare.count.same']]
    .filter(([k]) => counts[k]).map(([k, id]) => t(id, { count: counts[k] }));
  const list = h('ol', { class: 'cmp-list' }, clauses.map(renderClause));
  ui.results.classList.toggle('cmp-results--hide-same', hideSame);
  replaceChildren(ui.results,
    h('h2', { id: 'cmp-title', class: 'cmp-title' },
      h('span', { class: 'cmp-version' }, fromName), h('span', { class: 'cmp-arrow', 'aria-hidden': 'true' }, ' → '),
      srOnly(` ${t('compare.comparedWith')} `), h('span', { class: 'cmp-version' }, toName)),
    h('p', { class: 'cmp-commits' }, tn('compare.commits', {
      from: h('code', { title: body.from }, short(body.from)), to: h('code', { title: body.to }, short(body.to)),
      clauses: t('compare.clauses', { count: clauses.length }), parts: parts.length ? parts.join(t('compare.partsSeparator')) : t('compare.partsNone') })),
    h('p', { class: 'hint cmp-legend' }, t('compare.legend')),
    counts.changed + counts.added + counts.removed + counts.moved === 0
      ? h('p', { class: 'notice cmp-same' }, t('compare.same')) : null,
    list);
}

function renderClause(c) {
  const numbered = c.number_from != null || c.number_to != null;
  let numberText = '';
  if (numbered) {
    numberText = c.number_from === c.number_to ? `${c.number_to}` : `${c.number_from ?? '—'} → ${c.number_to ?? '—'}`;
  }
  const label = changeLabel(c);
  const diff = Array.isArray(c.diff) ? c.diff : [];
  const kind = Object.hasOwn(KIND_LABELS, c.kind) ? t(KIND_LABELS[c.kind]) : String(c.kind ?? '');
  const id = String(c.id ?? '');
  const li = h('li', {
    class: ['cmp-clause', `cmp-clause--${c.change}`, `cmp-kind--${c.kind}`],
    dataset: { clauseId: id, change: c.change ?? '' },
  },
  h('div', { class: 'cmp-head' },
    h('bdi', { class: 'cmp-number', title: numbered ? t('compare.numberTitle') : null },
      numbered ? [srOnly(`${c.number_from === c.number_to ? t('compare.number') : t('compare.numberBeforeAfter')} `), numberText] : ''),
    h('span', { class: 'cmp-kind' }, kind),
    h('span', { class: ['cmp-label', `cmp-label--${c.change}`] }, h('span', { class: 'cmp-icon', 'aria-hidden': 'true' }, ICONS[c.change] ?? ''), label),
    id ? h('a', { class: 'cmp-history', href: paths.clause(loc.slug, id) }, t('room.tool.history'), srOnly(` ${t('compare.historyOf', { kind: kind.toLocaleLowerCase(locale()), n: c.number_to ?? c.number_from ?? '' }).trimEnd()}`)) : null),
  h('p', { class: ['clause-text', 'cmp-text'], dir: 'auto' }, renderDiff(diff)));
  return li;
}

const ICONS = { added: '+', removed: '−', changed: '±', moved: '⇅', same: '=' };

/** "Added", "Removed", "Changed", "Moved from 3 to 1", "Unchanged" (with the renumbering when there is one). */
function changeLabel(c) {
  if (c.change === 'moved') {
    if (c.number_from != null && c.number_to != null) return t('compare.movedFromTo', { from: c.number_from, to: c.number_to });
    return t('compare.change.moved');
  }
  return Object.hasOwn(CHANGE_LABELS, c.change) ? t(CHANGE_LABELS[c.change]) : String(c.change ?? '');
}
