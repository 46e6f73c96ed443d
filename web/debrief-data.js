// The debrief's figures shaped for its charts and tables (debrief.js): pure functions of the
// API's JSON (docs/extensions.md, "Debrief"), no DOM, imports only the catalogs' t() (i18n.js),
// tested in Node (tests/web/debrief-data.test.mjs). A chart and the table beside it are drawn
// from the same rows, so that what a screen reader reads is what the chart shows.
import { t } from './i18n.js';

/** The key of the tabled text's share (not a state code: codes are upper case). */
export const TABLED = 'tabled';

/** percent(3, 12) -> "25.0" (one decimal; "0.0" of nothing). */
export function percent(part, whole) {
  if (!whole) return '0.0';
  return ((part * 100) / whole).toFixed(1);
}

/** A state's name for people: its name and code, or the code alone. */
export function stateLabel(states, code) {
  if (code === TABLED) return t('debrief.asTabled');
  const s = states.find((x) => x.state === code);
  return s && s.name && s.name !== code ? `${s.name} (${code})` : String(code);
}

/**
 * Who wrote the text: one row per state holding words of the chosen version, most first, then
 * the tabled text. [{key, label, words, percent}]
 */
export function shareRows(d) {
  const rows = d.states
    .filter((s) => s.words > 0)
    .map((s) => ({ key: s.state, label: stateLabel(d.states, s.state), words: s.words }))
    .sort((a, b) => b.words - a.words || a.key.localeCompare(b.key));
  rows.push({ key: TABLED, label: t('debrief.asTabled'), words: d.tabled_words });
  return rows.map((r) => ({ ...r, percent: percent(r.words, d.words) }));
}

/** A clause's name: "Operative clause 3", "Preambular paragraph", "Heading", with "(removed)". */
export function clauseLabel(c) {
  const base = c.kind === 'operative'
    ? (c.number ? t('debrief.clause.operativeN', { n: c.number }) : t('debrief.clause.operative'))
    : c.kind === 'preamble' ? t('debrief.clause.preamble') : t('debrief.clause.heading');
  return c.removed ? t('debrief.clause.removed', { label: base, id: c.id }) : base;
}

/**
 * Per clause, the words by state: the clauses of the chosen version (not removed ones), and the
 * states that wrote any of them (most words first, then tabled). {clauses: [{id, label, words,
 * parts: {code: words}}], keys: [code..., 'tabled']}
 */
export function clauseMatrix(d) {
  const clauses = d.clauses.filter((c) => !c.removed);
  const totals = new Map();
  const rows = clauses.map((c) => {
    const parts = {};
    for (const s of c.by_state) {
      parts[s.state] = s.words;
      totals.set(s.state, (totals.get(s.state) ?? 0) + s.words);
    }
    parts[TABLED] = c.tabled_words;
    return { id: c.id, label: clauseLabel(c), words: c.words, parts, openBrackets: c.open_brackets };
  });
  const keys = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  keys.push(TABLED);
  return { clauses: rows, keys };
}

/** The start of bucket `i` as a Date. */
export function bucketStart(d, i) {
  return new Date(Date.parse(d.timeline.start) + i * d.timeline.step * 1000);
}

/**
 * Activity over time: per bucket, the acts of each state (amendments + proposals + supports +
 * votes) and the totals by kind. {buckets: [{index, start, byState: {code: n}, amendments,
 * proposals, supports, votes, total}], keys: [codes by total, most first]}
 */
export function timelineMatrix(d) {
  const t = d.timeline;
  const buckets = [];
  for (let i = 0; i < t.buckets; i++) {
    buckets.push({ index: i, start: bucketStart(d, i), byState: {}, amendments: 0, proposals: 0, supports: 0, votes: 0, total: 0 });
  }
  const totals = new Map();
  for (const r of t.rows) {
    const b = buckets[r.bucket];
    if (!b) continue;
    const n = r.amendments + r.proposals + r.supports + r.votes;
    b.byState[r.state] = (b.byState[r.state] ?? 0) + n;
    b.amendments += r.amendments;
    b.proposals += r.proposals;
    b.supports += r.supports;
    b.votes += r.votes;
    b.total += n;
    totals.set(r.state, (totals.get(r.state) ?? 0) + n);
  }
  const keys = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  return { buckets, keys };
}

/** The bucket a marker falls in. */
export function markerBucket(d, marker) {
  const i = Math.floor((Date.parse(marker.at) - Date.parse(d.timeline.start)) / (d.timeline.step * 1000));
  return Math.max(0, Math.min(d.timeline.buckets - 1, i));
}

/** The columns of the delegations' table: key, heading (a message id), value of a state row. */
export const STATE_COLUMNS = [
  { key: 'state', label: 'debrief.col.state', value: (s) => s.state, text: true },
  { key: 'name', label: 'debrief.col.name', value: (s) => s.name, text: true },
  { key: 'amendments', label: 'debrief.col.amendments', value: (s) => s.amendments.total },
  { key: 'replace', label: 'debrief.col.replace', value: (s) => s.amendments.replace },
  { key: 'insert', label: 'debrief.col.insert', value: (s) => s.amendments.insert },
  { key: 'delete', label: 'debrief.col.delete', value: (s) => s.amendments.delete },
  { key: 'move', label: 'debrief.col.move', value: (s) => s.amendments.move },
  { key: 'bracket', label: 'debrief.col.bracket', value: (s) => s.amendments.bracket },
  { key: 'resolve', label: 'debrief.col.resolve', value: (s) => s.amendments.resolve },
  { key: 'tabled', label: 'debrief.col.tabled', value: (s) => s.proposals.tabled },
  { key: 'adopted', label: 'debrief.col.adopted', value: (s) => s.proposals.adopted },
  { key: 'rejected', label: 'debrief.col.rejected', value: (s) => s.proposals.rejected },
  { key: 'withdrawn', label: 'debrief.col.withdrawn', value: (s) => s.proposals.withdrawn },
  { key: 'could_not_apply', label: 'debrief.col.couldNotApply', value: (s) => s.proposals.could_not_apply },
  { key: 'supports', label: 'debrief.col.supports', value: (s) => s.supports },
  { key: 'yes', label: 'debrief.col.yes', value: (s) => s.votes.yes },
  { key: 'no', label: 'debrief.col.no', value: (s) => s.votes.no },
  { key: 'abstain', label: 'debrief.col.abstain', value: (s) => s.votes.abstain },
  { key: 'matched', label: 'debrief.col.matched', value: (s) => (s.votes.decided ? s.votes.matched / s.votes.decided : -1),
    show: (s) => (s.votes.decided ? t('debrief.matchedOf', { matched: s.votes.matched, decided: s.votes.decided }) : '–') },
  { key: 'clauses', label: 'debrief.col.clauses', value: (s) => s.clauses_touched },
  { key: 'words', label: 'debrief.col.words', value: (s) => s.words },
  // The discussion (docs/extensions.md, "Comments"): comments written = threads opened +
  // replies, then each; threads resolved are not comments. 0 from a server without the figures.
  { key: 'comments', label: 'debrief.col.comments', value: (s) => s.comments ?? 0 },
  { key: 'threads_opened', label: 'debrief.col.threadsOpened', value: (s) => s.threads_opened ?? 0 },
  { key: 'replies', label: 'debrief.col.replies', value: (s) => s.replies ?? 0 },
  { key: 'threads_resolved', label: 'debrief.col.threadsResolved', value: (s) => s.threads_resolved ?? 0 },
];

/** The states sorted by a column (numbers: most first; text: A to Z), ties by code. */
export function sortStates(states, key, ascending = null) {
  const col = STATE_COLUMNS.find((c) => c.key === key) ?? STATE_COLUMNS[0];
  const up = ascending ?? Boolean(col.text);
  return [...states].sort((a, b) => {
    const va = col.value(a);
    const vb = col.value(b);
    const cmp = col.text ? String(va).localeCompare(String(vb)) : va - vb;
    return (up ? cmp : -cmp) || a.state.localeCompare(b.state);
  });
}
