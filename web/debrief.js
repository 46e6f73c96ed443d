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
import { startI18n } from './i18n.js';
import { h, replaceChildren, srOnly, formatTime } from './dom.js';
import { parseLocation, paths, api } from './api.js';
import { withCode, notFoundPage } from './page.js';
import { stateChip, stateColors, paintState } from './colors.js';
import { stageLabel } from './labels.js';
import {
  TABLED, percent, stateLabel, shareRows, clauseMatrix, clauseLabel, timelineMatrix, markerBucket,
  STATE_COLUMNS, sortStates,
} from './debrief-data.js';

// The language first: the shared modules (labels.js, dom.js) draw in it (i18n.js).
await startI18n();

const loc = parseLocation();
const app = document.getElementById('app');
const charts = []; // Chart instances, destroyed on redraw
const MAX_LEGEND = 24; // above this many states the legend is left out (the tables name them)

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

function notOpenYet(message) {
  document.title = 'Debrief not open yet — plenary';
  replaceChildren(app, h('section', { class: 'panel db-closed' },
    h('h1', null, 'The debrief is not open yet'),
    h('p', null, message),
    h('p', null, h('a', { href: paths.room(loc.slug) }, 'Back to the drafting room'))));
}

function unknownVersion(code, version, message) {
  document.title = 'Unknown version — plenary';
  replaceChildren(app, h('section', { class: 'panel db-closed' },
    h('h1', null, `There is no version “${version}”`),
    h('p', { role: 'alert' }, message),
    h('p', null, h('a', { href: paths.debrief(loc.slug) }, 'Show the debrief of the current text'))));
}

// ---------------------------------------------------------------- the page

function render(d, versions) {
  for (const c of charts.splice(0)) c.destroy();
  document.title = `Debrief: ${d.title} — plenary`;
  const shown = d.version ? `version ${d.version}` : 'the current text';
  const notes = [];
  if (d.states.every((s) => s.amendments.total === 0 && s.proposals.tabled === 0)) {
    notes.push('No amendments or proposals yet: the whole text is as tabled.');
  }
  if (d.open_brackets > 0) {
    notes.push(`${d.open_brackets} bracket${d.open_brackets === 1 ? ' is' : 's are'} still open in ${shown}: each alternative's words count for the state that proposed it; the state codes inside brackets count for nobody.`);
  }
  const gone = d.states.filter((s) => s.in_roster === false);
  if (gone.length) {
    notes.push(`No longer in the roster, still counted: ${gone.map((s) => stateLabel(d.states, s.state)).join(', ')}.`);
  }
  replaceChildren(app,
    h('header', { class: 'doc-header db-header' },
      h('p', { class: 'eyebrow' }, h('a', { href: paths.room(loc.slug) }, d.title), ' · debrief'),
      h('h1', { class: 'doc-title' }, 'Who shaped the text'),
      h('p', { class: 'db-scope' },
        'The text figures are of ', h('strong', null, shown), ' (commit ', h('code', null, d.commit.slice(0, 7)), '); ',
        'the activity covers the whole record: ', `${d.commits} commits and ${d.acts} procedural acts, `,
        h('time', { datetime: d.started }, formatTime(d.started)), ' to ', h('time', { datetime: d.ended }, formatTime(d.ended)),
        `. Stage: ${stageLabel(d.stage)}. Everything here is read from the draft's git repository.`),
      h('p', { class: 'db-who' },
        'Who sees this page: the chair at any time; delegations and observers once the draft is adopted, ',
        'or once the chair opens it by naming the version “debrief”.'),
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
    h('option', { value: '' }, 'The current text'),
    versions.map((v) => h('option', { value: v.name }, `Version ${v.name}`)));
  select.value = d.version ?? '';
  const form = h('form', { class: 'db-pick no-print', 'aria-label': 'Version of the text' },
    h('label', { for: 'db-version', class: 'label' }, 'Text of'), select,
    h('button', { type: 'submit', class: 'button' }, 'Show'),
    h('button', { type: 'button', class: 'button button--quiet', onclick: () => window.print() }, 'Print'),
    h('a', { class: 'button button--quiet', href: paths.compare(loc.slug) }, 'Compare versions'));
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
      h('div', { class: 'db-chart' }, h('canvas', { id: `${id}-canvas`, role: 'img', 'aria-label': `${title} (chart; the table beside it gives the figures)` })),
      h('div', { class: 'db-table-wrap', tabindex: '0', role: 'region', 'aria-label': `${title}: data` }, table)));
}

function sectionShares(d) {
  const rows = shareRows(d);
  const table = h('table', { class: 'db-table', id: 'db-shares-table' },
    h('caption', null, `Words of ${d.version ? `version ${d.version}` : 'the current text'} by who wrote them (${d.words} in all)`),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Written by'), h('th', { scope: 'col', class: 'num' }, 'Words'), h('th', { scope: 'col', class: 'num' }, 'Share'))),
    h('tbody', null, rows.map((r) => h('tr', { dataset: { key: r.key } },
      h('th', { scope: 'row' }, r.key === TABLED ? h('span', { class: 'db-tabled-chip' }, 'As tabled') : stateChip(r.key, stateLabel(d.states, r.key)), r.key === TABLED ? null : ` ${nameOf(d, r.key)}`),
      h('td', { class: 'num' }, String(r.words)),
      h('td', { class: 'num' }, `${r.percent}%`)))));
  return h('section', { class: 'db-section', 'aria-labelledby': 'db-shares-h' },
    h('h2', { id: 'db-shares-h' }, 'Who wrote the text'),
    figure('db-shares', 'Words by state', ' From the word blame of every clause; the tabled text is its own share.', table));
}

function nameOf(d, code) {
  const s = d.states.find((x) => x.state === code);
  return s && s.name !== code ? s.name : '';
}

function sectionClauses(d) {
  const m = clauseMatrix(d);
  const table = h('table', { class: 'db-table', id: 'db-clauses-table' },
    h('caption', null, 'Words of each clause by who wrote them'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Clause'), h('th', { scope: 'col', class: 'num' }, 'Words'), h('th', { scope: 'col', class: 'num' }, 'As tabled'), h('th', { scope: 'col' }, 'By state'))),
    h('tbody', null, m.clauses.map((c) => h('tr', { dataset: { clause: c.id } },
      h('th', { scope: 'row' }, h('a', { href: paths.clause(loc.slug, c.id) }, c.label), c.openBrackets ? h('span', { class: 'db-flag' }, ` ${c.openBrackets} open bracket${c.openBrackets > 1 ? 's' : ''}`) : null),
      h('td', { class: 'num' }, String(c.words)),
      h('td', { class: 'num' }, String(c.parts[TABLED] ?? 0)),
      h('td', null, m.keys.filter((k) => k !== TABLED && c.parts[k]).map((k) => h('span', { class: 'db-part', dataset: { state: k } }, stateChip(k, stateLabel(d.states, k), { class: 'chip--small' }), ` ${c.parts[k]}`)))))));
  return h('section', { class: 'db-section', 'aria-labelledby': 'db-clauses-h' },
    h('h2', { id: 'db-clauses-h' }, 'Per clause'),
    figure('db-clauses', 'Words of each clause by state', ' Each bar one clause, in the order of the text.', table, { tall: m.clauses.length > 12 }));
}

function sectionTimeline(d) {
  const m = timelineMatrix(d);
  const minutes = d.timeline.step / 60;
  const busy = m.buckets.filter((b) => b.total > 0);
  const table = h('table', { class: 'db-table', id: 'db-timeline-table' },
    h('caption', null, `Acts per ${minutes} minutes (only the periods with any)`),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col', class: 'num' }, 'Amendments'), h('th', { scope: 'col', class: 'num' }, 'Proposals'), h('th', { scope: 'col', class: 'num' }, 'Supports'), h('th', { scope: 'col', class: 'num' }, 'Votes'), h('th', { scope: 'col' }, 'By state'))),
    h('tbody', null, busy.length ? busy.map((b) => h('tr', { dataset: { bucket: b.index } },
      h('th', { scope: 'row' }, h('time', { datetime: b.start.toISOString() }, formatTime(b.start.toISOString()))),
      h('td', { class: 'num' }, String(b.amendments)), h('td', { class: 'num' }, String(b.proposals)),
      h('td', { class: 'num' }, String(b.supports)), h('td', { class: 'num' }, String(b.votes)),
      h('td', null, Object.entries(b.byState).sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${n}`).join(', '))))
      : h('tr', null, h('td', { colspan: '6' }, 'Nothing yet.'))));
  const markers = d.timeline.markers.length
    ? h('ul', { class: 'db-markers', 'aria-label': 'Stage changes and tags' }, d.timeline.markers.map((mk) => h('li', null,
      h('time', { datetime: mk.at }, formatTime(mk.at)), ': ', mk.kind === 'stage' ? `the draft moved to the ${stageLabel(mk.name).toLowerCase()} stage` : `version “${mk.name}” was named`)))
    : null;
  return h('section', { class: 'db-section', 'aria-labelledby': 'db-timeline-h' },
    h('h2', { id: 'db-timeline-h' }, 'Activity over time'),
    figure('db-timeline', 'Amendments, proposals, supports and votes', ` Per ${minutes} minutes, by state; dashed lines mark stage changes and tags.`, table, { stack: true }),
    markers);
}

function sectionStates(d) {
  const wrap = h('div', { class: 'db-table-wrap db-table-wrap--wide', tabindex: '0', role: 'region', 'aria-label': 'Delegations: data' });
  const draw = () => {
    const rows = sortStates(d.states, sortKey, sortUp);
    replaceChildren(wrap, h('table', { class: 'db-table db-table--states', id: 'db-states-table' },
      h('caption', null, 'Every delegation of the roster (those that did nothing too) and anyone else who acted. Select a heading to sort.'),
      h('thead', null, h('tr', null, STATE_COLUMNS.map((col) => {
        const sorted = col.key === sortKey;
        return h('th', { scope: 'col', class: col.text ? null : 'num', 'aria-sort': sorted ? (sortUp ? 'ascending' : 'descending') : null },
          h('button', { type: 'button', class: 'db-sort', dataset: { key: col.key }, onclick: () => {
            if (sortKey === col.key) sortUp = !sortUp;
            else { sortKey = col.key; sortUp = Boolean(col.text); }
            draw();
            wrap.querySelector(`button[data-key="${col.key}"]`)?.focus();
          } }, col.label, h('span', { class: 'db-sort-mark', 'aria-hidden': 'true' }, sorted ? (sortUp ? ' ▲' : ' ▼') : '')));
      }))),
      h('tbody', null, rows.map((s) => h('tr', { dataset: { state: s.state }, class: s.in_roster === false ? 'db-gone' : null },
        STATE_COLUMNS.map((col) => {
          if (col.key === 'state') return h('th', { scope: 'row' }, stateChip(s.state, s.name));
          if (col.key === 'name') return h('td', null, s.name, s.in_roster === false ? h('span', { class: 'db-flag' }, ' (no longer in the roster)') : null);
          const shown = col.show ? col.show(s) : String(col.value(s));
          return h('td', { class: 'num' }, shown);
        }))))));
  };
  draw();
  return h('section', { class: 'db-section', 'aria-labelledby': 'db-states-h' },
    h('h2', { id: 'db-states-h' }, 'Delegations'),
    h('p', { class: 'db-note' }, 'Amendments count each state\'s own commits by operation; an adopted proposal counts under proposals. ',
      '“Vote matched outcome”: its yes and no votes on closed votes that went the way the vote went. ',
      'Amendments refused for a conflict and merges are not in the git record, so they are not counted.'),
    wrap);
}

function sectionJourney(d) {
  const points = h('table', { class: 'db-table', id: 'db-journey-table' },
    h('caption', null, 'The text at each point: words and who wrote them'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Point'), h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col', class: 'num' }, 'Words'), h('th', { scope: 'col', class: 'num' }, 'As tabled'), h('th', { scope: 'col' }, 'By state'))),
    h('tbody', null, d.journey.map((p) => h('tr', null,
      h('th', { scope: 'row' }, p.name === 'tabled' ? 'Tabled text' : p.name ? `Version ${p.name}` : 'Current text'),
      h('td', null, h('time', { datetime: p.at }, formatTime(p.at))),
      h('td', { class: 'num' }, String(p.words)),
      h('td', { class: 'num' }, `${p.tabled_words} (${percent(p.tabled_words, p.words)}%)`),
      h('td', null, p.by_state.length ? p.by_state.map((s) => `${s.state} ${s.words}`).join(', ') : '–')))));
  const list = h('ol', { class: 'db-journey' }, d.clauses.map((c) => h('li', { class: ['db-jclause', c.removed ? 'db-jclause--removed' : null], dataset: { clause: c.id } },
    h('h3', { class: 'db-jlabel' }, clauseLabel(c)),
    h('p', { class: 'db-jtext' }, c.journey.map(piece)))));
  return h('section', { class: 'db-section', 'aria-labelledby': 'db-journey-h' },
    h('h2', { id: 'db-journey-h' }, 'The journey of the text'),
    // Scrolls sideways on a phone: reachable with the keyboard, named, like the other tables.
    h('div', { class: 'db-table-wrap db-table-wrap--wide', tabindex: '0', role: 'region', 'aria-label': 'The text at each point: data' }, points),
    h('p', { class: 'db-note' }, 'Each clause from the tabled text to ', d.version ? `version ${d.version}` : 'the current text',
      ': inserted words underlined in the colour of the state that wrote them (its code follows), deleted words struck through.'),
    list);
}

function piece(p) {
  if (p.op === '=') return p.text;
  if (p.op === '-') return h('del', null, srOnly('deleted: '), p.text);
  const ins = h('ins', { class: 'db-ins', dataset: { state: p.state ?? '' } }, srOnly(`inserted by ${p.state}: `), p.text);
  paintState(ins, p.state);
  return [ins, h('sup', { class: 'db-by', 'aria-hidden': 'true' }, p.state)];
}

// ---------------------------------------------------------------- charts

function drawCharts(d) {
  const Chart = globalThis.Chart;
  if (!Chart) {
    for (const c of app.querySelectorAll('.db-chart')) {
      replaceChildren(c, h('p', { class: 'db-nochart' }, 'Charts are unavailable (Chart.js is not installed on this server); the table gives every figure.'));
    }
    return;
  }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#2b2b2a';
  const animation = matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 300 };
  const many = d.states.length > MAX_LEGEND;

  // 1. Words by state.
  const shares = shareRows(d);
  charts.push(new Chart(document.getElementById('db-shares-canvas'), {
    type: 'bar',
    data: {
      labels: shares.map((r) => (r.key === TABLED ? 'As tabled' : r.key)),
      datasets: [{
        label: 'Words',
        data: shares.map((r) => r.words),
        backgroundColor: shares.map((r) => stateColors(r.key === TABLED ? null : r.key).fill),
        borderColor: shares.map((r) => stateColors(r.key === TABLED ? null : r.key).stroke),
        borderWidth: 1,
      }],
    },
    options: {
      indexAxis: 'y', animation, maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `${c.raw} words (${shares[c.dataIndex].percent}%)` } } },
      scales: { x: { beginAtZero: true, title: { display: true, text: 'words' } } },
    },
  }));

  // 2. Per clause, stacked.
  const m = clauseMatrix(d);
  charts.push(new Chart(document.getElementById('db-clauses-canvas'), {
    type: 'bar',
    data: {
      labels: m.clauses.map((c) => c.label),
      datasets: m.keys.map((k) => ({
        label: k === TABLED ? 'As tabled' : k,
        data: m.clauses.map((c) => c.parts[k] ?? 0),
        backgroundColor: stateColors(k === TABLED ? null : k).fill,
        borderColor: stateColors(k === TABLED ? null : k).stroke,
        borderWidth: 1,
      })),
    },
    options: {
      indexAxis: 'y', animation, maintainAspectRatio: false,
      plugins: { legend: { display: !many, position: 'bottom' } },
      scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: 'words' } }, y: { stacked: true } },
    },
  }));

  // 3. Activity over time, stacked by state, with the markers drawn as dashed lines.
  const t = timelineMatrix(d);
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
  const timeLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  charts.push(new Chart(document.getElementById('db-timeline-canvas'), {
    type: 'bar',
    data: {
      labels: t.buckets.map((b) => timeLabel.format(b.start)),
      datasets: t.keys.map((k) => ({
        label: k,
        data: t.buckets.map((b) => b.byState[k] ?? 0),
        backgroundColor: stateColors(k).fill,
        borderColor: stateColors(k).stroke,
        borderWidth: 1,
      })),
    },
    options: {
      animation, maintainAspectRatio: false,
      plugins: { legend: { display: !many && t.keys.length > 0, position: 'bottom' } },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'acts' } } },
    },
    plugins: [markerPlugin],
  }));
}

// Printing: charts are redrawn at the paper's width, and back.
window.addEventListener('beforeprint', () => { for (const c of charts) c.resize(); });
window.addEventListener('afterprint', () => { for (const c of charts) c.resize(); });
