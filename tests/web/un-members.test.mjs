// web/data/un-members.json, the roster the organizer's console offers: the 193 member states
// and the 2 non-member observer states of the United Nations, checked without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.resolve(here, '..', '..', 'web', 'data', 'un-members.json');
const { states } = JSON.parse(fs.readFileSync(file, 'utf8'));
const members = states.filter((s) => !s.observer);
const observers = states.filter((s) => s.observer);

// The five groups for electoral purposes. Türkiye takes part in Asia-Pacific too but is counted
// in Western European and others; the United States attends that group and is counted there.
const GROUP_SIZES = {
  African: 54,
  'Asia-Pacific': 54,
  'Eastern European': 23,
  'Latin American and Caribbean': 33,
  'Western European and others': 29,
};

test('193 member states and 2 observer states', () => {
  assert.equal(members.length, 193);
  assert.deepEqual(observers.map((s) => [s.code, s.name, s.group]).sort(),
    [['PSE', 'State of Palestine', null], ['VAT', 'Holy See', null]]);
});

test('codes are ISO 3166-1 alpha-3: three upper-case letters, unique, never CHAIR', () => {
  for (const s of states) assert.match(s.code, /^[A-Z]{3}$/, JSON.stringify(s));
  assert.equal(new Set(states.map((s) => s.code)).size, states.length);
});

test('names are unique, trimmed and fit a delegation name (no < or >, at most 200 bytes)', () => {
  for (const s of states) {
    assert.equal(typeof s.name, 'string');
    assert.equal(s.name, s.name.trim());
    assert.ok(s.name.length > 0 && Buffer.byteLength(s.name) <= 200, s.name);
    assert.doesNotMatch(s.name, /[<>\u0000-\u001f]/, s.name);
  }
  assert.equal(new Set(states.map((s) => s.name)).size, states.length);
});

test('every member state is in one regional group, with the size the UN gives it', () => {
  const sizes = {};
  for (const s of members) {
    assert.ok(Object.hasOwn(GROUP_SIZES, s.group), `${s.code}: group ${s.group}`);
    sizes[s.group] = (sizes[s.group] ?? 0) + 1;
  }
  assert.deepEqual(sizes, GROUP_SIZES);
  for (const s of states) assert.equal(typeof s.observer, 'boolean', s.code);
});

test('names as the UN lists them', () => {
  const byCode = Object.fromEntries(states.map((s) => [s.code, s]));
  const cases = [
    ['GBR', 'United Kingdom of Great Britain and Northern Ireland', 'Western European and others'],
    ['USA', 'United States of America', 'Western European and others'],
    ['TUR', 'Türkiye', 'Western European and others'],
    ['ISR', 'Israel', 'Western European and others'],
    ['RUS', 'Russian Federation', 'Eastern European'],
    ['CHN', 'China', 'Asia-Pacific'],
    ['KIR', 'Kiribati', 'Asia-Pacific'],
    ['CIV', "Côte d'Ivoire", 'African'],
    ['COD', 'Democratic Republic of the Congo', 'African'],
    ['PRK', "Democratic People's Republic of Korea", 'Asia-Pacific'],
    ['VNM', 'Viet Nam', 'Asia-Pacific'],
    ['BOL', 'Bolivia (Plurinational State of)', 'Latin American and Caribbean'],
    ['NLD', 'Netherlands (Kingdom of the)', 'Western European and others'],
    ['MKD', 'North Macedonia', 'Eastern European'],
    ['SWZ', 'Eswatini', 'African'],
  ];
  for (const [code, name, group] of cases) {
    assert.equal(byCode[code]?.name, name, code);
    assert.equal(byCode[code]?.group, group, code);
  }
});

test('sorted by name, members first, so the list reads like the UN\'s', () => {
  const key = (s) => s.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const sorted = [...members].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  assert.deepEqual(members.map((s) => s.code), sorted.map((s) => s.code));
  assert.deepEqual(states.slice(-2).map((s) => s.observer), [true, true]);
});
