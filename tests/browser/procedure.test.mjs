// A committee session in the room (procedure.md): a friendly amendment (every sponsor supports a
// delegation's proposal, adopted at once), the chair's move to the formal stage (a delegation's
// editor now proposes instead of saving), a vote with a threshold, delegations voting live, the
// chair closing it and the adopted text appearing on every page; refusals shown on the card;
// the history and the log marking what was adopted and how; finally the adopted stage.
// Also: a delegation that has left (GBR) is still named in the supporters and the tally (the
// draft's roster, not presence); withdrawing asks for a confirmation on the card; in the formal
// stage a delegation's Move proposes the move, which a vote then makes live; once adopted, no
// editing tool is left for anyone.
// The fixture's sponsors are CHN, RUS, TJK and UZB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startWithDraft, launchBrowser, newPage, openRoom, operative, clauseIds, shot, checkA11y, until, cleanup, screenshotDir } from './harness.mjs';

const paths = {
  room: (slug) => `/d/${slug}`,
  clause: (slug, id) => `/d/${slug}/clauses/${id}`,
  log: (slug) => `/d/${slug}/log`,
};

let env;
let browser;
const pages = {}; // CHAIR, CHN, RUS, TJK, UZB, USA, FRA, OBSERVER
let stale = false; // while true, FRA's page does not hear `proposal` events (a stale view)

before(async () => {
  env = await startWithDraft();
  browser = await launchBrowser();
  for (const who of ['CHAIR', 'CHN', 'RUS', 'TJK', 'UZB', 'USA', 'FRA', 'OBSERVER']) {
    // The observer reads on a phone.
    pages[who] = await newPage(browser, who === 'OBSERVER' ? { viewport: { width: 390, height: 800 } } : undefined);
    const code = who === 'CHAIR' ? env.codes.chair : who === 'OBSERVER' ? env.codes.observer : env.codes.delegations[who];
    if (who === 'FRA') {
      await pages.FRA.page.routeWebSocket(/\/ws$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((m) => server.send(m));
        server.onMessage((m) => { if (!(stale && typeof m === 'string' && m.includes('"type":"proposal"'))) ws.send(m); });
      });
    }
    await openRoom(pages[who].page, env.server, env.slug, code);
  }
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

/** A screenshot of one panel (element), beside the whole-page ones. */
async function panelShot(page, selector, name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.evaluate(() => document.getElementById('toasts')?.replaceChildren()); // messages would cover the panel
  await checkA11y(page, name);
  await page.locator(selector).screenshot({ path: path.join(screenshotDir, `${name}.png`), timeout: 3000 });
}

const all = () => Object.values(pages).map((p) => p.page);
const card = (page, n) => page.locator(`#proposal-${n}`);
const clauseText = async (li) => (await li.locator('.clause-text').innerText()).trim();

async function everyPage(fn, message) {
  await Promise.all(all().map((page) => until(() => fn(page), { message })));
}

/** A delegation with no page of its own (GBR) comes in, does `fn(page)`, and leaves again. */
async function visit(who, fn) {
  const guest = await newPage(browser);
  try {
    await openRoom(guest.page, env.server, env.slug, env.codes.delegations[who]);
    await fn(guest.page);
    assert.deepEqual(guest.watch.problems(), []);
  } finally {
    await guest.context.close();
  }
  // Gone from every room, so that a name shown for it later comes from the roster, not presence.
  await until(async () => (await pages.CHAIR.page.locator(`.presence-list [data-state="${who}"]`).count()) === 0,
    { message: `${who} gone from the room` });
}

async function support(who, n) {
  const button = card(pages[who].page, n).getByRole('button', { name: `Support proposal ${n}` });
  await button.click();
  await card(pages[who].page, n).getByText('You support this proposal.').waitFor();
}

test('every page shows the stage, and only the chair has the chair\'s controls', async () => {
  for (const page of all()) {
    assert.equal(await page.locator('.stage-badge').textContent(), 'Working paper');
    await page.locator('#proposals').getByText('No proposal has been tabled yet.').waitFor();
  }
  await pages.CHAIR.page.locator('.chair-panel').getByRole('button', { name: 'Move to the formal stage…' }).waitFor();
  assert.equal(await pages.USA.page.locator('.chair-panel:visible').count(), 0);
});

test('a friendly amendment: every sponsor supports a proposal and it is adopted at once, live everywhere', async () => {
  const { page } = pages.CHN;
  const li = operative(page, 1);
  const before = await clauseText(li);
  const proposed = before.replace('respect for the sovereignty', 'full respect for the sovereignty');
  assert.notEqual(proposed, before);
  await li.getByRole('button', { name: /^Edit/ }).click();
  const editor = li.locator('form.editor');
  await editor.getByLabel('Text').fill(proposed);
  await editor.getByLabel(/Note/).fill('Stronger wording, agreed among the sponsors.');
  // Working stage: "Save" amends at once, "Propose instead" tables it.
  await editor.getByRole('button', { name: 'Save' }).waitFor();
  await editor.getByRole('button', { name: 'Propose instead' }).click();
  await editor.waitFor({ state: 'detached' });
  assert.equal(await clauseText(li), before, 'a proposal does not change the text');

  // Everyone sees proposal 1, tabled by China, with the change as a word diff.
  await everyPage(async (p) => (await card(p, 1).getAttribute('data-status')) === 'tabled', 'proposal 1 tabled');
  const rus = card(pages.RUS.page, 1);
  assert.match(await rus.locator('.proposal-by').innerText(), /China/);
  assert.equal((await rus.locator('.proposal-diff ins').innerText()).replace(/^inserted:\s*/, '').trim(), 'full');
  assert.match(await rus.locator('.proposal-note').innerText(), /Stronger wording/);
  assert.match(await rus.locator('.sponsor-progress').innerText(), /1 of 4/);
  // The clause shows that a proposal concerns it.
  await operative(pages.USA.page, 1).locator('.clause-proposals a[href="#proposal-1"]').waitFor();
  // The proposer may withdraw, not support; the chair may open a vote.
  await card(page, 1).getByRole('button', { name: 'Withdraw proposal 1' }).waitFor();
  assert.equal(await card(page, 1).getByRole('button', { name: /^Support/ }).count(), 0);
  await card(pages.CHAIR.page, 1).getByRole('button', { name: 'Open the vote on proposal 1' }).waitFor();

  await support('USA', 1); // not a sponsor: support, but nothing adopted
  await visit('GBR', async (p) => { // not a sponsor either; it then leaves
    await card(p, 1).getByRole('button', { name: 'Support proposal 1' }).click();
    await card(p, 1).getByText('You support this proposal.').waitFor();
  });
  await support('RUS', 1);
  await support('TJK', 1);
  await everyPage(async (p) => /3 of 4/.test(await card(p, 1).locator('.sponsor-progress').innerText()), '3 of 4 sponsors');
  await shot(pages.RUS.page, 'procedure-room');
  await panelShot(pages.RUS.page, '#proposals', 'procedure-proposals');

  // The last sponsor: the proposal is adopted at once (so no "You support" line follows).
  await card(pages.UZB.page, 1).getByRole('button', { name: 'Support proposal 1' }).click();
  await everyPage(async (p) => (await clauseText(operative(p, 1))) === proposed, 'the friendly amendment in the text');
  await everyPage(async (p) => (await card(p, 1).getAttribute('data-status')) === 'adopted', 'proposal 1 adopted');
  assert.match(await card(pages.TJK.page, 1).locator('.proposal-result').innerText(), /friendly amendment/);
  assert.match(await operative(pages.USA.page, 1).locator('.clause-change').innerText(), /Friendly amendment: proposal 1/);
});

test('the formal stage: a delegation\'s editor proposes instead of saving, and says why', async () => {
  // Irreversible: it asks first, like adoption.
  await pages.CHAIR.page.getByRole('button', { name: 'Move to the formal stage…' }).click();
  await pages.CHAIR.page.locator('.chair-confirm').getByText('Move the draft to the formal stage?').waitFor();
  assert.equal(await pages.CHN.page.locator('.stage-badge').textContent(), 'Working paper', 'nothing moves before the confirmation');
  await pages.CHAIR.page.locator('.chair-confirm').getByRole('button', { name: 'Move to the formal stage', exact: true }).click();
  await everyPage(async (p) => (await p.locator('.stage-badge').textContent()) === 'Formal stage', 'the formal stage everywhere');
  const { page } = pages.USA;
  await page.locator('.stage-notice').getByText(/Your changes are tabled as proposals/).waitFor();
  // Editing and moving are still offered to delegations, as proposals (moving: see below).
  await operative(page, 2).getByRole('button', { name: /Move up/ }).waitFor();
  const li = operative(page, 2);
  await li.getByRole('button', { name: /^Edit/ }).click();
  const editor = li.locator('form.editor');
  assert.equal(await editor.getByRole('button', { name: 'Save' }).count(), 0);
  assert.match(await editor.locator('.editor-stage').innerText(), /Formal stage: delegations cannot change the text directly/);
  const before = await clauseText(li);
  const proposed = before.replace('hostile activities', 'hostile or malicious activities');
  await editor.getByLabel('Text').fill(proposed);
  await editor.getByLabel(/Note/).fill('Malicious activities too.');
  await editor.getByRole('button', { name: 'Propose', exact: true }).click();
  await editor.waitFor({ state: 'detached' });
  await everyPage(async (p) => (await card(p, 2).getAttribute('data-status')) === 'tabled', 'proposal 2 tabled');

  // A third proposal, which USA then withdraws; FRA's page does not hear of it and tries to support
  // it: the refusal is shown on the card.
  const li3 = operative(page, 3);
  await li3.getByRole('button', { name: /^Edit/ }).click();
  await li3.locator('textarea').fill(`${await clauseText(li3)} (draft)`);
  await li3.getByRole('button', { name: 'Propose', exact: true }).click();
  await li3.locator('textarea').waitFor({ state: 'detached' });
  await card(pages.FRA.page, 3).waitFor();
  // Withdrawing asks first, on the card (no browser dialog); Cancel keeps the proposal.
  const withdraw = card(page, 3).getByRole('button', { name: 'Withdraw proposal 3…' });
  await withdraw.click();
  const confirm = card(page, 3).locator('.proposal-confirm');
  await confirm.getByText('Withdraw proposal 3?').waitFor();
  assert.equal(await withdraw.count(), 0);
  await panelShot(page, '#proposal-3', 'procedure-withdraw');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await withdraw.evaluate((el) => el === document.activeElement), true, 'focus back on Withdraw…');
  assert.equal(await card(pages.CHAIR.page, 3).getAttribute('data-status'), 'tabled');
  stale = true;
  await withdraw.click();
  await confirm.getByRole('button', { name: 'Withdraw proposal 3', exact: true }).click();
  await everyPage(async (p) => p === pages.FRA.page || (await card(p, 3).getAttribute('data-status')) === 'withdrawn', 'proposal 3 withdrawn');
  await card(pages.FRA.page, 3).getByRole('button', { name: 'Support proposal 3' }).click();
  const error = card(pages.FRA.page, 3).locator('.form-error');
  await error.waitFor({ state: 'visible' });
  assert.match(await error.innerText(), /^Not possible any more: .*withdrawn/);
  await pages.FRA.page.locator('.toast--error').first().waitFor();
  stale = false;
});

test('a vote: the chair opens it with a threshold, delegations vote live, the chair closes it, the text changes everywhere', async () => {
  const chair = pages.CHAIR.page;
  const c2 = card(chair, 2);
  await c2.getByLabel('Threshold').selectOption('two-thirds');
  await panelShot(chair, '#proposals', 'procedure-proposals-chair');
  await c2.getByRole('button', { name: 'Open the vote on proposal 2' }).click();
  await everyPage(async (p) => p.locator('#vote').isVisible(), 'the vote panel everywhere');
  assert.match(await chair.locator('.vote-rule').innerText(), /Two-thirds majority/);
  assert.equal(await pages.USA.page.locator('#vote ins').first().innerText().then((t) => t.replace(/^inserted:\s*/, '').trim()), 'or malicious');
  assert.equal(await chair.locator('#vote').getByRole('button', { name: /Vote yes/ }).count(), 0, 'the chair does not vote');

  const votes = { CHN: 'yes', RUS: 'yes', USA: 'yes', FRA: 'no', TJK: 'abstain' };
  for (const [who, choice] of Object.entries(votes)) {
    const panel = pages[who].page.locator('#vote');
    await panel.getByRole('button', { name: `Vote ${choice} on proposal 2` }).click();
    // A vote is final: it asks first.
    await panel.getByText(`Vote ${choice} on proposal 2?`).waitFor();
    await panel.getByRole('button', { name: `Confirm: vote ${choice}` }).click();
    await panel.getByText(`You voted ${choice}.`).waitFor();
  }
  // GBR comes in, votes yes and leaves.
  await visit('GBR', async (p) => {
    await p.locator('#vote').getByRole('button', { name: 'Vote yes on proposal 2' }).click();
    await p.locator('#vote').getByRole('button', { name: 'Confirm: vote yes' }).click();
    await p.locator('#vote').getByText('You voted yes.').waitFor();
  });
  const count = (p, choice) => p.locator(`#vote .tally-count[data-choice="${choice}"]`).innerText();
  await everyPage(async (p) => (await count(p, 'yes')) === '4' && (await count(p, 'no')) === '1' && (await count(p, 'abstain')) === '1',
    'the tally 4-1-1 on every page');
  assert.match(await chair.locator('.tally-col--yes').innerText(), /China[\s\S]*Russian Federation[\s\S]*United States/);
  assert.match(await chair.locator('.vote-verdict').innerText(), /Carries as it stands/);
  // The observer's page comes back after GBR left: it names GBR from the draft's roster, in the
  // tally and among the supporters of proposal 1.
  const phone = pages.OBSERVER.page;
  await phone.reload();
  await phone.locator('#vote .tally-count[data-choice="yes"]').getByText('4').waitFor();
  assert.equal(await phone.locator('.presence-list [data-state="GBR"]').count(), 0);
  assert.equal(await phone.locator('#vote .tally-col--yes .tally-state[data-state="GBR"] .tally-name').innerText(), 'United Kingdom');
  assert.match(await card(phone, 1).locator('.proposal-support').innerText(), /United Kingdom/);
  // The observer sees the tally but has no vote; the panel fits a phone.
  assert.equal(await phone.locator('#vote .vote-actions').count(), 0);
  assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'no horizontal scroll at 390 px');
  await panelShot(phone, '#vote', 'procedure-vote-phone');
  // UZB, present, has not voted yet.
  await chair.locator('.vote-waiting .chip[data-state="UZB"]').waitFor();
  await panelShot(chair, '#vote', 'procedure-vote');
  assert.equal(await pages.FRA.page.locator('.chair-panel:visible').count(), 0);
  await panelShot(chair, '.chair-panel', 'procedure-chair');
  await chair.getByRole('button', { name: 'Projector view' }).click();
  await chair.locator('#vote.vote--projector').waitFor();
  // The projector view fills the screen: the screenshot is of what the screen shows.
  fs.mkdirSync(screenshotDir, { recursive: true });
  await checkA11y(chair, 'procedure-vote-projector');
  await chair.screenshot({ path: path.join(screenshotDir, 'procedure-vote-projector.png') });
  await chair.keyboard.press('Escape');
  await chair.locator('#vote.vote--projector').waitFor({ state: 'detached' });

  const proposedText = (await card(pages.USA.page, 2).locator('.proposal-diff').innerText());
  assert.ok(proposedText.includes('malicious'));
  await chair.locator('#vote').getByRole('button', { name: 'Close the vote' }).click();
  await everyPage(async (p) => (await clauseText(operative(p, 2))).includes('hostile or malicious activities'), 'the adopted text everywhere');
  await everyPage(async (p) => (await card(p, 2).getAttribute('data-status')) === 'adopted', 'proposal 2 adopted');
  assert.match(await pages.RUS.page.locator('.vote-verdict').innerText(), /Adopted \(4 yes, 1 no, 1 abstaining\)/);
  assert.match(await operative(pages.UZB.page, 2).locator('.clause-change').innerText(), /Adopted by vote: proposal 2/);
  for (const { watch } of Object.values(pages)) assert.deepEqual(watch.problems(), []);
});

test('the formal stage: a delegation\'s Move proposes the move; adopted by vote, the clause moves on every page', async () => {
  const { page } = pages.USA;
  const chair = pages.CHAIR.page;
  const before = await clauseIds(page);
  const li4 = operative(page, 4);
  const [id4, id5] = [await li4.getAttribute('data-clause-id'), await operative(page, 5).getAttribute('data-clause-id')];
  await li4.getByRole('button', { name: /Move down/ }).click();
  const confirm = li4.locator('form.confirm--move');
  await confirm.getByText('Propose moving operative clause 4 after operative clause 5?').waitFor();
  await confirm.getByLabel(/Note/).fill('Peaceful settlement before rights.');
  await panelShot(page, `li.clause[data-clause-id="${id4}"]`, 'procedure-move-proposal');
  await confirm.getByRole('button', { name: 'Propose move' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.deepEqual(await clauseIds(page), before, 'a proposal moves nothing');
  await everyPage(async (p) => (await card(p, 4).getAttribute('data-status')) === 'tabled', 'proposal 4 tabled');
  assert.match(await card(pages.CHN.page, 4).locator('.proposal-what').innerText(), /Move operative clause 4 after operative clause 5/);
  assert.match(await card(pages.CHN.page, 4).locator('.proposal-note').innerText(), /Peaceful settlement/);

  await card(chair, 4).getByRole('button', { name: 'Open the vote on proposal 4' }).click(); // simple majority
  const panel = pages.CHN.page.locator('#vote');
  await panel.getByRole('button', { name: 'Vote yes on proposal 4' }).click();
  await panel.getByRole('button', { name: 'Confirm: vote yes' }).click();
  await panel.getByText('You voted yes.').waitFor();
  await chair.locator('#vote').getByRole('button', { name: 'Close the vote' }).click();
  await everyPage(async (p) => (await operative(p, 4).getAttribute('data-clause-id')) === id5
    && (await operative(p, 5).getAttribute('data-clause-id')) === id4, 'the clause moved on every page');
  assert.match(await operative(pages.RUS.page, 5).locator('.clause-change').innerText(), /Adopted by vote: proposal 4/);
  assert.equal(await operative(pages.RUS.page, 5).locator('.clause-number').innerText(), '5.');
});

test('the clause history and the log mark adopted amendments, with the tally, and the stage commit', async () => {
  const { page } = pages.TJK;
  const ids = await page.locator('li.clause--operative').evaluateAll((els) => els.map((e) => e.dataset.clauseId));
  await page.goto(`${env.server.url}${paths.clause(env.slug, ids[1])}`);
  const voted = page.locator('.amend-adopted--vote');
  await voted.waitFor();
  assert.match(await voted.textContent(), /Adopted by vote — proposal 2: 4 yes, 1 no, 1 abstaining/);
  await shot(page, 'procedure-history');
  await page.goto(`${env.server.url}${paths.clause(env.slug, ids[0])}`);
  assert.match(await page.locator('.amend-adopted--friendly').innerText(), /Friendly amendment — proposal 1/);
  await page.goto(`${env.server.url}${paths.log(env.slug)}`);
  await page.locator('.log-row--stage').getByText('Moved the draft to the formal stage').waitFor();
  await page.locator('.log-adopted').getByText(/proposal 2/).waitFor();
  await page.locator('.log-adopted').getByText(/proposal 4/).waitFor();
  assert.equal(await page.locator('.doc-kicker .stage-badge').textContent(), 'Formal stage');
  await page.goto(`${env.server.url}${paths.room(env.slug)}`);
  await page.locator('li.clause').first().waitFor();
});

test('adopting the text asks the chair to confirm; then nothing can change', async () => {
  const chair = pages.CHAIR.page;
  // TJK's editor is open when the text is adopted.
  const tjk = operative(pages.TJK.page, 1);
  await tjk.getByRole('button', { name: /^Edit/ }).click();
  const editor = tjk.locator('form.editor');
  await editor.getByRole('button', { name: 'Propose', exact: true }).waitFor();
  await chair.getByRole('button', { name: 'Adopt the text…' }).click();
  const confirm = chair.locator('.chair-confirm');
  await confirm.getByText('Adopt the text as it stands?').waitFor();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await chair.locator('.stage-badge').textContent(), 'Formal stage');
  await chair.getByRole('button', { name: 'Adopt the text…' }).click();
  await chair.locator('.chair-confirm').getByRole('button', { name: 'Adopt the text' }).click();
  await everyPage(async (p) => (await p.locator('.stage-badge').textContent()) === 'Adopted text', 'the adopted stage everywhere');
  // The open editor can no longer save or propose; it says why.
  await editor.locator('.editor-stage').getByText(/has been adopted/).waitFor();
  assert.equal(await editor.getByRole('button', { name: /Propose|Save/ }).count(), 0);
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await editor.waitFor({ state: 'detached' });
  // No editing tool is left, for anyone: not on the clauses (History links only), not at the top,
  // not on the proposals, not in the chair's panel.
  for (const who of ['USA', 'CHAIR', 'TJK', 'OBSERVER']) {
    const { page } = pages[who];
    assert.equal(await operative(page, 1).getByRole('button', { name: /^Edit/ }).count(), 0, `${who}: no Edit once adopted`);
    await page.locator('.stage-notice').getByText(/adopted/).waitFor();
    for (const where of ['.document', '#proposals', '.chair-panel']) {
      const left = await page.locator(`${where} button:visible`).allInnerTexts();
      assert.deepEqual(left, [], `${who}: buttons left in ${where}`);
    }
    assert.equal(await operative(page, 1).locator('.clause-tools a:visible').count(), 1, `${who}: History`);
  }
  for (const { watch } of Object.values(pages)) assert.deepEqual(watch.problems(), []);
});
