// The organizer console, the join slips and the debrief in the six languages of the UN (issue 18):
// each page in each language shows no English left in its visible text (state names, codes,
// links, the draft's text and titles excepted: they are marked lang="en", dir="auto", <bdi> or
// <code>), does not overflow at 390 and 1280 px, and in Arabic is right to left. Screenshots of
// the console and the debrief in Arabic and Chinese at both widths, and of the slips as printed,
// go to build/screenshots/ for people to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmpty, launchBrowser, newPage, shot, cleanup, until } from './harness.mjs';

const LANGS = ['en', 'ar', 'zh', 'fr', 'ru', 'es'];
const SLUG = 'code-of-conduct';
// Words that are the same in every language: the product, paper sizes, formats, the brand.
const SAME_EVERYWHERE = /^(plenary|A4|QR|git|Chart\.js|UTC|\.txt|\.md|—|·|\(|\)|…|%|\d.*)$/;

let env;
let browser;
let organizerCode;

before(async () => {
  env = await startEmpty();
  organizerCode = new URL(env.organizerLink).hash.replace(/^#code=/, '');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

/**
 * The visible text of the page as a list of strings, leaving out what is not the interface's:
 * the draft's text and names (dir="auto", lang="en"), codes, links and times (<bdi>, <code>,
 * <time>, .slug, .code), the language picker (each language in its own name).
 */
const visibleTexts = (page) => page.evaluate(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.replace(/\s+/g, ' ').trim();
    if (!/[A-Za-z]/.test(text)) continue;
    const el = n.parentElement;
    if (!el || el.closest('script, style, noscript, code, bdi, time, option, [lang="en"], [dir="auto"], .slug, .code, .slip-link, .link-text, .lang-picker, .brand')) continue;
    const style = getComputedStyle(el);
    if (!el.checkVisibility() && !el.closest('.visually-hidden')) continue;
    if (style.display === 'none') continue;
    out.push(text);
  }
  return out;
});

const overflows = (page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);

/** What sticks out of the viewport (outside scrolling table wraps), for the failure message. */
const widest = (page) => page.evaluate(() => {
  const w = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > w + 1 && !e.parentElement?.closest('.db-table-wrap'))
    .slice(0, 6).map((e) => {
      const chain = [];
      for (let a = e; a && a !== document.body; a = a.parentElement) chain.push(`${a.tagName}.${a.className}:${Math.round(a.getBoundingClientRect().width)}/${getComputedStyle(a).display}`);
      return chain.join(' < ');
    });
});

/** Strings of `texts` also shown by the English page (`english`): left untranslated. */
function leftInEnglish(texts, english) {
  return [...new Set(texts.filter((s) => english.has(s) && !SAME_EVERYWHERE.test(s) && /[A-Za-z]{2,}/.test(s)))];
}

// The pages: how to reach each one in a language once the organizer code is in the tab, and what
// shows it is drawn.
const PAGES = [
  {
    name: 'organize',
    async open(page, lang) {
      await page.goto(`${env.server.url}/organize?lang=${lang}`);
      await page.locator(`.draft-card[data-slug="${SLUG}"]`).waitFor();
      await page.locator('#roster-list').waitFor();
    },
  },
  {
    name: 'slips',
    async open(page, lang) {
      await page.goto(`${env.server.url}/organize/${SLUG}/slips?lang=${lang}`);
      await page.locator('.slips-form').waitFor();
      await page.locator('.slips-form button[type="submit"]').click();
      await page.locator('.slip').first().waitFor();
    },
  },
  {
    name: 'debrief',
    async open(page, lang) {
      // A fresh chair link, issued with the organizer code (the page's own origin, as the console does).
      const chair = await page.evaluate(async ({ slug, code }) => {
        const res = await fetch(`/api/drafts/${slug}/codes`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${code}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ roles: ['chair'], base: location.origin }),
        });
        const answer = await res.json();
        return new URL(answer.links.chair, location.origin).hash.replace(/^#code=/, '');
      }, { slug: SLUG, code: organizerCode });
      await page.goto(`${env.server.url}/d/${SLUG}/debrief?lang=${lang}#code=${chair}`);
      await page.locator('.db-scope').waitFor();
      await page.locator('#db-states-table').waitFor();
    },
  },
];

test('the organizer console, the join slips and the debrief in six languages: no English left, no overflow, Arabic right to left', async (t) => {
  const { context, page, watch } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  // The organizer code into this tab (sessionStorage), as the organizer link does.
  await page.goto(env.organizerLink);
  await page.locator('.draft-card').first().waitFor();

  const english = new Map();
  for (const lang of LANGS) {
    for (const p of PAGES) {
      await t.test(`${p.name} in ${lang}`, async () => {
        await page.setViewportSize({ width: 1280, height: 900 });
        await p.open(page, lang);
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
        assert.equal(await page.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr');
        const texts = await visibleTexts(page);
        if (lang === 'en') {
          english.set(p.name, new Set(texts));
        } else {
          assert.deepEqual(leftInEnglish(texts, english.get(p.name)), [], `English left on ${p.name} in ${lang}`);
        }
        assert.equal(await overflows(page), false, `${p.name} ${lang} overflows at 1280 px`);
        if (lang === 'ar' || lang === 'zh') await shot(page, `i18n-${p.name}-${lang}-1280`);
        if (lang === 'ar') {
          // Right to left: the brand at the right of the masthead, the main column's text from the right.
          const where = await page.evaluate(() => ({
            brand: document.querySelector('.brand').getBoundingClientRect().left,
            width: document.documentElement.clientWidth,
            direction: getComputedStyle(document.querySelector('main')).direction,
            align: getComputedStyle(document.querySelector('main p')).textAlign,
          }));
          assert.ok(where.brand > where.width / 2, `the brand is on the right: ${JSON.stringify(where)}`);
          assert.equal(where.direction, 'rtl');
        }
        await page.setViewportSize({ width: 390, height: 844 });
        await until(() => page.evaluate(() => document.documentElement.clientWidth === 390), { message: '390 px' });
        // Chart.js redraws its canvases at the new width on its own resize observer: wait for it.
        await until(async () => !(await overflows(page)), { timeoutMs: 5000, message: `${p.name} ${lang} fits 390 px` })
          .catch(async (err) => { throw new Error(`${err.message}: ${JSON.stringify(await widest(page))}`); });
        if (lang === 'ar' || lang === 'zh') await shot(page, `i18n-${p.name}-${lang}-390`);
        if (p.name === 'slips' && (lang === 'ar' || lang === 'zh')) {
          await page.setViewportSize({ width: 1280, height: 900 });
          await page.emulateMedia({ media: 'print' });
          await shot(page, `i18n-slips-${lang}-print`);
          await page.emulateMedia({ media: 'screen' });
        }
      });
    }
  }
  assert.deepEqual(watch.problems(), []);
  await context.close();
});
