// Issue 18, the pages in the six languages of the United Nations: every page of i18n-pages.mjs in
// each language of web/i18n.js (one server, one browser, one tab per language), with
//   - no English left in what the page shows or says (text nodes, including screen-reader text,
//     aria-label, title, placeholder and the document's title): the words of the English catalog
//     that the language's catalog does not use itself are looked for; the draft's own text, names
//     and codes are exempt (elements with dir="auto", state chips, codes);
//   - no horizontal overflow at 390 px (a phone) and 1,280 px;
//   - Arabic right to left: <html dir="rtl">, a clause's number to the right of its text, the
//     presence panel to the left of the document;
//   - screenshots of the room in Arabic, Chinese and Russian (build/screenshots/i18n-room-*.png)
//     for people to look at, and the picker and ?lang= remembered as documented.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startWithDraft, launchBrowser, newPage, screenshotDir, webDir, sampleDraft, cleanup } from './harness.mjs';
import { PAGES, session } from './i18n-pages.mjs';

const LANGS = ['ar', 'zh', 'en', 'fr', 'ru', 'es'];
const catalog = (code) => JSON.parse(fs.readFileSync(path.join(webDir, 'i18n', `${code}.json`), 'utf8'));
const words = (text) => String(text).toLowerCase().match(/[a-z]{4,}/g) ?? [];

let env;
let browser;
const ctx = {};

before(async () => {
  env = await startWithDraft();
  Object.assign(ctx, { server: env.server, slug: env.slug, codes: env.codes, dataDir: env.dataDir });
  browser = await launchBrowser();
  const { page, context } = await newPage(browser);
  await session(page, ctx);
  await context.close();
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

/**
 * The English words that must not appear in language `code`: every word of four letters or more
 * in the English catalog's messages, less those its own catalog uses (a French "Note", the
 * "plenary" of every title), the names of the roster's states (China is "China" on every page:
 * the names come from the draft) and ICU keywords.
 */
function englishWords(code) {
  const en = new Set(Object.values(catalog('en')).flatMap(words));
  const own = new Set(Object.values(catalog(code)).flatMap(words));
  const roster = new Set(sampleDraft().delegations.flatMap((d) => words(d.name)));
  for (const w of [...own, ...roster, 'plural', 'select', 'other']) en.delete(w);
  return en;
}

/** In the page: each piece of text it shows or says, with where it is; the draft's own words left out. */
function pageTexts() {
  const EXEMPT = '[dir="auto"], .chip, code, .lang-picker, script, style, noscript, [hidden]';
  const out = [];
  const shown = (el) => el.checkVisibility({ visibilityProperty: true }) || el.closest('.visually-hidden');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || el.closest(EXEMPT) || !shown(el)) continue;
    out.push({ where: el.tagName.toLowerCase() + (el.className ? `.${String(el.className).split(' ')[0]}` : ''), text: n.textContent.trim() });
  }
  for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [data-label]')) {
    if (el.closest(EXEMPT) || !shown(el)) continue;
    for (const attr of ['aria-label', 'title', 'placeholder', 'data-label']) {
      const v = el.getAttribute(attr);
      if (v) out.push({ where: `${el.tagName.toLowerCase()}[${attr}]`, text: v });
    }
  }
  out.push({ where: 'title', text: document.title.replace(document.querySelector('.doc-title')?.textContent ?? '\u0000', '') });
  return out;
}

async function open(page, entry, code) {
  const url = `${ctx.server.url}${entry.path(ctx)}?lang=${code}${entry.code ? `#code=${entry.code(ctx)}` : ''}`;
  // Another code for the same address: only the fragment differs, which would not load the page.
  if (page.url().split('#')[0] === url.split('#')[0]) await page.goto('about:blank');
  await page.goto(url);
  await page.locator(entry.ready).first().waitFor();
  if (entry.setup) await entry.setup(page, ctx);
  // The toasts of the join come and go; what stays is checked.
  await page.evaluate(() => document.getElementById('toasts')?.replaceChildren());
}

// The languages side by side, three tabs at a time (each its own browser context): most of a
// page's time is spent waiting for the server and the network, not on the 2 cores of CI.
describe('the pages in each language', { concurrency: 3 }, () => {
  for (const code of LANGS) {
    test(`every page in ${code}: no English left, no overflow${code === 'ar' ? ', right to left' : ''}`, async (t) => {
      const { page, context } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
      const forbidden = englishWords(code);
      try {
        for (const entry of PAGES) {
          await t.test(entry.name, async () => {
            await open(page, entry, code);
            assert.equal(await page.evaluate(() => document.documentElement.lang), code);
            assert.equal(await page.evaluate(() => document.documentElement.dir), code === 'ar' ? 'rtl' : 'ltr');
            if (code !== 'en') {
              const left = (await page.evaluate(pageTexts))
                .map((x) => ({ ...x, english: words(x.text).filter((w) => forbidden.has(w)) }))
                .filter((x) => x.english.length)
                .map((x) => `${x.where}: “${x.text}” (${x.english.join(', ')})`);
              assert.deepEqual(left, [], `English left on ${entry.name} in ${code}`);
            }
            for (const width of [390, 1280]) {
              await page.setViewportSize({ width, height: 900 });
              const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
              assert.ok(over <= 1, `${entry.name} in ${code} overflows by ${over}px at ${width}px`);
            }
            if (code === 'ar' && entry.rtl) {
              const box = (sel) => page.locator(sel).first().boundingBox();
              const number = await box('li.clause--operative .clause-number');
              const text = await box('li.clause--operative .clause-text');
              assert.ok(number.x > text.x, `the clause number (x=${number.x}) is to the right of its text (x=${text.x})`);
              const presence = await box('.presence');
              const doc = await box('.document');
              assert.ok(presence.x + presence.width <= doc.x + 1, `the presence panel (${presence.x}) is to the left of the document (${doc.x})`);
            }
            if (entry.name === 'room' && ['ar', 'zh', 'ru'].includes(code)) {
              fs.mkdirSync(screenshotDir, { recursive: true });
              await page.screenshot({ path: path.join(screenshotDir, `i18n-room-${code}.png`), fullPage: false });
            }
          });
        }
      } finally {
        await context.close();
      }
    });
  }
});

test('the picker changes the language and remembers it; ?lang= wins for a link', async () => {
  const { page, context } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`${ctx.server.url}/`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'Chromium here speaks English');
    await Promise.all([page.waitForEvent('load'), page.locator('.lang-picker select').selectOption('fr')]);
    await page.locator('html[lang="fr"]').waitFor();
    assert.equal(await page.locator('#join-title').innerText(), catalog('fr')['join.formTitle']);
    // Remembered in this browser: a new tab of the same context opens in French.
    const other = await context.newPage();
    await other.goto(`${ctx.server.url}/`);
    await other.locator('html[lang="fr"]').waitFor();
    // A projector's link: ?lang= over the remembered choice, and kept while its tab follows links.
    await other.goto(`${ctx.server.url}/?lang=ru`);
    await other.locator('html[lang="ru"]').waitFor();
    await other.goto(`${ctx.server.url}/`);
    await other.locator('html[lang="ru"]').waitFor();
    assert.equal(await other.locator('.lang-picker select').inputValue(), 'ru');
  } finally {
    await context.close();
  }
});
