// docs/un-terms.md, the UN terms in one place (issue 18), agrees with the catalogs: every term.*
// message of every language appears in it as the catalog writes it (placeholders filled with 1),
// so that a change of wording in a catalog without the note (or the reverse) fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LANGUAGES } from '../../web/i18n.js';

const read = (rel) => readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');
const doc = read('docs/un-terms.md').toLowerCase();

test('every term.* of every catalog is in docs/un-terms.md', async (t) => {
  for (const { code } of LANGUAGES) {
    await t.test(code, () => {
      const catalog = JSON.parse(read(`web/i18n/${code}.json`));
      const terms = Object.entries(catalog).filter(([key]) => key.startsWith('term.'));
      assert.ok(terms.length >= 20, `${code} has its UN terms`);
      const missing = terms
        .filter(([, message]) => !doc.includes(message.replace(/\{\w+\}/g, '1').toLowerCase()))
        .map(([key, message]) => `${key}: ${message}`);
      assert.deepEqual(missing, []);
    });
  }
});
