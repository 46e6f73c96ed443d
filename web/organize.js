// The organizer's console (/organize): every draft on the server with its stage, size, who is
// connected and its last activity; open, join slips and archive (after a confirmation) per draft;
// the archived drafts; and the "New draft" form (organize-new.js). The organizer code comes
// from the organizer link's fragment and stays in this tab (organizer.js).
import { h, replaceChildren, announce, keepFocus } from './dom.js';
import { stageLabel } from './labels.js';
import { startI18n, t, tn, bdi, errorText } from './i18n.js';
import {
  organizerCode, forgetOrganizerCode, askOrganizerCode, organizerApi, isRefusal, paths,
  timeAgo, formatDate, formatList, CODE_REFUSED,
} from './organizer.js';
import { newDraftForm } from './organize-new.js';

// The language first: everything below draws in it (i18n.js).
await startI18n();

const REFRESH_MS = 20000;  // "who is connected now" stays roughly current without a socket
const MAX_NAMES = 6;       // past this many people connected, the rest are counted

const app = document.getElementById('app');
let code = organizerCode();
let timer = null;
let confirming = false;    // an open archive confirmation holds the refresh

const listEl = h('div', { class: 'drafts', 'aria-live': 'off' });
const archivedEl = h('div', { class: 'archived' });
const refreshButton = h('button', { type: 'button', class: 'button button--quiet', dataset: { focusKey: 'refresh' } }, t('organize.refresh'));
refreshButton.addEventListener('click', () => refresh(true));

function presentText(present) {
  if (!Array.isArray(present) || present.length === 0) return t('organize.nobody');
  const names = present.map((p) => (p.code === 'CHAIR' ? t('organize.theChair') : p.code === 'OBSERVER' ? t('organize.anObserver') : p.name || p.code));
  if (names.length > MAX_NAMES) {
    const rest = names.length - MAX_NAMES;
    return formatList([...names.slice(0, MAX_NAMES), t('organize.others', { n: rest })]);
  }
  return formatList(names);
}

function draftCard(d) {
  const confirm = h('div', { class: 'confirm', hidden: true, role: 'group', 'aria-label': t('organize.archiveLabel', { title: d.title }) });
  const archive = h('button', { type: 'button', class: 'button button--quiet button--danger-text',
    dataset: { focusKey: `archive-${d.slug}` } }, t('organize.archive'));
  const closeConfirm = () => { confirm.hidden = true; confirming = false; archive.focus(); };
  archive.addEventListener('click', () => {
    confirming = true;
    const yes = h('button', { type: 'button', class: 'button button--danger' }, t('organize.archiveYes'));
    const no = h('button', { type: 'button', class: 'button button--quiet' }, t('common.cancel'));
    const status = h('p', { class: 'field-error', role: 'alert', hidden: true });
    no.addEventListener('click', closeConfirm);
    confirm.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeConfirm(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await organizerApi.archive(d.slug, code);
        confirming = false;
        announce(t('organize.archived', { title: d.title }), 'success');
        await refresh(false);
        refreshButton.focus();
      } catch (err) {
        if (isRefusal(err)) { refused(); return; }
        status.textContent = errorText(err);
        status.hidden = false;
        yes.disabled = false;
      }
    });
    replaceChildren(confirm,
      h('p', { class: 'confirm-question' }, tn('organize.archiveQuestion', {
        title: h('strong', { dir: 'auto' }, d.title), command: h('code', null, `plenary draft unarchive ${d.slug}`) })),  // i18n-ok: a shell command
      status,
      h('p', { class: 'actions' }, yes, no));
    confirm.hidden = false;
    no.focus();
  });

  const present = Array.isArray(d.present) ? d.present : [];
  return h('li', { class: 'draft-card', dataset: { slug: d.slug } },
    h('h3', { class: 'draft-title', dir: 'auto' }, d.title),
    h('p', { class: 'draft-meta' },
      h('span', { class: 'stage-badge', dataset: { stage: d.stage ?? 'working' } }, stageLabel(d.stage)),
      ' ', h('span', { class: 'slug' }, d.slug)),
    h('ul', { class: 'draft-stats' },
      h('li', null, t('organize.clauses', { n: d.clauses ?? 0 })),
      h('li', null, t('organize.amendments', { n: d.amendments ?? 0 })),
      h('li', { class: present.length ? 'is-live' : null },
        present.length ? t('organize.connected', { n: present.length, names: presentText(present) })
          : t('organize.connectedNow', { names: presentText(present) })),
      h('li', null, tn('organize.lastActivity', { when: timeAgo(d.last_activity, t('organize.noneYet')) }))),
    h('p', { class: 'actions draft-actions' },
      h('a', { class: 'button', href: paths.room(d.slug), dataset: { focusKey: `open-${d.slug}` } }, t('organize.open'), h('span', { class: 'visually-hidden' }, ` ${d.title}`)),
      h('a', { class: 'button', href: paths.slips(d.slug), dataset: { focusKey: `slips-${d.slug}` } }, t('organize.slips'), h('span', { class: 'visually-hidden' }, ' ', t('organize.slipsFor', { title: d.title }))),
      archive),
    confirm);
}

function render(data) {
  const drafts = Array.isArray(data?.drafts) ? data.drafts : [];
  const archived = Array.isArray(data?.archived) ? data.archived : [];
  keepFocus(listEl, () => {
    if (drafts.length === 0) {
      replaceChildren(listEl, h('p', { class: 'muted' }, t('organize.noDraft')));
    } else {
      replaceChildren(listEl, h('ul', { class: 'draft-cards' }, drafts.map(draftCard)));
    }
  }, () => refreshButton);
  replaceChildren(countEl, '(', bdi(drafts.length), ')');
  if (archived.length === 0) {
    archivedSection.hidden = true;
  } else {
    archivedSection.hidden = false;
    replaceChildren(archivedEl,
      h('p', { class: 'hint' }, tn('organize.archivedHint', { command: h('code', null, 'plenary draft unarchive SLUG --data DIR') })),
      h('ul', { class: 'archived-list' }, archived.map((a) => h('li', null,
        h('span', { class: 'archived-title', dir: 'auto' }, a.title), ' ', h('bdi', { class: 'slug' }, a.slug), ' ',
        h('span', { class: 'muted' }, tn('organize.archivedAt', { when: h('time', { datetime: a.archived_at }, formatDate(a.archived_at)) }))))));
  }
}

async function refresh(byHand) {
  try {
    const data = await organizerApi.drafts(code);
    render(data);
    if (byHand) announce(t('organize.upToDate'));
  } catch (err) {
    if (isRefusal(err)) { refused(); return; }
    replaceChildren(listEl, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
  }
}

function refused() {
  forgetOrganizerCode();
  clearInterval(timer);
  askOrganizerCode(app, CODE_REFUSED, start);
}

const countEl = h('span', { class: 'count' });
const archivedSection = h('section', { id: 'archived', class: 'org-section', 'aria-labelledby': 'archived-title', hidden: true },
  h('h2', { id: 'archived-title' }, t('organize.archivedTitle')), archivedEl);

async function start(newCode) {
  code = newCode;
  document.title = t('organize.pageTitle');
  let states = [];
  const statesLoad = fetch('/static/data/un-members.json', { cache: 'no-cache' })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`un-members.json: ${r.status}`))))
    .then((j) => { states = Array.isArray(j.states) ? j.states : []; })
    .catch(() => { states = []; });
  replaceChildren(app, h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  await Promise.all([statesLoad, organizerApi.drafts(code).then(render).catch((err) => {
    if (isRefusal(err)) throw err;
    replaceChildren(listEl, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
  })]).then(() => {
    const form = newDraftForm({
      code: () => code,
      states,
      onCreated: () => refresh(false),
      onRefused: refused,
    });
    replaceChildren(app,
      h('header', { class: 'doc-header org-header' },
        h('p', { class: 'doc-kicker' }, t('organize.title')),
        h('h1', { class: 'doc-title', tabindex: '-1' }, t('organize.heading')),
        h('p', { class: 'doc-nav' }, h('a', { href: '#new' }, t('organize.setUpNew')))),
      states.length ? null : h('p', { class: 'form-error', role: 'alert' }, t('organize.statesMissing')),
      h('section', { id: 'drafts', class: 'org-section', 'aria-labelledby': 'drafts-title' },
        h('div', { class: 'section-head' }, h('h2', { id: 'drafts-title' }, t('organize.drafts'), ' ', countEl), refreshButton),
        listEl),
      archivedSection,
      form);
    clearInterval(timer);
    timer = setInterval(() => {
      if (!document.hidden && !confirming && !app.querySelector('.confirm:not([hidden])')) refresh(false);
    }, REFRESH_MS);
  }).catch((err) => {
    if (isRefusal(err)) refused();
    else replaceChildren(app, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
  });
}

if (code) start(code);
else askOrganizerCode(app, null, start);
