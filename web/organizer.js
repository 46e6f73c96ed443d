// The organizer's console, shared by /organize and /organize/<slug>/slips: the organizer code
// (from `#code=`, kept in this tab's sessionStorage only, never in an address sent to the
// server), the organizer API (docs/extensions.md, "Organizer console"), the slug rule, and the
// Intl formats of dates and times (of the page's language, i18n.js). Plain functions; the pages
// put every string in as text.
import { h, replaceChildren } from './dom.js';
import { ApiError } from './api.js';
import { t, tn, locale, formatDate as formatIntlDate, formatList as formatIntlList } from './i18n.js';

export const ORGANIZER_KEY = 'plenary.organizer';
const CODE_RE = /^[A-Za-z0-9_-]{8,512}$/;
/** The server's slug rule (protocol/text_rules.hpp): 1 to 63 of a-z, 0-9 and -, not starting with -. */
export const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** A delegation's code (protocol/text_rules.hpp): 2 to 8 of A-Z and 0-9; CHAIR is the chair's. */
export const STATE_CODE_RE = /^[A-Z0-9]{2,8}$/;
export const MAX_NAME_BYTES = 200;   // protocol/draft_file.cpp: a delegation's name
export const MAX_TITLE_BYTES = 512;  // storage/model.hpp: max_title_bytes
/** sessionStorage: the roster ([[code, name], …]) sent at creation, for the slips page (the API answers codes only). */
export const NAMES_KEY = (slug) => `plenary.organizer.names.${slug}`;

export const paths = {
  console: () => '/organize',
  slips: (slug) => `/organize/${encodeURIComponent(slug)}/slips`,
  room: (slug) => `/d/${encodeURIComponent(slug)}`,
};

/** The slug of /organize/<slug>/slips, or null. */
export function slipsSlug(pathname = location.pathname) {
  const m = pathname.match(/^\/organize\/([a-z0-9][a-z0-9-]{0,62})\/slips\/?$/);
  return m ? m[1] : null;
}

function storedOrganizerCode() {
  try { return sessionStorage.getItem(ORGANIZER_KEY); } catch { return null; }
}
export function storeOrganizerCode(code) {
  try { sessionStorage.setItem(ORGANIZER_KEY, code); } catch { /* private mode: works until reload */ }
}
export function forgetOrganizerCode() {
  try { sessionStorage.removeItem(ORGANIZER_KEY); } catch { /* nothing stored */ }
}

/**
 * The organizer code of this tab: `#code=` in the address (stored, then removed from the
 * address bar and the history entry), else sessionStorage. Null when there is none.
 */
export function organizerCode() {
  const hash = location.hash.replace(/^#/, '');
  if (hash) {
    const params = new URLSearchParams(hash);
    const code = params.get('code');
    if (code !== null) {
      params.delete('code');
      const rest = params.toString();
      history.replaceState(history.state, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
      const trimmed = code.trim();
      if (CODE_RE.test(trimmed)) {
        storeOrganizerCode(trimmed);
        return trimmed;
      }
    }
  }
  return storedOrganizerCode();
}

/** What a person pastes: the whole organizer link (…/organize#code=…), `code=…`, or the bare code. */
export function parseOrganizerInput(input) {
  const text = String(input ?? '').trim();
  const m = text.match(/(?:^|[#&])code=([^&\s]*)/);
  const code = (m ? decodeURIComponent(m[1]) : text).trim();
  return CODE_RE.test(code) ? code : null;
}

/** A JSON call with the organizer code as bearer token; errors become ApiError with the server's sentence. */
async function call(method, path, code, body) {
  const init = {
    method,
    headers: { Authorization: `Bearer ${code}`, Accept: 'application/json' },  // i18n-ok: an HTTP header
    cache: 'no-store',
    credentials: 'omit',
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';  // i18n-ok: an HTTP header
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    const err = new ApiError(0, 'network', t('organize.error.network'));
    err.local = true;
    throw err;
  }
  let answer = null;
  try { answer = await res.json(); } catch { answer = null; }
  if (!res.ok) {
    const e = answer && answer.error;
    const err = new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? t('organize.error.http', { status: String(res.status) }));
    if (typeof e?.field === 'string') err.field = e.field;
    throw err;
  }
  return answer;
}

const draftPath = (slug) => `/api/drafts/${encodeURIComponent(slug)}`;

export const organizerApi = {
  drafts: (code) => call('GET', '/api/drafts', code),
  split: (text, code) => call('POST', '/api/split', code, { text }),
  create: (slug, draftFile, code) => call('POST', draftPath(slug), code, draftFile),
  codes: (slug, roles, code) => call('POST', `${draftPath(slug)}/codes`,
    code, roles ? { roles, base: location.origin } : { base: location.origin }),
  archive: (slug, code) => call('POST', `${draftPath(slug)}/archive`, code, {}),
};

export const isRefusal = (err) => err && (err.status === 401 || err.code === 'unauthorized');

/**
 * A slug proposed from a title: lower case, accents dropped, every other run of characters a
 * dash, at most 63 characters cut at a dash when there is one. "" when nothing is left.
 */
export function slugFromTitle(title) {
  let s = String(title ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (s.length > 63) {
    s = s.slice(0, 64);
    const cut = s.lastIndexOf('-');
    s = (cut >= 20 ? s.slice(0, cut) : s.slice(0, 63)).replace(/-+$/, '');
  }
  return s;
}

/** "" when `slug` follows the rule, else a sentence saying what to change. */
export function slugProblem(slug) {
  if (slug === '') return t('organize.slug.empty');
  if (slug.length > 63) return t('organize.slug.tooLong', { n: slug.length });
  if (/[A-Z]/.test(slug)) return t('organize.slug.upperCase');
  if (/[^a-z0-9-]/.test(slug)) return t('organize.slug.characters');
  if (slug.startsWith('-')) return t('organize.slug.dash');
  return '';
}

export const utf8Bytes = (s) => new TextEncoder().encode(s).length;

// ---------------------------------------------------------------- formats (Intl, never by hand)
// Counts are plural messages of the catalogs (t('organize.clauses', { n })); dates, times and
// lists are Intl's in the page's language (made when used: the language is chosen at start).

const DATE_TIME = { dateStyle: 'medium', timeStyle: 'short' };
const UNITS = [
  ['year', 365 * 24 * 3600], ['month', 30 * 24 * 3600], ['week', 7 * 24 * 3600],
  ['day', 24 * 3600], ['hour', 3600], ['minute', 60], ['second', 1],
];

/** "5 minutes ago", "yesterday": the largest unit that fits, by Intl.RelativeTimeFormat. */
export function relativeTime(date, now = Date.now()) {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const relative = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  if (Math.abs(seconds) < 45) return relative.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(seconds, 'second');
}

/** <time> with the relative time as text and the full date as its title; `fallback` when there is no date. */
export function timeAgo(iso, fallback = t('organize.never')) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return h('span', { class: 'muted' }, fallback);
  return h('time', { datetime: iso, title: formatIntlDate(d, DATE_TIME) }, relativeTime(d));
}

export function formatDate(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso ?? '') : formatIntlDate(d, DATE_TIME);
}

export const formatList = (items) => formatIntlList(items);

// ---------------------------------------------------------------- the organizer code form

let formSeq = 0;

/**
 * The form that asks for the organizer link when this tab has no code (or it was refused):
 * `onCode(code)` gets the code, already stored for this tab. `message`: a message id (CODE_REFUSED).
 */
export function askOrganizerCode(container, message, onCode) {
  const id = `organizer-code-${++formSeq}`;
  const input = h('input', {
    id, name: 'code', type: 'password', class: 'input input--code', autocomplete: 'off',
    autocapitalize: 'off', spellcheck: 'false', required: true,
    'aria-describedby': `${id}-hint ${id}-error`, 'aria-invalid': message ? 'true' : null,
  });
  const error = h('p', { id: `${id}-error`, class: 'form-error', role: 'alert', hidden: !message }, message ? t(message) : '');
  const form = h('form', { class: 'join-form', novalidate: true, 'aria-labelledby': `${id}-title` },
    h('h1', { id: `${id}-title`, class: 'join-title' }, t('organize.title')),
    h('p', { class: 'lede' }, tn('organize.code.lede', {
      serve: h('code', null, 'plenary serve'), reissue: h('code', null, 'plenary organizer --reissue') })),  // i18n-ok: shell commands
    error,
    h('label', { for: id, class: 'label' }, t('organize.code.label')),
    input,
    h('p', { id: `${id}-hint`, class: 'hint' }, tn('organize.code.hint', { example: h('bdi', null, 'http://…/organize#code=…') })),
    h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--primary' }, t('organize.code.open'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const code = parseOrganizerInput(input.value);
    if (!code) {
      error.textContent = t('organize.code.invalid');
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    storeOrganizerCode(code);
    onCode(code);
  });
  replaceChildren(container, h('section', { class: 'join-panel' }, form));
  input.focus();
}

/** The message id shown when the server refused the organizer code. */
export const CODE_REFUSED = 'organize.code.refused';
