// The clause-history view (blame coloured by state, every amendment with its word diff), a deleted
// clause's history, live refresh, and the whole-draft log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startWithDraft, launchBrowser, newPage, openRoom, operative, until, shot, cleanup, screenshotDir } from './harness.mjs';

async function shotPath(name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  return path.join(screenshotDir, `${name}.png`);
}

let env;
let browser;
let rus;
let usa;
let clauseId;

before(async () => {
  env = await startWithDraft();
  browser = await launchBrowser();
  rus = await newPage(browser);
  usa = await newPage(browser);
  await openRoom(rus.page, env.server, env.slug, env.codes.delegations.RUS);
  await openRoom(usa.page, env.server, env.slug, env.codes.delegations.USA);
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

async function amend(page, n, change, note) {
  const li = operative(page, n);
  await li.getByRole('button', { name: /^Edit/ }).click();
  const ta = li.locator('textarea');
  const before = await ta.inputValue();
  const after = change(before);
  assert.notEqual(after, before);
  await ta.fill(after);
  if (note) await li.getByLabel(/Note/).fill(note);
  await li.getByRole('button', { name: 'Save' }).click();
  await ta.waitFor({ state: 'detached' });
  return after;
}

/** Text of an element without the screen-reader-only parts. */
const visibleText = (loc) => loc.evaluate((el) => {
  const walk = (n) => (n.nodeType === Node.TEXT_NODE ? n.textContent
    : n.classList && n.classList.contains('visually-hidden') ? '' : [...n.childNodes].map(walk).join(''));
  return walk(el);
});

test('two states amend one clause; its history shows each amendment with <ins>/<del> and the blame', async () => {
  clauseId = await operative(rus.page, 2).getAttribute('data-clause-id');
  await amend(rus.page, 2, (t) => t.replace('hostile activities', 'hostile or subversive activities'), 'Cover subversion.');
  await until(async () => (await operative(usa.page, 2).innerText()).includes('subversive'), { message: 'live update' });
  const final = await amend(usa.page, 2, (t) => t.replace('acts of aggression', 'armed attacks'), 'Use the Charter’s term.');

  await operative(usa.page, 2).getByRole('link', { name: /History/ }).click();
  await usa.page.waitForURL(`${env.server.url}/d/${env.slug}/clauses/${clauseId}`);
  const { page } = usa;
  await page.locator('.timeline > li').nth(2).waitFor();
  const items = page.locator('.timeline > li');
  assert.equal(await items.count(), 3);
  // Oldest first: the opening of the draft by the chair, then Russia, then the United States.
  assert.deepEqual(await items.evaluateAll((els) => els.map((e) => e.dataset.state)), ['CHAIR', 'RUS', 'USA']);
  assert.deepEqual(await items.evaluateAll((els) => els.map((e) => e.dataset.op)), ['open', 'replace', 'replace']);
  assert.match(await items.nth(1).innerText(), /Russian Federation/);
  assert.match(await items.nth(1).locator('.amend-note').innerText(), /Cover subversion\./);
  assert.equal(await items.nth(1).locator('time').count() >= 1, true);
  assert.ok(await items.nth(1).locator('time').getAttribute('datetime'));

  const ins = await items.nth(2).locator('ins').allInnerTexts();
  const del = await items.nth(2).locator('del').allInnerTexts();
  assert.ok(ins.join(' ').includes('armed'), `ins: ${ins}`);
  assert.ok(del.join(' ').includes('aggression'), `del: ${del}`);
  assert.match(ins.join(' '), /inserted:/, 'screen readers hear "inserted:"');
  assert.match(del.join(' '), /deleted:/, 'screen readers hear "deleted:"');
  const decoration = await items.nth(2).locator('del').first().evaluate((el) => getComputedStyle(el).textDecorationLine);
  assert.match(decoration, /line-through/);
  assert.ok((await items.nth(1).locator('ins').allInnerTexts()).join(' ').includes('subversive'));

  // Blame: the current text, attributed to the text as tabled (the original words: the chair's
  // commit opened the draft, but they are the sponsors' text), Russia and the United States.
  const segs = page.locator('#blame-text .blame-seg');
  const states = new Set(await segs.evaluateAll((els) => els.map((e) => e.dataset.state)));
  assert.ok(states.has('RUS') && states.has('USA') && states.has('TABLED'), [...states].join(','));
  assert.ok(!states.has('CHAIR'), 'no word reads as the chair\'s');
  const tabled = segs.filter({ hasText: 'networks' }).first();
  assert.equal(await tabled.getAttribute('data-tabled'), 'true');
  assert.match(await tabled.getAttribute('title'), /^Text as tabled \(CHN, RUS, TJK, UZB\)/);
  assert.match(await page.locator(`#${await tabled.getAttribute('aria-describedby')}`).textContent(), /^Text as tabled \(CHN, RUS, TJK, UZB\), /);
  const rusText = await segs.evaluateAll((els) => els.filter((e) => e.dataset.state === 'RUS').map((e) => e.textContent).join(''));
  const usaText = await segs.evaluateAll((els) => els.filter((e) => e.dataset.state === 'USA').map((e) => e.textContent).join(''));
  assert.ok(rusText.includes('subversive'), `RUS wrote: ${rusText}`);
  assert.ok(usaText.includes('armed'), `USA wrote: ${usaText}`);
  const joined = (await visibleText(page.locator('#blame-text'))).replace(/^\s*\d+\.\s*/, '');
  assert.equal(joined, final);
  assert.match(await segs.filter({ hasText: 'armed' }).first().getAttribute('title'), /United States \(USA\)/);
  // No label between the words: the text reads (and copies) as the text; who wrote a part is
  // its one accessible description.
  assert.equal(await page.locator('#blame-text .visually-hidden').count(), 0);
  const armed = segs.filter({ hasText: 'armed' }).first();
  const descId = await armed.getAttribute('aria-describedby');
  assert.match(await page.locator(`#${descId}`).textContent(), /^Written by United States \(USA\)/);
  assert.equal(await page.locator('#blame-text').evaluate((el) => el.textContent.replace(/^\s*\d+\.\s*/, '')), final);
  const legend = await page.locator('.legend').innerText();
  assert.match(legend, /Russian Federation/);
  assert.match(legend, /United States/);
  assert.match(legend, /Text as tabled \(CHN, RUS, TJK, UZB\)/);
  assert.doesNotMatch(legend, /Chair/);
  // Different states, different tints.
  const bg = (code) => segs.evaluateAll((els, c) => {
    const el = els.find((e) => e.dataset.state === c);
    return el ? getComputedStyle(el).backgroundColor : null;
  }, code);
  assert.notEqual(await bg('RUS'), await bg('USA'));
  await page.locator('#blame-text .blame-seg').first().focus();
  await shot(page, 'history');
  assert.deepEqual(usa.watch.problems(), []);
});

test('the history view refreshes live when the clause is amended again', async () => {
  const { page } = usa;
  await amend(rus.page, 2, (t) => t.replace('international peace and security', 'international peace, stability and security'));
  await page.locator('.timeline > li').nth(3).waitFor();
  assert.ok((await page.locator('.timeline > li').nth(3).locator('ins').allInnerTexts()).join(' ').includes('stability'));
  await page.getByRole('link', { name: /Back to the drafting room/ }).click();
  await page.locator(`li.clause[data-clause-id="${clauseId}"]`).waitFor();
});

test('a deleted clause keeps its history, marked as deleted', async () => {
  const li = operative(rus.page, 5);
  const id = await li.getAttribute('data-clause-id');
  const text = (await li.locator('.clause-text').innerText()).trim();
  await li.getByRole('button', { name: /^Delete/ }).click();
  await li.getByRole('button', { name: 'Delete clause' }).click();
  await rus.page.locator(`li.clause[data-clause-id="${id}"]`).waitFor({ state: 'detached' });
  await rus.page.goto(`${env.server.url}/d/${env.slug}/clauses/${id}`);
  await rus.page.getByRole('heading', { name: 'This clause is deleted' }).waitFor();
  assert.match(await rus.page.locator('.notice--deleted').innerText(), /deleted by/);
  assert.equal((await rus.page.locator('.last-text .clause-text').innerText()).trim(), text);
  const ops = await rus.page.locator('.timeline > li').evaluateAll((els) => els.map((e) => e.dataset.op));
  assert.equal(ops[ops.length - 1], 'delete');
  await shot(rus.page, 'history-deleted');
});

test('the log lists every amendment newest first, linking to each clause history', async () => {
  const { page } = rus;
  await page.goto(`${env.server.url}/d/${env.slug}/log`);
  const rows = page.locator('.log-table tbody tr');
  await rows.first().waitFor();
  const ops = await rows.evaluateAll((els) => els.map((e) => e.dataset.op));
  assert.deepEqual(ops, ['delete', 'replace', 'replace', 'replace', 'open']);
  const states = await rows.evaluateAll((els) => els.map((e) => e.dataset.state));
  assert.deepEqual(states, ['RUS', 'RUS', 'USA', 'RUS', 'CHAIR']);
  const times = await rows.locator('time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
  assert.deepEqual([...times].sort().reverse(), times, 'newest first');
  assert.match(await rows.nth(2).innerText(), /Use the Charter’s term\./);
  await shot(page, 'log');
  await rows.nth(1).getByRole('link').click();
  await page.waitForURL(`${env.server.url}/d/${env.slug}/clauses/${clauseId}`);
  await page.locator('.timeline > li').first().waitFor();
  assert.deepEqual(rus.watch.problems(), []);
});

// Issue 15: a rewritten clause reads as whole replaced passages, not a dozen struck-through
// fragments between kept small words. The page shows the server's readable diff ("after");
// for comparison the same entry is drawn again with the minimal diff the merge uses
// ("before"), in the page's own renderer. Both are screenshots for people to look at.
test('a rewritten clause: the history shows whole replaced passages (readable diff), before/after screenshots', async () => {
  const { page } = usa;
  await page.goto(`${env.server.url}/d/${env.slug}`);
  const li = operative(page, 1);
  await li.waitFor();
  const id = await li.getAttribute('data-clause-id');
  const old = (await li.locator('.clause-text').innerText()).trim();
  const rewritten = await amend(page, 1, (t) => t.replace(/universally recognized norms[^;]*/,
    'the purposes and principles of the Charter of the United Nations and with international law, including human rights law'),
  'Rewritten around the Charter.');
  await page.goto(`${env.server.url}/d/${env.slug}/clauses/${id}`);
  const entry = page.locator('.timeline > li').nth(1);
  await entry.waitFor();
  const diff = entry.locator('.amend-diff');
  // "~~universally recognized norms … respect for~~ **the purposes … including** human rights
  // ~~and fundamental freedoms … of all countries~~ **law**": the kept "human rights" (two
  // words longer than 3 letters) stays, so two passages, not a dozen fragments.
  const dels = await diff.locator('del').count();
  assert.ok(dels <= 2, `at most two deleted passages (${dels})`);
  assert.ok((await diff.locator('ins').count()) <= 2, 'at most two inserted passages');
  assert.match(await diff.locator('del').first().innerText(), /universally recognized norms governing international relations, .* respect for/);
  await entry.scrollIntoViewIfNeeded();
  await entry.screenshot({ path: await shotPath('history-rewrite-after') });
  await shot(page, 'history-rewrite');

  // The minimal diff of the same pair, drawn by the same renderer: what the page showed before.
  const fragments = await page.evaluate(async ([a, b]) => {
    const { minimalDiff, renderDiff } = await import('/static/diff.js');
    const target = document.querySelector('.timeline > li:nth-child(2) .amend-diff');
    target.replaceChildren(...renderDiff(minimalDiff(a, b)));
    return target.querySelectorAll('del').length;
  }, [old.replace(/^\d+\.\s*/, ''), rewritten]);
  assert.ok(fragments >= 10, `the minimal diff has many fragments (${fragments})`);
  await entry.screenshot({ path: await shotPath('history-rewrite-before') });
});
