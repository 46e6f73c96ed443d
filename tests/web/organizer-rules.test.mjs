// The organizer console's pure rules, without a browser: the slug proposed from a title and its
// live check, what a pasted organizer link yields, which field a server refusal belongs to, and
// the Intl formats of counts and times. Table-driven, named cases.
import './use-english.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { t as translate } from '../../web/i18n.js';
import { slugFromTitle, slugProblem, parseOrganizerInput, relativeTime, SLUG_RE } from '../../web/organizer.js';
import { fieldOf } from '../../web/organize-new.js';

test('slugFromTitle', async (t) => {
  const cases = [
    { name: 'words become dashes', title: 'Protection of the oceans', slug: 'protection-of-the-oceans' },
    { name: 'accents dropped', title: 'Résolution sur la Côte d’Ivoire', slug: 'resolution-sur-la-cote-d-ivoire' },
    { name: 'punctuation and spaces collapse, ends trimmed', title: '  — Draft: A/RES/70/1 (rev. 2)! ', slug: 'draft-a-res-70-1-rev-2' },
    { name: 'upper case lowered', title: 'UNGA Third Committee', slug: 'unga-third-committee' },
    { name: 'non-Latin script leaves nothing', title: 'Проект резолюции', slug: '' },
    { name: 'empty', title: '', slug: '' },
    {
      name: 'long titles cut at a dash within 63',
      title: 'International code of conduct for information security and the responsible behaviour of States in cyberspace',
      slug: 'international-code-of-conduct-for-information-security-and-the',
    },
    { name: 'one long word cut at 63', title: 'a'.repeat(80), slug: 'a'.repeat(63) },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const slug = slugFromTitle(c.title);
      assert.equal(slug, c.slug);
      if (slug) assert.match(slug, SLUG_RE);
    });
  }
});

test('slugProblem', async (t) => {
  const cases = [
    { name: 'good', slug: 'oceans-2026', ok: true },
    { name: 'one character', slug: 'a', ok: true },
    { name: '63 characters', slug: 'a'.repeat(63), ok: true },
    { name: 'empty', slug: '', problem: /short name/ },
    { name: '64 characters', slug: 'a'.repeat(64), problem: /At most 63 characters \(this one has 64\)/ },
    { name: 'upper case', slug: 'Oceans', problem: /lower-case/ },
    { name: 'space', slug: 'the oceans', problem: /only lower-case letters a-z, digits 0-9 and dashes/ },
    { name: 'underscore', slug: 'the_oceans', problem: /dashes/ },
    { name: 'leading dash', slug: '-oceans', problem: /not a dash/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const problem = slugProblem(c.slug);
      if (c.ok) assert.equal(problem, '');
      else assert.match(problem, c.problem);
      assert.equal(problem === '', SLUG_RE.test(c.slug), 'agrees with the server rule');
    });
  }
});

test('parseOrganizerInput', async (t) => {
  const code = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345-_aBcDeF';
  const cases = [
    { name: 'the whole link', input: `http://localhost:8080/organize#code=${code}`, code },
    { name: 'with spaces around', input: `  https://un.example/organize#code=${code}\n`, code },
    { name: 'the fragment', input: `#code=${code}`, code },
    { name: 'the bare code', input: code, code },
    { name: 'too short', input: 'abc', code: null },
    { name: 'not a code', input: 'hello world', code: null },
    { name: 'empty', input: '', code: null },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(parseOrganizerInput(c.input), c.code));
});

test('fieldOf: a server refusal goes beside the field it names', async (t) => {
  const cases = [
    { name: 'a slug that exists (409)', err: { status: 409, code: 'conflict', message: 'A draft named oceans already exists.' }, where: { field: 'slug' } },
    { name: 'a field named by the server', err: { status: 400, code: 'bad_request', message: 'x', field: 'title' }, where: { field: 'title' } },
    { name: 'a clause', err: { status: 400, message: 'clauses[3].text contains a control character' }, where: { field: 'clause', index: 3 } },
    { name: 'a delegation', err: { status: 400, message: 'delegations[2].code "CHAIR" is reserved for the chair' }, where: { field: 'roster', index: 2 } },
    { name: 'a sponsor', err: { status: 400, message: 'sponsors[0] "ATL" is not one of the delegations' }, where: { field: 'sponsors' } },
    { name: 'the title', err: { status: 400, message: 'title must be at most 512 bytes' }, where: { field: 'title' } },
    { name: 'the slug', err: { status: 400, message: 'the slug must be 1 to 63 of a-z, 0-9 and -' }, where: { field: 'slug' } },
    { name: 'the roster', err: { status: 400, message: 'The roster is empty: choose at least one delegation.' }, where: { field: 'roster' } },
    { name: 'the split text', err: { status: 400, message: 'line 4 contains a control character (U+0007)' }, during: 'split', where: { field: 'text' } },
    { name: 'too large', err: { status: 413, code: 'too_large', message: 'The request is larger than 2 MiB.' }, where: { field: 'form' } },
  ];
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(fieldOf(c.err, c.during ?? 'create'), c.where));
});

test('counts and times through Intl', async (t) => {
  await t.test('plural forms (the catalog\'s plural messages)', () => {
    assert.equal(translate('organize.clauses', { n: 1 }), '1 clause');
    assert.equal(translate('organize.new.roomOpen', { address: 'x', n: 12 }).includes('12 delegations'), true);
    assert.equal(translate('organize.amendments', { n: 1234 }), '1,234 amendments');
  });
  // The largest unit that fits, in the page's language (English here; compared with Intl itself).
  const now = Date.parse('2026-12-06T12:00:00Z');
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const cases = [
    { name: 'just now', at: '2026-12-06T11:59:40Z', value: 0, unit: 'second' },
    { name: 'minutes', at: '2026-12-06T11:55:00Z', value: -5, unit: 'minute' },
    { name: 'hours', at: '2026-12-06T09:00:00Z', value: -3, unit: 'hour' },
    { name: 'yesterday', at: '2026-12-05T12:00:00Z', value: -1, unit: 'day' },
    { name: 'weeks', at: '2026-11-20T12:00:00Z', value: -2, unit: 'week' },
    { name: 'in the future (a clock ahead)', at: '2026-12-06T14:00:00Z', value: 2, unit: 'hour' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(relativeTime(new Date(c.at), now), rtf.format(c.value, c.unit)));
});
