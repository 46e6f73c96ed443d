// The debrief page (/d/<slug>/debrief, docs/extensions.md "Debrief"): who shaped the text, from
// the git record. Four parts, each chart with its data table beside it (the same rows:
// debrief-data.js), colours from the room's per-state palette (colors.js):
//   1. who wrote the text: words per state (bar chart) and per clause (stacked bars);
//   2. activity over time: acts per state per bucket (stacked bars), stage changes and tags marked;
//   3. a sortable table per delegation (every state of the roster, those that did nothing too);
//   4. the journey of the text: tabled -> each tag -> the chosen version, and each clause's
//      word diff from the tabled text with every surviving change attributed.
// Chart.js 3 comes from Debian's libjs-chart.js, served as /vendor/chart.js (a classic script:
// window.Chart); without it the tables carry everything. Printable (debrief.css).
import { h, replaceChildren, srOnly, formatTime } from './dom.js';
import { parseLocation, paths, api } from './api.js';
import { withCode, notFoundPage } from './page.js';
import { stateChip, stateColors, paintState } from './colors.js';
import { stageLabel } from './labels.js';
import { startI18n, t, tn, bdi, formatNumber, formatList, locale, currentLanguage } from './i18n.js';
import {
  TABLED, percent, stateLabel, shareRows, clauseMatrix, clauseLabel, timelineMatrix, markerBucket,
  STATE_COLUMNS, sortStates,
} from './debrief-data.js';

// The language first: everything below draws in it (i18n.js).
await startI18n();

const loc = parseLocation();
const app = document.getElementById('app');
const charts = []; // Chart instances, destroyed on redraw
const MAX_LEGEND = 24; // above this many states the legend is left out (the tables name them)

// A share as the page's language writes it, one decimal ("25,0" in French; the catalog's
// debrief.percent adds the sign): the same as `plenary draft debrief --lang` (exports/words.hpp).
const share = (p) => formatNumber(Number(p), { minimumFractionDigits: 1, maximumFractionDigits: 1 });

let sortKey = 'words';
let sortUp = false;

if (!loc || loc.page !== 'debrief') notFoundPage(app);
else withCode(app, loc.slug, load);

async function load(code) {
  const version = new URLSearchParams(location.search).get('version') || '';
  let d;
  try {
    d = await api.debrief(loc.slug, version, code);
  } catch (err) {
    if (err && err.status === 403 && err.code === 'forbidden') return notOpenYet(err.message);
    if (err && err.status === 404 && version) return unknownVersion(code, version, err.message);
    throw err;
  }
  const versions = await api.versions(loc.slug, code).then((v) => v.versions ?? []).catch(() => []);
  render(d, versions);
}

// The server's sentence in English (the protocol's, more precise); the catalog's otherwise.
function notOpenYet(message) {
  document.title = t('debrief.closedPageTitle');
  replaceChildren(app, h('section', { class: 'panel db-closed' },
    h('h1', null, t('debrief.closedTitle')),
    h('p', null, currentLanguage() === 'en' ? message : t('debrief.closedWho')),
    h('p', null, h('a', { href: paths.room(loc.slug) }, t('debrief.backToRoom')))));
}

function unknownVersion(code, version, message) {
  document.title = t('debrief.unknownPageTitle');
  replaceChildren(app, h('section', { class: 'panel db-closed' },
    h('h1', null, tn('debrief.unknownTitle', { version: bdi(version) })),
    h('p', { role: 'alert' }, currentLanguage() === 'en' ? message : t('debrief.unknownText')),
    h('p', null, h('a', { href: paths.debrief(loc.slug) }, t('debrief.showCurrent')))));
}

// ---------------------------------------------------------------- the page

function render(d, versions) {
  for (const c of charts.splice(0)) c.destroy();
  document.title = t('debrief.pageTitle', { title: d.title });
  const shown = d.version ? t('debrief.versionOf', { version: d.version }) : t('debrief.currentText');
  const notes = [];
  if (d.states.every((s) => s.amendments.total === 0 && s.proposals.tabled === 0)) {
    notes.push(t('debrief.noteNothing'));
  }
  if (d.open_brackets > 0) {
    notes.push(t('debrief.noteBrackets', { n: d.open_brackets, shown }));
  }
  const gone = d.states.filter((s) => s.in_roster === false);
  if (gone.length) {
    notes.push(t('debrief.noteGone', { names: formatList(gone.map((s) => stateLabel(d.states, s.state))) }));
  }
  replaceChildren(app,
    h('header', { class: 'doc-header db-header' },
      h('p', { class: 'eyebrow' }, h('a', { href: paths.room(loc.slug), dir: 'auto' }, d.title), ' · ', t('debrief.eyebrow')),
      h('h1', { class: 'doc-title' }, t('debrief.title')),
      h('p', { class: 'db-scope' }, tn('debrief.scope', {
        shown: h('strong', null, shown),
        commit: h('code', null, d.commit.slice(0, 7)),
        commits: d.commits,
        acts: d.acts,
        from: h('time', { datetime: d.started }, formatTime(d.started)),
        to: h('time', { datetime: d.ended }, formatTime(d.ended)),
        stage: stageLabel(d.stage),
      })),
      h('p', { class: 'db-who' }, t('debrief.who')),
      // A note holding a list (a list given role="note" would lose its list semantics: axe's listitem).
      notes.length ? h('div', { class: 'db-notes', role: 'note' }, h('ul', null, notes.map((n) => h('li', null, n)))) : null,
      versionPicker(d, versions)),
    sectionShares(d),
    sectionClauses(d),
    sectionTimeline(d),
    sectionStates(d),
    sectionJourney(d));
  drawCharts(d);
}

function versionPicker(d, versions) {
  const select = h('select', { id: 'db-version', name: 'version', class: 'input input--select' },
    h('option', { value: '' }, t('debrief.currentTextOption')),
    versions.map((v) => h('option', { value: v.name }, t('debrief.versionOption', { version: v.name }))));
  select.value = d.version ?? '';
  const form = h('form', { class: 'db-pick no-print', 'aria-label': t('debrief.pickLabel') },
    h('label', { for: 'db-version', class: 'label' }, t('debrief.textOf')), select,
    h('button', { type: 'submit', class: 'button' }, t('debrief.show')),
    h('button', { type: 'button', class: 'button button--quiet', onclick: () => window.print() }, t('debrief.print')),
    h('a', { class: 'button button--quiet', href: paths.compare(loc.slug) }, t('debrief.compare')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.assign(paths.debrief(loc.slug, select.value || null));
  });
  return form;
}

/** A figure: the chart's canvas (hidden from screen readers: the table says it) and its table. */
function figure(id, title, caption, table, { tall = false, stack = false } = {}) {
  return h('figure', { class: ['db-figure', tall ? 'db-figure--tall' : null, stack ? 'db-figure--stack' : null], 'aria-labelledby': `${id}-title` },
    h('figcaption', { id: `${id}-title`, class: 'db-caption' }, title, h('span', { class: 'db-caption-note' }, caption)),
    h('div', { class: 'db-figure-body' },
      h('div', { class: 'db-chart' }, h('canvas', { id: `${id}-canvas`, role: 'img', 'aria-label': t('debrief.chartLabel', { title }) })),
      h('div', { class: 'db-table-wrap', tabindex: '0', role: 'region', 'aria-label': t('debrief.dataLabel', { title }) }, table)));
}

function sectionShares(d) {
  const rows = shareRows(d);
  const table = h('table', { class: 'db-table', id: 'db-shares-table' },
    h('caption', null, t('debrief.sharesCaption', { shown: d.version ? t('debrief.versionOf', { version: d.version }) : t('debrief.currentText'), n: d.words })),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('debrief.writtenBy')), h('th', { scope: 'col', class: 'num' }, t('debrief.words')), h('th', { scope: 'col', class: 'num' }, t('debrief.share')))),
    h('tbody', null, rows.map((r) => h('tr', { dataset: { key: r.key } },
      h('th', { scope: 'row' }, r.key === TABLED ? h('span', { class: 'db-tabled-chip' }, t('debrief.asTabled')) : stateChip(r.key, stateLabel(d.states, r.key)), r.key === TABLED ? null : [' ', h('span', { dir: 'auto' }, nameOf(d, r.key))]),
      h('td', { class: 'num' }, formatNumber(r.words)),
      h('td', { class: 'num' }, t('debrief.percent', { p: share(r.percent) }))))));
  return h('section', { class: 'db-section', 'aria-labelledby': 'db-shares-h' },
    h('h2', { id: 'db-shares-h' }, t('debrief.sharesTitle')),
    figure('db-shares', t('debrief.sharesFigure'), ' ' + t('debrief.sharesNote'), table));
}

function nameOf(d, code) {
  const s = d.states.find((x) => x.state === code);
  return s && s.name !== code ? s.name : '';
}

function sectionClauses(d) {
  const m = clauseMatrix(d);
  const table = h('table', { class: 'db-table', id: 'db-clauses-table' },
    h('caption', null, t('debrief.clausesCaption')),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('debrief.clause')), h('th', { scope: 'col', class: 'num' }, t('debrief.words')), h('th', { scope: 'col', class: 'num' }, t('debrief.asTabled')), h('th', { scope: 'col' }, t('debrief.byState')))),
    h('tbody', null, m.clauses.map((c) => h('tr', { dataset: { clause: c.id } },
      h('th', { scope: 'row' }, h('a', { href: paths.clause(loc.slug, c.id) }, c.label), c.openBrackets ? h('span', { class: 'db-flag' }, ' ', t('debrief.openBrackets', { n: c.openBrackets })) : null),
      h('td', { class: 'num' }, formatNumber(c.words)),
      h('td', { class: 'num' }, formatNumber(c.parts[TABLED] ?? 0)),
      h('td', null, m.keys.filter((k) => k !== TABLED && c.parts[k]).map((k) => h('span', { class: 'db-part', dataset: { state: k } }, stateChip(k, stateLabel(d.states, k), { class: 'chip--small' }), ' ', formatNumber(c.parts[k]))))))));
  return h('section', { class: 'db-section', 'aria-labelledby': 'db-clauses-h' },
    h('h2', { id: 'db-clauses-h' }, t('debrief.clausesTitle')),
    figure('db-clauses', t('debrief.clausesFigure'), ' ' + t('debrief.clausesNote'), table, { tall: m.clauses.length > 12 }));
}

function sectionTimeline(d) {
  const m = timelineMatrix(d);
  const minutes = d.timeline.step / 60;
  const busy = m.buckets.filter((b) => b.total > 0);
  const table = h('table', { class: 'db-table', id: 'db-timeline-table' },
    h('caption', null, t('debrief.timelineCaption', { n: minutes })),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('debrief.from')), h('th', { scope: 'col', class: 'num' }, t('debrief.amendments')), h('th', { scope: 'col', class: 'num' }, t('debrief.proposals')), h('th', { scope: 'col', class: 'num' }, t('debrief.supports')), h('th', { scope: 'col', class: 'num' }, t('debrief.votes')), h('th', { scope: 'col' }, t('debrief.byState')))),
    h('tbody', null, busy.length ? busy.map((b) => h('tr', { dataset: { bucket: b.index } },
      h('th', { scope: 'row' }, h('time', { datetime: b.start.toISOString() }, formatTime(b.start.toISOString()))),
      h('td', { class: 'num' }, formatNumber(b.amendments)), h('td', { class: 'num' }, formatNumber(b.proposals)),
      h('td', { class: 'num' }, formatNumber(b.supports)), h('td', { class: 'num' }, formatNumber(b.votes)),
      h('td', null, Object.entries(b.byState).sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${formatNumber(n)}`).join(', '))))
      : h('tr', null, h('td', { colspan: '6' }, t('debrief.nothingYet')))));
  const markers = d.timeline.markers.length
    ? h('ul', { class: 'db-markers', 'aria-label': t('debrief.markersLabel') }, d.timeline.markers.map((mk) => h('li', null,
      h('time', { datetime: mk.at }, formatTime(mk.at)), ': ', mk.kind === 'stage' ? t('debrief.markerStage', { stage: stageLabel(mk.name) }) : tn('debrief.markerTag', { version: bdi(mk.name) }))))
    : null;
  return h('section', { class: 'db-section', 'aria-labelledby': 'db-timeline-h' },
    h('h2', { id: 'db-timeline-h' }, t('debrief.timelineTitle')),
    figure('db-timeline', t('debrief.timelineFigure'), ' ' + t('debrief.timelineNote', { n: minutes }), table, { stack: true }),
    markers);
}

function sectionStates(d) {
  const wrap = h('div', { class: 'db-table-wrap db-table-wrap--wide', tabindex: '0', role: 'region', 'aria-label': t('debrief.dataLabel', { title: t('debrief.statesTitle') }) });
  const draw = () => {
    const rows = sortStates(d.states, sortKey, sortUp);
    replaceChildren(wrap, h('table', { class: 'db-table db-table--states', id: 'db-states-table' },
      h('caption', null, t('debrief.statesCaption')),
      h('thead', null, h('tr', null, STATE_COLUMNS.map((col) => {
        const sorted = col.key === sortKey;
        return h('th', { scope: 'col', class: col.text ? null : 'num', 'aria-sort': sorted ? (sortUp ? 'ascending' : 'descending') : null },
          h('button', { type: 'button', class: 'db-sort', dataset: { key: col.key }, onclick: () => {
            if (sortKey === col.key) sortUp = !sortUp;
            else { sortKey = col.key; sortUp = Boolean(col.text); }
            draw();
            wrap.querySelector(`button[data-key="${col.key}"]`)?.focus();
          } }, t(col.label), h('span', { class: 'db-sort-mark', 'aria-hidden': 'true' }, sorted ? (sortUp ? ' ▲' : ' ▼') : '')));
      }))),
      h('tbody', null, rows.map((s) => h('tr', { dataset: { state: s.state }, class: s.in_roster === false ? 'db-gone' : null },
        STATE_COLUMNS.map((col) => {
          if (col.key === 'state') return h('th', { scope: 'row' }, stateChip(s.state, s.name));
          if (col.key === 'name') return h('td', null, h('span', { dir: 'auto' }, s.name), s.in_roster === false ? h('span', { class: 'db-flag' }, ' ', t('debrief.gone')) : null);
          const shown = col.show ? col.show(s) : formatNumber(col.value(s));
          return h('td', { class: 'num' }, shown);
        }))))));
  };
  draw();
  return h('section', { class: 'db-section', 'aria-labelledby': 'db-states-h' },
    h('h2', { id: 'db-states-h' }, t('debrief.statesTitle')),
    h('p', { class: 'db-note' }, t('debrief.statesNote'), ' ', t('debrief.statesCommentsNote')),
    wrap);
}

function sectionJourney(d) {
  const points = h('table', { class: 'db-table', id: 'db-journey-table' },
    h('caption', null, t('debrief.journeyCaption')),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('debrief.point')), h('th', { scope: 'col' }, t('debrief.time')), h('th', { scope: 'col', class: 'num' }, t('debrief.words')), h('th', { scope: 'col', class: 'num' }, t('debrief.asTabled')), h('th', { scope: 'col' }, t('debrief.byState')))),
    h('tbody', null, d.journey.map((p) => h('tr', null,
      h('th', { scope: 'row' }, p.name === 'tabled' ? t('debrief.tabledText') : p.name ? t('debrief.versionOption', { version: p.name }) : t('debrief.currentTextPoint')),
      h('td', null, h('time', { datetime: p.at }, formatTime(p.at))),
      h('td', { class: 'num' }, formatNumber(p.words)),
      h('td', { class: 'num' }, t('debrief.tabledShare', { n: p.tabled_words, p: share(percent(p.tabled_words, p.words)) })),
      h('td', null, p.by_state.length ? p.by_state.map((s) => `${s.state} ${formatNumber(s.words)}`).join(', ') : '–')))));
  const list = h('ol', { class: 'db-journey' }, d.clauses.map((c) => h('li', { class: ['db-jclause', c.removed ? 'db-jclause--removed' : null], dataset: { clause: c.id } },
    h('h3', { class: 'db-jlabel' }, clauseLabel(c)),
    h('p', { class: 'db-jtext', dir: 'auto' }, c.journey.map(piece)))));
  return h('section', { class: 'db-section', 'aria-labelledby': 'db-journey-h' },
    h('h2', { id: 'db-journey-h' }, t('debrief.journeyTitle')),
    // Scrolls sideways on a phone: reachable with the keyboard, named, like the other tables.
    h('div', { class: 'db-table-wrap db-table-wrap--wide', tabindex: '0', role: 'region', 'aria-label': t('debrief.dataLabel', { title: t('debrief.journeyTitle') }) }, points),
    h('p', { class: 'db-note' }, t('debrief.journeyNote', { shown: d.version ? t('debrief.versionOf', { version: d.version }) : t('debrief.currentText') })),
    list);
}

function piece(p) {
  if (p.op === '=') return p.text;
  if (p.op === '-') return h('del', null, srOnly(t('debrief.deleted')), p.text);
  const ins = h('ins', { class: 'db-ins', dataset: { state: p.state ?? '' } }, srOnly(t('debrief.insertedBy', { state: p.state })), p.text);
  paintState(ins, p.state);
  return [ins, h('sup', { class: 'db-by', 'aria-hidden': 'true' }, p.state)];
}

// ---------------------------------------------------------------- charts

function drawCharts(d) {
  const Chart = globalThis.Chart;
  if (!Chart) {
    for (const c of app.querySelectorAll('.db-chart')) {
      replaceChildren(c, h('p', { class: 'db-nochart' }, t('debrief.noCharts')));
    }
    return;
  }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#2b2b2a';
  const animation = matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 300 };  // i18n-ok: a media query
  const many = d.states.length > MAX_LEGEND;
  // Right to left (Arabic): bars grow from the right, the category axis on the right, legends
  // and tooltips read from the right.
  const rtl = document.documentElement.dir === 'rtl';
  const side = rtl ? 'right' : 'left';

  // 1. Words by state.
  const shares = shareRows(d);
  charts.push(new Chart(document.getElementById('db-shares-canvas'), {
    type: 'bar',
    data: {
      labels: shares.map((r) => (r.key === TABLED ? t('debrief.asTabled') : r.key)),
      datasets: [{
        label: t('debrief.words'),
        data: shares.map((r) => r.words),
        backgroundColor: shares.map((r) => stateColors(r.key === TABLED ? null : r.key).fill),
        borderColor: shares.map((r) => stateColors(r.key === TABLED ? null : r.key).stroke),
        borderWidth: 1,
      }],
    },
    options: {
      indexAxis: 'y', animation, maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { rtl, callbacks: { label: (c) => t('debrief.tooltipWords', { n: c.raw, p: share(shares[c.dataIndex].percent) }) } } },
      scales: { x: { reverse: rtl, beginAtZero: true, title: { display: true, text: t('debrief.axisWords') } }, y: { position: side } },
    },
  }));

  // 2. Per clause, stacked.
  const m = clauseMatrix(d);
  charts.push(new Chart(document.getElementById('db-clauses-canvas'), {
    type: 'bar',
    data: {
      labels: m.clauses.map((c) => c.label),
      datasets: m.keys.map((k) => ({
        label: k === TABLED ? t('debrief.asTabled') : k,
        data: m.clauses.map((c) => c.parts[k] ?? 0),
        backgroundColor: stateColors(k === TABLED ? null : k).fill,
        borderColor: stateColors(k === TABLED ? null : k).stroke,
        borderWidth: 1,
      })),
    },
    options: {
      indexAxis: 'y', animation, maintainAspectRatio: false,
      plugins: { legend: { display: !many, position: 'bottom', rtl }, tooltip: { rtl } },
      scales: { x: { reverse: rtl, stacked: true, beginAtZero: true, title: { display: true, text: t('debrief.axisWords') } }, y: { stacked: true, position: side } },
    },
  }));

  // 3. Activity over time, stacked by state, with the markers drawn as dashed lines.
  const tm = timelineMatrix(d);
  const markers = d.timeline.markers.map((mk) => ({ ...mk, bucket: markerBucket(d, mk) }));
  const markerPlugin = {
    id: 'dbMarkers',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      ctx.save();
      ctx.setLineDash([4, 3]);
      ctx.strokeStyle = '#3a3a38';
      ctx.fillStyle = '#3a3a38';
      ctx.font = `12px ${Chart.defaults.font.family}`;
      markers.forEach((mk, i) => {
        const x = scales.x.getPixelForValue(mk.bucket);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        ctx.fillText(mk.kind === 'stage' ? stageLabel(mk.name) : mk.name, x + 3, chartArea.top + 12 + (i % 3) * 13);
      });
      ctx.restore();
    },
  };
  const timeLabel = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' });
  charts.push(new Chart(document.getElementById('db-timeline-canvas'), {
    type: 'bar',
    data: {
      labels: tm.buckets.map((b) => timeLabel.format(b.start)),
      datasets: tm.keys.map((k) => ({
        label: k,
        data: tm.buckets.map((b) => b.byState[k] ?? 0),
        backgroundColor: stateColors(k).fill,
        borderColor: stateColors(k).stroke,
        borderWidth: 1,
      })),
    },
    options: {
      animation, maintainAspectRatio: false,
      plugins: { legend: { display: !many && tm.keys.length > 0, position: 'bottom', rtl }, tooltip: { rtl } },
      scales: { x: { reverse: rtl, stacked: true }, y: { stacked: true, position: side, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: t('debrief.axisActs') } } },
    },
    plugins: [markerPlugin],
  }));
}

// Printing: charts are redrawn at the paper's width, and back.
window.addEventListener('beforeprint', () => { for (const c of charts) c.resize(); });
window.addEventListener('afterprint', () => { for (const c of charts) c.resize(); });
