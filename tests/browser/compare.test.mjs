// The compare page (procedure.md, "Versions"): the chair names the text rev.1 from the room, a
// delegation then changes a clause, inserts one, deletes one and moves one; the room's "Compare
// versions" link opens rev.1 → the current text with every clause labelled ("Moved from 5 to 1",
// "Changed", "Removed", "Added", "Unchanged"), numbers before → after, <ins>/<del> marks; the
// versions are picked from selects and kept in the address; print style; an unknown version.
// Screenshot: build/screenshots/compare.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithDraft, launchBrowser, newPage, openRoom, operative, until, shot, cleanup } from './harness.mjs';

const NEW = 'To share information on threats and incidents in a timely manner.';

let env;
let browser;
let chair;
let rus;
const ids = {};

before(async () => {
  env = await startWithDraft();
  browser = await launchBrowser();
  chair = await newPage(browser);
  rus = await newPage(browser);
  await openRoom(chair.page, env.server, env.slug, env.codes.chair);
  await openRoom(rus.page, env.server, env.slug, env.codes.delegations.RUS);
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

const api = async (p) => (await fetch(`${env.server.url}/api/drafts/${env.slug}${p}`, { headers: { Authorization: `Bearer ${env.codes.observer}` } })).json();
const order = async () => (await api('')).clauses.map((c) => c.id);

/** Visible text of an element, without its screen-reader-only parts. */
const visibleText = (loc) => loc.evaluate((el) => {
  const walk = (n) => (n.nodeType === Node.TEXT_NODE ? n.textContent
    : n.classList && n.classList.contains('visually-hidden') ? '' : [...n.childNodes].map(walk).join(''));
  return walk(el).replace(/\s+/g, ' ').trim();
});

test('the chair names the text rev.1; a delegation changes, inserts, deletes and moves clauses', async () => {
  const ops = await order();
  [ids.op1, ids.op2, ids.op3, ids.op4, ids.op5] = ops.filter((id, i) => i >= 2);
  const { page } = chair;
  await page.locator('#chair-tag').fill('rev.1');
  await page.getByRole('button', { name: 'Record version' }).click();
  await until(async () => (await api('/versions')).versions?.some((v) => v.name === 'rev.1'), { message: 'rev.1 listed' });

  const p = rus.page;
  // Change operative clause 2.
  await operative(p, 2).getByRole('button', { name: /^Edit/ }).click();
  const ta = operative(p, 2).locator('textarea');
  await ta.fill((await ta.inputValue()).replace('hostile activities or acts of aggression', 'hostile or subversive activities or armed attacks'));
  await operative(p, 2).getByRole('button', { name: 'Save' }).click();
  await ta.waitFor({ state: 'detached' });
  // Delete operative clause 4.
  await operative(p, 4).getByRole('button', { name: /^Delete/ }).click();
  await operative(p, 4).getByRole('button', { name: 'Delete clause' }).click();
  await p.locator(`li.clause[data-clause-id="${ids.op4}"]`).waitFor({ state: 'detached' });
  // Insert after operative clause 3.
  await operative(p, 3).getByRole('button', { name: /^Insert after/ }).click();
  const form = operative(p, 3).locator('form.editor');
  await form.getByLabel('Kind').selectOption('operative');
  await form.getByLabel('Text').fill(NEW);
  await form.getByRole('button', { name: 'Insert clause' }).click();
  await form.waitFor({ state: 'detached' });
  await until(async () => (await order()).length === 7, { message: 'the inserted clause' });
  ids.added = (await order()).find((id) => !Object.values(ids).includes(id) && !['c1', 'c2'].includes(id));
  // Move the last operative clause (the old 5) to the top of the operative clauses.
  for (let k = 0; k < 4; k++) {
    const before = (await order()).indexOf(ids.op5);
    await p.locator(`li.clause[data-clause-id="${ids.op5}"]`).getByRole('button', { name: /Move up/ }).click();
    await until(async () => (await order()).indexOf(ids.op5) === before - 1, { message: `move ${k + 1}` });
  }
  assert.deepEqual((await order()).slice(2), [ids.op5, ids.op1, ids.op2, ids.op3, ids.added]);
});

test('the room links to the compare page, which compares rev.1 with the current text', async () => {
  const { page } = rus;
  await page.getByRole('link', { name: 'Compare versions' }).click();
  await page.locator('.cmp-list > li').first().waitFor();
  const head = (await api('')).head;
  const url = new URL(page.url());
  assert.equal(url.pathname, `/d/${env.slug}/compare`);
  assert.equal(url.searchParams.get('from'), 'rev.1');
  assert.equal(url.searchParams.get('to'), head);
  assert.equal(await page.locator('#cmp-from').inputValue(), 'rev.1');
  assert.equal(await page.locator('#cmp-to').inputValue(), head);
  assert.equal(await visibleText(page.locator('.cmp-title')), 'rev.1 → the current text');

  const items = page.locator('.cmp-list > li');
  // In the order of the newer text, the removed clause where it stood (after the old 3).
  assert.deepEqual(await items.evaluateAll((els) => els.map((e) => [e.dataset.clauseId, e.dataset.change])), [
    ['c1', 'same'], ['c2', 'same'],
    [ids.op5, 'moved'], [ids.op1, 'same'], [ids.op2, 'changed'], [ids.op3, 'same'],
    [ids.op4, 'removed'], [ids.added, 'added'],
  ]);
  const item = (id) => page.locator(`.cmp-list > li[data-clause-id="${id}"]`);
  const label = (id) => item(id).locator('.cmp-label').evaluate((el) => el.lastChild.textContent);
  const number = (id) => visibleText(item(id).locator('.cmp-number'));
  assert.equal(await label(ids.op5), 'Moved from 5 to 1');
  assert.equal(await number(ids.op5), '5 → 1');
  assert.equal(await label(ids.op2), 'Changed');
  assert.equal(await number(ids.op2), '2 → 3');
  assert.equal(await label(ids.op4), 'Removed');
  assert.equal(await number(ids.op4), '4 → —');
  assert.equal(await label(ids.added), 'Added');
  assert.equal(await number(ids.added), '— → 5');
  assert.equal(await label(ids.op1), 'Unchanged');
  assert.equal(await number(ids.op1), '1 → 2');
  assert.equal(await label('c1'), 'Unchanged');
  assert.equal(await number('c1'), '');

  // Insertions underlined, deletions struck through, and said so to screen readers.
  const ins = (await item(ids.op2).locator('ins').allInnerTexts()).join(' ');
  const del = (await item(ids.op2).locator('del').allInnerTexts()).join(' ');
  assert.match(ins, /inserted:/);
  assert.match(ins, /subversive/);
  assert.match(ins, /armed/);
  assert.match(del, /deleted:/);
  assert.match(del, /aggression/);
  const deco = (loc) => loc.first().evaluate((el) => getComputedStyle(el).textDecorationLine);
  assert.match(await deco(item(ids.op2).locator('ins')), /underline/);
  assert.match(await deco(item(ids.op2).locator('del')), /line-through/);
  assert.match(await item(ids.op4).locator('del').innerText(), /fully respect/);
  assert.equal(await item(ids.added).locator('ins').innerText().then((t) => t.replace(/^inserted:\s*/, '')), NEW);
  assert.equal(await item(ids.op5).locator('ins, del').count(), 0);
  assert.match(await page.locator('.cmp-commits').innerText(), /1 changed, 1 added, 1 removed, 1 moved, 4 unchanged/);

  await shot(page, 'compare');
  // A phone: no horizontal scrolling.
  await page.setViewportSize({ width: 390, height: 800 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'no horizontal scroll at 390 px');
  await shot(page, 'compare-phone');
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(rus.watch.problems(), []);
});

test('the versions are picked from the selects and kept in the address', async () => {
  const { page } = rus;
  const head = (await api('')).head;
  await page.getByRole('button', { name: /Swap/ }).click();
  await until(async () => new URL(page.url()).searchParams.get('to') === 'rev.1', { message: 'swapped address' });
  assert.equal(new URL(page.url()).searchParams.get('from'), head);
  const item = (id) => page.locator(`.cmp-list > li[data-clause-id="${id}"]`);
  await until(async () => (await item(ids.added).getAttribute('data-change')) === 'removed', { message: 'swapped comparison' });
  assert.equal(await item(ids.op4).getAttribute('data-change'), 'added');

  // A commit of the log: the first one (the opening of the draft) against rev.1 reads the same.
  const opening = (await api('/log')).entries.at(-1).commit;
  await page.locator('#cmp-from').selectOption(opening);
  await page.locator('#cmp-to').selectOption('rev.1');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page.locator('.cmp-same').waitFor();
  assert.equal(new URL(page.url()).searchParams.get('from'), opening);
  assert.equal(await page.locator('.cmp-list > li[data-change="same"]').count(), 7);

  // Back: the previous comparison again.
  await page.goBack();
  await until(async () => (await item(ids.added).getAttribute('data-change')) === 'removed', { message: 'back to the swapped comparison' });
  await page.goBack();
  await until(async () => (await item(ids.added).getAttribute('data-change')) === 'added', { message: 'back to the first comparison' });

  // Hiding unchanged clauses.
  await page.getByLabel('Hide unchanged clauses').check();
  assert.equal(await page.locator('.cmp-list > li[data-change="same"]').first().isVisible(), false);
  assert.equal(await item(ids.op2).isVisible(), true);
  await page.getByLabel('Hide unchanged clauses').uncheck();
});

test('printed: no controls, black on white', async () => {
  const { page } = rus;
  await page.emulateMedia({ media: 'print' });
  const style = (sel, prop) => page.locator(sel).first().evaluate((el, p) => getComputedStyle(el)[p], prop);
  assert.equal(await style('.cmp-controls', 'display'), 'none');
  assert.equal(await style('.masthead', 'display'), 'none');
  assert.equal(await style('.doc-nav', 'display'), 'none');
  assert.equal(await style('body', 'backgroundColor'), 'rgb(255, 255, 255)');
  assert.equal(await style('.cmp-list del', 'color'), 'rgb(0, 0, 0)');
  assert.match(await style('.cmp-list del', 'textDecorationLine'), /line-through/);
  assert.match(await style('.cmp-list ins', 'textDecorationLine'), /underline/);
  await shot(page, 'compare-print');
  await page.emulateMedia({ media: 'screen' });
});

test('the log links to the compare page; an unknown version is said so, the pickers stay', async () => {
  const { page } = rus;
  await page.goto(`${env.server.url}/d/${env.slug}/log`);
  const link = page.getByRole('link', { name: 'Compare versions' });
  assert.equal(await link.getAttribute('href'), `/d/${env.slug}/compare`);
  await page.goto(`${env.server.url}/d/${env.slug}/compare?from=no-such-version&to=rev.1`);
  const error = page.locator('.cmp-error');
  await error.waitFor();
  assert.match(await error.innerText(), /No such version/);
  assert.equal(await page.locator('#cmp-from').inputValue(), 'no-such-version');
  await page.locator('#cmp-from').selectOption('rev.1');
  await page.locator('#cmp-to').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page.locator('.cmp-list > li').first().waitFor();
  assert.deepEqual(rus.watch.problems(), []);
});
