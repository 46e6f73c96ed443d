// Insert (after a clause and at the top, choosing the kind), move up/down and delete from the UI;
// the other delegation's room follows, with operative clauses renumbered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithDraft, launchBrowser, newPage, openRoom, operative, clauseIds, until, shot, cleanup } from './harness.mjs';

let env;
let browser;
let chn;
let gbr;

before(async () => {
  env = await startWithDraft();
  browser = await launchBrowser();
  chn = await newPage(browser);
  gbr = await newPage(browser);
  await openRoom(chn.page, env.server, env.slug, env.codes.delegations.CHN);
  await openRoom(gbr.page, env.server, env.slug, env.codes.delegations.GBR);
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

const text = async (li) => (await li.locator('.clause-text').innerText()).trim();
const sameOrder = () => until(async () => JSON.stringify(await clauseIds(chn.page)) === JSON.stringify(await clauseIds(gbr.page)),
  { message: 'both rooms in the same order' });

test('insert an operative clause after the last one', async () => {
  const NEW = 'To promote capacity building in the field of information security in developing countries.';
  const li = operative(chn.page, 5);
  await li.getByRole('button', { name: /^Insert after/ }).click();
  const form = li.locator('form.editor');
  await form.getByLabel('Kind').selectOption('operative');
  await form.getByLabel('Text').fill(NEW);
  await form.getByLabel(/Note/).fill('Capacity building matters.');
  await form.getByRole('button', { name: 'Insert clause' }).click();
  await form.waitFor({ state: 'detached' });
  for (const { page } of [chn, gbr]) {
    await until(async () => (await page.locator('li.clause--operative').count()) === 6, { message: 'six operative clauses' });
    assert.equal(await text(operative(page, 6)), NEW);
    assert.equal(await operative(page, 6).locator('.clause-number').innerText(), '6.');
  }
  await gbr.page.locator('li.clause--operative').nth(5).locator('.clause-change').getByText(/Inserted by China/).waitFor();
  await sameOrder();
});

test('insert a preambular paragraph at the top', async () => {
  const NEW = 'Reaffirming the importance of an open, secure, stable, accessible and peaceful ICT environment,';
  await chn.page.getByRole('button', { name: 'Insert a clause at the top' }).click();
  const form = chn.page.locator('.insert-slot--top form.editor');
  await form.getByLabel('Kind').selectOption('preamble');
  await form.getByLabel('Text').fill(NEW);
  await form.getByRole('button', { name: 'Insert clause' }).click();
  await form.waitFor({ state: 'detached' });
  for (const { page } of [chn, gbr]) {
    const first = page.locator('li.clause').first();
    await until(async () => (await text(first)) === NEW, { message: 'the new first paragraph' });
    assert.equal(await first.getAttribute('data-kind'), 'preamble');
    assert.equal(await first.locator('em.opening').innerText(), 'Reaffirming');
  }
  await sameOrder();
});

test('move clauses up and down; numbers follow the order', async () => {
  const last = await text(operative(chn.page, 6));
  const fifth = await text(operative(chn.page, 5));
  await operative(chn.page, 6).getByRole('button', { name: /^↑ ?Move up|Move up/ }).click();
  for (const { page } of [chn, gbr]) {
    await until(async () => (await text(operative(page, 5))) === last, { message: 'moved-up clause is now 5' });
    assert.equal(await text(operative(page, 6)), fifth);
  }
  const first = await text(operative(gbr.page, 1));
  await operative(gbr.page, 1).getByRole('button', { name: /Move down/ }).click();
  for (const { page } of [chn, gbr]) {
    await until(async () => (await text(operative(page, 2))) === first, { message: 'moved-down clause is now 2' });
  }
  const numbers = await gbr.page.locator('li.clause--operative .clause-number').allInnerTexts();
  assert.deepEqual(numbers, ['1.', '2.', '3.', '4.', '5.', '6.']);
  // The first clause cannot move up, the last cannot move down.
  assert.equal(await chn.page.locator('li.clause').first().getByRole('button', { name: /Move up/ }).isDisabled(), true);
  assert.equal(await chn.page.locator('li.clause').last().getByRole('button', { name: /Move down/ }).isDisabled(), true);
  await sameOrder();
});

test('delete asks for confirmation; keeping it changes nothing; deleting removes it everywhere', async () => {
  const target = operative(chn.page, 6);
  const gone = await text(target);
  const id = await target.getAttribute('data-clause-id');
  await target.getByRole('button', { name: /^Delete/ }).click();
  await target.getByRole('button', { name: 'Keep it' }).click();
  assert.equal(await chn.page.locator(`li.clause[data-clause-id="${id}"]`).count(), 1);

  await target.getByRole('button', { name: /^Delete/ }).click();
  await target.getByLabel(/Note/).fill('Redundant with the Charter.');
  await shot(chn.page, 'room-delete-confirm');
  await target.getByRole('button', { name: 'Delete clause' }).click();
  for (const { page } of [chn, gbr]) {
    await page.locator(`li.clause[data-clause-id="${id}"]`).waitFor({ state: 'detached' });
    assert.equal(await page.locator('li.clause--operative').count(), 5);
    assert.ok(!(await page.locator('ol.clauses').innerText()).includes(gone));
  }
  await sameOrder();
  assert.deepEqual(chn.watch.problems(), []);
  assert.deepEqual(gbr.watch.problems(), []);
});
