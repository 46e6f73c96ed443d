// web/i18n/*.json, the pages' message catalogs (web/i18n.js): every key of the English catalog
// (the source) in every other one and no more; no key that the code never names; every
// placeholder of an English message in each translation; each message parses and formats in its
// language; the files one key per line, sorted. `node tests/web/i18n-catalogs.test.mjs --fix`
// rewrites the catalogs sorted (nothing else).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { englishStrings, webModules } from './english-strings.mjs';
import { LANGUAGES, SOURCE_LANGUAGE, useCatalog, t as translate, messageArguments } from '../../web/i18n.js';

const webDir = fileURLToPath(new URL('../../web/', import.meta.url));
const catalogDir = join(webDir, 'i18n');
const codes = LANGUAGES.map((l) => l.code);
const read = (code) => JSON.parse(readFileSync(join(catalogDir, `${code}.json`), 'utf8'));
const serialize = (cat) =>
  `{\n${Object.keys(cat).sort().map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(cat[k])}`).join(',\n')}\n}\n`;

if (process.argv.includes('--fix')) {
  for (const code of codes) writeFileSync(join(catalogDir, `${code}.json`), serialize(read(code)));
  console.log(`sorted ${codes.length} catalogs`);
  process.exit(0);
}

const catalogs = Object.fromEntries(codes.map((code) => [code, read(code)]));
const source = catalogs[SOURCE_LANGUAGE];

// The glossary of UN terms is kept whole even where no page uses a term yet (the exports' and the
// notes' reference): `term.*` is exempt from the unused check.
const ALWAYS_KEPT = /^term\./;

// Every web/**/*.js and *.html except the catalogs: the ids they name, as quoted strings
// ('room.title', "room.title", `room.title`) or in data-i18n / data-i18n-attr.
function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (path !== catalogDir) out.push(...sourceFiles(path));
    } else if (/\.(js|html)$/.test(name)) out.push(path);
  }
  return out;
}
const used = new Set();
for (const file of sourceFiles(webDir)) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/['"`]([a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)+)['"`]/g)) used.add(m[1]);
  for (const m of text.matchAll(/data-i18n(?:-attr)?="([^"]+)"/g)) {
    for (const part of m[1].trim().split(/\s+/)) used.add(part.includes(':') ? part.split(':')[1] : part);
  }
}

// The argument names of a message: {name}, {name, plural, …}, {name, select, …} (i18n.js's parser;
// a message it cannot parse has none, and fails the formatting test below).
function placeholders(message) {
  try {
    return messageArguments(message);
  } catch {
    return new Set(['(unparsable)']);
  }
}

test('every catalog has exactly the English keys', async (t) => {
  for (const code of codes) {
    await t.test(code, () => {
      const missing = Object.keys(source).filter((k) => !(k in catalogs[code]));
      const extra = Object.keys(catalogs[code]).filter((k) => !(k in source));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    });
  }
});

test('no catalog key that the code never names', () => {
  const unused = Object.keys(source).filter((k) => !ALWAYS_KEPT.test(k) && !used.has(k));
  assert.deepEqual(unused, [], `keys no page uses (${relative(process.cwd(), webDir)}**/*.js, *.html)`);
});

test('every placeholder of a message in each translation', async (t) => {
  for (const code of codes) {
    await t.test(code, () => {
      const wrong = [];
      for (const [key, message] of Object.entries(source)) {
        const want = [...placeholders(message)].sort();
        const got = [...placeholders(catalogs[code][key] ?? '')].sort();
        if (want.join() !== got.join()) wrong.push(`${key}: {${want}} vs {${got}}`);
      }
      assert.deepEqual(wrong, []);
    });
  }
});

test('every message formats in its language', async (t) => {
  for (const code of codes) {
    await t.test(code, () => {
      useCatalog(code, catalogs[code], source);
      for (const [key, message] of Object.entries(catalogs[code])) {
        const params = Object.fromEntries([...placeholders(message)].map((p) => [p, 2]));
        assert.doesNotThrow(() => translate(key, params), `${code} ${key}`);
        assert.ok(translate(key, params).length > 0, `${code} ${key} is empty`);
      }
    });
  }
});

// Modules not converted yet (issue 18: the organizer console and the debrief are the i18nplus
// branch's); every other module of web/ must show no English outside the catalogs. Remove a line
// when its module is converted.
const NOT_YET_CONVERTED = new Set([
  'debrief.js', 'debrief-data.js', 'organize.js', 'organize-new.js', 'organizer.js', 'qr.js', 'roster-picker.js', 'slips.js',
]);

test('no user-visible English string in the modules outside the catalogs', async (t) => {
  for (const file of webModules().filter((f) => !NOT_YET_CONVERTED.has(relative(webDir, f)))) {
    await t.test(relative(webDir, file), () => {
      assert.deepEqual(englishStrings(file).map((s) => `${s.line}: ${s.text}`), []);
    });
  }
});

// The static HTML of the pages: every element with words of its own carries data-i18n (the text
// a page shows before its script runs is English, then replaced). <noscript> is exempt: without
// JavaScript there is no catalog.
const HTML_NOT_YET_CONVERTED = new Set(['debrief.html', 'organize.html', 'slips.html']);

test('static HTML text is translated through data-i18n', async (t) => {
  for (const name of readdirSync(webDir).filter((f) => f.endsWith('.html') && !HTML_NOT_YET_CONVERTED.has(f)).sort()) {
    await t.test(name, () => {
      const html = readFileSync(join(webDir, name), 'utf8').replace(/<noscript>[\s\S]*?<\/noscript>/g, '');
      const bare = [...html.matchAll(/<(\w+)([^>]*)>([^<]*[A-Za-z]{3,}[^<]*)</g)]
        .filter((m) => !/\bdata-i18n=/.test(m[2]))
        .map((m) => `<${m[1]}>${m[3].trim().slice(0, 60)}`);
      assert.deepEqual(bare, []);
    });
  }
});

test('catalogs are one key per line, sorted (--fix sorts them)', async (t) => {
  for (const code of codes) {
    await t.test(code, () => {
      assert.equal(readFileSync(join(catalogDir, `${code}.json`), 'utf8'), serialize(catalogs[code]));
    });
  }
});
