// Shared helpers of the browser tests: a plenary server per test file (fresh data directory,
// port chosen by the OS), drafts created with `plenary draft create`, Debian's Chromium driven
// through playwright-core, and screenshots under <repo>/build/screenshots.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const webDir = path.join(repoRoot, 'web');
export const plenaryBin = process.env.PLENARY_BIN || path.join(repoRoot, 'build', 'plenary');
export const screenshotDir = path.join(repoRoot, 'build', 'screenshots');
export const chromiumPath = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

/** The demo draft (the 2011 International Code of Conduct for Information Security). */
export function sampleDraft() {
  return JSON.parse(fs.readFileSync(path.join(here, 'fixtures', 'code-of-conduct.json'), 'utf8'));
}

export function tempDir(prefix = 'plenary-browser-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Runs `plenary draft create --data DIR --from FILE.json` and returns its JSON answer:
 * {slug, codes: {chair, observer, delegations: {CHN: ..., ...}}}.
 */
export function createDraft(dataDir, draft = sampleDraft(), slug = null) {
  if (!fs.existsSync(plenaryBin)) throw new Error(`no plenary binary at ${plenaryBin} (build it, or set PLENARY_BIN)`);
  const file = path.join(path.dirname(dataDir), `draft-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(draft));
  const args = ['draft', 'create', '--data', dataDir, '--from', file];
  if (slug) args.push('--slug', slug);
  let out;
  try {
    out = execFileSync(plenaryBin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 });
  } catch (err) {
    throw new Error(`plenary draft create failed (${err.status}): ${err.stderr || err.message}`);
  } finally {
    fs.rmSync(file, { force: true });
  }
  const line = out.split('\n').find((l) => l.trim().startsWith('{'));
  if (!line) throw new Error(`plenary draft create printed no JSON: ${out}`);
  return JSON.parse(line);
}

/**
 * Starts `plenary serve --data DIR --listen HOST:PORT --web <repo>/web --fsync off` and waits for
 * its `listening on http://HOST:PORT` line. Returns {url, listen, proc, stop(), output()}.
 */
export async function startServer(dataDir, { listen = '127.0.0.1:0', timeoutMs = 20000 } = {}) {
  if (!fs.existsSync(plenaryBin)) throw new Error(`no plenary binary at ${plenaryBin} (set PLENARY_BIN)`);
  const proc = spawn(plenaryBin, ['serve', '--data', dataDir, '--listen', listen, '--web', webDir, '--fsync', 'off'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const errLines = [];
  const lineWaiters = new Set();  // fn(line) called on every stdout line (waitForOutput)
  readline.createInterface({ input: proc.stderr }).on('line', (l) => { errLines.push(l); if (errLines.length > 200) errLines.shift(); });
  const rl = readline.createInterface({ input: proc.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not say "listening on" within ${timeoutMs} ms; stdout: ${lines.join('\n')}\nstderr: ${errLines.join('\n')}`)), timeoutMs);
    rl.on('line', (line) => {
      for (const waiter of lineWaiters) waiter(line);
      lines.push(line);
      if (lines.length > 200) lines.shift();
      const m = line.match(/listening on (http:\/\/[^\s/]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (${code ?? signal}); stdout: ${lines.join('\n')}\nstderr: ${errLines.join('\n')}`));
    });
    proc.once('error', (err) => { clearTimeout(timer); reject(err); });
  });
  const exited = new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  return {
    url,
    listen: url.replace(/^http:\/\//, ''),
    proc,
    output: () => ({ stdout: lines.join('\n'), stderr: errLines.join('\n') }),
    /** The first match of `re` in a stdout line, printed already or within `timeoutMs`. */
    waitForOutput(re, timeoutMs = 10000) {
      for (const line of lines) { const m = line.match(re); if (m) return Promise.resolve(m); }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { lineWaiters.delete(waiter); reject(new Error(`server printed no line matching ${re}; stdout: ${lines.join('\n')}`)); }, timeoutMs);
        const waiter = (line) => {
          const m = line.match(re);
          if (m) { clearTimeout(timer); lineWaiters.delete(waiter); resolve(m); }
        };
        lineWaiters.add(waiter);
      });
    },
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const killer = setTimeout(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); }, 10000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

/**
 * A server started on an empty data directory, as a newcomer's first `plenary serve`: it creates
 * the demo draft and prints the organizer link (`http://HOST:PORT/organize#code=…`), returned
 * as `organizerLink`.
 */
export async function startEmpty() {
  const root = tempDir();
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(dataDir);
  const server = await startServer(dataDir);
  const [organizerLink] = await server.waitForOutput(/https?:\/\/[^\s/]+\/organize#code=[A-Za-z0-9_-]+/);
  return { root, dataDir, server, organizerLink };
}

/** A data directory with one draft, and a server on it. */
export async function startWithDraft({ draft = sampleDraft(), slug = null } = {}) {
  const root = tempDir();
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(dataDir);
  const created = createDraft(dataDir, draft, slug);
  const server = await startServer(dataDir);
  return { root, dataDir, created, server, slug: created.slug, codes: created.codes };
}

export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
}

/**
 * Records what must never happen on our pages: uncaught exceptions, CSP violations, dialogs.
 * `problems()` returns them as strings.
 */
export function watchPage(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(text)) problems.push(`csp: ${text}`);
  });
  page.on('dialog', async (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  return { problems: () => [...problems] };
}

export async function newPage(browser, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const watch = watchPage(page);
  return { context, page, watch };
}

export function joinLink(server, slug, code) {
  return `${server.url}/d/${slug}#code=${code}`;
}

/** Opens the drafting room with a join link and waits until the draft is shown. */
export async function openRoom(page, server, slug, code) {
  await page.goto(joinLink(server, slug, code));
  await page.locator('li.clause').first().waitFor();
  return page;
}

/** The clause list item of the n-th operative clause (1-based, as numbered on screen). */
export function operative(page, n) {
  return page.locator('li.clause--operative').nth(n - 1);
}

export async function clauseIds(page) {
  return page.locator('li.clause').evaluateAll((els) => els.map((el) => el.dataset.clauseId));
}

/**
 * Selects `phrase` in the drafting room as a person dragging over the words would: in the words
 * shown in clause `id` (not its screen-reader text, nor a bracket's proponents or "(delete)").
 * Throws when the phrase is not shown there.
 */
export async function selectWords(page, id, phrase) {
  const ok = await page.evaluate(([cid, words]) => {
    const textEl = document.querySelector(`li.clause[data-clause-id="${cid}"] .clause-text`);
    const walker = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest('.visually-hidden, .bk-who, .bk-delete') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const nodes = [];
    let all = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, all.length]); all += n.data; }
    const at = all.indexOf(words);
    if (at < 0) return false;
    const point = (i) => {
      for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]];
      return null;
    };
    const range = document.createRange();
    range.setStart(...point(at));
    range.setEnd(...point(at + words.length));
    const sel = document.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return true;
  }, [id, phrase]);
  if (!ok) throw new Error(`“${phrase}” is not shown in clause ${id}`);
}

// axe-core (package.json), run in the page on every state the tests screenshot: the pages and
// states people look at are the ones checked for accessibility (issue 15). Injected through
// the DevTools protocol (page.evaluate), which the pages' Content-Security-Policy does not
// govern, so the pages themselves stay free of outside scripts.
const axeSource = fs.readFileSync(path.join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
export const a11yReportFile = path.join(repoRoot, 'build', 'a11y', 'moderate.jsonl');

/**
 * Runs axe-core on the page as it is now. Throws on any violation of impact serious or
 * critical (naming rule, nodes and help); appends the moderate and minor ones to
 * build/a11y/moderate.jsonl, which docs/accessibility.md accounts for.
 */
export async function checkA11y(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const other = result.violations.filter((v) => !bad.includes(v));
  if (other.length > 0) {
    fs.mkdirSync(path.dirname(a11yReportFile), { recursive: true });
    for (const v of other) {
      fs.appendFileSync(a11yReportFile, JSON.stringify({ state: name, rule: v.id, impact: v.impact,
        help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }) + '\n');
    }
  }
  if (bad.length > 0) {
    const lines = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 5)
      .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join('; ')}`).join('\n    ')}`);
    throw new Error(`axe-core on "${name}" (${page.url()}): ${bad.length} serious/critical violation(s)\n  ${lines.join('\n  ')}`);
  }
  return result.violations;
}

/** A screenshot for people to look at, after the accessibility check of that state. */
export async function shot(page, name) {
  await checkA11y(page, name);
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Waits until fn() is truthy (no fixed sleeps in tests). */
export async function until(fn, { timeoutMs = 15000, intervalMs = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (err) { last = err; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function cleanup(dir) {
  try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
}
