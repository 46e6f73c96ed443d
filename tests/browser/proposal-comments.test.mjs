// Comments on proposals, resolved threads and clauses with brackets (docs/extensions.md,
// "Comments"; README, "Comments"), with two delegations in two browser contexts, one on a desktop
// and one on a phone (390 px: the panel is a bottom sheet), and an observer who joins late:
// a comment on a proposal's card reaches the other delegation live (its count, its thread) and
// is answered; resolved, it is hidden behind "1 resolved thread" until shown, greyed with its
// Reopen button for its author only, and a page opened afterwards finds it too (GET …/comments):
// the card keeps a quieter button ("1 resolved thread", for an observer too) that opens on it;
// the clause's history shows the proposal's threads in its timeline, "on proposal N";
// words commented in a clause with brackets, outside a bracket or inside an alternative, are
// underlined and a click on them opens their thread; every new control works from the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startWithDraft, sampleDraft, launchBrowser, newPage, openRoom, operative, selectWords, shot, until, cleanup, screenshotDir } from './harness.mjs';

const OPEN = '\u27E6';
const BAR = '\u2016';
const CLOSE = '\u27E7';

let env;
let browser;
let rus; // desktop
let usa; // phone
let proposal; // n of the proposal China tabled

/** The demo draft with a bracket in operative clause 4: “…freedom in ⟦EST: information space ‖ IND: cyberspace⟧, including…”. */
function draftWithBracket() {
  const draft = sampleDraft();
  const c = draft.clauses.filter((x) => x.kind === 'operative')[3];
  assert.ok(c.text.includes('freedom in information space,'));
  c.text = c.text.replace('information space,', `${OPEN}EST: information space ${BAR} IND: cyberspace${CLOSE},`);
  return draft;
}

/** China tables a change of operative clause 1 over a WebSocket opened from a page of the server. */
async function tableProposal(page) {
  await page.goto(`${env.server.url}/?lang=en`);
  return page.evaluate(async ({ slug, code }) => {
    const ws = new WebSocket(`ws://${location.host}/d/${slug}/ws`);
    const next = (type) => new Promise((resolve, reject) => {
      ws.addEventListener('message', function on(ev) {
        const msg = JSON.parse(ev.data);
        if (msg.type === 'error') reject(new Error(`${msg.code}: ${msg.message}`));
        if (msg.type !== type) return;
        ws.removeEventListener('message', on);
        resolve(msg);
      });
    });
    await new Promise((ok) => { ws.onopen = ok; });
    ws.send(JSON.stringify({ type: 'join', id: 'join', code, draft: slug }));
    const welcome = await next('welcome');
    const c = welcome.draft.clauses.filter((x) => x.kind === 'operative')[0];
    ws.send(JSON.stringify({ type: 'propose', id: 'p', op: 'replace', clause: c.id, base: c.rev, text: c.text.replace(/^To comply/, 'To fully comply') }));
    const tabled = await next('proposed');
    ws.close();
    return tabled.proposal;
  }, { slug: env.slug, code: env.codes.delegations.CHN });
}

before(async () => {
  env = await startWithDraft({ draft: draftWithBracket() });
  browser = await launchBrowser();
  rus = await newPage(browser);
  usa = await newPage(browser, { viewport: { width: 390, height: 844 } });
  proposal = await tableProposal(rus.page);
  assert.ok(Number.isInteger(proposal), `a proposal tabled (${proposal})`);
  await openRoom(rus.page, env.server, env.slug, env.codes.delegations.RUS);
  await openRoom(usa.page, env.server, env.slug, env.codes.delegations.USA);
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

const card = (page) => page.locator(`#proposal-${proposal}`);
const countOf = (page) => card(page).locator('.comment-count');
const panelOf = (page) => page.locator('#comments-panel');

/** The words the page underlines as commented (CSS Custom Highlight API). */
function underlined(page) {
  return page.evaluate(() => [...(CSS.highlights.get('plenary-comment') ?? [])].map((r) => r.toString()));
}

test('a comment on a proposal reaches the other delegation live, on a phone as a bottom sheet, and is answered', async () => {
  await countOf(rus.page).waitFor();
  assert.equal(await countOf(rus.page).getAttribute('aria-label'), `Comment on proposal ${proposal}`);
  await countOf(rus.page).click();
  const panel = panelOf(rus.page);
  await panel.waitFor();
  assert.equal(await panel.locator('h2').innerText(), `Comments on proposal ${proposal}`);
  assert.match(await panel.innerText(), /No comments on this proposal yet\./);
  assert.equal(await panel.locator('#comment-on-words, .comment-hint').count(), 0, 'no words to select on a proposal');
  await panel.locator('#comment-new').fill('We could live with “fully”.');
  await panel.getByRole('button', { name: 'Comment', exact: true }).click();
  await panel.locator('.thread').first().waitFor();
  assert.equal(await panel.locator('.thread-quote').count(), 0);

  // The phone sees the count on the card without reload, and the thread in a bottom sheet.
  await until(async () => (await countOf(usa.page).getAttribute('data-count')) === '1', { message: 'the count on the other page' });
  assert.equal(await countOf(usa.page).getAttribute('aria-label'), `1 open thread of comments on proposal ${proposal}`);
  // The clause's own count does not take the proposal's thread.
  assert.equal(await operative(usa.page, 1).locator('.comment-count').getAttribute('data-count'), '0');
  await countOf(usa.page).scrollIntoViewIfNeeded();
  await countOf(usa.page).click();
  const sheet = panelOf(usa.page);
  await sheet.waitFor();
  await until(async () => (await sheet.innerText()).includes('We could live with'), { message: 'the thread on the phone' });
  const box = await sheet.boundingBox();
  assert.ok(box.y > 844 * 0.3 && box.width >= 389 && box.x <= 1, `a bottom sheet across the screen (${JSON.stringify(box)})`);
  assert.ok(await usa.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal overflow at 390 px');
  await sheet.getByRole('textbox', { name: 'Reply in thread 1' }).fill('Only if “fully” stays out of clause 2.');
  await sheet.getByRole('button', { name: 'Reply', exact: true }).click();
  await until(async () => (await panel.innerText()).includes('Only if “fully” stays out'), { message: 'the reply on the desktop' });
  await until(async () => (await sheet.locator('.thread-comment').count()) === 2, { message: 'the reply on the phone' });
  await shot(usa.page, 'comments-proposal-phone');
  await usa.page.screenshot({ path: path.join(screenshotDir, 'comments-proposal-phone-screen.png') });
  await shot(rus.page, 'comments-proposal-desktop');
  await card(rus.page).screenshot({ path: path.join(screenshotDir, 'comments-proposal-card.png') });
});

test('a resolved thread is hidden until “show resolved”, greyed with its Reopen for its author, and found by a page opened later', async () => {
  const panel = panelOf(rus.page);
  const sheet = panelOf(usa.page);
  assert.equal(await sheet.getByRole('button', { name: 'Resolve' }).count(), 0, 'only the author (or the chair) resolves');
  await panel.getByRole('button', { name: 'Resolve' }).click();
  for (const [page, p] of [[rus.page, panel], [usa.page, sheet]]) {
    await until(async () => (await p.locator('.thread').count()) === 0, { message: 'the resolved thread hidden' });
    assert.match(await p.innerText(), /No open threads\./);
    const toggle = p.getByRole('button', { name: '1 resolved thread' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await countOf(page).getAttribute('data-count'), '0');
  }
  await panel.getByRole('button', { name: '1 resolved thread' }).click();
  const resolved = panel.locator('#threads-resolved .thread--resolved');
  await resolved.waitFor();
  assert.equal(await panel.getByRole('button', { name: '1 resolved thread' }).getAttribute('aria-expanded'), 'true');
  assert.match(await resolved.innerText(), /Resolved by Russian Federation\./);
  assert.match(await resolved.locator('summary').innerText(), /^2 comments$/);
  assert.equal(await resolved.locator('.thread-comments').isVisible(), false, 'folded');
  await resolved.locator('summary').click();
  assert.equal(await resolved.locator('.thread-comments').isVisible(), true);
  assert.equal(await resolved.getByRole('button', { name: 'Reopen' }).count(), 1);
  assert.equal(await resolved.getByRole('textbox').count(), 0, 'no reply to a resolved thread');
  await sheet.getByRole('button', { name: '1 resolved thread' }).click();
  await sheet.locator('#threads-resolved .thread--resolved').waitFor();
  assert.equal(await sheet.getByRole('button', { name: 'Reopen' }).count(), 0, 'not the author: no Reopen');
  await shot(rus.page, 'comments-resolved');
  await panel.screenshot({ path: path.join(screenshotDir, 'comments-resolved-panel.png') });

  // An observer who opens the room now gets the resolved thread from GET …/comments (the
  // `threads` frame has only the open ones), reads it, and writes nothing.
  const observer = await newPage(browser);
  try {
    await openRoom(observer.page, env.server, env.slug, env.codes.observer);
    const oCount = countOf(observer.page);
    // No open thread, but a resolved one: its quieter button shows for the observer, whose panel
    // opens on the resolved thread.
    await until(async () => (await oCount.getAttribute('data-resolved')) === '1' && oCount.isVisible(), { message: 'the resolved thread’s button for the observer' });
    assert.equal(await oCount.getAttribute('aria-label'), `1 resolved thread of comments on proposal ${proposal}`);
    assert.equal(await operative(observer.page, 2).locator('.comment-count').isHidden(), true, 'no thread, nothing to write: no button');
    await oCount.click();
    const oPanel = panelOf(observer.page);
    await oPanel.locator('#threads-resolved .thread--resolved').waitFor();
    assert.equal(await oPanel.getByRole('button', { name: '1 resolved thread' }).getAttribute('aria-expanded'), 'true');
    assert.match(await oPanel.locator('#threads-resolved').innerText(), /Resolved by Russian Federation\./);
    await shot(observer.page, 'comments-observer-resolved');
    await observer.page.keyboard.press('Escape');
    await oPanel.waitFor({ state: 'hidden' });
    // Reopened by its author, the thread comes back everywhere: the observer's button shows.
    await panel.getByRole('button', { name: 'Reopen' }).click();
    await until(async () => (await oCount.getAttribute('data-count')) === '1', { message: 'the reopened thread for the observer' });
    assert.equal(await oCount.getAttribute('class').then((c) => c.includes('comment-count--resolved')), false, 'an open thread: the usual style');
    await oCount.click();
    await oPanel.locator('.threads .thread').waitFor();
    assert.match(await oPanel.innerText(), /Observers read the comments but do not write them\./);
    assert.equal(await oPanel.locator('textarea').count(), 0);
    // Resolved again: the observer's panel keeps it behind the toggle.
    await panel.locator('.threads').getByRole('button', { name: 'Resolve' }).click();
    await oPanel.getByRole('button', { name: '1 resolved thread' }).waitFor();
  } finally {
    await observer.context.close();
  }
  for (const p of [panel, sheet]) await p.getByRole('button', { name: 'Close the comments' }).click();
});

test('a page opened after the resolution finds the resolved thread on its card, its panel open on it', async () => {
  const later = await newPage(browser);
  try {
    await openRoom(later.page, env.server, env.slug, env.codes.delegations.FRA);
    // Opened at once, before the threads are read: the panel opens on them when they come.
    await countOf(later.page).click();
    const panel = panelOf(later.page);
    const toggle = panel.getByRole('button', { name: '1 resolved thread' });
    await toggle.waitFor();
    await until(async () => (await toggle.getAttribute('aria-expanded')) === 'true', { message: 'only resolved threads: shown' });
    assert.match(await panel.locator('#threads-resolved').innerText(), /Resolved by Russian Federation\./);
    assert.equal(await countOf(later.page).getAttribute('aria-label'), `1 resolved thread of comments on proposal ${proposal}`);
    await toggle.click();
    await panel.locator('#threads-resolved').waitFor({ state: 'detached' });
  } finally {
    await later.context.close();
  }
});

test('words commented in a clause with brackets are underlined, and a click on them opens their thread', async () => {
  const li = operative(rus.page, 4);
  await li.locator('.bk').waitFor();
  const id = await li.getAttribute('data-clause-id');
  // Words outside the bracket, then words inside an alternative.
  for (const [words, text] of [['rights and freedom', 'Which rights?'], ['cyberspace', 'Too narrow.']]) {
    await selectWords(rus.page, id, words);
    await li.locator('.comment-count').click();
    const panel = panelOf(rus.page);
    await until(async () => (await panel.innerText()).includes(`On the selected words “${words}”`), { message: `the panel offers “${words}”` });
    await panel.locator('#comment-new').fill(text);
    await panel.getByRole('button', { name: 'Comment', exact: true }).click();
    await until(async () => (await panel.locator('.thread-quote').allInnerTexts()).some((q) => q.includes(words)), { message: `the thread on “${words}”` });
    await panel.getByRole('button', { name: 'Close the comments' }).click();
  }
  for (const page of [rus.page, usa.page]) {
    await until(async () => {
      const u = await underlined(page);
      return u.includes('rights and freedom') && u.includes('cyberspace');
    }, { message: 'both underlined in the bracketed clause' });
  }
  // On the phone, a click on the underlined words opens the sheet on their thread.
  const phoneLi = operative(usa.page, 4);
  await phoneLi.locator('.clause-body').screenshot({ path: path.join(screenshotDir, 'comments-bracketed-clause.png') });
  const at = await phoneLi.evaluate((el) => {
    el.scrollIntoView({ block: 'center' });
    // The words may wrap: the middle of their first line.
    const r = [...CSS.highlights.get('plenary-comment')].find((x) => x.toString() === 'rights and freedom').getClientRects()[0];
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  });
  await usa.page.mouse.click(at.x, at.y);
  const sheet = panelOf(usa.page);
  await sheet.waitFor();
  const focused = await usa.page.evaluate(() => document.activeElement?.closest('.thread')?.querySelector('.thread-quote')?.textContent ?? '');
  assert.match(focused, /rights and freedom/, 'the focus on the clicked words’ thread');
  assert.ok(await usa.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal overflow at 390 px');
  await shot(usa.page, 'comments-bracketed-phone');
  await usa.page.screenshot({ path: path.join(screenshotDir, 'comments-bracketed-phone-screen.png') });
  await usa.page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'hidden' });
});

test('the proposal’s thread from the keyboard: Tab, Enter, Space, Escape back to the button', async () => {
  const page = rus.page;
  const button = countOf(page);
  // Reachable with Tab: from the control before it on the card.
  await card(page).locator('.proposal-title').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.proposal), String(proposal), 'Tab reaches the comment button');
  await page.keyboard.press('Enter');
  const panel = panelOf(page);
  await until(async () => page.evaluate(() => document.activeElement?.id === 'comments-title'), { message: 'the focus in the panel' });
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  // Only a resolved thread: shown at once. Tab to its toggle; Space hides it, Space again shows it.
  await panel.locator('#threads-resolved').waitFor();
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.classList.contains('comments-resolved-toggle'))) break;
  }
  await page.keyboard.press('Space');
  await panel.locator('#threads-resolved').waitFor({ state: 'detached' });
  await page.keyboard.press('Space');
  await panel.locator('#threads-resolved').waitFor();
  await page.keyboard.press('Tab'); // the folded comments' summary
  await page.keyboard.press('Enter');
  assert.equal(await panel.locator('#threads-resolved .thread-comments').isVisible(), true, 'unfolded from the keyboard');
  // A new thread written from the keyboard.
  await panel.locator('#comment-new').focus();
  await page.keyboard.type('A second thought, from the keyboard.');
  await page.keyboard.press('Control+Enter');
  await panel.locator('.threads .thread').first().waitFor();
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.proposal), String(proposal), 'the focus back on the button');
  await until(async () => (await countOf(usa.page).getAttribute('data-count')) === '1', { message: 'the new thread on the phone' });
});

test('the clause’s history shows the threads on the proposal that changes it, “on proposal N”', async () => {
  const page = rus.page;
  const id = await operative(page, 1).getAttribute('data-clause-id');
  await page.goto(`${env.server.url}/d/${env.slug}/clauses/${id}`);
  const items = page.locator(`.timeline > li.amend--comment[data-proposal="${proposal}"]`);
  await items.first().waitFor();
  const texts = await items.evaluateAll((els) => els.map((e) => e.innerText));
  assert.match(texts[0], new RegExp(`Russian Federation[\\s\\S]*commented on proposal ${proposal} \\(thread 1\\)[\\s\\S]*We could live with “fully”\\.`));
  assert.ok(texts.some((x) => new RegExp(`United States[\\s\\S]*replied on proposal ${proposal}`).test(x)), 'the reply');
  assert.ok(texts.some((x) => /A second thought, from the keyboard\./.test(x)), 'the second thread');
  // The clause's other threads are not the proposal's.
  assert.equal(await page.locator('.timeline > li.amend--comment:not([data-proposal])').count(), 0);
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal overflow at 390 px');
  await shot(page, 'comments-history-proposal');
});

/**
 * Plays `steps` ([code, message]) over one WebSocket per code, opened from a page of the server;
 * `"$n"` in a message stands for the number of the last proposal tabled. Returns that number.
 */
async function play(page, steps) {
  await page.goto(`${env.server.url}/?lang=en`);
  return page.evaluate(async ({ slug, steps }) => {
    const sockets = new Map();
    const open = (code) => new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${location.host}/d/${slug}/ws`);
      const waiting = new Map();
      let seq = 0;
      const conn = {
        send(msg) {
          const id = `m${++seq}`;
          return new Promise((ok) => { waiting.set(id, ok); ws.send(JSON.stringify({ ...msg, id })); });
        },
      };
      ws.onmessage = (ev) => {
        const m = JSON.parse(ev.data);
        if (m.type === 'welcome') resolve(conn);
        if (m.id && waiting.has(m.id)) { waiting.get(m.id)(m); waiting.delete(m.id); }
      };
      ws.onerror = () => reject(new Error('websocket failed'));
      ws.onopen = () => ws.send(JSON.stringify({ type: 'join', id: 'join', code, draft: slug }));
      conn.close = () => ws.close();
    });
    let n = null;
    for (const [code, msg] of steps) {
      if (!sockets.has(code)) sockets.set(code, await open(code));
      const reply = await sockets.get(code).send(msg.proposal === '$n' ? { ...msg, proposal: n } : msg);
      if (reply.type === 'error') throw new Error(`${msg.type}: ${reply.message}`);
      if (reply.type === 'proposed') n = reply.proposal;
    }
    for (const s of sockets.values()) s.close();
    return n;
  }, { slug: env.slug, steps });
}

test('a clause inserted by an adopted proposal shows that proposal’s threads in its history', async () => {
  const page = rus.page;
  const { codes } = env;
  const text = 'Share threat intelligence promptly with partners.';
  const readDraft = () => page.evaluate(async ({ slug, code }) => (await fetch(`/api/drafts/${slug}`, { headers: { Authorization: `Bearer ${code}` } })).json(),
    { slug: env.slug, code: codes.delegations.RUS });
  await page.goto(`${env.server.url}/?lang=en`);
  const after = (await readDraft()).clauses.filter((c) => c.kind === 'operative')[1].id;
  const n = await play(page, [
    [codes.delegations.CHN, { type: 'propose', op: 'insert', after, kind: 'operative', text }],
    [codes.delegations.FRA, { type: 'comment', proposal: '$n', text: 'With which partners?' }],
    [codes.chair, { type: 'open_vote', proposal: '$n', threshold: 'simple' }],
    [codes.delegations.CHN, { type: 'vote', proposal: '$n', choice: 'yes' }],
    [codes.delegations.FRA, { type: 'vote', proposal: '$n', choice: 'yes' }],
    [codes.chair, { type: 'close_vote', proposal: '$n' }],
  ]);
  const inserted = (await readDraft()).clauses.find((c) => c.text === text);
  assert.ok(inserted, 'the proposal adopted: its clause in the text');
  await page.goto(`${env.server.url}/d/${env.slug}/clauses/${inserted.id}`);
  const item = page.locator(`.timeline > li.amend--comment[data-proposal="${n}"]`);
  await item.waitFor();
  assert.match(await item.innerText(), new RegExp(`France[\\s\\S]*commented on proposal ${n}[\\s\\S]*With which partners\\?`));
  // The amendment that adopted the proposal, and its comment (times in seconds: in either order).
  const kinds = await page.locator('.timeline > li').evaluateAll((els) => els.map((e) => e.dataset.op ?? 'comment'));
  assert.deepEqual(kinds.sort(), ['comment', 'insert']);
});
