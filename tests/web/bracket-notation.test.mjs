// web/bracket-notation.js: reading the bracket notation (procedure.md, "Bracketed text") the
// way storage/brackets.cpp does, and UTF-16 index -> UTF-8 byte offset. Table-driven, named cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPEN, BAR, CLOSE, SEPARATOR, hasMarks, parseBrackets, byteOffset, notationRanges } from '../../web/bracket-notation.js';

test('the marks are the ones procedure.md names', () => {
  assert.equal(OPEN, '\u27E6');
  assert.equal(BAR, '\u2016');
  assert.equal(CLOSE, '\u27E7');
  assert.equal(SEPARATOR, ' \u2016 ');
});

test('hasMarks', async (t) => {
  const cases = [
    { name: 'plain text', text: 'Urges all States', marks: false },
    { name: 'empty', text: '', marks: false },
    { name: 'null', text: null, marks: false },
    { name: 'an opening mark', text: 'a ⟦ b', marks: true },
    { name: 'a bar alone', text: 'a ‖ b', marks: true },
    { name: 'a closing mark alone', text: 'a ⟧', marks: true },
    { name: 'look-alike brackets are not marks', text: '[a] ⟨b⟩ 【c】 || d', marks: false },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(hasMarks(c.text), c.marks));
});

// 'Urges ' is 6 UTF-16 units: ⟦ at 6, "CHN: " 7..11, "all" 12..14, " ‖ " 15..17, "USA: " 18..22,
// "some" 23..26, ⟧ at 27.
const TWO = 'Urges ⟦CHN: all ‖ USA: some⟧ States';

test('parseBrackets: well-formed notation', async (t) => {
  const cases = [
    { name: 'no marks: no brackets', text: 'Urges all States', brackets: [] },
    { name: 'empty text', text: '', brackets: [] },
    {
      name: 'two alternatives',
      text: TWO,
      brackets: [{
        index: 0, start: 6, end: 28, alternatives: [
          { state: 'CHN', wording: 'all', from: 7, start: 12, end: 15 },
          { state: 'USA', wording: 'some', from: 18, start: 23, end: 27 },
        ],
      }],
    },
    {
      name: 'an empty wording means delete',
      text: '⟦RUS: ⟧',
      brackets: [{ index: 0, start: 0, end: 7, alternatives: [{ state: 'RUS', wording: '', from: 1, start: 6, end: 6 }] }],
    },
    {
      name: 'two brackets, numbered in order',
      text: 'a ⟦CHN: x⟧ b ⟦USA: y ‖ FRA: ⟧',
      brackets: [
        { index: 0, start: 2, end: 10, alternatives: [{ state: 'CHN', wording: 'x', from: 3, start: 8, end: 9 }] },
        {
          index: 1, start: 13, end: 29, alternatives: [
            { state: 'USA', wording: 'y', from: 14, start: 19, end: 20 },
            { state: 'FRA', wording: '', from: 23, start: 28, end: 28 },
          ],
        },
      ],
    },
    {
      name: 'codes of two to eight capitals or digits',
      text: '⟦G77: a ‖ EU27ABCD: b⟧',
      brackets: [{
        index: 0, start: 0, end: 22, alternatives: [
          { state: 'G77', wording: 'a', from: 1, start: 6, end: 7 },
          { state: 'EU27ABCD', wording: 'b', from: 10, start: 20, end: 21 },
        ],
      }],
    },
    {
      name: 'positions count UTF-16 units (an astral character is two)',
      text: '😀 ⟦CHN: 决定⟧',
      brackets: [{ index: 0, start: 3, end: 12, alternatives: [{ state: 'CHN', wording: '决定', from: 4, start: 9, end: 11 }] }],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const got = parseBrackets(c.text);
      assert.deepEqual(got, c.brackets);
      for (const b of got) {
        assert.equal(c.text[b.start], OPEN);
        assert.equal(c.text[b.end - 1], CLOSE);
        for (const a of b.alternatives) {
          assert.equal(c.text.slice(a.from, a.start), `${a.state}: `, 'from..start is the code');
          assert.equal(c.text.slice(a.start, a.end), a.wording, 'start..end is the wording');
        }
      }
    });
  }
});

test('parseBrackets: broken notation is null (the text is then shown as it is)', async (t) => {
  const cases = [
    { name: 'a bar outside any bracket', text: 'a ‖ b' },
    { name: 'a closing mark without an opening one', text: 'a ⟧ b' },
    { name: 'never closed', text: '⟦CHN: a' },
    { name: 'nested', text: '⟦CHN: a ⟦USA: b⟧⟧' },
    { name: 'empty bracket', text: '⟦⟧' },
    { name: 'no space before the bar', text: '⟦CHN: a‖ USA: b⟧' },
    { name: 'no space after the bar', text: '⟦CHN: a ‖USA: b⟧' },
    { name: 'bar right after the opening mark', text: '⟦ ‖ USA: b⟧' },
    { name: 'lower-case code', text: '⟦chn: a⟧' },
    { name: 'one-letter code', text: '⟦C: a⟧' },
    { name: 'nine-letter code', text: '⟦ABCDEFGHI: a⟧' },
    { name: 'no colon', text: '⟦CHN a⟧' },
    { name: 'no space after the colon', text: '⟦CHN:a⟧' },
    { name: 'no code at all', text: '⟦just words⟧' },
    { name: 'one good bracket, then a broken one', text: '⟦CHN: a⟧ and ⟦b⟧' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(parseBrackets(c.text), null));
});

test('byteOffset: UTF-16 index -> UTF-8 byte offset, as the server counts', async (t) => {
  const cases = [
    { name: 'start', text: 'abc', i: 0, bytes: 0 },
    { name: 'ASCII', text: 'abc', i: 2, bytes: 2 },
    { name: 'end', text: 'abc', i: 3, bytes: 3 },
    { name: 'after a two-byte letter', text: 'aéb', i: 2, bytes: 3 },
    { name: 'after a bracket mark (three bytes)', text: '⟦CHN: a⟧', i: 1, bytes: 3 },
    { name: 'after a CJK character (three bytes)', text: '决定', i: 1, bytes: 3 },
    { name: 'after an astral character (four bytes)', text: '😀x', i: 2, bytes: 4 },
    { name: 'inside a surrogate pair moves past it', text: '😀x', i: 1, bytes: 4 },
    { name: 'past the end is the end', text: 'aé', i: 10, bytes: 3 },
    { name: 'below zero is the start', text: 'aé', i: -1, bytes: 0 },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(byteOffset(c.text, c.i), c.bytes));
});

test('notationRanges: the pieces of the text that are notation', async (t) => {
  const cases = [
    { name: 'no brackets', text: 'Urges all States', ranges: [] },
    { name: 'broken notation', text: 'a ⟧', ranges: [] },
    {
      name: 'two alternatives',
      text: TWO,
      ranges: [
        { start: 6, end: 7, kind: 'open' },
        { start: 7, end: 12, kind: 'code', state: 'CHN' },
        { start: 15, end: 18, kind: 'bar' },
        { start: 18, end: 23, kind: 'code', state: 'USA' },
        { start: 27, end: 28, kind: 'close' },
      ],
    },
    {
      name: 'an empty wording',
      text: '⟦RUS: ⟧',
      ranges: [{ start: 0, end: 1, kind: 'open' }, { start: 1, end: 6, kind: 'code', state: 'RUS' }, { start: 6, end: 7, kind: 'close' }],
    },
  ];
  const pieces = { open: () => OPEN, close: () => CLOSE, bar: () => SEPARATOR, code: (r) => `${r.state}: ` };
  for (const c of cases) {
    await t.test(c.name, () => {
      const ranges = notationRanges(c.text);
      assert.deepEqual(ranges, c.ranges);
      for (const r of ranges) assert.equal(c.text.slice(r.start, r.end), pieces[r.kind](r), `${r.kind} at ${r.start}`);
    });
  }
});
