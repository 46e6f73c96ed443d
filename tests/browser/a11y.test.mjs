// Keyboard-only use, labels on every field, visible focus, and reading at phone width / 200% zoom.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithDraft, launchBrowser, newPage, openRoom, operative, until, shot, cleanup } from './harness.mjs';

let env;
let browser;

before(async () => {
  env = await startWithDraft();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

/** Every form field has a label (a <label for>, a wrapping label, or aria-label/labelledby). */
const unlabelled = (page) => page.evaluate(() => [...document.querySelectorAll('input, textarea, select')]
  .filter((el) => el.type !== 'hidden' && el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 80)));

test('a delegation can amend with the keyboard alone; Escape cancels; fields are labelled', async () => {
  const { context, page, watch } = await newPage(browser);
  await openRoom(page, env.server, env.slug, env.codes.delegations.ZAF);
  const li = operative(page, 3);
  const edit = li.getByRole('button', { name: /^Edit/ });
  // Reach the Edit button with Tab presses only.
  await page.locator('body').focus();
  let guard = 0;
  while (!(await edit.evaluate((el) => el === document.activeElement)) && guard++ < 200) await page.keyboard.press('Tab');
  assert.ok(guard < 200, 'the Edit button is reachable with Tab');
  const outline = await edit.evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');

  await page.keyboard.press('Enter');
  const ta = li.locator('textarea');
  await ta.waitFor();
  assert.equal(await ta.evaluate((el) => el === document.activeElement), true, 'the editor takes the focus');
  assert.deepEqual(await unlabelled(page), []);
  await page.keyboard.press('Escape');
  await ta.waitFor({ state: 'detached' });
  assert.equal(await edit.evaluate((el) => el === document.activeElement), true);

  await page.keyboard.press('Enter');
  await ta.waitFor();
  await page.keyboard.press('End');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' (keyboard)');
  await page.keyboard.press('Tab'); // note
  await page.keyboard.type('Typed without a mouse.');
  await page.keyboard.press('Tab'); // Save
  await page.keyboard.press('Enter');
  await ta.waitFor({ state: 'detached' });
  await until(async () => (await li.locator('.clause-text').innerText()).includes('(keyboard)'), { message: 'saved by keyboard' });
  assert.deepEqual(watch.problems(), []);
  await context.close();
});

test('join form and insert form fields are labelled', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${env.server.url}/d/${env.slug}`);
  await page.getByLabel('Join code or join link').waitFor();
  assert.deepEqual(await unlabelled(page), []);
  await page.getByLabel('Join code or join link').fill(env.codes.chair);
  await page.keyboard.press('Enter');
  await page.locator('li.clause').first().waitFor();
  await page.getByRole('button', { name: 'Insert a clause at the top' }).click();
  await page.locator('.insert-slot--top textarea').waitFor();
  assert.deepEqual(await unlabelled(page), []);
  await context.close();
});

test('history and log pages fit a phone and 200% zoom without horizontal scrolling', async () => {
  const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await openRoom(page, env.server, env.slug, env.codes.delegations.EST);
  const id = await operative(page, 3).getAttribute('data-clause-id');
  for (const [url, ready] of [[`/d/${env.slug}/clauses/${id}`, '.timeline > li'], [`/d/${env.slug}/log`, '.log-table tbody tr']]) {
    for (const width of [390, 640]) {
      await page.setViewportSize({ width, height: 844 });
      await page.goto(`${env.server.url}${url}`);
      await page.locator(ready).first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${url} at ${width}px overflows by ${overflow}px`);
    }
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${env.server.url}/d/${env.slug}/clauses/${id}`);
  await page.locator('.timeline > li').first().waitFor();
  await shot(page, 'history-phone');
  await context.close();
});

// Issue 15, a quieter room: a clause's tools show while it is hovered, focused or holds a
// selection; History always shows; at 1,280 px the tool row is one line; every tool is still
// reached with Tab (it shows when it has the focus).
test('a quieter room: tools on hover, focus or selection; History always; one row at 1,280 px', async () => {
  const { context, page, watch } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await openRoom(page, env.server, env.slug, env.codes.delegations.ZAF);
  const li = operative(page, 2);
  const opacity = (name) => li.getByRole('button', { name }).evaluate((el) => Number(getComputedStyle(el).opacity));
  const history = li.getByRole('link', { name: /^History/ });
  await page.mouse.move(5, 5);
  await until(async () => (await opacity(/^Edit/)) === 0, { message: 'tools hidden at rest' });
  assert.equal(await history.evaluate((el) => Number(getComputedStyle(el).opacity)), 1, 'History always shows');
  // Hover: every tool shows.
  await li.locator('.clause-text').hover();
  await until(async () => (await opacity(/^Edit/)) === 1 && (await opacity(/^Delete/)) === 1, { message: 'tools on hover' });
  // One row: every tool on the same line as History.
  const tops = await li.locator('.clause-tools > *').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  assert.ok(tops.length >= 7, `all the tools are there (${tops.length})`);
  assert.equal(new Set(tops).size, 1, `the tool row does not wrap at 1,280 px: ${tops}`);
  await page.mouse.move(5, 5);
  await until(async () => (await opacity(/^Edit/)) === 0, { message: 'tools hidden again' });
  // Keyboard: Tab from History reaches Edit, which shows with its focus ring.
  await history.focus();
  await page.keyboard.press('Tab');
  const edit = li.getByRole('button', { name: /^Edit/ });
  assert.ok(await edit.evaluate((el) => el === document.activeElement), 'Tab from History reaches Edit');
  await until(async () => (await opacity(/^Edit/)) === 1, { message: 'tools on focus' });
  // Selection (touch-and-hold or a mouse drag): the clause's tools show.
  await page.evaluate(() => document.activeElement.blur());
  await li.locator('.clause-text').evaluate((el) => {
    const r = document.createRange();
    r.selectNodeContents(el);
    document.getSelection().removeAllRanges();
    document.getSelection().addRange(r);
  });
  await until(async () => li.evaluate((el) => el.classList.contains('clause--selected')), { message: 'clause selected' });
  await until(async () => (await opacity(/^Edit/)) === 1, { message: 'tools on selection' });
  await shot(page, 'room-quiet-selected');
  assert.deepEqual(watch.problems(), []);
  await context.close();
});
