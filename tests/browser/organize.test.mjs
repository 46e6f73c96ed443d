// The organizer's console and join slips: a teacher's first hour, from the organizer link that
// the first `plenary serve` prints to a delegation drafting from a printed slip. The slip's QR
// code is read from a screenshot with zbarimg (Debian zbar-tools), as a phone's camera would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  startEmpty, launchBrowser, newPage, operative, until, shot, checkA11y, cleanup, screenshotDir,
} from './harness.mjs';

let env;
let browser;
let organizerCode;

before(async () => {
  env = await startEmpty();
  organizerCode = new URL(env.organizerLink).hash.replace(/^#code=/, '');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  if (env) cleanup(env.root);
});

// A UN General Assembly resolution's layout, as a teacher pastes it: the chapeau, preambular
// paragraphs, numbered operative paragraphs with sub-paragraphs (a), (b), Windows line ends
// and a non-breaking space. "Persuaded …" opens with no known preambular phrase and ends with
// a full stop: the splitter takes it for an operative paragraph, and the teacher fixes it.
const RESOLUTION = [
  'The General Assembly,',
  '',
  'Recalling its resolution 70/1 of 25 September 2015, entitled “Transforming our world: the 2030 Agenda',
  'for Sustainable Development”,',
  '',
  'Deeply concerned that marine plastic litter harms ocean life, coastal communities and human health,',
  '',
  'Persuaded that clean oceans are the shared responsibility of all States.',
  '',
  '1.\u00a0Calls upon all States to reduce single-use plastics by 2030;',
  '',
  '2. Encourages Member States to cooperate in:',
  '(a) Monitoring marine litter;',
  '(b) Sharing technology for its removal;',
  '',
  '3. Requests the Secretary-General to report on the implementation of the present resolution at its eighty-second session;',
  '',
  '4. Decides to remain seized of the matter.',
].join('\r\n');

const STATES = ['BRA', 'CHN', 'DEU', 'FRA', 'GBR', 'IND', 'JPN', 'KEN', 'MEX', 'RUS', 'USA', 'ZAF'];

/** Every form field has a label (a <label for>, a wrapping label, or aria-label/labelledby). */
const unlabelled = (page) => page.evaluate(() => [...document.querySelectorAll('input, textarea, select')]
  .filter((el) => el.type !== 'hidden' && el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 100)));
const overflows = (page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);

/** Reads the QR code in a PNG with zbarimg; returns the text it holds. */
function decodeQr(file) {
  return execFileSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8', timeout: 20000 }).trim();
}

test('a teacher’s first hour: organizer link, pasted text, preview fixed, 12 states, slips printed, a delegation joins from a QR code and amends', async () => {
  assert.match(env.organizerLink, /^http:\/\/127\.0\.0\.1:\d+\/organize#code=/);
  const { context, page, watch } = await newPage(browser);
  const urls = [];
  page.on('request', (req) => urls.push(req.url()));

  // The organizer link: the code moves to this tab's sessionStorage and leaves the address.
  await page.goto(env.organizerLink);
  await page.getByRole('heading', { name: 'Drafts on this server' }).waitFor();
  assert.equal(page.url(), `${env.server.url}/organize`);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('plenary.organizer')), organizerCode);
  // The demo draft that the first start created is listed with its numbers.
  const demo = page.locator('.draft-card[data-slug="code-of-conduct"]');
  await demo.waitFor();
  assert.match(await demo.innerText(), /\d+ clauses/);
  assert.match(await demo.innerText(), /Connected now: nobody/);
  assert.deepEqual(await unlabelled(page), []);
  await shot(page, 'organize');

  // Title, and the slug proposed from it; a bad slug is refused as it is typed.
  await page.getByLabel('Title', { exact: true }).fill('Protection of the oceans from plastic litter');
  const slug = page.getByLabel('Short name (in the address)');
  assert.equal(await slug.inputValue(), 'protection-of-the-oceans-from-plastic-litter');
  await slug.fill('Oceans!');
  assert.match(await page.locator('#draft-slug-error').innerText(), /lower-case/i);
  assert.equal(await slug.getAttribute('aria-invalid'), 'true');
  await slug.fill('code-of-conduct'); // exists: the server will refuse it

  // The text, pasted; the preview; the teacher fixes one paragraph's kind.
  await page.getByLabel('Text of the draft').fill(RESOLUTION);
  await page.getByRole('button', { name: 'Preview the paragraphs' }).click();
  const persuaded = page.locator('.preview-item', { hasText: 'Persuaded that clean oceans' });
  await persuaded.waitFor();
  const kind = persuaded.getByRole('combobox');
  const guessed = await kind.inputValue();
  const fixed = guessed === 'preamble' ? 'operative' : 'preamble';
  await kind.selectOption(fixed);
  const numbers = await page.locator('.preview-item[data-kind="operative"] .clause-number').allInnerTexts();
  assert.deepEqual(numbers, numbers.map((_, i) => `${i + 1}.`), 'operative clauses renumbered 1, 2, 3…');
  assert.ok(numbers.length >= 4, `${numbers.length} operative clauses`);
  const subParagraphs = page.locator('.preview-item', { hasText: 'Encourages Member States' });
  assert.match(await subParagraphs.innerText(), /\(a\) Monitoring marine litter/);
  assert.equal(await page.locator('.preview-item', { hasText: 'The General Assembly,' }).getByRole('combobox').inputValue(), 'heading');

  // Twelve states: by search for some, ticked in the list for others; two sponsors.
  for (const q of ['Kenya', 'fra']) {
    await page.getByLabel('Find a state').fill(q);
    await page.locator(`.roster-state:not([hidden]) input[value="${q === 'fra' ? 'FRA' : 'KEN'}"]`).check();
  }
  await page.getByLabel('Find a state').fill('');
  for (const code of STATES.filter((c) => c !== 'KEN' && c !== 'FRA')) await page.locator(`#state-${code}`).check();
  assert.equal(await page.locator('.roster-count').innerText(), '12 delegations chosen.');
  await page.locator('#sponsor-FRA').check();
  await page.locator('#sponsor-KEN').check();
  assert.deepEqual(await unlabelled(page), []);
  await shot(page, 'organize-new-draft');

  // Create: the taken slug is refused next to its field; nothing else changes. Then a free one.
  await page.getByRole('button', { name: 'Create the draft' }).click();
  const slugError = page.locator('#draft-slug-error');
  await slugError.waitFor({ state: 'visible' });
  assert.ok((await slugError.innerText()).length > 10, await slugError.innerText());
  assert.equal(await page.locator('.created').isVisible(), false);
  await slug.fill('oceans');
  await page.getByRole('button', { name: 'Create the draft' }).click();
  await page.getByRole('heading', { name: /is ready/ }).waitFor();
  await page.locator('.draft-card[data-slug="oceans"]').waitFor();
  await shot(page, 'organize-created');

  // The slips: a warning, every role by default, one slip per role.
  await page.getByRole('link', { name: 'Print the join slips' }).click();
  await page.waitForURL(`${env.server.url}/organize/oceans/slips`);
  assert.match(await page.locator('.warning').innerText(), /stop working/);
  assert.equal(await page.locator('.role-list input:checked').count(), STATES.length + 2, 'every role by default');
  await page.getByRole('button', { name: /Issue the links/ }).click();
  await page.locator('.slip').first().waitFor();
  assert.equal(await page.locator('.slip').count(), STATES.length + 2);
  const kenya = page.locator('.slip[data-role="KEN"]');
  assert.match(await kenya.locator('.slip-name').innerText(), /Kenya/);
  assert.equal(await page.locator('.slip .qr').count(), STATES.length + 2);
  assert.equal(await page.locator('.slip script, .slip foreignObject').count(), 0);
  assert.deepEqual(await unlabelled(page), []);
  await page.getByLabel('Paper').selectOption('a4');
  await shot(page, 'slips');

  // A lost slip: one click reissues it, and its old link stops working at once.
  const brazil = page.locator('.slip[data-role="BRA"]');
  const oldLink = await brazil.locator('.slip-link').innerText();
  await brazil.getByRole('button', { name: /Reissue/ }).click();
  await until(async () => (await page.locator('.slip[data-role="BRA"] .slip-link').innerText()) !== oldLink, { message: 'a new link for Brazil' });
  const oldCode = new URL(oldLink).hash.replace(/^#code=/, '');
  const refused = await fetch(`${env.server.url}/api/drafts/oceans`, { headers: { Authorization: `Bearer ${oldCode}` } });
  assert.equal(refused.status, 401, 'the lost slip no longer opens the draft');

  // Printed: six slips a page on A4, no buttons, every QR code on paper.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.slip-reissue').first().isVisible(), false, 'no button printed');
  assert.equal(await page.locator('.slips-toolbar').isVisible(), false);
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await shot(page, 'slips-print');
  fs.mkdirSync(screenshotDir, { recursive: true });
  const pdfFile = path.join(screenshotDir, 'slips.pdf');
  await page.pdf({ path: pdfFile, preferCSSPageSize: true });
  const pdf = fs.readFileSync(pdfFile, 'latin1');
  assert.equal(pdf.match(/\/Type\s*\/Page\b(?!s)/g)?.length, Math.ceil((STATES.length + 2) / 6), 'six slips a page');
  const box = pdf.match(/\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/);
  assert.ok(box && Math.abs(box[1] - 595.3) < 2 && Math.abs(box[2] - 841.9) < 2, `A4 pages (210 x 297 mm), not ${box?.[0]}`);
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 900 });

  // A delegation joins by scanning Kenya's slip: the QR code read from a screenshot.
  const qrFile = path.join(screenshotDir, 'slip-kenya.png');
  await kenya.screenshot({ path: qrFile });
  const scanned = decodeQr(qrFile);
  assert.equal(scanned, await kenya.locator('.slip-link').innerText());
  assert.match(scanned, new RegExp(`^${env.server.url}/d/oceans#code=`));

  const phone = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await phone.page.goto(scanned);
  await phone.page.locator('li.clause').first().waitFor();
  assert.match(await phone.page.locator('.you').innerText(), /Kenya/);
  // The draft is as previewed: the fixed paragraph's kind, the operative clauses numbered.
  const fixedClause = phone.page.locator('li.clause', { hasText: 'Persuaded that clean oceans' });
  assert.match(await fixedClause.getAttribute('class'), new RegExp(`clause--${fixed}\\b`));
  const li = operative(phone.page, 1);
  assert.match(await li.innerText(), /Calls upon all States/);
  await li.getByRole('button', { name: /^Edit/ }).click();
  const textarea = li.locator('textarea');
  await textarea.waitFor();
  const amended = (await textarea.inputValue()).replace('by 2030', 'by 2028');
  await textarea.fill(amended);
  await li.getByRole('button', { name: 'Save' }).click();
  await textarea.waitFor({ state: 'detached' });
  await until(async () => (await li.locator('.clause-text').innerText()).includes('by 2028'), { message: 'the amendment saved' });
  await shot(phone.page, 'organize-joined-from-slip-phone');

  // Back in the console: Kenya is connected now, and the amendment is counted.
  await page.goto(`${env.server.url}/organize`);
  const card = page.locator('.draft-card[data-slug="oceans"]');
  await card.waitFor();
  await until(async () => /Kenya/.test(await card.innerText()), { message: 'Kenya shown as connected' });
  assert.match(await card.innerText(), /[1-9]\d* amendments?/);

  for (const url of urls) assert.ok(!url.includes(organizerCode), `organizer code leaked into a request URL: ${url}`);
  assert.deepEqual(watch.problems(), []);
  assert.deepEqual(phone.watch.problems(), []);
  await phone.context.close();
  await context.close();
});

test('at phone width the console and the slips fit, and archiving asks first', async () => {
  const { context, page, watch } = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(env.organizerLink);
  await page.getByRole('heading', { name: 'Drafts on this server' }).waitFor();
  assert.equal(await overflows(page), false, 'no horizontal scroll at 390 px');
  await shot(page, 'organize-phone');

  // Keyboard: Tab reaches the "Find a state" field, and focus is visible.
  const find = page.getByLabel('Find a state');
  await page.locator('body').focus();
  let guard = 0;
  while (!(await find.evaluate((el) => el === document.activeElement)) && guard++ < 80) await page.keyboard.press('Tab');
  assert.ok(guard < 80, 'the roster search is reachable with Tab');
  assert.notEqual(await find.evaluate((el) => getComputedStyle(el).outlineStyle), 'none', 'focus is visible');

  // Slips of a draft this tab did not create: every role first (the roster is not known before),
  // then "Issue more slips…" offers each role; the chair's alone is reissued.
  await page.goto(`${env.server.url}/organize/code-of-conduct/slips`);
  await page.getByRole('button', { name: /Issue the links/ }).click();
  await page.locator('.slip').first().waitFor();
  const slips = await page.locator('.slip').count();
  assert.ok(slips >= 3, `${slips} slips`);
  const links = async () => page.locator('.slip').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.role, e.querySelector('.slip-link').textContent])));
  const before = await links();
  await page.getByRole('button', { name: 'Issue more slips…' }).click();
  assert.equal(await page.locator('.role-list input').count(), slips, 'one box per role');
  await page.getByRole('button', { name: 'None', exact: true }).click();
  await page.getByLabel('Chair', { exact: true }).check();
  await page.getByRole('button', { name: /Issue the links/ }).click();
  await until(async () => (await links()).chair !== before.chair, { message: 'a new chair link' });
  const after = await links();
  for (const role of Object.keys(before)) if (role !== 'chair') assert.equal(after[role], before[role], `${role} kept its link`);
  assert.equal(await overflows(page), false, 'slips fit at 390 px');
  await shot(page, 'slips-phone');

  // Archive the demo draft: a confirmation first, Cancel keeps it, then it moves to "Archived".
  await page.goto(`${env.server.url}/organize`);
  const demo = page.locator('.draft-card[data-slug="code-of-conduct"]');
  await demo.getByRole('button', { name: 'Archive…' }).click();
  await demo.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await demo.locator('.confirm').isVisible(), false);
  await demo.getByRole('button', { name: 'Archive…' }).click();
  assert.match(await demo.locator('.confirm').innerText(), /Nothing is deleted/);
  await demo.getByRole('button', { name: 'Archive this draft' }).click();
  await demo.waitFor({ state: 'detached' });
  assert.match(await page.locator('#archived').innerText(), /code-of-conduct/);
  assert.deepEqual(watch.problems(), []);
  await context.close();
});

test('a wrong organizer code is refused with the form; the QR code SVG lets no script through', async () => {
  const { context, page, watch } = await newPage(browser);
  await page.goto(`${env.server.url}/organize#code=notTheOrganizerCode0000000000000`);
  const error = page.locator('.join-form .form-error');
  await error.waitFor({ state: 'visible' });
  assert.match(await error.innerText(), /not accepted/);
  await checkA11y(page, 'organize-wrong-code');
  assert.equal(new URL(page.url()).hash, '');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('plenary.organizer')), null);
  await page.getByLabel('Organizer link or code').fill(env.organizerLink);
  await page.getByRole('button', { name: 'Open the console' }).click();
  await page.getByRole('heading', { name: 'Drafts on this server' }).waitFor();

  assert.deepEqual(watch.problems(), []);

  // qr.js keeps drawing elements only, whatever the SVG holds. (Parsing it makes Chromium check
  // the handlers and style against the CSP, which refuses them: reported, never run.)
  const kept = await page.evaluate(async () => {
    const { qrElement } = await import('/static/qr.js');
    const svg = qrElement('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" onload="alert(1)">'
      + '<script>alert(2)</script><foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="x" onerror="alert(3)"/></foreignObject>'
      + '<a href="javascript:alert(4)"><rect width="1" height="1"/></a>'
      + '<rect width="4" height="4" fill="#fff" style="fill:red" onclick="alert(5)"/><path d="M0 0h1v1H0z" fill="url(javascript:alert(6))"/></svg>', 'test');
    document.body.append(svg);
    return { html: svg.outerHTML, label: svg.getAttribute('aria-label') };
  });
  assert.doesNotMatch(kept.html, /script|foreignObject|onload|onerror|onclick|javascript|style=|<a\b|<img/i, kept.html);
  assert.match(kept.html, /<rect width="4" height="4" fill="#fff"/);
  assert.equal(kept.label, 'test');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('plenary.organizer')), organizerCode);
  assert.deepEqual(watch.problems().filter((p) => !/^csp: .*has been blocked/.test(p)), [], 'no dialog, no error');
  await context.close();
});
