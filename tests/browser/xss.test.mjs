// User text is never markup: a clause `<img src=x onerror=alert(1)>`, a note
// `<script>alert(1)</script>`, and a delegation name with quotes and an ampersand all show
// literally, and nothing runs. (`draft create` refuses < and > in names: git author names
// cannot hold them.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithDraft, launchBrowser, newPage, openRoom, operative, sampleDraft, until, cleanup } from './harness.mjs';

const EVIL_TEXT = '<img src=x onerror=alert(1)>';
const EVIL_NOTE = '<script>alert(1)</script>';
const EVIL_EDIT = 'To settle disputes "><svg onload=alert(3)> peacefully & promptly.';
const EVIL_NAME = 'Freedonia" onmouseover="alert(2)" &amp; Co';

let env;
let browser;
let evil;
let viewer;

before(async () => {
  const draft = sampleDraft();
  draft.delegations.push({ code: 'FRD', name: EVIL_NAME });
  env = await startWithDraft({ draft });
  browser = await launchBrowser();
  evil = await newPage(browser);
  viewer = await newPage(browser);
  await openRoom(evil.page, env.server, env.slug, env.codes.delegations.EST);
  await openRoom(viewer.page, env.server, env.slug, env.codes.delegations.FRD);
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

async function assertInert(page) {
  assert.equal(await page.locator('#app img, #app svg, #app script, #toasts img, #toasts script').count(), 0, 'no element made from user text');
}

test('markup in a clause, a note and a delegation name is shown as text and never runs', async () => {
  const li = operative(evil.page, 5);
  await li.getByRole('button', { name: /^Insert after/ }).click();
  const form = li.locator('form.editor');
  await form.getByLabel('Text').fill(EVIL_TEXT);
  await form.getByLabel(/Note/).fill(EVIL_NOTE);
  await form.getByRole('button', { name: 'Insert clause' }).click();
  await form.waitFor({ state: 'detached' });

  for (const { page } of [evil, viewer]) {
    const inserted = operative(page, 6);
    await until(async () => (await inserted.locator('.clause-text').innerText()).trim() === EVIL_TEXT, { message: 'literal clause text' });
    assert.equal(await inserted.locator('img').count(), 0);
    await assertInert(page);
  }
  // The name shows literally where the delegation is named: presence, and "You are …".
  await evil.page.locator('.presence-list').getByText(EVIL_NAME, { exact: true }).waitFor();
  await viewer.page.locator('.you').getByText(EVIL_NAME, { exact: true }).waitFor();
  await until(async () => (await operative(viewer.page, 6).locator('.clause-change').innerText()).includes('Inserted by Estonia'),
    { message: 'the "Inserted by" notice' });

  // An edit with markup, live on the other page.
  const li5 = operative(evil.page, 5);
  await li5.getByRole('button', { name: /^Edit/ }).click();
  await li5.locator('textarea').fill(EVIL_EDIT);
  await li5.getByRole('button', { name: 'Save' }).click();
  await li5.locator('textarea').waitFor({ state: 'detached' });
  await until(async () => (await operative(viewer.page, 5).locator('.clause-text').innerText()).trim() === EVIL_EDIT,
    { message: 'literal edit on the other page' });
  await assertInert(viewer.page);
});

test('the history and log pages show the same text literally', async () => {
  const { page } = viewer;
  await operative(page, 6).getByRole('link', { name: /History/ }).click();
  await page.locator('.timeline li').first().waitFor();
  const blamed = await page.locator('#blame-text .blame-seg').evaluateAll((els) => els.map((e) => [...e.childNodes]
    .filter((n) => !(n.classList && n.classList.contains('visually-hidden'))).map((n) => n.textContent).join('')).join(''));
  assert.equal(blamed, EVIL_TEXT);
  assert.equal((await page.locator('.amend-note').first().innerText()).replace(/^Note:\s*/, '').trim(), EVIL_NOTE);
  assert.ok((await page.locator('.amend-diff ins').first().innerText()).includes(EVIL_TEXT));
  await assertInert(page);

  await page.getByRole('link', { name: 'Amendment log' }).click();
  await page.locator('.log-table tbody tr').first().waitFor();
  const body = await page.locator('.log-table').innerText();
  assert.ok(body.includes(EVIL_NOTE), 'note literal in the log');
  await assertInert(page);

  assert.deepEqual(evil.watch.problems(), [], 'no dialog, no CSP violation, no error on the author page');
  assert.deepEqual(viewer.watch.problems(), [], 'no dialog, no CSP violation, no error on the viewer page');
});
