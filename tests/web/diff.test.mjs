// web/diff.js, the pure part: tokenize, wordDiff, minimalDiff, coalesce, sides, diffStats (renderDiff builds
// DOM and is covered by the browser tests). Table-driven; each case names what it checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tokenize, wordDiff, minimalDiff, coalesce, sides, diffStats } from '../../web/diff.js';

// The table shared with the server's tests (storage_tests, words_shared_table): the same
// tokens and the same diffs, minimal and readable, in both languages.
const shared = JSON.parse(readFileSync(new URL('../shared/word-diff-cases.json', import.meta.url), 'utf8'));
const pieces = (d) => d.map(([op, text]) => ({ op, text }));

test('shared table: tokenize cuts where the server cuts', async (t) => {
  for (const c of shared.tokenize) {
    await t.test(c.name, () => {
      assert.deepEqual(tokenize(c.text), c.tokens);
      assert.equal(c.tokens.join(''), c.text);
    });
  }
});

test('shared table: minimal and readable diffs are the server\'s', async (t) => {
  assert.ok(shared.diff.length >= 20, 'at least 20 real amendment pairs');
  for (const c of shared.diff) {
    await t.test(c.name, () => {
      assert.deepEqual(minimalDiff(c.before, c.after), pieces(c.minimal));
      assert.deepEqual(wordDiff(c.before, c.after), pieces(c.readable));
      for (const d of [c.minimal, c.readable]) assert.deepEqual(sides(pieces(d)), { before: c.before, after: c.after });
    });
  }
});

test('tokenize: null is empty', () => assert.deepEqual(tokenize(null), []));

// Random edits of real texts in four scripts: every diff gives both texts back, has no
// empty piece, one op per run, and a deletion before an insertion.
const REAL = [
  'Reaffirming its commitment to the purposes and principles of the Charter of the United Nations,',
  'Призывает все государства поддерживать мирный процесс всеми имеющимися в их распоряжении средствами;',
  'يدعو جميع الدول الأعضاء إلى التعاون الكامل مع اللجنة، ويقرر أن يبقي المسألة قيد نظره.',
  '重申其对《联合国宪章》宗旨和原则以及国际法的承诺，吁请所有会员国充分配合委员会的工作；',
];
function rng(seed) {
  let x = seed >>> 0;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}
function randomEdit(text, next) {
  const toks = tokenize(text);
  const pool = REAL.flatMap((r) => tokenize(r));
  const at = next() % (toks.length + 1);
  const n = next() % 4;
  const kind = next() % 3;
  const words = Array.from({ length: 1 + (next() % 4) }, () => pool[next() % pool.length]);
  if (kind === 0) toks.splice(at, n);
  else if (kind === 1) toks.splice(at, 0, ...words);
  else toks.splice(at, n, ...words);
  return toks.join('');
}
function expectValid(a, b, d) {
  assert.deepEqual(sides(d), { before: a, after: b });
  d.forEach((p, k) => {
    assert.ok(['=', '+', '-'].includes(p.op));
    assert.notEqual(p.text, '');
    if (k > 0) {
      assert.notEqual(d[k - 1].op, p.op);
      assert.ok(!(d[k - 1].op === '+' && p.op === '-'));
    }
  });
}
test('wordDiff and minimalDiff: both texts come back, random edits of Latin, Cyrillic, Arabic, Chinese', () => {
  const next = rng(42);
  for (let round = 0; round < 400; round++) {
    let before = REAL[round % REAL.length];
    if (round % 3 === 0) before += ' ' + REAL[next() % REAL.length];
    let after = before;
    for (let e = 0, n = 1 + (next() % 5); e < n; e++) after = randomEdit(after, next);
    for (const f of [wordDiff, minimalDiff]) {
      expectValid(before, after, f(before, after));
      expectValid(after, before, f(after, before));
    }
  }
});

test('wordDiff: both texts come back, random strings of mixed scripts and punctuation', () => {
  const alphabet = ['a', 'b', 'Я', 'ж', 'ب', 'ع', '中', '国', ' ', ',', '،', '，', '’', "'", '\n', '⟦', '‖', '👩', '\u0301'];
  const next = rng(7);
  const random = () => Array.from({ length: next() % 30 }, () => alphabet[next() % alphabet.length]).join('');
  for (let round = 0; round < 500; round++) {
    const a = random();
    const b = round % 2 ? random() : randomEdit(a, next);
    expectValid(a, b, wordDiff(a, b));
    expectValid(a, b, minimalDiff(a, b));
  }
});

test('wordDiff: the smallest word diff, equal runs joined', async (t) => {
  const cases = [
    { name: 'both empty', a: '', b: '', diff: [] },
    { name: 'no change', a: 'Urges all States', b: 'Urges all States', diff: [{ op: '=', text: 'Urges all States' }] },
    { name: 'all inserted', a: '', b: 'New text', diff: [{ op: '+', text: 'New text' }] },
    { name: 'all deleted', a: 'Old text', b: '', diff: [{ op: '-', text: 'Old text' }] },
    {
      name: 'one word replaced in the middle',
      a: 'Urges all States to act', b: 'Urges all Members to act',
      diff: [{ op: '=', text: 'Urges all ' }, { op: '-', text: 'States' }, { op: '+', text: 'Members' }, { op: '=', text: ' to act' }],
    },
    {
      name: 'words appended',
      a: 'Calls upon', b: 'Calls upon all parties',
      diff: [{ op: '=', text: 'Calls upon' }, { op: '+', text: ' all parties' }],
    },
    {
      name: 'words removed at the start',
      a: 'Further decides to act', b: 'decides to act',
      diff: [{ op: '-', text: 'Further ' }, { op: '=', text: 'decides to act' }],
    },
    {
      name: 'a word kept between two changes',
      a: 'a b c', b: 'x b y',
      diff: [{ op: '-', text: 'a' }, { op: '+', text: 'x' }, { op: '=', text: ' b ' }, { op: '-', text: 'c' }, { op: '+', text: 'y' }],
    },
    {
      name: 'white space change alone',
      a: 'a b', b: 'a  b',
      diff: [{ op: '=', text: 'a' }, { op: '-', text: ' ' }, { op: '+', text: '  ' }, { op: '=', text: 'b' }],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const diff = wordDiff(c.a, c.b);
      assert.deepEqual(diff, c.diff);
      assert.deepEqual(sides(diff), { before: c.a, after: c.b }, 'the diff gives both texts back');
    });
  }
});

test('wordDiff: a long rewrite (2,099 tokens each side) is quick and exact', () => {
  const a = Array.from({ length: 1050 }, (_, i) => `a${i}`).join(' ');
  const b = Array.from({ length: 1050 }, (_, i) => `b${i}`).join(' ');
  const start = Date.now();
  const diff = wordDiff(`start ${a} end`, `start ${b} end`);
  // Well under a second alone; the bound only catches accidental quadratic work on a busy machine.
  assert.ok(Date.now() - start < 5000, `${Date.now() - start} ms`);
  assert.deepEqual(diff.map((d) => d.op), ['=', '-', '+', '=']);
  assert.deepEqual(sides(diff), { before: `start ${a} end`, after: `start ${b} end` });
});

test('coalesce: joins neighbours with the same op, drops empty parts', async (t) => {
  const cases = [
    { name: 'empty', in: [], out: [] },
    { name: 'neighbours joined', in: [{ op: '=', text: 'a' }, { op: '=', text: ' b' }], out: [{ op: '=', text: 'a b' }] },
    { name: 'different ops kept apart', in: [{ op: '-', text: 'a' }, { op: '+', text: 'b' }], out: [{ op: '-', text: 'a' }, { op: '+', text: 'b' }] },
    {
      name: 'empty, null and missing parts dropped, then neighbours joined',
      in: [{ op: '+', text: 'a' }, { op: '-', text: '' }, null, { op: '-', text: null }, { op: '+', text: 'b' }],
      out: [{ op: '+', text: 'ab' }],
    },
    { name: 'numbers become strings', in: [{ op: '=', text: 3 }], out: [{ op: '=', text: '3' }] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(coalesce(c.in), c.out));
  }
});

test('coalesce does not change the parts it is given', () => {
  const input = [{ op: '=', text: 'a' }, { op: '=', text: 'b' }];
  coalesce(input);
  assert.deepEqual(input, [{ op: '=', text: 'a' }, { op: '=', text: 'b' }]);
});

test('diffStats: words inserted and deleted, white space not counted', async (t) => {
  const cases = [
    { name: 'no diff', diff: undefined, stats: { ins: 0, del: 0 } },
    { name: 'equal text counts nothing', diff: [{ op: '=', text: 'a b c' }], stats: { ins: 0, del: 0 } },
    { name: 'inserted words', diff: [{ op: '+', text: ' all parties ' }], stats: { ins: 2, del: 0 } },
    { name: 'deleted words', diff: [{ op: '-', text: 'Further' }], stats: { ins: 0, del: 1 } },
    { name: 'white space only', diff: [{ op: '+', text: '  ' }, { op: '-', text: '\n' }], stats: { ins: 0, del: 0 } },
    { name: 'from wordDiff', diff: wordDiff('Urges all States', 'Urges Members and observers'), stats: { ins: 3, del: 2 } },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(diffStats(c.diff), c.stats));
  }
});
