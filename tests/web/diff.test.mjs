// web/diff.js, the pure part: tokenize, wordDiff, coalesce, sides, diffStats (renderDiff builds
// DOM and is covered by the browser tests). Table-driven; each case names what it checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize, wordDiff, coalesce, sides, diffStats } from '../../web/diff.js';

test('tokenize: words and white space, joined give the text back', async (t) => {
  const cases = [
    { name: 'empty', text: '', tokens: [] },
    { name: 'null is empty', text: null, tokens: [] },
    { name: 'one word', text: 'Decides', tokens: ['Decides'] },
    { name: 'punctuation stays on its word', text: 'Decides, further', tokens: ['Decides,', ' ', 'further'] },
    { name: 'runs of white space are one token', text: 'a \t\n b', tokens: ['a', ' \t\n ', 'b'] },
    { name: 'leading and trailing space', text: ' a ', tokens: [' ', 'a', ' '] },
    { name: 'non-ASCII words', text: 'Décide ⟦CHN: 决定⟧', tokens: ['Décide', ' ', '⟦CHN:', ' ', '决定⟧'] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const tokens = tokenize(c.text);
      assert.deepEqual(tokens, c.tokens);
      assert.equal(tokens.join(''), String(c.text ?? ''));
    });
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

test('wordDiff: a middle too large for the table is one replacement, still exact', () => {
  // 2099 × 2099 tokens (words and the spaces between them) between the common ends is over
  // MAX_CELLS (4,000,000): no LCS table, the middle is one deletion then one insertion.
  const a = Array.from({ length: 1050 }, (_, i) => `a${i}`).join(' ');
  const b = Array.from({ length: 1050 }, (_, i) => `b${i}`).join(' ');
  const diff = wordDiff(`start ${a} end`, `start ${b} end`);
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
