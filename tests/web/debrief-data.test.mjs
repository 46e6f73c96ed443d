// web/debrief-data.js: the debrief's rows for charts and tables, from the API's JSON.
import './use-english.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TABLED, percent, shareRows, clauseMatrix, timelineMatrix, markerBucket, sortStates, clauseLabel,
} from '../../web/debrief-data.js';
import { stateColors } from '../../web/colors.js';

const zero = { replace: 0, insert: 0, delete: 0, move: 0, bracket: 0, resolve: 0, total: 0 };
const none = { tabled: 0, adopted: 0, rejected: 0, withdrawn: 0, could_not_apply: 0, pending: 0 };
const novote = { yes: 0, no: 0, abstain: 0, decided: 0, matched: 0 };
const state = (code, words, amendments = 0, extra = {}) => ({
  state: code, name: `${code} name`, in_roster: true, amendments: { ...zero, total: amendments },
  proposals: none, supports: 0, votes: novote, clauses_touched: 0, words, ...extra,
});
const d = {
  words: 20, tabled_words: 10,
  states: [state('RUS', 6, 2), state('FRA', 4, 2), state('CHN', 0, 0)],
  clauses: [
    { id: 'c1', kind: 'preamble', number: null, removed: false, words: 8, tabled_words: 4, by_state: [{ state: 'RUS', words: 4 }], open_brackets: 0 },
    { id: 'c3', kind: 'operative', number: 1, removed: false, words: 12, tabled_words: 6, by_state: [{ state: 'FRA', words: 4 }, { state: 'RUS', words: 2 }], open_brackets: 1 },
    { id: 'c4', kind: 'operative', number: 2, removed: true, words: 0, tabled_words: 0, by_state: [], open_brackets: 0 },
  ],
  timeline: {
    start: '2026-11-27T10:15:00Z', step: 300, buckets: 3,
    rows: [
      { bucket: 0, state: 'RUS', amendments: 1, proposals: 1, supports: 0, votes: 0 },
      { bucket: 2, state: 'FRA', amendments: 2, proposals: 0, supports: 1, votes: 1 },
    ],
    markers: [{ at: '2026-11-27T10:26:00Z', kind: 'stage', name: 'formal' }],
  },
};

test('percent rounds to one decimal and is 0.0 of nothing', () => {
  for (const [part, whole, want] of [[1, 3, '33.3'], [0, 0, '0.0'], [5, 5, '100.0']]) {
    assert.equal(percent(part, whole), want);
  }
});

test('shares: states with words, most first, then the tabled text; shares add up', () => {
  const rows = shareRows(d);
  assert.deepEqual(rows.map((r) => r.key), ['RUS', 'FRA', TABLED]);
  assert.equal(rows.reduce((n, r) => n + r.words, 0), d.words);
  assert.equal(rows[0].percent, '30.0');
});

test('per clause: removed clauses left out, states by total words, tabled last', () => {
  const m = clauseMatrix(d);
  assert.deepEqual(m.clauses.map((c) => c.id), ['c1', 'c3']);
  assert.deepEqual(m.keys, ['RUS', 'FRA', TABLED]); // RUS 4 + 2, FRA 4
  assert.equal(m.clauses[1].parts.FRA, 4);
  assert.equal(m.clauses[1].openBrackets, 1);
  assert.equal(clauseLabel(d.clauses[2]), 'Operative clause 2 (removed, c4)');
});

test('timeline: every bucket, acts summed per state and per kind; markers in their bucket', () => {
  const t = timelineMatrix(d);
  assert.equal(t.buckets.length, 3);
  assert.equal(t.buckets[0].byState.RUS, 2);
  assert.equal(t.buckets[1].total, 0);
  assert.equal(t.buckets[2].votes, 1);
  assert.deepEqual(t.keys, ['FRA', 'RUS']);
  assert.equal(markerBucket(d, d.timeline.markers[0]), 2);
  assert.equal(t.buckets[2].start.toISOString(), '2026-11-27T10:25:00.000Z');
});

test('sorting the delegations: numbers most first, text A to Z, ties by code', () => {
  const cases = [
    { key: 'words', up: null, want: ['RUS', 'FRA', 'CHN'] },
    { key: 'amendments', up: null, want: ['FRA', 'RUS', 'CHN'] },
    { key: 'state', up: null, want: ['CHN', 'FRA', 'RUS'] },
    { key: 'words', up: true, want: ['CHN', 'FRA', 'RUS'] },
  ];
  for (const c of cases) assert.deepEqual(sortStates(d.states, c.key, c.up).map((s) => s.state), c.want, c.key);
});

test('sorting by the discussion: comments, threads opened, replies, threads resolved (none: 0)', () => {
  const states = [
    state('RUS', 0, 0, { comments: 1, threads_opened: 1, replies: 0, threads_resolved: 2 }),
    state('FRA', 0, 0, { comments: 3, threads_opened: 0, replies: 3, threads_resolved: 0 }),
    state('CHN', 0, 0), // a server without the figures: 0
  ];
  const cases = [
    { key: 'comments', want: ['FRA', 'RUS', 'CHN'] },
    { key: 'threads_opened', want: ['RUS', 'CHN', 'FRA'] },
    { key: 'replies', want: ['FRA', 'CHN', 'RUS'] },
    { key: 'threads_resolved', want: ['RUS', 'CHN', 'FRA'] },
  ];
  for (const c of cases) assert.deepEqual(sortStates(states, c.key).map((s) => s.state), c.want, c.key);
});

test('chart colours: a state keeps its hue; the tabled text and the chair are neutral', () => {
  assert.match(stateColors('RUS').fill, /^hsl\(\d+ 65% \d+%\)$/);
  assert.equal(stateColors('RUS').fill, stateColors('RUS').fill);
  assert.notEqual(stateColors(null).fill, stateColors('CHAIR').fill);
});
