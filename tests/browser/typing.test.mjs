// Live wording (docs/extensions.md) with two delegations and the chair in three browser
// contexts: one types in a clause, the other sees the wording under that clause as a word diff
// marked "not submitted", then the amendment replaces it; the chair turns live wording off and
// the room says so, and typing no longer shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithDraft, launchBrowser, newPage, openRoom, operative, shot, until, cleanup } from './harness.mjs';

let env;
let browser;
let rus;
let usa;
let chair;

before(async () => {
  env = await startWithDraft();
  browser = await launchBrowser();
  rus = await newPage(browser);
  usa = await newPage(browser, { viewport: { width: 390, height: 844 } }); // a phone
  chair = await newPage(browser);
  await openRoom(rus.page, env.server, env.slug, env.codes.delegations.RUS);
  await openRoom(usa.page, env.server, env.slug, env.codes.delegations.USA);
  await openRoom(chair.page, env.server, env.slug, env.codes.chair);
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

async function openEditor(li) {
  await li.getByRole('button', { name: /^Edit/ }).click();
  const textarea = li.locator('textarea');
  await textarea.waitFor();
  return textarea;
}

test('one delegation types, the other sees the wording live, then the amendment', async () => {
  await until(async () => (await usa.page.locator('.live-status').innerText()).includes('Live wording is on'),
    { message: 'the room says live wording is on' });
  const li = operative(rus.page, 1);
  const before = (await li.locator('.clause-text').innerText()).trim();
  const textarea = await openEditor(li);
  const after = before.replace(/^(\S+\s+\S+)/, '$1 shall endeavour to');
  assert.notEqual(after, before);
  await textarea.fill(after);

  const preview = operative(usa.page, 1).locator('.live-wording');
  await preview.waitFor();
  const label = await preview.locator('.live-wording-label').innerText();
  assert.match(label, /Russian Federation|RUS/);
  assert.match(label, /not submitted/i);
  assert.match(await preview.locator('ins.diff-ins').first().innerText(), /shall endeavour to/);
  assert.equal(await operative(rus.page, 1).locator('.live-wording').count(), 0, 'the typist sees no preview of itself');
  await shot(usa.page, 'live-wording-phone');

  // Keep typing: the preview follows the latest wording.
  await textarea.press('End');
  await textarea.type(' now', { delay: 30 });
  await until(async () => (await preview.innerText()).includes('now'), { message: 'the preview follows the typing' });

  await li.getByRole('button', { name: 'Save' }).click();
  await li.locator('textarea').waitFor({ state: 'detached' });
  await until(async () => (await operative(usa.page, 1).locator('.clause-text').innerText()).includes('shall endeavour to'),
    { message: 'the amendment on the other page' });
  await preview.waitFor({ state: 'detached' });
});

test('cancelling an edit takes the preview away', async () => {
  const li = operative(rus.page, 2);
  const textarea = await openEditor(li);
  await textarea.fill(`${await textarea.inputValue()} Draft only.`);
  const preview = operative(usa.page, 2).locator('.live-wording');
  await preview.waitFor();
  await textarea.press('Escape');
  await preview.waitFor({ state: 'detached' });
});

test('the chair turns live wording off: the room says so and typing no longer shows', async () => {
  const button = chair.page.getByRole('button', { name: 'Turn live wording off' });
  await button.click();
  await until(async () => (await usa.page.locator('.live-status').innerText()).includes('Live wording is off'),
    { message: 'the delegation sees the setting' });
  await chair.page.getByRole('button', { name: 'Turn live wording on' }).waitFor();
  await shot(chair.page, 'live-wording-off-chair');

  const li = operative(rus.page, 3);
  const textarea = await openEditor(li);
  await textarea.fill(`${await textarea.inputValue()} Private wording.`);
  // Give a wording time to travel were it sent: nothing shows.
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(await operative(usa.page, 3).locator('.live-wording').count(), 0);
  await textarea.press('Escape');
});
