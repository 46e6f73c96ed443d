// The pages tests/browser/i18n.test.mjs opens in each of the six languages (issue 18). To add a
// page: one entry in PAGES: {name, path(ctx) -> the address without ?lang=, ready: a selector
// shown once the page is drawn, setup?(page, ctx): what to do before the checks (e.g. open the
// projector view), rtl?: true when the room's right-to-left layout applies}.
// `ctx` is what session() below set up: {server, slug, codes, clauseId, dataDir}; a page that needs
// more (the organizer's code) adds a function to SETUPS that fills ctx once, before any page.

export const PAGES = [
  { name: 'join', path: () => '/', ready: '#join-input' },
  { name: 'room', path: (ctx) => `/d/${ctx.slug}`, ready: '#vote .tally', rtl: true, code: (ctx) => ctx.codes.delegations.CHN },
  { name: 'room-chair', path: (ctx) => `/d/${ctx.slug}`, ready: '.chair-panel h2', code: (ctx) => ctx.codes.chair },
  {
    name: 'projector', path: (ctx) => `/d/${ctx.slug}`, ready: '#vote .tally', code: (ctx) => ctx.codes.chair,
    setup: async (page) => { await page.locator('#vote [data-focus-key="projector"]').click(); await page.locator('.vote--projector').waitFor(); },
  },
  {
    // A delegation's forms: an edit editor, an insert editor, a deletion to confirm, words to bracket.
    name: 'room-forms', path: (ctx) => `/d/${ctx.slug}`, ready: '#vote .tally', code: (ctx) => ctx.codes.delegations.CHN,
    setup: async (page) => {
      const op = (n) => page.locator('li.clause--operative').nth(n - 1);
      await op(3).locator('[data-action="edit"]').click();
      await page.locator('.doc-tools button').first().click();
      await op(4).locator('[data-action="delete"]').click();
      await op(5).locator('[data-tool="dispute"]').click();
      await page.locator('form.dispute').waitFor();
    },
  },
  {
    // The proposer's card: withdrawing asks first.
    name: 'room-proposer', path: (ctx) => `/d/${ctx.slug}`, ready: '#vote .tally', code: (ctx) => ctx.codes.delegations.USA,
    setup: async (page) => {
      // The list may be redrawn just then (the proposals arrive over HTTP after the welcome): click
      // until the confirmation shows.
      for (let i = 0; i < 10 && !(await page.locator('.proposal-confirm').isVisible()); i += 1) {
        await page.locator('#proposals [data-action="withdraw"]').click({ timeout: 2000 }).catch(() => {});
        await page.locator('.proposal-confirm').waitFor({ timeout: 1000 }).catch(() => {});
      }
      await page.locator('.proposal-confirm').waitFor();
    },
  },
  { name: 'history', path: (ctx) => `/d/${ctx.slug}/clauses/${ctx.clauseId}`, ready: '.timeline .amend', code: (ctx) => ctx.codes.delegations.CHN },
  { name: 'log', path: (ctx) => `/d/${ctx.slug}/log`, ready: '.log-table tbody tr', code: (ctx) => ctx.codes.delegations.CHN },
  { name: 'compare', path: (ctx) => `/d/${ctx.slug}/compare`, ready: '.cmp-list .cmp-clause', code: (ctx) => ctx.codes.delegations.CHN },
];

// Functions (page, ctx) run once after session(), in order; i18nplus adds the organizer's here.
export const SETUPS = [];

/**
 * The session the pages show, acted over the WebSocket from a page of the server (same origin):
 * the chair names rev.1, China amends operative clause 1, the United States tables a change of
 * operative clause 2, the chair opens a vote on it, China votes yes, the United States tables the
 * deletion of operative clause 5 (left open). Returns ctx.clauseId (the amended clause).
 */
export async function session(page, ctx) {
  await page.goto(`${ctx.server.url}/?lang=en`);
  const clauseId = await page.evaluate(async ({ slug, codes }) => {
    const connect = (code) => new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${location.host}/d/${slug}/ws`);
      let seq = 0;
      const waiting = new Map();
      const conn = {
        welcome: null,
        send(msg) {
          const id = `t${++seq}`;
          ws.send(JSON.stringify({ ...msg, id }));
          return new Promise((ok, ko) => waiting.set(id, { ok, ko }));
        },
        close() { ws.close(); },
      };
      ws.onopen = () => ws.send(JSON.stringify({ type: 'join', id: 'join', code, draft: slug }));
      ws.onmessage = (ev) => {
        const msg = JSON.parse(ev.data);
        if (msg.type === 'welcome') { conn.welcome = msg; resolve(conn); return; }
        const w = waiting.get(msg.id);
        if (!w) return;
        waiting.delete(msg.id);
        if (msg.type === 'error') w.ko(new Error(`${msg.code}: ${msg.message}`)); else w.ok(msg);
      };
      ws.onerror = () => reject(new Error('websocket error'));
    });
    const chair = await connect(codes.chair);
    const china = await connect(codes.delegations.CHN);
    const usa = await connect(codes.delegations.USA);
    await chair.send({ type: 'tag', name: 'rev.1', note: 'as tabled' });
    const ops = china.welcome.draft.clauses.filter((c) => c.kind === 'operative');
    await china.send({ type: 'amend', op: 'replace', clause: ops[0].id, base: ops[0].rev, text: `${ops[0].text} and cooperation`, note: 'stronger' });
    const proposed = await usa.send({ type: 'propose', op: 'replace', clause: ops[1].id, base: ops[1].rev, text: ops[1].text.replace(/^\S+/, 'Resolves') });
    await chair.send({ type: 'open_vote', proposal: proposed.proposal, threshold: 'two-thirds' });
    await china.send({ type: 'vote', proposal: proposed.proposal, choice: 'yes' });
    await usa.send({ type: 'propose', op: 'delete', clause: ops[4].id, base: ops[4].rev, note: 'redundant' });
    for (const c of [chair, china, usa]) c.close();
    return ops[0].id;
  }, { slug: ctx.slug, codes: ctx.codes });
  ctx.clauseId = clauseId;
  for (const setup of SETUPS) await setup(page, ctx);
  return ctx;
}
