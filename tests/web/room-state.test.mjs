// web/room/state.js: the drafting room's shared state, loaded in Node (it touches no page when
// imported): numbering, clause labels, names, roles, and keeping the head in step with
// procedure commits. Each case sets the fields it needs.
import './use-english.mjs'; // the words are the English catalog's
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  state, els, nameOf, whoLabel, learnName, learnRoster, canEdit, isChair, mustPropose, isFinal,
  clauseLabel, renumber, onChainCommit,
} from '../../web/room/state.js';
import { rosterNames } from '../../web/labels.js';

/** Puts `clauses` ([{id, kind, number?}]) into the state, in that order. */
function setClauses(clauses) {
  state.clauses = new Map(clauses.map((c) => [c.id, { ...c }]));
  state.order = clauses.map((c) => c.id);
}

test('nothing is taken from the page at import', () => {
  assert.equal(els.app, null);
});

test('renumber: operative clauses 1, 2, 3… in document order, others none', () => {
  setClauses([
    { id: 'h', kind: 'heading' },
    { id: 'p1', kind: 'preamble' },
    { id: 'o1', kind: 'operative', number: 7 },
    { id: 'p2', kind: 'preamble' },
    { id: 'o2', kind: 'operative' },
  ]);
  state.order.push('gone'); // an id whose clause is no longer there is skipped
  renumber();
  assert.deepEqual(state.order.filter((id) => state.clauses.has(id)).map((id) => state.clauses.get(id).number), [null, null, 1, null, 2]);
});

test('clauseLabel', async (t) => {
  setClauses([
    { id: 'h', kind: 'heading' },
    { id: 'p1', kind: 'preamble' },
    { id: 'o1', kind: 'operative', number: 1 },
    { id: 'p2', kind: 'preamble' },
    { id: 'o2', kind: 'operative', number: 2 },
  ]);
  const cases = [
    { name: 'heading', id: 'h', label: 'heading' },
    { name: 'first preambular paragraph', id: 'p1', label: 'preambular paragraph 1' },
    { name: 'preambular paragraphs are counted among themselves', id: 'p2', label: 'preambular paragraph 2' },
    { name: 'operative clause', id: 'o2', label: 'operative clause 2' },
    { name: 'a clause no longer there', id: 'x', label: 'deleted clause' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(clauseLabel(c.id), c.label));
});

test('nameOf, learnName, learnRoster', async (t) => {
  const cases = [
    { name: 'the chair', setup: () => {}, code: 'CHAIR', shown: 'Chair' },
    { name: 'a code never met is shown bare', setup: () => {}, code: 'USA', shown: 'USA' },
    { name: 'no code at all', setup: () => {}, code: null, shown: 'someone' },
    { name: 'from the roster', setup: () => learnRoster([{ state: 'CHN', name: 'China' }]), code: 'CHN', shown: 'China' },
    { name: 'from an event\'s `by`', setup: () => learnName({ state: 'FRA', name: 'France' }), code: 'FRA', shown: 'France' },
    { name: 'a `by` without a name teaches nothing', setup: () => learnName({ state: 'DEU' }), code: 'DEU', shown: 'DEU' },
    { name: 'no `by` at all', setup: () => learnName(null), code: 'GBR', shown: 'GBR' },
    { name: 'the text as tabled, with the sponsors', setup: () => { state.sponsors = ['CHN', 'RUS']; }, code: 'TABLED', shown: 'Text as tabled (CHN, RUS)' },
    { name: 'the text as tabled, no sponsors', setup: () => {}, code: 'TABLED', shown: 'Text as tabled' },
    { name: 'a roster cannot rename the text as tabled', setup: () => learnName({ state: 'TABLED', name: 'Chair' }), code: 'TABLED', shown: 'Text as tabled' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      state.names = rosterNames([]);
      state.sponsors = [];
      c.setup();
      assert.equal(nameOf(c.code), c.shown);
    });
  }
});

test('whoLabel: a proponent with its code; the text as tabled by its name', async (t) => {
  const cases = [
    { name: 'a delegation', code: 'CHN', sponsors: [], label: 'China (CHN)' },
    { name: 'the chair', code: 'CHAIR', sponsors: [], label: 'Chair (CHAIR)' },
    { name: 'the text as tabled', code: 'TABLED', sponsors: ['CHN', 'TJK'], label: 'Text as tabled (CHN, TJK)' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      state.names = rosterNames([{ state: 'CHN', name: 'China' }]);
      state.sponsors = c.sponsors;
      assert.equal(whoLabel(c.code), c.label);
    });
  }
  state.sponsors = [];
});

test('what a person may do, by role and stage', async (t) => {
  const cases = [
    { name: 'nobody yet', you: null, stage: 'working', edit: false, chair: false, propose: false, final: false },
    { name: 'observer', you: { role: 'observer' }, stage: 'working', edit: false, chair: false, propose: false, final: false },
    { name: 'delegation, working', you: { role: 'delegation', state: 'CHN' }, stage: 'working', edit: true, chair: false, propose: false, final: false },
    { name: 'delegation, formal: proposes', you: { role: 'delegation', state: 'CHN' }, stage: 'formal', edit: true, chair: false, propose: true, final: false },
    { name: 'chair, formal: edits directly', you: { role: 'chair', state: 'CHAIR' }, stage: 'formal', edit: true, chair: true, propose: false, final: false },
    { name: 'adopted: final for everyone', you: { role: 'chair', state: 'CHAIR' }, stage: 'adopted', edit: true, chair: true, propose: false, final: true },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      state.you = c.you;
      state.stage = c.stage;
      assert.equal(Boolean(canEdit()), c.edit, 'canEdit');
      assert.equal(isChair(), c.chair, 'isChair');
      assert.equal(mustPropose(), c.propose, 'mustPropose');
      assert.equal(isFinal(), c.final, 'isFinal');
    });
  }
});

test('onChainCommit: a procedure commit moves the head only when it follows it', async (t) => {
  const cases = [
    { name: 'follows the head', head: 'a', msg: { commit: 'b', parent: 'a' }, after: 'b' },
    { name: 'does not follow: a gap, left to the next `amended`', head: 'a', msg: { commit: 'c', parent: 'b' }, after: 'a' },
    { name: 'no head yet', head: null, msg: { commit: 'b', parent: 'a' }, after: 'b' },
    { name: 'no parent given', head: 'a', msg: { commit: 'b' }, after: 'b' },
    { name: 'no commit (a reply without one)', head: 'a', msg: { parent: 'a' }, after: 'a' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      state.head = c.head;
      onChainCommit(c.msg);
      assert.equal(state.head, c.after);
    });
  }
});
