// Joining: the landing page, join links (code in the fragment only), the join form, wrong codes,
// the code kept per tab in sessionStorage only, and the read-only observer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithDraft, launchBrowser, newPage, joinLink, shot, cleanup } from './harness.mjs';

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

test('the landing page explains plenary and takes a pasted join link', async () => {
  const { context, page, watch } = await newPage(browser);
  await page.goto(`${env.server.url}/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.match(await page.locator('body').innerText(), /plenary/i);
  await shot(page, 'landing');
  await page.getByLabel('Join link or join code').fill(joinLink(env.server, env.slug, env.codes.delegations.CHN));
  await page.getByRole('button', { name: 'Enter the drafting room' }).click();
  await page.waitForURL(`${env.server.url}/d/${env.slug}`);
  await page.locator('li.clause').first().waitFor();
  assert.match(await page.locator('.you').innerText(), /China/);
  assert.deepEqual(watch.problems(), []);
  await context.close();
});

test('without a code the room shows the join form; a wrong code shows an error and the form again', async () => {
  const { context, page, watch } = await newPage(browser);
  await page.goto(`${env.server.url}/d/${env.slug}`);
  const input = page.getByLabel('Join code or join link');
  await input.waitFor();
  assert.equal(await page.locator('li.clause').count(), 0);
  await shot(page, 'join-form');

  await input.fill('thisIsNotAValidJoinCode_0000000');
  await page.getByRole('button', { name: 'Join' }).click();
  const alert = page.locator('.join-form .form-error');
  await alert.waitFor({ state: 'visible' });
  assert.match(await alert.innerText(), /not accepted/i);
  await page.getByLabel('Join code or join link').waitFor();
  assert.equal(await page.evaluate((slug) => sessionStorage.getItem(`plenary:code:${slug}`), env.slug), null);
  await shot(page, 'join-form-wrong-code');

  // Pasting the whole join link works too.
  await page.getByLabel('Join code or join link').fill(joinLink(env.server, env.slug, env.codes.delegations.RUS));
  await page.getByRole('button', { name: 'Join' }).click();
  await page.locator('li.clause').first().waitFor();
  assert.match(await page.locator('.you').innerText(), /Russian Federation/);
  assert.deepEqual(watch.problems(), []);
  await context.close();
});

test('a join link signs in, leaves no code in the address, and keeps it only in this tab', async () => {
  const { context, page, watch } = await newPage(browser);
  const requests = [];
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(joinLink(env.server, env.slug, env.codes.delegations.USA));
  await page.locator('li.clause').first().waitFor();
  assert.equal(page.url(), `${env.server.url}/d/${env.slug}`);
  const storage = await page.evaluate((slug) => ({
    session: sessionStorage.getItem(`plenary:code:${slug}`),
    local: localStorage.length,
    cookie: document.cookie,
  }), env.slug);
  assert.equal(storage.session, env.codes.delegations.USA);
  assert.equal(storage.local, 0);
  assert.equal(storage.cookie, '');
  assert.deepEqual(await context.cookies(), []);
  for (const url of requests) assert.ok(!url.includes(env.codes.delegations.USA), `code leaked into a request URL: ${url}`);

  // Reloading keeps the person signed in (same tab).
  await page.reload();
  await page.locator('li.clause').first().waitFor();
  assert.match(await page.locator('.you').innerText(), /United States/);

  // The history and log pages use the stored code; links between pages carry none.
  const historyLink = page.locator('li.clause--operative').first().getByRole('link', { name: /History/ });
  const href = await historyLink.getAttribute('href');
  assert.ok(!href.includes('code=') && !href.includes(env.codes.delegations.USA), href);
  await historyLink.click();
  await page.locator('.timeline li').first().waitFor();
  await page.getByRole('link', { name: 'Amendment log' }).click();
  await page.locator('.log-table tbody tr').first().waitFor();
  await page.getByRole('link', { name: /Back to the drafting room/ }).click();
  await page.locator('li.clause').first().waitFor();

  // Another tab (a fresh context here) is not signed in.
  const other = await newPage(browser);
  await other.page.goto(`${env.server.url}/d/${env.slug}/log`);
  await other.page.getByLabel('Join code or join link').waitFor();
  await other.context.close();
  assert.deepEqual(watch.problems(), []);
  await context.close();
});

test('a wrong code on the history page shows the form with an error', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${env.server.url}/d/${env.slug}/log#code=wrongWrongWrongWrong123`);
  const alert = page.locator('.join-form .form-error');
  await alert.waitFor({ state: 'visible' });
  assert.match(await alert.innerText(), /not accepted/i);
  assert.equal(new URL(page.url()).hash, '');
  await page.getByLabel('Join code or join link').fill(env.codes.delegations.FRA);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.locator('.log-table tbody tr').first().waitFor();
  await context.close();
});

test('observers read but see no edit controls; the chair and delegations do', async () => {
  const obs = await newPage(browser);
  await obs.page.goto(joinLink(env.server, env.slug, env.codes.observer));
  await obs.page.locator('li.clause').first().waitFor();
  // No button that edits; the comment count stays, since observers read the threads.
  assert.equal(await obs.page.locator('li.clause button:not(.comment-count)').count(), 0);
  assert.ok(await obs.page.locator('li.clause button.comment-count').count() > 0);
  assert.ok(await obs.page.locator('li.clause a', { hasText: 'History' }).count() > 0);
  await obs.context.close();

  const chair = await newPage(browser);
  await chair.page.goto(joinLink(env.server, env.slug, env.codes.chair));
  await chair.page.locator('li.clause').first().waitFor();
  assert.ok(await chair.page.locator('li.clause button', { hasText: 'Edit' }).count() > 0);
  assert.match(await chair.page.locator('.you').innerText(), /Chair/);
  await chair.context.close();
});
