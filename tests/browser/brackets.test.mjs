// Bracketed text in the drafting room (procedure.md, "Bracketed text"): a delegation selects words
// of a clause (after multi-byte text, so that UTF-16 positions and UTF-8 byte offsets differ) and
// offers its wording; another selects the whole bracket and offers to delete it; a refusal is
// shown in the form; the chair keeps one alternative by clicking it; in the formal stage a
// delegation's click tables a proposal instead. The text is checked in every room, over HTTP and
// on the clause-history page; build/screenshots/bracket.png shows a bracket. Proponents that never
// joined are named from the draft's roster (the room fetches no log for names); words still as
// tabled are the text as tabled with the draft's sponsors' codes, never the chair's (the chair's
// commit opened the draft), in the room and in the history; once the text is adopted, no bracket
// tool is left for anyone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { startWithDraft, launchBrowser, newPage, openRoom, operative, selectWords, until, screenshotDir, shot, cleanup } from './harness.mjs';

const OPEN = '\u27E6';
const BAR = '\u2016';
const CLOSE = '\u27E7';
const PREFIX = '«Ébauche» 𝒜 — '; // multi-byte (and one character outside the BMP) before the words

let env;
let browser;
const pages = {};
const logFetches = []; // the room names proponents from the roster: it never fetches the log
let clauseId;
let original;
const SPONSORS = 'CHN, RUS, TJK, UZB'; // the fixture's sponsors

before(async () => {
  env = await startWithDraft();
  browser = await launchBrowser();
  for (const who of ['CHAIR', 'RUS', 'USA']) {
    pages[who] = await newPage(browser);
    pages[who].page.on('request', (req) => { if (/\/api\/drafts\/[^/]+\/log/.test(req.url())) logFetches.push(`${who}: ${req.url()}`); });
    await openRoom(pages[who].page, env.server, env.slug, who === 'CHAIR' ? env.codes.chair : env.codes.delegations[who]);
  }
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

const all = () => Object.values(pages).map((p) => p.page);

async function serverText(id) {
  const res = await fetch(`${env.server.url}/api/drafts/${env.slug}`, { headers: { Authorization: `Bearer ${env.codes.observer}` } });
  const body = await res.json();
  return body.clauses.find((c) => c.id === id)?.text ?? null;
}

/** Selects a whole drawn bracket, from before its opening mark to after its closing one. */
async function selectBracket(page, id, index) {
  await page.evaluate(([cid, i]) => {
    const bk = document.querySelectorAll(`li.clause[data-clause-id="${cid}"] .clause-text .bk`)[i];
    const range = document.createRange();
    range.setStartBefore(bk);
    range.setEndAfter(bk);
    const sel = document.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }, [id, index]);
}

const li = (page) => page.locator(`li.clause[data-clause-id="${clauseId}"]`);

test('a delegation disputes words after multi-byte text and offers its wording', async () => {
  const { page } = pages.RUS;
  clauseId = await operative(page, 2).getAttribute('data-clause-id');
  // Russia first puts multi-byte text before the words it will dispute.
  await operative(page, 2).getByRole('button', { name: /^Edit/ }).click();
  const ta = operative(page, 2).locator('textarea');
  original = PREFIX + await ta.inputValue();
  await ta.fill(original);
  await operative(page, 2).getByRole('button', { name: 'Save' }).click();
  await ta.waitFor({ state: 'detached' });
  await until(async () => (await serverText(clauseId)) === original, { message: 'the prefix saved' });

  await selectWords(page, clauseId, 'hostile activities');
  const hint = li(page).getByRole('button', { name: 'Bracket the selected words…' });
  fs.mkdirSync(screenshotDir, { recursive: true });
  await li(page).screenshot({ path: path.join(screenshotDir, 'bracket-select.png') });
  await hint.click();
  const form = li(page).locator('form.dispute');
  assert.equal(await form.getByLabel('Words you dispute').inputValue(), 'hostile activities');
  await form.getByLabel('Your wording').fill('activités « subversives »');
  await form.getByLabel(/Note/).fill('Broader.');
  await form.screenshot({ path: path.join(screenshotDir, 'bracket-form.png') });
  await form.getByRole('button', { name: 'Bracket and offer my wording' }).click();
  await form.waitFor({ state: 'detached' });

  // The words are still as tabled (Russia changed only the start of the clause): `TABLED: `.
  const expected = original.replace('hostile activities', `${OPEN}TABLED: hostile activities ${BAR} RUS: activités « subversives »${CLOSE}`);
  await until(async () => (await serverText(clauseId)) === expected, { message: 'the bracket on the server' });
  for (const p of all()) {
    const bk = li(p).locator('.clause-text .bk');
    await bk.waitFor();
    const alts = bk.locator('.bk-alt');
    assert.equal(await alts.count(), 2);
    assert.deepEqual(await alts.evaluateAll((els) => els.map((e) => e.dataset.state)), ['TABLED', 'RUS']);
    // The first is the text as tabled, with the sponsors' codes, not the chair's.
    assert.equal(await alts.nth(0).locator('.bk-who [aria-hidden="true"]').innerText(), `As tabled: ${SPONSORS}`);
    assert.equal(await alts.nth(0).locator('.bk-who').getAttribute('title'), `Text as tabled (${SPONSORS})`);
    assert.match(await alts.nth(0).locator('.bk-who').textContent(), /Text as tabled \(CHN, RUS, TJK, UZB\): /);
    assert.doesNotMatch(await alts.nth(0).textContent(), /Chair|CHAIR/);
    assert.equal(await alts.nth(0).locator('.bk-words').innerText(), 'hostile activities');
    assert.equal(await alts.nth(1).locator('.bk-words').innerText(), 'activités « subversives »');
    // Named, not coloured only: the code is shown, the name is there for screen readers.
    assert.equal(await alts.nth(1).locator('.bk-who [aria-hidden="true"]').innerText(), 'RUS');
    assert.match(await alts.nth(1).locator('.bk-who').textContent(), /Russian Federation/);
    assert.match(await bk.textContent(), /Bracket 1, 2 alternatives/);
  }
  await li(pages.USA.page).locator('.clause-change').getByText(/Bracketed by Russian Federation/).waitFor();
});

test('the server’s refusal is shown in the form', async () => {
  const { page } = pages.USA;
  // Offering the words that already stand changes nothing: the server refuses it (bad_request).
  await selectWords(page, clauseId, 'acts of aggression');
  await li(page).getByRole('button', { name: 'Bracket the selected words…' }).click();
  const form = li(page).locator('form.dispute');
  await form.getByLabel('Your wording').fill('acts of aggression');
  await form.getByRole('button', { name: 'Bracket and offer my wording' }).click();
  const error = form.locator('.form-error');
  await error.waitFor();
  assert.match(await error.innerText(), /could not bracket|changes nothing|already|same/i);
  await form.getByRole('button', { name: 'Cancel' }).click();
  await form.waitFor({ state: 'detached' });
  // Words typed that are not in the clause: said before anything is sent.
  await li(page).getByRole('button', { name: /^Bracket…/ }).click();
  const typed = li(page).locator('form.dispute');
  await typed.getByLabel('Words you dispute').fill('no such words here');
  await typed.getByRole('button', { name: 'Bracket and offer my wording' }).click();
  assert.match(await typed.locator('.form-error').innerText(), /not in the clause/);
  await typed.getByRole('button', { name: 'Cancel' }).click();
});

test('another delegation selects the whole bracket and offers to delete the words', async () => {
  const { page } = pages.USA;
  await selectBracket(page, clauseId, 0);
  await li(page).getByRole('button', { name: 'Offer other wording for this bracket…' }).click();
  const form = li(page).locator('form.dispute');
  assert.match(await form.locator('.dispute-alts').innerText(), /Russian Federation \(RUS\)/);
  assert.match(await form.locator('.dispute-alts').innerText(), /^Text as tabled \(CHN, RUS, TJK, UZB\): /);
  await form.getByRole('button', { name: 'Add my alternative' }).click(); // empty wording: delete
  await form.waitFor({ state: 'detached' });
  const expected = original.replace('hostile activities', `${OPEN}TABLED: hostile activities ${BAR} RUS: activités « subversives » ${BAR} USA: ${CLOSE}`);
  await until(async () => (await serverText(clauseId)) === expected, { message: 'the third alternative on the server' });
  for (const p of all()) {
    const alts = li(p).locator('.clause-text .bk .bk-alt');
    await until(async () => (await alts.count()) === 3, { message: 'three alternatives' });
    assert.equal(await alts.nth(2).locator('.bk-delete').innerText(), '(delete)');
    assert.equal(await alts.nth(2).getAttribute('data-state'), 'USA');
  }
  // The text around the bracket is untouched on screen, multi-byte prefix included.
  const shown = await li(pages.CHAIR.page).locator('.clause-text .bk-raw').first().innerText();
  assert.ok(shown.startsWith(PREFIX.trim()), shown);
  const bracketEl = li(pages.CHAIR.page).locator('.clause-body');
  fs.mkdirSync(screenshotDir, { recursive: true });
  await bracketEl.screenshot({ path: path.join(screenshotDir, 'bracket.png') });
  await shot(pages.CHAIR.page, 'bracket-room');
});

test('the clause history shows the bracketed text legibly', async () => {
  const { page } = pages.USA;
  await li(page).getByRole('link', { name: /History/ }).click();
  await page.waitForURL(`**/d/${env.slug}/clauses/${clauseId}`);
  await page.locator('#blame-text .bk-mark-raw').first().waitFor();
  assert.equal(await page.locator('#blame-text .bk-code-raw').count(), 3);
  // Words still as tabled, in the bracket or not, are the text as tabled's, not the chair's.
  const seg = (words) => page.locator('#blame-text .blame-seg').filter({ hasText: words }).first();
  assert.equal(await seg('hostile activities').getAttribute('data-state'), 'TABLED');
  assert.equal(await seg('acts of aggression').getAttribute('data-state'), 'TABLED');
  assert.equal(await seg('acts of aggression').getAttribute('data-tabled'), 'true');
  assert.match(await seg('acts of aggression').getAttribute('title'), /^Text as tabled \(CHN, RUS, TJK, UZB\)/);
  assert.equal(await page.locator('#blame-text .blame-seg[data-state="CHAIR"]').count(), 0);
  assert.match(await page.locator('.legend-item[data-state="TABLED"]').innerText(), /^Text as tabled \(CHN, RUS, TJK, UZB\)\s+— \d+ words/);
  assert.equal(await page.locator('.legend-item[data-state="CHAIR"]').count(), 0);
  assert.deepEqual(await page.locator('#blame-text .bk-code-raw').evaluateAll((els) => els.map((e) => e.title)),
    [`Text as tabled (${SPONSORS})`, 'Russian Federation (RUS)', 'United States (USA)']);
  await page.goBack();
  await li(page).locator('.bk').waitFor();
});

test('the chair keeps one alternative by clicking it', async () => {
  const { page } = pages.CHAIR;
  await li(page).locator('.bk-alt[data-state="RUS"]').click();
  const panel = li(page).locator('.bk-action');
  assert.match(await panel.innerText(), /proposed by Russian Federation \(RUS\)/);
  await li(page).screenshot({ path: path.join(screenshotDir, 'bracket-resolve.png') });
  await panel.getByRole('button', { name: 'Keep this wording' }).click();
  await panel.waitFor({ state: 'detached' });
  const expected = original.replace('hostile activities', 'activités « subversives »');
  await until(async () => (await serverText(clauseId)) === expected, { message: 'the resolved text on the server' });
  for (const p of all()) {
    await until(async () => (await li(p).locator('.bk').count()) === 0, { message: 'no bracket left' });
    assert.equal((await li(p).locator('.clause-text').innerText()).trim(), expected);
  }
  await li(pages.RUS.page).locator('.clause-change').getByText(/Bracket resolved by Chair/).waitFor();
});

test('proponents who never joined are named from the roster, in the room and the history', async () => {
  // The chair writes a bracket whose proponents, Estonia and India, have no page open.
  const chair = pages.CHAIR.page;
  const li4 = operative(chair, 4);
  const id4 = await li4.getAttribute('data-clause-id');
  await li4.getByRole('button', { name: /^Edit/ }).click();
  const ta = li4.locator('textarea');
  const text = (await ta.inputValue()).replace('information space', `${OPEN}EST: information space ${BAR} IND: cyberspace${CLOSE}`);
  await ta.fill(text);
  await li4.getByRole('button', { name: 'Save' }).click();
  await ta.waitFor({ state: 'detached' });
  for (const p of all()) {
    const alts = p.locator(`li.clause[data-clause-id="${id4}"] .clause-text .bk-alt`);
    await until(async () => (await alts.count()) === 2, { message: 'the EST/IND bracket drawn' });
    assert.match(await alts.nth(0).locator('.bk-who').textContent(), /Estonia \(EST\)/);
    assert.equal(await alts.nth(0).locator('.bk-who').getAttribute('title'), 'Estonia (EST)');
    assert.match(await alts.nth(1).locator('.bk-who').textContent(), /India \(IND\)/);
  }
  await operative(pages.USA.page, 4).locator('.bk-alt[data-state="IND"]').click();
  assert.match(await operative(pages.USA.page, 4).locator('.bk-action').innerText(), /proposed by India \(IND\)/);
  await operative(pages.USA.page, 4).locator('.bk-action').getByRole('button', { name: 'Cancel' }).click();
  // The history: blame gives each alternative to its state (the commit is the chair's).
  const { page } = pages.RUS;
  await operative(page, 4).getByRole('link', { name: /History/ }).click();
  await page.waitForURL(`**/d/${env.slug}/clauses/${id4}`);
  await page.locator('#blame-text .bk-code-raw').first().waitFor();
  assert.match(await page.locator('#blame-text .blame-seg[data-state="EST"]').first().getAttribute('title'), /^Estonia \(EST\)/);
  assert.match(await page.locator('.legend-item[data-state="IND"]').innerText(), /India/);
  assert.deepEqual(await page.locator('#blame-text .bk-code-raw').evaluateAll((els) => els.map((e) => e.title)), ['Estonia (EST)', 'India (IND)']);
  await page.goBack();
  await operative(page, 4).locator('.bk').waitFor();
  assert.deepEqual(logFetches, []);
});

test('in the formal stage a delegation’s click proposes keeping an alternative', async () => {
  // The chair brackets words (the chair may, in every stage before adoption), then moves to formal.
  const chair = pages.CHAIR.page;
  await selectWords(chair, clauseId, 'acts of aggression');
  await li(chair).getByRole('button', { name: 'Bracket the selected words…' }).click();
  const form = li(chair).locator('form.dispute');
  await form.getByLabel('Your wording').fill('armed attacks');
  await form.getByRole('button', { name: 'Bracket and offer my wording' }).click();
  await form.waitFor({ state: 'detached' });
  await chair.getByRole('button', { name: 'Move to the formal stage…' }).click();
  await chair.locator('.chair-confirm').getByRole('button', { name: 'Move to the formal stage', exact: true }).click();
  const { page } = pages.RUS;
  await until(async () => (await page.locator('.stage-badge').first().textContent()).includes('Formal'), { message: 'formal stage' });
  await li(page).locator('.bk').waitFor();
  // No direct bracketing for delegations now.
  assert.equal(await li(page).getByRole('button', { name: /^Bracket…/ }).isVisible(), false);
  await li(page).locator('.bk-alt[data-state="TABLED"]').nth(0).click();
  const panel = li(page).locator('.bk-action');
  assert.equal(await panel.getByRole('button', { name: 'Keep this wording' }).count(), 0);
  await panel.getByRole('button', { name: 'Propose keeping this wording' }).click();
  await panel.waitFor({ state: 'detached' });
  const res = await fetch(`${env.server.url}/api/drafts/${env.slug}/proposals`, { headers: { Authorization: `Bearer ${env.codes.observer}` } });
  const { proposals } = await res.json();
  const rec = proposals.find((p) => p.op === 'resolve');
  assert.ok(rec, JSON.stringify(proposals));
  assert.equal(rec.by.state, 'RUS');
  assert.equal(rec.clause, clauseId);
  assert.equal(rec.bracket, 0);
  assert.equal(rec.choose, 0);
  for (const p of Object.values(pages)) assert.deepEqual(p.watch.problems(), []);
});

test('once the text is adopted, no bracket tool is left, for anyone', async () => {
  const chair = pages.CHAIR.page;
  await chair.getByRole('button', { name: 'Adopt the text…' }).click();
  await chair.locator('.chair-confirm').getByRole('button', { name: 'Adopt the text' }).click();
  for (const p of all()) {
    await until(async () => (await p.locator('.stage-badge').textContent()) === 'Adopted text', { message: 'the adopted stage' });
    const bk = li(p).locator('.clause-text .bk');
    await until(async () => (await bk.locator('.bk-alt[role="button"]').count()) === 0, { message: 'alternatives no longer clickable' });
    assert.equal(await bk.locator('.bk-alt').count(), 2, 'the bracket is still shown');
    assert.equal(await p.locator('[data-tool="dispute"]:visible').count(), 0, 'no Bracket… tool');
    assert.deepEqual(await p.locator('.document button:visible').allInnerTexts(), []);
    // Clicking an alternative does nothing now.
    await bk.locator('.bk-alt').first().click();
    assert.equal(await li(p).locator('.bk-action, form.dispute').count(), 0);
  }
  assert.deepEqual(logFetches, []);
  for (const p of Object.values(pages)) assert.deepEqual(p.watch.problems(), []);
});
