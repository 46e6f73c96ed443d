// Comments (docs/extensions.md, "Comments") with two delegations in two browser contexts, one on
// a desktop and one on a phone (390 px: the panel is a bottom sheet): a comment on selected
// words appears for the other delegation without reload, survives an amendment elsewhere in the
// clause (the same words still underlined), is answered and resolved live; the panel is used
// from the keyboard. Once resolved, the clause keeps a quieter button that says so ("1 resolved
// thread"), for the delegations and for an observer who joins later, who opens it and reads the
// thread (GET …/comments, read once after the welcome).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startWithDraft, launchBrowser, newPage, openRoom, operative, shot, until, cleanup, screenshotDir } from './harness.mjs';

let env;
let browser;
let rus;
let usa;

before(async () => {
  env = await startWithDraft();
  browser = await launchBrowser();
  rus = await newPage(browser);
  usa = await newPage(browser, { viewport: { width: 390, height: 844 } }); // a phone
  await openRoom(rus.page, env.server, env.slug, env.codes.delegations.RUS);
  await openRoom(usa.page, env.server, env.slug, env.codes.delegations.USA);
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

/** Selects words 3 and 4 of the n-th operative clause's text in `page`; returns them. */
function selectWords(page, n) {
  return operative(page, n).locator('.clause-text').evaluate((el) => {
    const node = [...el.childNodes].find((x) => x.nodeType === Node.TEXT_NODE && /(\S+\s+){3}\S/.test(x.data));
    const m = /^(?:\S+\s+){2}(\S+\s+\S+)/.exec(node.data);
    const start = m.index + m[0].length - m[1].length;
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + m[1].length);
    const sel = document.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return m[1];
  });
}

/** The words the page underlines as commented (CSS Custom Highlight API). */
function underlined(page) {
  return page.evaluate(() => [...(CSS.highlights.get('plenary-comment') ?? [])].map((r) => r.toString()));
}

const countOf = (page, n) => operative(page, n).locator('.comment-count');

test('a comment on selected words reaches the other delegation live and survives an amendment elsewhere', async () => {
  const words = await selectWords(rus.page, 1);
  await countOf(rus.page, 1).click();
  const panel = rus.page.locator('#comments-panel');
  await panel.waitFor();
  await until(async () => (await panel.innerText()).includes(`On the selected words “${words}”`),
    { message: 'the panel offers the selected words' });
  await panel.locator('#comment-new').fill('Too weak: we need a firm commitment.');
  await panel.getByRole('button', { name: 'Comment', exact: true }).click();
  await panel.locator('.thread').first().waitFor();
  assert.match(await panel.locator('.thread-quote').innerText(), new RegExp(words));

  // The phone sees the count and the underline without reload.
  await until(async () => (await countOf(usa.page, 1).innerText()).trim() === '1', { message: 'the count on the other page' });
  await until(async () => (await underlined(usa.page)).includes(words), { message: 'the words underlined on the other page' });

  // An amendment elsewhere in the clause (words added at its end): the comment keeps its words.
  const li = operative(usa.page, 1);
  await li.getByRole('button', { name: /^Edit/ }).click();
  const textarea = li.locator('textarea');
  await textarea.waitFor();
  await textarea.fill(`${await textarea.inputValue()} Also at all times.`);
  await li.getByRole('button', { name: 'Save' }).click();
  await li.locator('textarea').waitFor({ state: 'detached' });
  await until(async () => (await operative(rus.page, 1).locator('.clause-text').innerText()).includes('Also at all times.'),
    { message: 'the amendment on the first page' });
  await until(async () => (await underlined(rus.page)).includes(words), { message: 'still underlined after the amendment' });
  assert.equal(await panel.locator('.thread-anchor-note').count(), 0, 'the words are all there: nothing to say');
  await shot(rus.page, 'comments-desktop');

  // The phone opens the thread as a bottom sheet and answers.
  await countOf(usa.page, 1).click();
  const sheet = usa.page.locator('#comments-panel');
  await sheet.waitFor();
  const box = await sheet.boundingBox();
  assert.ok(box.y > 844 * 0.3 && box.width >= 389, `a bottom sheet across the screen (${JSON.stringify(box)})`);
  await sheet.getByRole('textbox', { name: 'Reply in thread 1' }).fill('We could live with “shall endeavour”.');
  await sheet.getByRole('button', { name: 'Reply', exact: true }).click();
  await until(async () => (await panel.innerText()).includes('We could live with'), { message: 'the reply on the first page' });
  await shot(usa.page, 'comments-phone');
  // The whole page's picture stretches the viewport; this one is the phone's screen.
  await usa.page.screenshot({ path: path.join(screenshotDir, 'comments-phone-screen.png') });

  // Only the author resolves (and the chair): the phone has no Resolve button, the author does.
  assert.equal(await sheet.getByRole('button', { name: 'Resolve' }).count(), 0);
  await panel.getByRole('button', { name: 'Resolve' }).click();
  await until(async () => (await countOf(usa.page, 1).getAttribute('data-count')) === '0', { message: 'resolved for the other page' });
  assert.deepEqual(await underlined(usa.page), []);
  // The button stays, quieter, and says there is a resolved thread.
  for (const page of [rus.page, usa.page]) {
    await until(async () => (await countOf(page, 1).getAttribute('class')).includes('comment-count--resolved'), { message: 'the resolved style' });
    assert.match(await countOf(page, 1).getAttribute('aria-label'), /^1 resolved thread of comments on /);
    assert.equal((await countOf(page, 1).innerText()).trim(), '1');
  }
});

test('an observer opens, from the keyboard on a phone, a clause whose only thread was resolved, and reads it', async () => {
  const observer = await newPage(browser, { viewport: { width: 390, height: 844 } });
  try {
    const page = observer.page;
    await openRoom(page, env.server, env.slug, env.codes.observer);
    const button = countOf(page, 1);
    // Read once after the welcome: the button shows for the observer, who cannot write.
    await until(async () => (await button.getAttribute('data-resolved')) === '1' && button.isVisible(), { message: 'the resolved thread’s button for the observer' });
    assert.match(await button.getAttribute('aria-label'), /^1 resolved thread of comments on /);
    assert.equal(await countOf(page, 3).isHidden(), true, 'no thread, nothing to write: no button');
    await button.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('#comments-panel');
    await until(async () => page.evaluate(() => document.activeElement?.id === 'comments-title'), { message: 'the focus in the panel' });
    // Only resolved threads: they are shown at once.
    const toggle = panel.getByRole('button', { name: '1 resolved thread' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const resolved = panel.locator('#threads-resolved .thread--resolved');
    assert.match(await resolved.innerText(), /Resolved by Russian Federation\./);
    assert.equal(await resolved.locator('.thread-comments').isVisible(), false, 'its comments folded');
    await resolved.locator('summary').focus();
    await page.keyboard.press('Enter');
    const comments = await resolved.locator('.thread-comments').innerText();
    assert.match(comments, /Too weak: we need a firm commitment\./);
    assert.match(comments, /We could live with “shall endeavour”\./);
    assert.match(await panel.innerText(), /Observers read the comments but do not write them\./);
    assert.equal(await panel.locator('textarea').count(), 0);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal overflow at 390 px');
    await shot(page, 'comments-observer-resolved-phone');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.clauseId), await operative(page, 1).getAttribute('data-clause-id'),
      'the focus back on the button');
  } finally {
    await observer.context.close();
  }
});

test('the panel works from the keyboard', async () => {
  const button = countOf(rus.page, 2);
  await button.focus();
  await rus.page.keyboard.press('Enter');
  const panel = rus.page.locator('#comments-panel');
  await until(async () => rus.page.evaluate(() => document.activeElement?.id === 'comments-title'),
    { message: 'the focus in the panel' });
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await panel.locator('#comment-new').focus();
  await rus.page.keyboard.type('On the whole clause.');
  await rus.page.keyboard.press('Control+Enter');
  await panel.locator('.thread').first().waitFor();
  await rus.page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await rus.page.evaluate(() => document.activeElement?.dataset.clauseId), await operative(rus.page, 2).getAttribute('data-clause-id'),
    'the focus back on the button');
  await until(async () => (await countOf(usa.page, 2).innerText()).trim() === '1', { message: 'the clause thread on the other page' });
});

test('the clause history shows the thread in its timeline', async () => {
  const id = await operative(rus.page, 1).getAttribute('data-clause-id');
  await rus.page.goto(`${env.server.url}/d/${env.slug}/clauses/${id}`);
  const items = rus.page.locator('.timeline > li.amend--comment');
  await items.first().waitFor();
  const texts = await items.evaluateAll((els) => els.map((e) => e.innerText));
  assert.equal(texts.length, 3, 'the comment, the reply, the resolution');
  assert.match(texts[0], /Russian Federation[\s\S]*commented[\s\S]*Too weak: we need a firm commitment\./);
  assert.match(texts[1], /United States[\s\S]*replied/);
  assert.match(texts[2], /resolved the thread/);
  // Amendments stay numbered among them, in time order.
  const kinds = await rus.page.locator('.timeline > li').evaluateAll((els) => els.map((e) => e.dataset.op ?? 'comment'));
  assert.equal(kinds[0], 'open');
  await shot(rus.page, 'comments-history');
});
