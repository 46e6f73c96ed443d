// The debrief page (/d/<slug>/debrief, issue 17): a mini-session played over the WebSocket
// protocol (amendments by three delegations, a proposal voted through, a tag, adoption), then
// the page: who may see it (a delegation before adoption: not yet; the chair: always), its
// charts drawn by Debian's Chart.js from /vendor/chart.js, each chart's data table checked
// figure by figure against GET /api/drafts/<slug>/debrief, the sortable delegations' table
// with each state's discussion (threads opened, replies, threads resolved, written over the
// WebSocket before adoption closes it) in English and in French, an unknown version, and
// screenshots at desktop size and in print.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  startWithDraft, launchBrowser, newPage, shot, checkA11y, cleanup, until, plenaryBin,
} from './harness.mjs';

let env;
let browser;

before(async () => {
  env = await startWithDraft();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.server.stop();
  cleanup(env?.root);
});

/** Plays `steps` over one WebSocket per code from inside a page (the browser's WebSocket). */
async function play(page, steps) {
  await page.goto(`${env.server.url}/`);
  return page.evaluate(async ({ steps, slug }) => {
    const sockets = {};
    const open = (code) => new Promise((resolve, reject) => {
      const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/d/${slug}/ws`);
      const waiting = new Map();
      let seq = 0;
      let welcome = null;
      ws.onmessage = (ev) => {
        const m = JSON.parse(ev.data);
        if (m.type === 'welcome') { welcome = m; resolve(api); }
        if (m.id && waiting.has(m.id)) { waiting.get(m.id)(m); waiting.delete(m.id); }
      };
      ws.onerror = () => reject(new Error('websocket failed'));
      ws.onopen = () => ws.send(JSON.stringify({ type: 'join', code }));
      const api = {
        get welcome() { return welcome; },
        send(msg) {
          const id = `m${++seq}`;
          return new Promise((res) => { waiting.set(id, res); ws.send(JSON.stringify({ ...msg, id })); });
        },
        close() { ws.close(); },
      };
    });
    const replies = [];
    for (const [code, msg] of steps) {
      sockets[code] ??= await open(code);
      const s = sockets[code];
      if (msg.base === '$rev') {
        // The clause's current rev, from a fresh read of the draft.
        const draft = await fetch(`/api/drafts/${slug}`, { headers: { Authorization: `Bearer ${code}` } }).then((r) => r.json());
        msg.base = draft.clauses.find((c) => c.id === msg.clause).rev;
      }
      const reply = await s.send(msg);
      if (reply.type === 'error') throw new Error(`${msg.type}: ${reply.message}`);
      replies.push(reply);
    }
    for (const s of Object.values(sockets)) s.close();
    return replies;
  }, { steps, slug: env.slug });
}

async function apiDebrief(code, version = null) {
  const q = version ? `?version=${encodeURIComponent(version)}` : '';
  const res = await fetch(`${env.server.url}/api/drafts/${env.slug}/debrief${q}`, { headers: { Authorization: `Bearer ${code}` } });
  return { status: res.status, body: await res.json() };
}

/** The rows of a table as arrays of cell texts (header cells included). */
async function tableRows(page, id) {
  return page.locator(`#${id} tbody tr`).evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
}

/**
 * The delegations' table's discussion columns (comments written, threads opened, replies,
 * threads resolved): their headers are `headers`, and each state's row holds the API's figures
 * written by Intl.NumberFormat in `lang`.
 */
async function checkDiscussion(page, d, lang, headers) {
  const keys = ['comments', 'threads_opened', 'replies', 'threads_resolved'];
  const table = await page.locator('#db-states-table').evaluate((t, keys) => {
    const heads = [...t.tHead.rows[0].cells];
    const at = keys.map((k) => heads.findIndex((c) => c.querySelector(`button[data-key="${k}"]`)));
    return {
      headers: at.map((i) => (i < 0 ? null : heads[i].querySelector('button').firstChild.textContent)),
      rows: [...t.tBodies[0].rows].map((r) => ({ state: r.dataset.state, cells: at.map((i) => r.cells[i]?.textContent.trim()) })),
    };
  }, keys);
  assert.deepEqual(table.headers, headers);
  const number = new Intl.NumberFormat(lang);
  assert.equal(table.rows.length, d.states.length);
  for (const s of d.states) {
    const r = table.rows.find((x) => x.state === s.state);
    assert.ok(r, `a row for ${s.state}`);
    assert.deepEqual(r.cells, keys.map((k) => number.format(s[k])), `${s.state}'s discussion (${lang})`);
  }
}

test('the debrief: closed to delegations until adoption, figures on the page as the API gives them', async () => {
  const { codes } = env;
  const [rus, fra, chn] = ['RUS', 'FRA', 'CHN'].map((s) => codes.delegations[s]);
  assert.ok(rus && fra && chn, 'the sample roster has RUS, FRA and CHN');

  // Before anything: the chair sees an all-tabled text; a delegation is told it is not open.
  const early = await apiDebrief(codes.chair);
  assert.equal(early.status, 200);
  assert.equal(early.body.tabled_words, early.body.words);
  const closed = await apiDebrief(rus);
  assert.equal(closed.status, 403);
  assert.match(closed.body.error.message, /adopted/);

  const { page, context, watch } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  // The page as a delegation finds it before adoption, and as the chair (all tabled): axe-core.
  await page.goto(`${env.server.url}/d/${env.slug}/debrief#code=${rus}`);
  await page.getByRole('heading', { name: 'The debrief is not open yet' }).waitFor();
  await checkA11y(page, 'debrief-closed');
  await page.goto('about:blank'); // only the fragment differs: make it a new load
  await page.goto(`${env.server.url}/d/${env.slug}/debrief#code=${codes.chair}`);
  await page.locator('#db-shares-table').waitFor();
  await checkA11y(page, 'debrief-all-tabled');
  const draft = await fetch(`${env.server.url}/api/drafts/${env.slug}`, { headers: { Authorization: `Bearer ${codes.chair}` } }).then((r) => r.json());
  const ops = draft.clauses.filter((c) => c.kind === 'operative').map((c) => c.id);
  await play(page, [
    [rus, { type: 'amend', op: 'replace', clause: ops[0], base: '$rev', text: 'Uphold every treaty obligation fully;' }],
    [fra, { type: 'amend', op: 'insert', after: ops[1], kind: 'operative', text: 'Share threat intelligence promptly with partners.' }],
    [chn, { type: 'amend', op: 'delete', clause: ops[2], base: '$rev' }],
    // The discussion (threads numbered from 1 in a fresh draft): FRA opens 1, RUS opens 2 and
    // 3; RUS and CHN answer 1, FRA answers 2; FRA resolves 1, RUS resolves 2.
    [fra, { type: 'comment', clause: ops[0], text: 'Too weak.' }],
    [rus, { type: 'comment', clause: ops[1], text: 'Which partners?' }],
    [rus, { type: 'comment', clause: ops[0], text: 'Every obligation, or only treaty ones?' }],
    [rus, { type: 'reply', thread: 1, text: 'We disagree.' }],
    [chn, { type: 'reply', thread: 1, text: 'Agreed with France.' }],
    [fra, { type: 'reply', thread: 2, text: 'Any state that asks.' }],
    [fra, { type: 'resolve_thread', thread: 1 }],
    [rus, { type: 'resolve_thread', thread: 2 }],
    [codes.chair, { type: 'tag', name: 'rev.1' }],
    [rus, { type: 'propose', op: 'replace', clause: ops[1], base: '$rev', text: 'Refrain from hostile acts in cyberspace;' }],
    [codes.chair, { type: 'open_vote', proposal: 1, threshold: 'simple' }],
    [rus, { type: 'vote', proposal: 1, choice: 'yes' }],
    [fra, { type: 'vote', proposal: 1, choice: 'yes' }],
    [chn, { type: 'vote', proposal: 1, choice: 'no' }],
    [codes.chair, { type: 'close_vote', proposal: 1 }],
    [codes.chair, { type: 'stage', stage: 'formal' }],
    [codes.chair, { type: 'stage', stage: 'adopted' }],
  ]);

  // Adopted: a delegation sees it now.
  const { status, body: d } = await apiDebrief(rus);
  assert.equal(status, 200);
  assert.equal(d.stage, 'adopted');
  const row = (s) => d.states.find((x) => x.state === s);
  assert.equal(row('RUS').amendments.replace, 1);
  assert.equal(row('RUS').proposals.adopted, 1);
  assert.equal(row('FRA').amendments.insert, 1);
  assert.equal(row('CHN').amendments.delete, 1);
  assert.equal(row('CHN').votes.no, 1);
  assert.equal(row('RUS').votes.matched, 1);
  const talk = (s) => [row(s).comments, row(s).threads_opened, row(s).replies, row(s).threads_resolved];
  assert.deepEqual(talk('FRA'), [2, 1, 1, 1]);
  assert.deepEqual(talk('RUS'), [3, 2, 1, 1]);
  assert.deepEqual(talk('CHN'), [1, 0, 1, 0]);
  assert.ok(d.states.length >= 12, 'every delegation of the roster has a row');
  assert.ok(d.states.some((s) => s.amendments.total === 0 && s.in_roster === true), 'states that did nothing are listed');

  // The page, as the delegation sees it.
  await page.goto(`${env.server.url}/d/${env.slug}/debrief#code=${rus}`);
  await page.locator('#db-shares-table').waitFor();
  await until(() => page.evaluate(() => Boolean(window.Chart)), { message: 'Chart.js loaded from /vendor/chart.js' });
  await until(() => page.locator('canvas').evaluateAll((cs) => cs.length === 3 && cs.every((c) => c.width > 0)), { message: 'three charts drawn' });
  assert.match(await page.locator('.db-who').textContent(), /chair at any time/);

  // Chart 1's table: every state with words, then the tabled text, as the API says.
  const shares = await tableRows(page, 'db-shares-table');
  const withWords = d.states.filter((s) => s.words > 0);
  assert.equal(shares.length, withWords.length + 1);
  for (const s of withWords) {
    const r = shares.find((cells) => cells[0].includes(s.state));
    assert.ok(r, `a row for ${s.state}`);
    assert.equal(Number(r[1]), s.words, `${s.state}'s words`);
  }
  assert.equal(Number(shares.at(-1)[1]), d.tabled_words);
  // The chart shows the same numbers as its table.
  const chartData = await page.evaluate(() => window.Chart.getChart('db-shares-canvas').data.datasets[0].data);
  assert.deepEqual(chartData, shares.map((r) => Number(r[1])));

  // Chart 2's table: one row per clause of the text, words and tabled words.
  const clauses = await tableRows(page, 'db-clauses-table');
  const live = d.clauses.filter((c) => !c.removed);
  assert.equal(clauses.length, live.length);
  live.forEach((c, i) => {
    assert.equal(Number(clauses[i][1]), c.words, `${c.id} words`);
    assert.equal(Number(clauses[i][2]), c.tabled_words, `${c.id} tabled words`);
  });

  // Chart 3's table: the busy buckets add up to the API's rows.
  const timeline = await tableRows(page, 'db-timeline-table');
  const sum = (k) => d.timeline.rows.reduce((n, r) => n + r[k], 0);
  const col = (i) => timeline.reduce((n, r) => n + Number(r[i]), 0);
  assert.equal(col(1), sum('amendments'));
  assert.equal(col(2), sum('proposals'));
  assert.equal(col(3), sum('supports'));
  assert.equal(col(4), sum('votes'));
  assert.equal(await page.locator('.db-markers li').count(), d.timeline.markers.length);

  // The delegations' table sorts: by amendments, most first, then by code A to Z.
  await page.locator('button.db-sort[data-key="amendments"]').click();
  const sorted = await page.locator('#db-states-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.state));
  const expected = [...d.states].sort((a, b) => b.amendments.total - a.amendments.total || a.state.localeCompare(b.state)).map((s) => s.state);
  assert.deepEqual(sorted, expected);
  assert.equal(await page.locator('#db-states-table th[aria-sort="descending"]').count(), 1);

  // Its discussion columns: every state's cells as the API's figures (0 for those that said
  // nothing), then sortable like the others.
  await checkDiscussion(page, d, 'en', ['Comments written', 'Threads opened', 'Replies', 'Threads resolved']);
  await page.locator('button.db-sort[data-key="threads_opened"]').click();
  assert.deepEqual(
    await page.locator('#db-states-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.state)),
    [...d.states].sort((a, b) => b.threads_opened - a.threads_opened || a.state.localeCompare(b.state)).map((s) => s.state));

  // The journey: RUS's words inserted in the clause it rewrote carry its code.
  assert.ok(await page.locator(`li.db-jclause[data-clause="${ops[0]}"] ins[data-state="RUS"]`).count() > 0);
  assert.ok(await page.locator(`li.db-jclause[data-clause="${ops[2]}"].db-jclause--removed`).count() === 1);

  await shot(page, 'debrief-desktop');
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await shot(page, 'debrief-print');
  await page.emulateMedia({ media: 'screen' });

  // In French: the headers translated, the same figures in French numbers.
  await page.goto(`${env.server.url}/d/${env.slug}/debrief?lang=fr`);
  await page.locator('#db-states-table').waitFor();
  await checkDiscussion(page, d, 'fr', ['Commentaires rédigés', 'Fils ouverts', 'Réponses', 'Fils clos']);
  // Its shares as the command line's `--lang fr` writes them (25,0 % with a no-break space):
  // the text as tabled, on the page and in the Markdown.
  const tabledShare = (await tableRows(page, 'db-shares-table')).at(-1)[2];
  assert.match(tabledShare, /^\d+,\d\u00a0%$/);
  const mdFr = execFileSync(plenaryBin, ['draft', 'debrief', env.slug, '--data', env.dataDir, '--format', 'md', '--lang', 'fr'], { encoding: 'utf8' });
  assert.ok(mdFr.includes(`(${tabledShare})`), `${tabledShare} in the French Markdown`);
  // The browser's own percent in the six languages is what exports/words.hpp's number_format
  // says (Arabic without CLDR's left-to-right marks, which the files leave out).
  const intl = await page.evaluate(() => ['ar-u-nu-latn', 'zh-Hans', 'en', 'fr', 'ru', 'es'].map((l) =>
    new Intl.NumberFormat(l, { style: 'percent', minimumFractionDigits: 1 }).format(0.25).replaceAll('\u200e', '')));
  assert.deepEqual(intl, ['25.0%', '25.0%', '25.0%', '25,0\u00a0%', '25,0\u00a0%', '25,0\u00a0%']);
  await page.goto(`${env.server.url}/d/${env.slug}/debrief?lang=en`);
  await page.locator('#db-states-table').waitFor();

  // A version: the text of rev.1, chosen in the picker; an unknown one is said plainly.
  await page.selectOption('#db-version', 'rev.1');
  await page.locator('.db-pick button[type="submit"]').click();
  await until(async () => (await page.locator('.db-scope').textContent()).includes('version rev.1'), { message: 'rev.1 shown' });
  const v1 = await apiDebrief(rus, 'rev.1');
  assert.equal(v1.status, 200);
  assert.equal(Number((await tableRows(page, 'db-shares-table')).at(-1)[1]), v1.body.tabled_words);
  await page.goto(`${env.server.url}/d/${env.slug}/debrief?version=rev.9`);
  await page.getByRole('heading', { name: /no version “rev.9”/ }).waitFor();
  await checkA11y(page, 'debrief-unknown-version');
  // On a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${env.server.url}/d/${env.slug}/debrief`);
  await page.locator('#db-shares-table').waitFor();
  await shot(page, 'debrief-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  const unknown = await apiDebrief(rus, 'rev.9');
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error.message, /rev\.9/);

  assert.deepEqual(watch.problems(), []);
  await context.close();

  // The command line reads the same repository (beside the running server) and agrees.
  const cli = (...args) => execFileSync(plenaryBin, ['draft', 'debrief', env.slug, '--data', env.dataDir, ...args], { encoding: 'utf8' });
  const json = JSON.parse(cli('--format', 'json'));
  assert.deepEqual(json.states, d.states);
  assert.equal(json.words, d.words);
  const csv = cli('--format', 'csv').trimEnd().split('\r\n');
  const header = csv[0].split(',');
  assert.equal(header[0], 'state');
  assert.equal(csv.length - 1, d.states.length, 'one row per state');
  for (const line of csv.slice(1)) {
    const cells = line.split(',');
    const s = d.states.find((x) => x.state === cells[0]);
    assert.equal(Number(cells[header.indexOf('words')]), s.words, `${s.state} words in CSV`);
    assert.equal(Number(cells[header.indexOf('replace')]), s.amendments.replace);
    assert.equal(Number(cells[header.indexOf('votes_matched')]), s.votes.matched);
  }
  assert.match(cli('--format', 'md', '--version', 'rev.1'), /The text figures are of version rev\.1/);
  assert.throws(() => execFileSync(plenaryBin, ['draft', 'debrief', env.slug, '--data', env.dataDir, '--format', 'csv', '--version', 'rev.9'], { stdio: 'pipe' }),
    (err) => err.status === 1 && /rev\.9/.test(String(err.stderr)));
});
