// Two delegations in two browser contexts: presence and focus, a live amendment, an overlapping
// conflict resolved by resubmitting, and a non-overlapping concurrent edit that the server merges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithDraft, launchBrowser, newPage, openRoom, operative, shot, checkA11y, until, cleanup } from './harness.mjs';

let env;
let browser;
let rus;
let usa;

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

async function clauseText(li) {
  return (await li.locator('.clause-text').innerText()).trim();
}

async function openEditor(li) {
  await li.getByRole('button', { name: /^Edit/ }).click();
  const textarea = li.locator('textarea');
  await textarea.waitFor();
  return textarea;
}

test('the room shows the draft as a UN text: preamble, heading, numbered operative clauses', async () => {
  const { page } = rus;
  assert.equal(await page.locator('h1.doc-title').innerText(), 'International Code of Conduct for Information Security');
  const kinds = await page.locator('li.clause').evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.deepEqual(kinds, ['preamble', 'heading', 'operative', 'operative', 'operative', 'operative', 'operative']);
  assert.equal(await page.locator('li.clause--heading h2').count(), 1);
  const numbers = await page.locator('li.clause--operative .clause-number').allInnerTexts();
  assert.deepEqual(numbers, ['1.', '2.', '3.', '4.', '5.']);
  assert.equal(await page.locator('li.clause--preamble .clause-number:visible').count(), 0);
});

test('presence: each sees the other delegation, and who is working on which clause', async () => {
  await rus.page.locator('.presence-list [data-state="USA"]').first().waitFor();
  await usa.page.locator('.presence-list [data-state="RUS"]').first().waitFor();
  const colour = (p) => p.locator('.presence-list .chip[data-state="USA"]').first()
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(await colour(rus.page), await colour(usa.page), 'a state has the same colour everywhere');

  const textarea = await openEditor(operative(usa.page, 1));
  const chip = operative(rus.page, 1).locator('.focus-chips .chip[data-state="USA"]');
  await chip.waitFor();
  await checkA11y(usa.page, 'room-editor-open');
  await checkA11y(rus.page, 'room-focus-chip');
  // Escape cancels the edit; the focus goes away for the others too.
  await textarea.press('Escape');
  await operative(usa.page, 1).locator('textarea').waitFor({ state: 'detached' });
  await chip.waitFor({ state: 'detached' });
  assert.equal(await operative(usa.page, 1).getByRole('button', { name: /^Edit/ }).evaluate((el) => el === document.activeElement), true,
    'focus returns to the Edit button');
});

test('an amendment by one delegation appears live for the other, with the changed words marked', async () => {
  const li = operative(rus.page, 2);
  const before = await clauseText(li);
  const textarea = await openEditor(li);
  const after = before.replace('hostile activities', 'hostile or subversive activities');
  assert.notEqual(after, before);
  await textarea.fill(after);
  await li.getByLabel(/Note/).fill('Cover subversion as well.');
  await li.getByRole('button', { name: 'Save' }).click();
  await li.locator('textarea').waitFor({ state: 'detached' });

  const other = operative(usa.page, 2);
  await until(async () => (await clauseText(other)) === after, { message: 'the amended text on the other page' });
  const marks = await other.locator('mark.live-change').allInnerTexts();
  assert.ok(marks.join(' ').includes('subversive'), `inserted words marked: ${marks}`);
  assert.match(await other.locator('.clause-change').innerText(), /Edited by Russian Federation/);
  await shot(usa.page, 'room-live-amendment');
});

test('an overlapping edit is a conflict: the loser keeps their text, sees the winner, and resubmits', async () => {
  const liR = operative(rus.page, 3);
  const liU = operative(usa.page, 3);
  const base = await clauseText(liR);
  assert.ok(base.includes('combating'));
  const taR = await openEditor(liR);
  const taU = await openEditor(liU);
  const mineR = base.replace('combating', 'preventing');
  const mineU = base.replace('combating', 'suppressing');
  await taR.fill(mineR);
  await taU.fill(mineU);

  await liR.getByRole('button', { name: 'Save' }).click();
  await liR.locator('textarea').waitFor({ state: 'detached' });
  // The other delegation, still editing, is told the clause changed under it.
  await liU.locator('.editor-info').getByText(/Russian Federation changed this clause/).waitFor();

  await liU.getByRole('button', { name: 'Save' }).click();
  const conflict = liU.locator('.conflict');
  await conflict.waitFor({ state: 'visible' });
  assert.match(await conflict.innerText(), /Russian Federation/);
  assert.ok((await conflict.locator('.quote--theirs').innerText()).includes('preventing'));
  assert.equal(await taU.inputValue(), mineU, 'their own text stays in the editor');
  await conflict.locator('time').waitFor();
  await shot(usa.page, 'conflict');

  await conflict.getByRole('button', { name: /Resubmit/ }).click();
  await liU.locator('textarea').waitFor({ state: 'detached' });
  await until(async () => (await clauseText(liU)) === mineU, { message: 'the resubmitted text (author)' });
  await until(async () => (await clauseText(liR)) === mineU, { message: 'the resubmitted text (other)' });
  assert.deepEqual(rus.watch.problems(), []);
  assert.deepEqual(usa.watch.problems(), []);
});

test('a non-overlapping concurrent edit is merged and the author is told so', async () => {
  const liR = operative(rus.page, 4);
  const liU = operative(usa.page, 4);
  const base = await clauseText(liR);
  const taR = await openEditor(liR);
  const taU = await openEditor(liU);
  const mineR = base.replace('To fully respect', 'To fully and unconditionally respect');
  const mineU = base.replace('national laws and regulations;', 'national laws and regulations and international law;');
  assert.notEqual(mineR, base);
  assert.notEqual(mineU, base);
  await taR.fill(mineR);
  await taU.fill(mineU);
  await liR.getByRole('button', { name: 'Save' }).click();
  await liR.locator('textarea').waitFor({ state: 'detached' });
  await liU.locator('.editor-info').waitFor({ state: 'visible' });
  await liU.getByRole('button', { name: 'Save' }).click();
  await liU.locator('textarea').waitFor({ state: 'detached' });
  await liU.locator('.clause-change').getByText(/Your edit was merged with Russian Federation.s change/).waitFor();
  const merged = mineR.replace('national laws and regulations;', 'national laws and regulations and international law;');
  await until(async () => (await clauseText(liU)) === merged, { message: 'merged text on the author page' });
  await until(async () => (await clauseText(liR)) === merged, { message: 'merged text on the other page' });
  await shot(usa.page, 'room-merged');
});

test('screenshots of the room on a desktop and on a phone; no horizontal scrolling on a phone', async () => {
  await shot(rus.page, 'room');
  const phone = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await openRoom(phone.page, env.server, env.slug, env.codes.delegations.CHN);
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 390px`);
  await phone.page.screenshot({ path: (await import('./harness.mjs')).screenshotDir + '/room-phone.png' });
  await shot(phone.page, 'room-phone-full');
  // 200% zoom on a 1280px screen is a 640px CSS viewport: still no horizontal scrolling.
  await phone.page.setViewportSize({ width: 640, height: 800 });
  const overflow2 = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow2 <= 0, `horizontal overflow of ${overflow2}px at 640px`);
  assert.deepEqual(phone.watch.problems(), []);
  await phone.context.close();
});
