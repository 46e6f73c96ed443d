// Shared by every page: where we are (slug), the join code (per tab, per draft, in
// sessionStorage only), the HTTP API, and the join form.
import { t, tn, localizeActors } from './i18n.js';
import { h, replaceChildren } from './dom.js';

const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CODE_RE = /^[A-Za-z0-9_-]{8,512}$/;

/** The draft slug and the page kind from the path: /d/<slug>, /d/<slug>/clauses/<id>, /d/<slug>/log, /d/<slug>/compare, /d/<slug>/debrief. */
export function parseLocation(pathname = location.pathname) {
  const m = pathname.match(/^\/d\/([a-z0-9][a-z0-9-]{0,62})(?:\/(clauses)\/([a-z0-9-]{1,32})|\/(log|compare|debrief))?\/?$/);
  if (!m) return null;
  return {
    slug: m[1],
    page: m[2] ? 'clause' : m[4] ? m[4] : 'room',
    clause: m[3] ?? null,
  };
}

export const paths = {
  room: (slug) => `/d/${encodeURIComponent(slug)}`,
  clause: (slug, id) => `/d/${encodeURIComponent(slug)}/clauses/${encodeURIComponent(id)}`,
  log: (slug) => `/d/${encodeURIComponent(slug)}/log`,
  /** The compare page; `from`/`to` (tag names or commit ids) are optional. */
  compare: (slug, from = null, to = null) => {
    const q = new URLSearchParams();
    if (from) q.set('from', from);
    if (to) q.set('to', to);
    const qs = q.toString();
    return `/d/${encodeURIComponent(slug)}/compare${qs ? `?${qs}` : ''}`;
  },
  /** The debrief page; `version` (a tag or commit) is optional: the current text. */
  debrief: (slug, version = null) =>
    `/d/${encodeURIComponent(slug)}/debrief${version ? `?${new URLSearchParams({ version })}` : ''}`,
};

const storageKey = (slug) => `plenary:code:${slug}`;

export function storedCode(slug) {
  try { return sessionStorage.getItem(storageKey(slug)); } catch { return null; }
}
export function storeCode(slug, code) {
  try { sessionStorage.setItem(storageKey(slug), code); } catch { /* private mode: the page still works until reload */ }
  offerCode(slug);
}
export function forgetCode(slug) {
  try { sessionStorage.removeItem(storageKey(slug)); } catch { /* nothing stored */ }
  offered.delete(slug);
}

// A page opened in a new tab (a History link, middle-clicked) has an empty sessionStorage. It
// asks the other tabs of this origin over a BroadcastChannel, which never leaves the browser:
// a tab that holds the code of that draft answers with it. So the code never goes into an
// address (the server, its logs and the browser's history never see it), and a tab only ever
// learns a code that another tab of the same origin already had.
const CHANNEL = 'plenary-codes';
let channel = null;
const offered = new Set(); // slugs this tab answers for

function openChannel() {
  if (!channel && typeof BroadcastChannel === 'function') {
    channel = new BroadcastChannel(CHANNEL);
    channel.addEventListener('message', (ev) => {
      const slug = ev.data?.ask;
      if (typeof slug !== 'string' || !offered.has(slug)) return;
      const code = storedCode(slug);
      if (code) channel.postMessage({ slug, code });
    });
  }
  return channel;
}

/** From now on this tab answers other tabs that ask for the code of `slug`. */
export function offerCode(slug) {
  if (!SLUG_RE.test(String(slug)) || !openChannel()) return;
  offered.add(slug);
}

/** The code of `slug` from another open tab, or null after `timeoutMs`. */
export function askOtherTabs(slug, timeoutMs = 600) {
  const ch = openChannel();
  if (!ch) return Promise.resolve(null);
  return new Promise((resolve) => {
    const done = (code) => { ch.removeEventListener('message', onMessage); clearTimeout(timer); resolve(code); };
    const onMessage = (ev) => {
      if (ev.data?.slug === slug && typeof ev.data.code === 'string' && CODE_RE.test(ev.data.code)) {
        storeCode(slug, ev.data.code);
        done(ev.data.code);
      }
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    ch.addEventListener('message', onMessage);
    ch.postMessage({ ask: slug });
  });
}

/**
 * Reads `#code=…` from the address, stores it for this slug and removes the fragment from
 * the address bar (and from the history entry), so the code never lingers in a URL.
 * Returns the code found, or null.
 */
export function takeCodeFromFragment(slug) {
  const hash = location.hash.replace(/^#/, '');
  if (!hash) return null;
  const params = new URLSearchParams(hash);
  const code = params.get('code');
  if (code === null) return null;
  params.delete('code');
  const rest = params.toString();
  history.replaceState(history.state, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
  const trimmed = code.trim();
  if (!CODE_RE.test(trimmed)) return null;
  storeCode(slug, trimmed);
  return trimmed;
}

/** This tab's join code for a draft: from a join link just followed, else from sessionStorage. */
export function currentCode(slug) {
  const code = takeCodeFromFragment(slug) ?? storedCode(slug);
  if (code) offerCode(slug);
  return code;
}

/** currentCode, else the code another open tab holds (a page opened in a new tab). */
export async function findCode(slug) {
  return currentCode(slug) ?? askOtherTabs(slug);
}

/**
 * Understands what a person pastes: a whole join link (http://host/d/slug#code=…), a
 * path with a fragment, `code=…`, or the bare code. Returns {slug, code} (slug may be null).
 */
export function parseJoinInput(input) {
  const text = String(input ?? '').trim();
  if (!text) return { slug: null, code: null };
  let slug = null;
  let code = null;
  const link = text.match(/\/d\/([a-z0-9][a-z0-9-]{0,62})(?:[/?][^#\s]*)?(?:#(.*))?$/);
  if (link) {
    slug = link[1];
    if (link[2] !== undefined) code = new URLSearchParams(link[2]).get('code');
  } else if (/(^|[#&])code=/.test(text)) {
    code = new URLSearchParams(text.replace(/^.*?#/, '').replace(/^#/, '')).get('code');
  } else {
    code = text;
  }
  if (code !== null) code = code.trim();
  if (code !== null && !CODE_RE.test(code)) code = null;
  if (slug !== null && !SLUG_RE.test(slug)) slug = null;
  return { slug, code };
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** GET a JSON API path with the join code as bearer token. */
export async function apiGet(path, code) {
  let res;
  try {
    res = await fetch(path, {
      headers: { Authorization: `Bearer ${code}`, Accept: 'application/json' }, // i18n-ok: HTTP headers
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (err) {
    throw Object.assign(new ApiError(0, 'network', t('error.network')), { local: true });
  }
  let body = null;
  try { body = localizeActors(await res.json()); } catch { body = null; }
  if (!res.ok) {
    const e = body && body.error;
    throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? t('error.http', { status: res.status }));
  }
  return body;
}

export const api = {
  draft: (slug, code) => apiGet(`/api/drafts/${encodeURIComponent(slug)}`, code),
  log: (slug, code) => apiGet(`/api/drafts/${encodeURIComponent(slug)}/log`, code),
  history: (slug, id, code) => apiGet(`/api/drafts/${encodeURIComponent(slug)}/clauses/${encodeURIComponent(id)}/history`, code),
  proposals: (slug, code) => apiGet(`/api/drafts/${encodeURIComponent(slug)}/proposals`, code),
  blame: (slug, id, code) => apiGet(`/api/drafts/${encodeURIComponent(slug)}/clauses/${encodeURIComponent(id)}/blame`, code),
  versions: (slug, code) => apiGet(`/api/drafts/${encodeURIComponent(slug)}/versions`, code),
  debrief: (slug, version, code) => apiGet(`/api/drafts/${encodeURIComponent(slug)}/debrief${version ? `?${new URLSearchParams({ version })}` : ''}`, code),
  compare: (slug, from, to, code) => apiGet(`/api/drafts/${encodeURIComponent(slug)}/compare?${new URLSearchParams({ from, to })}`, code),
};

let joinFieldSeq = 0;

/**
 * Shows the join form in `container`. `onCode(code)` is called with a code for this slug.
 * A pasted link to another draft stores the code for that draft and goes there.
 */
export function showJoinForm(container, { slug, message = null, onCode }) {
  const fieldId = `join-code-${++joinFieldSeq}`;
  const hintId = `${fieldId}-hint`;
  const errorId = `${fieldId}-error`;
  const input = h('input', {
    id: fieldId, name: 'code', type: 'password', class: 'input input--code',
    autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', required: true,
    'aria-describedby': message ? `${hintId} ${errorId}` : hintId,
    'aria-invalid': message ? 'true' : null,
  });
  const show = h('input', { type: 'checkbox', id: `${fieldId}-show` });
  show.addEventListener('change', () => { input.type = show.checked ? 'text' : 'password'; });
  const error = h('p', { id: errorId, class: 'form-error', role: 'alert', hidden: !message }, message ?? '');
  const form = h('form', { class: 'join-form', novalidate: true, 'aria-labelledby': `${fieldId}-title` },
    // The page's heading when the form is all there is (the room without a code), else a section.
    h(document.querySelector('h1') ? 'h2' : 'h1', { id: `${fieldId}-title`, class: 'join-title' }, t('join.title')),
    h('p', { class: 'lede' }, tn('join.intro', { slug: h('strong', { class: 'slug' }, slug) })),
    error,
    h('label', { for: fieldId, class: 'label' }, t('join.codeLabel')),
    input,
    h('p', { id: hintId, class: 'hint' }, t('join.codeHint')),
    h('p', { class: 'check' }, show, h('label', { for: `${fieldId}-show` }, t('join.showCode'))),
    h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--primary' }, t('join.submit'))),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const parsed = parseJoinInput(input.value);
    if (!parsed.code) {
      error.textContent = t('join.notACode');
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    if (parsed.slug && parsed.slug !== slug) {
      storeCode(parsed.slug, parsed.code);
      location.assign(paths.room(parsed.slug));
      return;
    }
    storeCode(slug, parsed.code);
    onCode(parsed.code);
  });
  replaceChildren(container, form);
  input.focus();
  return form;
}
