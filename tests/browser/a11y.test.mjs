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
