// Reconnection: the server is stopped (SIGTERM) and started again on the same address; the room
// shows an "Offline — reconnecting…" banner, reconnects by itself, catches up with what changed,
// keeps the text of an open editor, and the banner disappears.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithDraft, startServer, launchBrowser, newPage, openRoom, operative, until, shot, cleanup } from './harness.mjs';

let env;
let server;
let browser;

before(async () => {
  env = await startWithDraft();
  server = env.server;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (env) cleanup(env.root);
});

test('after a server restart on the same port the room reconnects, catches up and keeps the editor text', async () => {
  const a = await newPage(browser);
  const b = await newPage(browser);
  await openRoom(a.page, server, env.slug, env.codes.delegations.DEU);
  await openRoom(b.page, server, env.slug, env.codes.delegations.IND);

  // A starts an edit it has not saved yet.
  const liA = operative(a.page, 1);
  await liA.getByRole('button', { name: /^Edit/ }).click();
  const draftText = 'To comply with the UN Charter — a sentence Germany has not saved yet.';
  await liA.locator('textarea').fill(draftText);

  const banner = a.page.locator('#offline-banner');
  assert.equal(await banner.isVisible(), false);
  await server.stop();
  await banner.waitFor({ state: 'visible' });
  assert.match(await banner.innerText(), /Offline — reconnecting…/);
  assert.equal(await banner.getAttribute('aria-live'), 'assertive');
  await b.page.locator('#offline-banner').waitFor({ state: 'visible' });
  await shot(a.page, 'room-offline');

  server = await startServer(env.dataDir, { listen: server.listen });

  // B comes back first and amends; A must show it whether it reconnected before or after.
  await b.page.locator('#offline-banner').waitFor({ state: 'hidden', timeout: 30000 });
  const liB = operative(b.page, 2);
  await liB.getByRole('button', { name: /^Edit/ }).click();
  const newText = (await liB.locator('textarea').inputValue()).replace('hostile activities', 'malicious activities');
  await liB.locator('textarea').fill(newText);
  await liB.getByRole('button', { name: 'Save' }).click();
  await liB.locator('textarea').waitFor({ state: 'detached' });

  await banner.waitFor({ state: 'hidden', timeout: 30000 });
  await until(async () => (await operative(a.page, 2).locator('.clause-text').innerText()).trim() === newText,
    { timeoutMs: 30000, message: 'the amendment made after the restart' });
  assert.equal(await liA.locator('textarea').inputValue(), draftText, 'the open editor keeps its text');

  // And A can still save it.
  await liA.getByRole('button', { name: 'Save' }).click();
  await liA.locator('textarea').waitFor({ state: 'detached' });
  await until(async () => (await operative(b.page, 1).locator('.clause-text').innerText()).trim() === draftText,
    { message: 'the saved edit reaches B' });
  assert.deepEqual(a.watch.problems(), []);
  assert.deepEqual(b.watch.problems(), []);
  await a.context.close();
  await b.context.close();
});
