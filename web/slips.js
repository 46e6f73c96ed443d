// Join slips (/organize/<slug>/slips): the organizer chooses roles (all by default), is warned
// that issuing slips makes the earlier links of those roles stop working, and gets one slip per
// role: the state's name and code, the role, the link as text and its QR code (SVG from the
// server, qr.js). Laid out for A4 or Letter, six slips a page with cut lines; "Reissue" on a
// slip replaces that one role's link in one click (a lost slip).
import { startI18n } from './i18n.js';
import { h, replaceChildren, announce } from './dom.js';
import {
  organizerCode, forgetOrganizerCode, askOrganizerCode, organizerApi, isRefusal, paths, slipsSlug,
  count, CODE_REFUSED, NAMES_KEY,
} from './organizer.js';
import { qrElement } from './qr.js';
import { notFoundPage } from './page.js';

// The language first: the shared modules (labels.js, dom.js) draw in it (i18n.js).
await startI18n();

const PER_SHEET = 6;                        // 2 x 3 slips on an A4 or Letter page
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE']);  // where Letter paper is the norm

const app = document.getElementById('app');
const slug = slipsSlug();
let code = null;
let draft = null;              // {slug, title, ...} from GET /api/drafts
let roster = null;             // [{code, name}] when the server lets the organizer read it, else null
const names = new Map();       // state code -> name
const slips = new Map();       // role ("chair", "observer", "FRA") -> {link, qr}
let sheetsEl = null;
let form = null;               // the roles form (chooser)

function paperDefault() {
  try {
    const region = new Intl.Locale(navigator.language).maximize().region;
    return LETTER_REGIONS.has(region) ? 'letter' : 'a4';
  } catch { return 'a4'; }
}

const roleName = (role) => (role === 'chair' ? 'Chair' : role === 'observer' ? 'Observer' : names.get(role) ?? role);
const roleKind = (role) => (role === 'chair' ? 'Chair' : role === 'observer' ? 'Observer' : 'Delegation');

/** Roles in slip order: chair, observer, then the roster's order (or by name). */
function orderedRoles(roles) {
  const rank = new Map((roster ?? []).map((d, i) => [d.code, i]));
  const fixed = { chair: -2, observer: -1 };
  return [...roles].sort((a, b) => {
    const ra = fixed[a] ?? rank.get(a) ?? Infinity;
    const rb = fixed[b] ?? rank.get(b) ?? Infinity;
    if (ra !== rb) return ra - rb;
    return roleName(a).localeCompare(roleName(b));
  });
}

/** The answer of POST …/codes as [role, link, svg] rows. */
function rowsOf(answer) {
  const rows = [];
  const links = answer.links ?? {};
  const qr = answer.qr ?? {};
  if (links.chair) rows.push(['chair', links.chair, qr.chair]);
  if (links.observer) rows.push(['observer', links.observer, qr.observer]);
  for (const [c, link] of Object.entries(links.delegations ?? {})) rows.push([c, link, qr.delegations?.[c]]);
  for (const [c, n] of Object.entries(answer.names ?? {})) if (typeof n === 'string' && n) names.set(c, n);
  return rows;
}

async function issue(roles) {
  const answer = await organizerApi.codes(slug, roles, code);
  const rows = rowsOf(answer);
  for (const [role, link, svg] of rows) slips.set(role, { link: `${location.origin}${link}`, svg });
  return rows.map((r) => r[0]);
}

function slipEl(role) {
  const { link, svg } = slips.get(role);
  const name = roleName(role);
  const isState = role !== 'chair' && role !== 'observer';
  const qr = qrElement(svg, `QR code of the join link for ${name}`);
  const reissue = h('button', { type: 'button', class: 'button button--quiet slip-reissue', dataset: { focusKey: `reissue-${role}` } },
    'Reissue', h('span', { class: 'visually-hidden' }, ` the link for ${name}`));
  reissue.addEventListener('click', async () => {
    reissue.disabled = true;
    try {
      await issue([role]);
      const fresh = slipEl(role);
      article.replaceWith(fresh);
      fresh.querySelector('.slip-reissue').focus();
      announce(`New link for ${name}. The old slip no longer works.`, 'success');
    } catch (err) {
      reissue.disabled = false;
      if (isRefusal(err)) { refused(); return; }
      announce(err.message, 'error');
    }
  });
  const article = h('article', { class: ['slip', `slip--${isState ? 'delegation' : role}`], dataset: { role }, 'aria-label': `Join slip: ${name}` },
    h('p', { class: 'slip-draft' }, draft?.title ?? slug),
    h('p', { class: 'slip-role' }, roleKind(role)),
    h('h2', { class: 'slip-name' }, name, isState ? h('span', { class: 'slip-code' }, role) : null),
    h('div', { class: 'slip-qr' }, qr ?? h('p', { class: 'muted' }, 'No QR code: type the link.')),
    h('p', { class: 'slip-link' }, link),
    h('p', { class: 'slip-hint' }, isState
      ? `Scan the code or type the link. Anyone with it speaks for ${name}: keep it to yourself.`
      : role === 'chair' ? 'Scan the code or type the link. It opens the room as its chair.'
        : 'Scan the code or type the link. Observers read the draft live without editing.'),
    reissue);
  return article;
}

function renderSlips() {
  const roles = orderedRoles(slips.keys());
  const sheets = [];
  for (let i = 0; i < roles.length; i += PER_SHEET) {
    sheets.push(h('div', { class: 'sheet' }, roles.slice(i, i + PER_SHEET).map(slipEl)));
  }
  replaceChildren(sheetsEl, sheets);
}

function chooser() {
  const boxes = [];
  const box = (role, label, extra) => {
    const id = `role-${role}`;
    const input = h('input', { type: 'checkbox', id, value: role, checked: true });
    boxes.push(input);
    return h('li', { class: 'check' }, input, h('label', { for: id }, label, extra ? h('span', { class: 'code' }, extra) : null));
  };
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const roleList = h('ul', { class: 'role-list' },
    box('chair', 'Chair'), box('observer', 'Observer'),
    roster ? roster.map((d) => box(d.code, d.name, d.code)) : box('*', 'Every delegation'));
  const all = h('button', { type: 'button', class: 'button button--quiet' }, 'All');
  const none = h('button', { type: 'button', class: 'button button--quiet' }, 'None');
  all.addEventListener('click', () => { for (const b of boxes) b.checked = true; });
  none.addEventListener('click', () => { for (const b of boxes) b.checked = false; });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Issue the links and lay out the slips');
  const roleForm = h('form', { class: 'slips-form', novalidate: true, 'aria-labelledby': 'roles-title' },
    h('div', { class: 'warning', role: 'note' },
      h('p', null, h('strong', null, 'Issuing slips replaces the links of the roles you choose.'),
        ' Links handed out earlier for those roles stop working at once: nobody can join with them any more (whoever is in the room now stays until they leave). ',
        'Roles you leave out keep their links.')),
    h('fieldset', null,
      h('legend', { id: 'roles-title', class: 'step-title' }, 'Roles to print'),
      roster ? null : h('p', { class: 'hint' }, 'This server does not list the delegations before issuing: every delegation gets a slip; reissue any one slip afterwards.'),
      h('p', { class: 'actions' }, all, none),
      roleList),
    error,
    h('p', { class: 'actions' }, submit));
  roleForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    if (chosen.length === 0) {
      error.textContent = 'Choose at least one role.';
      error.hidden = false;
      boxes[0].focus();
      return;
    }
    // Every role: `roles` left out (the API's "every role"), also when the roster is unknown.
    const every = chosen.length === boxes.length;
    if (!every && chosen.includes('*')) {
      error.textContent = 'Without the list of delegations, slips are issued for every role at once. Tick all, or reissue single slips afterwards.';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    try {
      const issued = await issue(every ? null : chosen);
      renderSlips();
      toolbar.hidden = false;
      again.hidden = false;
      if (roster === null) {
        // Every delegation has a slip now: the next "Issue more slips…" can offer each one.
        roster = orderedRoles(issued.filter((r) => r !== 'chair' && r !== 'observer')).map((c) => ({ code: c, name: roleName(c) }));
        const next = chooser();
        next.hidden = true;
        form.replaceWith(next);
        form = next;
      } else {
        form.hidden = true;
      }
      announce(`${count(issued.length, 'slip', 'slips')} ready to print.`, 'success');
      printButton.focus();
    } catch (err) {
      if (isRefusal(err)) { refused(); return; }
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  return roleForm;
}

const printButton = h('button', { type: 'button', class: 'button button--primary' }, 'Print');
printButton.addEventListener('click', () => window.print());
const paper = h('select', { id: 'paper', class: 'input input--select paper-select' },
  h('option', { value: 'a4' }, 'A4'), h('option', { value: 'letter' }, 'Letter'));
paper.addEventListener('change', () => { document.body.dataset.paper = paper.value; });
const again = h('button', { type: 'button', class: 'button button--quiet', hidden: true }, 'Issue more slips…');
const toolbar = h('div', { class: 'slips-toolbar', hidden: true },
  h('p', { class: 'actions' }, printButton,
    h('label', { for: 'paper', class: 'inline-label' }, 'Paper'), paper, again),
  h('p', { class: 'hint' }, 'Six slips a page; cut along the dashed lines. In the print dialog, keep the scale at 100 %.'));

function refused() {
  forgetOrganizerCode();
  askOrganizerCode(app, CODE_REFUSED, start);
}

async function start(newCode) {
  code = newCode;
  replaceChildren(app, h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  try {
    const list = await organizerApi.drafts(code);
    draft = (list.drafts ?? []).find((d) => d.slug === slug) ?? null;
    if (!draft) {
      const archived = (list.archived ?? []).some((d) => d.slug === slug);
      notFoundPage(app, archived ? `The draft ${slug} is archived: restore it with plenary draft unarchive before printing slips.` : `There is no draft named ${slug} on this server.`);
      app.prepend(h('p', null, h('a', { href: paths.console() }, '← The organizer’s console')));
      return;
    }
  } catch (err) {
    if (isRefusal(err)) { refused(); return; }
    replaceChildren(app, h('p', { class: 'form-error', role: 'alert' }, err.message));
    return;
  }
  // Names and the roster: the list's entry when the server gives its delegations; else what this
  // tab sent when it created the draft; names of other states from the UN's list; else the code.
  // (Never a probe of the room's API with the organizer code: a refusal counts as a failed join.)
  try {
    const un = await fetch('/static/data/un-members.json', { cache: 'no-cache' }).then((r) => r.json());
    for (const s of un.states ?? []) names.set(s.code, s.name);
  } catch { /* names fall back to codes */ }
  roster = null;
  if (Array.isArray(draft.delegations)) {
    roster = draft.delegations.filter((d) => typeof d?.code === 'string')
      .map((d) => ({ code: d.code, name: typeof d.name === 'string' && d.name ? d.name : d.code }));
  } else {
    try {
      const saved = JSON.parse(sessionStorage.getItem(NAMES_KEY(slug)) ?? 'null');
      if (Array.isArray(saved)) {
        roster = saved.filter((e) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string')
          .map(([c, n]) => ({ code: c, name: n }));
      }
    } catch { roster = null; }
  }
  for (const d of roster ?? []) names.set(d.code, d.name);

  document.title = `Join slips: ${draft.title} — plenary`;
  document.body.dataset.paper = paperDefault();
  paper.value = document.body.dataset.paper;
  sheetsEl = h('div', { class: 'sheets' });
  form = chooser();
  again.onclick = () => {  // one handler, also when a refused code brings the page back here
    form.hidden = false;
    again.hidden = true;
    form.querySelector('input')?.focus();
  };
  replaceChildren(app,
    h('header', { class: 'doc-header slips-header' },
      h('p', { class: 'doc-kicker' }, h('a', { href: paths.console() }, 'Organizer’s console'), ' · ', h('span', { class: 'slug' }, slug)),
      h('h1', { class: 'doc-title' }, 'Join slips: ', draft.title)),
    form,
    toolbar,
    sheetsEl);
}

if (!slug) {
  notFoundPage(app, 'This address does not name a draft’s slips.');
} else {
  code = organizerCode();
  if (code) start(code);
  else askOrganizerCode(app, null, start);
}
