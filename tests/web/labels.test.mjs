// web/labels.js: how every page names clauses, changes, stages, thresholds and outcomes, and
// whether a tally carries (procedure.md). Table-driven, named cases.
import './use-english.mjs'; // the words are the English catalog's
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  opLabel, clauseName, rosterNames, nameIn, capitalize, stageLabel, stageChangeLabel,
  thresholdLabel, thresholdRule, carries, statusLabel, tallyText, adoptionText,
  TABLED, tabledName, proponentLabel,
} from '../../web/labels.js';

test('opLabel', async (t) => {
  const cases = [
    { name: 'replace', op: 'replace', label: 'Amended' },
    { name: 'open', op: 'open', label: 'Opened the draft' },
    { name: 'resolve', op: 'resolve', label: 'Resolved a bracket' },
    { name: 'an op added later is shown as it is', op: 'split', label: 'split' },
    { name: 'missing', op: undefined, label: '' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(opLabel(c.op), c.label));
});

test('clauseName', async (t) => {
  const cases = [
    { name: 'operative', clause: { kind: 'operative', number: 3 }, label: 'operative clause 3' },
    { name: 'operative without a number', clause: { kind: 'operative' }, label: 'operative clause ?' },
    { name: 'preambular', clause: { kind: 'preamble' }, preamble: 2, label: 'preambular paragraph 2' },
    { name: 'heading', clause: { kind: 'heading' }, label: 'heading' },
    { name: 'no clause', clause: null, label: 'deleted clause' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(clauseName(c.clause, c.preamble), c.label));
});

test('rosterNames and nameIn', async (t) => {
  const cases = [
    { name: 'the chair is always known', roster: [], code: 'CHAIR', shown: 'Chair' },
    { name: 'a delegation of the roster', roster: [{ state: 'CHN', name: 'China' }], code: 'CHN', shown: 'China' },
    { name: 'an unknown code is shown bare', roster: [{ state: 'CHN', name: 'China' }], code: 'USA', shown: 'USA' },
    { name: 'not an array', roster: { state: 'CHN', name: 'China' }, code: 'CHN', shown: 'CHN' },
    { name: 'entries without a name are skipped', roster: [{ state: 'CHN', name: '' }, { state: 'FRA' }, null], code: 'CHN', shown: 'CHN' },
    { name: 'entries of the wrong type are skipped', roster: [{ state: 7, name: 'Seven' }, { state: 'FRA', name: ['France'] }], code: 'FRA', shown: 'FRA' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(nameIn(rosterNames(c.roster), c.code), c.shown));
});

test('capitalize', async (t) => {
  const cases = [
    { name: 'a sentence', s: 'operative clause 3 was deleted', out: 'Operative clause 3 was deleted' },
    { name: 'already capital', s: 'Proposal', out: 'Proposal' },
    { name: 'empty', s: '', out: '' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(capitalize(c.s), c.out));
});

test('stageLabel and stageChangeLabel', async (t) => {
  const cases = [
    { name: 'working', stage: 'working', label: 'Working paper', change: 'Moved the draft to the working stage' },
    { name: 'formal', stage: 'formal', label: 'Formal stage', change: 'Moved the draft to the formal stage' },
    { name: 'adopted', stage: 'adopted', label: 'Adopted text', change: 'Adopted the draft' },
    { name: 'missing', stage: undefined, label: 'working', change: 'Changed stage' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.equal(stageLabel(c.stage), c.label);
      assert.equal(stageChangeLabel(c.stage), c.change);
    });
  }
});

test('thresholdLabel and thresholdRule', async (t) => {
  const cases = [
    { name: 'simple', value: 'simple', label: 'Simple majority', rule: 'more yes than no' },
    { name: 'two-thirds', value: 'two-thirds', label: 'Two-thirds majority', rule: 'yes at least two thirds of yes + no' },
    { name: 'two-thirds-present', value: 'two-thirds-present', label: 'Two thirds of those present', rule: 'yes at least two thirds of yes + no + abstain' },
    { name: 'unknown', value: 'unanimity', label: 'unanimity', rule: '' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.equal(thresholdLabel(c.value), c.label);
      assert.equal(thresholdRule(c.value), c.rule);
    });
  }
});

test('carries (procedure.md: thresholds; adoption needs at least one yes)', async (t) => {
  const cases = [
    { name: 'simple: more yes than no', threshold: 'simple', yes: 3, no: 2, abstain: 9, carries: true },
    { name: 'simple: a tie fails', threshold: 'simple', yes: 2, no: 2, abstain: 0, carries: false },
    { name: 'simple: no votes at all fails', threshold: 'simple', yes: 0, no: 0, abstain: 0, carries: false },
    { name: 'simple: abstentions alone fail', threshold: 'simple', yes: 0, no: 0, abstain: 5, carries: false },
    { name: 'unknown threshold counts as simple', threshold: undefined, yes: 1, no: 0, abstain: 0, carries: true },
    { name: 'two-thirds: exactly two thirds carries', threshold: 'two-thirds', yes: 2, no: 1, abstain: 0, carries: true },
    { name: 'two-thirds: just under fails', threshold: 'two-thirds', yes: 5, no: 3, abstain: 0, carries: false },
    { name: 'two-thirds: abstentions do not count', threshold: 'two-thirds', yes: 2, no: 1, abstain: 10, carries: true },
    { name: 'two-thirds: zero yes fails', threshold: 'two-thirds', yes: 0, no: 0, abstain: 3, carries: false },
    { name: 'two-thirds-present: abstentions count', threshold: 'two-thirds-present', yes: 2, no: 1, abstain: 1, carries: false },
    { name: 'two-thirds-present: exactly two thirds of all carries', threshold: 'two-thirds-present', yes: 4, no: 1, abstain: 1, carries: true },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(carries(c.threshold, c.yes, c.no, c.abstain), c.carries));
});

test('statusLabel and tallyText', async (t) => {
  const cases = [
    { name: 'conflict is said in words', status: 'conflict', label: 'Could not apply', vote: { yes: 5, no: 1, abstain: 0 }, tally: '5–1–0' },
    { name: 'tabled, no vote yet', status: 'tabled', label: 'Tabled', vote: undefined, tally: '0–0–0' },
    { name: 'unknown status, partial vote', status: 'merged', label: 'merged', vote: { yes: 2 }, tally: '2–0–0' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.equal(statusLabel(c.status), c.label);
      assert.equal(tallyText(c.vote), c.tally);
    });
  }
});

test('adoptionText', async (t) => {
  const cases = [
    { name: 'an ordinary amendment', e: { op: 'replace' }, text: null },
    { name: 'nothing', e: null, text: null },
    { name: 'proposal not an integer', e: { proposal: '3', adopted: 'vote' }, text: null },
    { name: 'friendly', e: { proposal: 3, adopted: 'friendly' }, text: 'Friendly amendment: proposal 3, supported by every sponsor' },
    { name: 'by vote with the tally', e: { proposal: 4, adopted: 'vote', vote: { yes: 5, no: 1, abstain: 2 } }, text: 'Adopted by vote: proposal 4, 5 yes, 1 no, 2 abstaining' },
    { name: 'by vote without the tally', e: { proposal: 4, adopted: 'vote' }, text: 'Adopted by vote: proposal 4' },
    { name: 'adopted some other way', e: { proposal: 7 }, text: 'Adopted: proposal 7' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(adoptionText(c.e), c.text));
});

test('tabledName and proponentLabel: the wording as tabled is the sponsors\', never the chair\'s', async (t) => {
  assert.equal(TABLED, 'TABLED');
  const names = [
    { name: 'two sponsors', sponsors: ['CHN', 'RUS'], label: 'Text as tabled (CHN, RUS)' },
    { name: 'no sponsors', sponsors: [], label: 'Text as tabled' },
    { name: 'no list at all', sponsors: undefined, label: 'Text as tabled' },
    { name: 'junk in the list is left out', sponsors: ['CHN', '', null, 7], label: 'Text as tabled (CHN)' },
  ];
  for (const c of names) await t.test(c.name, () => assert.equal(tabledName(c.sponsors), c.label));
  const labels = [
    { name: 'a delegation', code: 'CHN', of: 'China', label: 'China (CHN)' },
    { name: 'a code without a name', code: 'EST', of: 'EST', label: 'EST' },
    { name: 'the text as tabled: its name alone', code: 'TABLED', of: 'Text as tabled (CHN)', label: 'Text as tabled (CHN)' },
  ];
  for (const c of labels) await t.test(c.name, () => assert.equal(proponentLabel(c.code, c.of), c.label));
});

test('a key that names a member of Object.prototype is shown as it is, never as that member', async (t) => {
  // An op, stage or status comes from the server (or a client); a plain-object table must not
  // answer "constructor", "toString" or "__proto__" with a function or an object.
  const keys = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
  const labelers = [
    { name: 'opLabel', fn: opLabel },
    { name: 'stageLabel', fn: stageLabel },
    { name: 'statusLabel', fn: statusLabel },
  ];
  for (const l of labelers) {
    for (const key of keys) {
      await t.test(`${l.name}(${key})`, () => {
        const label = l.fn(key);
        assert.equal(typeof label, 'string');
        assert.equal(label, key);
      });
    }
  }
  await t.test('the tables\' own keys still work', () => {
    assert.equal(opLabel('bracket'), 'Bracketed');
    assert.equal(stageLabel('formal'), 'Formal stage');
    assert.equal(statusLabel('withdrawn'), 'Withdrawn');
  });
  await t.test('a key that is not a string is shown as a string', () => {
    assert.equal(opLabel(7), '7');
    assert.equal(statusLabel({ toString: () => 'x' }), 'x');
  });
});
