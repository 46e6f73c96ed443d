// The organizer's console (/organize): every draft on the server with its stage, size, who is
// connected and its last activity; open, join slips and archive (after a confirmation) per draft;
// the archived drafts; and the "New draft" form (organize-new.js). The organizer code comes
// from the organizer link's fragment and stays in this tab (organizer.js).
import { startI18n } from './i18n.js';
import { h, replaceChildren, announce, keepFocus } from './dom.js';
import { stageLabel } from './labels.js';
import {
  organizerCode, forgetOrganizerCode, askOrganizerCode, organizerApi, isRefusal, paths,
  count, timeAgo, formatDate, formatList, CODE_REFUSED,
} from './organizer.js';
import { newDraftForm } from './organize-new.js';

// The language first: the shared modules (labels.js, dom.js) draw in it (i18n.js).
await startI18n();

const REFRESH_MS = 20000;  // "who is connected now" stays roughly current without a socket
const MAX_NAMES = 6;       // past this many people connected, the rest are counted

const app = document.getElementById('app');
let code = organizerCode();
let timer = null;
let confirming = false;    // an open archive confirmation holds the refresh

const listEl = h('div', { class: 'drafts', 'aria-live': 'off' });
const archivedEl = h('div', { class: 'archived' });
const refreshButton = h('button', { type: 'button', class: 'button button--quiet', dataset: { focusKey: 'refresh' } }, 'Refresh');
refreshButton.addEventListener('click', () => refresh(true));

function presentText(present) {
  if (!Array.isArray(present) || present.length === 0) return 'nobody';
  const names = present.map((p) => (p.code === 'CHAIR' ? 'the chair' : p.code === 'OBSERVER' ? 'an observer' : p.name || p.code));
  if (names.length > MAX_NAMES) {
    const rest = names.length - MAX_NAMES;
    return formatList([...names.slice(0, MAX_NAMES), count(rest, 'other', 'others')]);
  }
  return formatList(names);
}

function draftCard(d) {
  const confirm = h('div', { class: 'confirm', hidden: true, role: 'group', 'aria-label': `Archive ${d.title}` });
  const archive = h('button', { type: 'button', class: 'button button--quiet button--danger-text',
    dataset: { focusKey: `archive-${d.slug}` } }, 'Archive…');
  const closeConfirm = () => { confirm.hidden = true; confirming = false; archive.focus(); };
  archive.addEventListener('click', () => {
    confirming = true;
    const yes = h('button', { type: 'button', class: 'button button--danger' }, 'Archive this draft');
    const no = h('button', { type: 'button', class: 'button button--quiet' }, 'Cancel');
    const status = h('p', { class: 'field-error', role: 'alert', hidden: true });
    no.addEventListener('click', closeConfirm);
    confirm.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeConfirm(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await organizerApi.archive(d.slug, code);
        confirming = false;
        announce(`“${d.title}” was archived. Nothing was deleted.`, 'success');
        await refresh(false);
        refreshButton.focus();
      } catch (err) {
        if (isRefusal(err)) { refused(); return; }
        status.textContent = err.message;
        status.hidden = false;
        yes.disabled = false;
      }
    });
    replaceChildren(confirm,
      h('p', { class: 'confirm-question' }, 'Archive “', h('strong', null, d.title), '”? The room closes and everyone in it is disconnected. ',
        'Nothing is deleted: the draft and its history move to the archive, and ',
        h('code', null, `plenary draft unarchive ${d.slug}`), ' restores it.'),
      status,
      h('p', { class: 'actions' }, yes, no));
    confirm.hidden = false;
    no.focus();
  });

  const present = Array.isArray(d.present) ? d.present : [];
  return h('li', { class: 'draft-card', dataset: { slug: d.slug } },
    h('h3', { class: 'draft-title' }, d.title),
    h('p', { class: 'draft-meta' },
      h('span', { class: 'stage-badge', dataset: { stage: d.stage ?? 'working' } }, stageLabel(d.stage)),
      ' ', h('span', { class: 'slug' }, d.slug)),
    h('ul', { class: 'draft-stats' },
      h('li', null, count(d.clauses ?? 0, 'clause', 'clauses')),
      h('li', null, count(d.amendments ?? 0, 'amendment', 'amendments')),
      h('li', { class: present.length ? 'is-live' : null },
        present.length ? `${count(present.length, 'person', 'people')} connected: ` : 'Connected now: ', presentText(present)),
      h('li', null, 'Last activity ', timeAgo(d.last_activity, 'none yet'))),
    h('p', { class: 'actions draft-actions' },
      h('a', { class: 'button', href: paths.room(d.slug), dataset: { focusKey: `open-${d.slug}` } }, 'Open', h('span', { class: 'visually-hidden' }, ` ${d.title}`)),
      h('a', { class: 'button', href: paths.slips(d.slug), dataset: { focusKey: `slips-${d.slug}` } }, 'Join slips', h('span', { class: 'visually-hidden' }, ` for ${d.title}`)),
      archive),
    confirm);
}

function render(data) {
  const drafts = Array.isArray(data?.drafts) ? data.drafts : [];
  const archived = Array.isArray(data?.archived) ? data.archived : [];
  keepFocus(listEl, () => {
    if (drafts.length === 0) {
      replaceChildren(listEl, h('p', { class: 'muted' }, 'No draft yet. Set one up below.'));
    } else {
      replaceChildren(listEl, h('ul', { class: 'draft-cards' }, drafts.map(draftCard)));
    }
  }, () => refreshButton);
  countEl.textContent = `(${drafts.length})`;
  if (archived.length === 0) {
    archivedSection.hidden = true;
  } else {
    archivedSection.hidden = false;
    replaceChildren(archivedEl,
      h('p', { class: 'hint' }, 'Archived drafts keep their text and history. Restore one with ',
        h('code', null, 'plenary draft unarchive SLUG --data DIR'), ' (then restart the server if it is running).'),
      h('ul', { class: 'archived-list' }, archived.map((a) => h('li', null,
        h('span', { class: 'archived-title' }, a.title), ' ', h('span', { class: 'slug' }, a.slug), ' ',
        h('span', { class: 'muted' }, 'archived ', h('time', { datetime: a.archived_at }, formatDate(a.archived_at)))))));
  }
}

async function refresh(byHand) {
  try {
    const data = await organizerApi.drafts(code);
    render(data);
    if (byHand) announce('The list is up to date.');
  } catch (err) {
    if (isRefusal(err)) { refused(); return; }
    replaceChildren(listEl, h('p', { class: 'form-error', role: 'alert' }, err.message));
  }
}

function refused() {
  forgetOrganizerCode();
  clearInterval(timer);
  askOrganizerCode(app, CODE_REFUSED, start);
}

const countEl = h('span', { class: 'count' });
const archivedSection = h('section', { id: 'archived', class: 'org-section', 'aria-labelledby': 'archived-title', hidden: true },
  h('h2', { id: 'archived-title' }, 'Archived'), archivedEl);

async function start(newCode) {
  code = newCode;
  document.title = 'Organizer’s console — plenary';
  let states = [];
  const statesLoad = fetch('/static/data/un-members.json', { cache: 'no-cache' })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`un-members.json: ${r.status}`))))
    .then((j) => { states = Array.isArray(j.states) ? j.states : []; })
    .catch(() => { states = []; });
  replaceChildren(app, h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  await Promise.all([statesLoad, organizerApi.drafts(code).then(render).catch((err) => {
    if (isRefusal(err)) throw err;
    replaceChildren(listEl, h('p', { class: 'form-error', role: 'alert' }, err.message));
  })]).then(() => {
    const form = newDraftForm({
      code: () => code,
      states,
      onCreated: () => refresh(false),
      onRefused: refused,
    });
    replaceChildren(app,
      h('header', { class: 'doc-header org-header' },
        h('p', { class: 'doc-kicker' }, 'Organizer’s console'),
        h('h1', { class: 'doc-title', tabindex: '-1' }, 'Drafts on this server'),
        h('p', { class: 'doc-nav' }, h('a', { href: '#new' }, 'Set up a new draft'))),
      states.length ? null : h('p', { class: 'form-error', role: 'alert' }, 'The list of UN member states could not be loaded; add the delegations as other participants, or reload the page.'),
      h('section', { id: 'drafts', class: 'org-section', 'aria-labelledby': 'drafts-title' },
        h('div', { class: 'section-head' }, h('h2', { id: 'drafts-title' }, 'Drafts ', countEl), refreshButton),
        listEl),
      archivedSection,
      form);
    clearInterval(timer);
    timer = setInterval(() => {
      if (!document.hidden && !confirming && !app.querySelector('.confirm:not([hidden])')) refresh(false);
    }, REFRESH_MS);
  }).catch((err) => {
    if (isRefusal(err)) refused();
    else replaceChildren(app, h('p', { class: 'form-error', role: 'alert' }, err.message));
  });
}

if (code) start(code);
else askOrganizerCode(app, null, start);
