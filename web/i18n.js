// The pages' languages: which one a reader gets, the message catalogs (web/i18n/<lang>.json,
// English the source), `t(id, params)` with placeholders and plurals, numbers, dates and lists
// through `Intl`, the page's `lang`/`dir`, static HTML translated through `data-i18n`, and the
// language picker every page shows. How to add a string, a page or a language: web/README.md.
//
// Nothing happens at import (docs/architecture.md, "No import cycles"): an entry module calls
// `await startI18n()` once before it draws anything; until then (and in Node, where the unit tests
// call `useCatalog`) `t()` returns the message id itself, which the tests would notice.
//
// Message syntax (a subset of ICU MessageFormat, enough for plenary):
//   "Proposal {n} by {state}"                          placeholders; numbers are formatted
//   "{count, plural, one {# clause} other {# clauses}}" plural forms by Intl.PluralRules of the
//                                                       language (zero, one, two, few, many,
//                                                       other; "=0" matches exactly); # is the count
//   "{stage, select, formal {…} adopted {…} other {…}}" a choice by a string value
// `{` and `}` are reserved; a catalog needing them literally would quote them as in ICU ('{'),
// none does.

/** The languages plenary speaks. Adding one = a line here and web/i18n/<code>.json. */
export const LANGUAGES = [
  { code: 'ar', name: 'العربية', dir: 'rtl' }, // i18n-ok: each language in its own name
  { code: 'zh', name: '中文', dir: 'ltr' },
  { code: 'en', name: 'English', dir: 'ltr' }, // i18n-ok: each language in its own name
  { code: 'fr', name: 'Français', dir: 'ltr' }, // i18n-ok: each language in its own name
  { code: 'ru', name: 'Русский', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' }, // i18n-ok: each language in its own name
];
export const SOURCE_LANGUAGE = 'en';
const STORAGE_KEY = 'plenary.lang';

// The BCP 47 tag given to Intl per language: Arabic with Latin digits, as the clause numbers,
// tallies and document symbols the server writes are in Latin digits (one kind of digit per page).
const INTL_LOCALE = { ar: 'ar-u-nu-latn', zh: 'zh-Hans' };

let lang = SOURCE_LANGUAGE;
let messages = null; // id -> message of the current language
let fallback = null; // id -> English message (a key missing in a catalog shows in English)

const known = (code) => LANGUAGES.some((l) => l.code === code);

/**
 * The language to use: `?lang=` (a projector's link), else the one this tab was given by a
 * `?lang=` before (kept while one follows links, e.g. from the room to the history), else the
 * choice remembered in this browser, else the first of the browser's languages we speak
 * (`fr-CA` → fr), else English.
 */
export function chooseLanguage({ search = '', tab = null, stored = null, preferred = [] } = {}) {
  const asked = new URLSearchParams(search).get('lang');
  for (const candidate of [asked, tab, stored]) {
    if (candidate && known(candidate.toLowerCase())) return candidate.toLowerCase();
  }
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (known(base)) return base;
  }
  return SOURCE_LANGUAGE;
}

function storedLanguage() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage refused (privacy settings): the browser's languages decide
  }
}

function tabLanguage(asked) {
  try {
    if (asked && known(asked)) sessionStorage.setItem(STORAGE_KEY, asked);
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The current language's code ("ar"), its direction and the locale for Intl. */
export function currentLanguage() {
  return lang;
}
export function direction(code = lang) {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
}
export function locale() {
  return INTL_LOCALE[lang] ?? lang;
}

/** Sets the catalogs directly (Node tests; `startI18n` does it from the server). */
export function useCatalog(code, catalog, source = catalog) {
  lang = code;
  messages = catalog;
  fallback = source;
  pluralRules.clear();
  numberFormats.clear();
}

async function fetchCatalog(code) {
  const res = await fetch(`/static/i18n/${code}.json`, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`catalog ${code}: HTTP ${res.status}`);
  return res.json();
}

/**
 * Chooses the language, loads its catalog (and English, for any key it lacks), sets the page's
 * lang and dir, translates the static HTML (`data-i18n`) and puts the picker in the masthead.
 * A catalog that cannot be loaded leaves the page in English.
 */
export async function startI18n() {
  const asked = new URLSearchParams(location.search).get('lang')?.toLowerCase() ?? null;
  const code = chooseLanguage({ search: location.search, tab: tabLanguage(asked), stored: storedLanguage(), preferred: navigator.languages ?? [] });
  try {
    const [catalog, source] = await Promise.all([
      fetchCatalog(code),
      code === SOURCE_LANGUAGE ? null : fetchCatalog(SOURCE_LANGUAGE),
    ]);
    useCatalog(code, catalog, source ?? catalog);
  } catch {
    useCatalog(SOURCE_LANGUAGE, await fetchCatalog(SOURCE_LANGUAGE).catch(() => ({})));
  }
  document.documentElement.lang = lang;
  document.documentElement.dir = direction();
  translateStatic(document);
  const masthead = document.querySelector('.masthead');
  if (masthead && !masthead.querySelector('.lang-picker')) masthead.append(languagePicker());
  return lang;
}

// ---------------------------------------------------------------- messages

const pluralRules = new Map();
const numberFormats = new Map();

function plural(n, ordinal = false) {
  const key = ordinal ? 'ordinal' : 'cardinal';
  if (!pluralRules.has(key)) pluralRules.set(key, new Intl.PluralRules(locale(), { type: key }));
  return pluralRules.get(key).select(n);
}

/** A number in the current language ("1 234", "1,234"). */
export function formatNumber(n, options) {
  const key = options ? JSON.stringify(options) : '';
  if (!numberFormats.has(key)) numberFormats.set(key, new Intl.NumberFormat(locale(), options));
  return numberFormats.get(key).format(n);
}

/** A date and time in the current language, in the reader's time zone; the input as it is if not a date. */
export function formatDate(value, options = { dateStyle: 'medium', timeStyle: 'medium' }) {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value ?? '');
  return new Intl.DateTimeFormat(locale(), options).format(d);
}

/** "France, Chile and Kenya" in the current language; `type: 'disjunction'` for "or". */
export function formatList(items, type = 'conjunction') {
  return new Intl.ListFormat(locale(), { style: 'long', type }).format(items.map(String));
}

/**
 * The same list as nodes for h()/append(): each item in its own <bdi> (a Latin name in an Arabic
 * sentence keeps its place), the words between them as text.
 */
export function formatListNodes(items, type = 'conjunction') {
  return new Intl.ListFormat(locale(), { style: 'long', type }).formatToParts(items.map(String))
    .map((p) => (p.type === 'element' ? bdi(p.value) : p.value));
}

// Parses a message into parts: strings, {arg}, {arg, plural|selectordinal|select, {...}}; `#`
// inside a plural branch. Parsed messages are cached per text.
const parsed = new Map();

function parse(text) {
  let cached = parsed.get(text);
  if (!cached) {
    const [parts, end] = parseParts(text, 0, false);
    if (end !== text.length) throw new Error(`unbalanced } in message: ${text}`);
    cached = parts;
    parsed.set(text, cached);
  }
  return cached;
}

function parseParts(text, i, inPlural) {
  const parts = [];
  let buf = '';
  while (i < text.length) {
    const c = text[i];
    if (c === '}') break;
    if (c === '#' && inPlural) {
      if (buf) parts.push(buf);
      buf = '';
      parts.push({ hash: true });
      i += 1;
    } else if (c === '{') {
      if (buf) parts.push(buf);
      buf = '';
      const [arg, next] = parseArg(text, i + 1);
      parts.push(arg);
      i = next;
    } else {
      buf += c;
      i += 1;
    }
  }
  if (buf) parts.push(buf);
  return [parts, i];
}

function parseArg(text, i) {
  const close = (j) => {
    if (text[j] !== '}') throw new Error(`expected } at ${j} in message: ${text}`);
    return j + 1;
  };
  const head = /^\s*([A-Za-z0-9_]+)\s*(?:,\s*(plural|selectordinal|select)\s*,)?/y;
  head.lastIndex = 0;
  const m = head.exec(text.slice(i));
  if (!m) throw new Error(`bad placeholder at ${i} in message: ${text}`);
  i += m[0].length;
  if (!m[2]) return [{ arg: m[1] }, close(i)];
  const options = {};
  const option = /\s*(=?[A-Za-z0-9_]+)\s*\{/y;
  for (;;) {
    option.lastIndex = i;
    const o = option.exec(text);
    if (!o) break;
    const [parts, end] = parseParts(text, option.lastIndex, m[2] !== 'select');
    options[o[1]] = parts;
    i = close(end);
  }
  while (text[i] === ' ') i += 1;
  if (!options.other) throw new Error(`a ${m[2]} needs an "other" branch: ${text}`);
  return [{ arg: m[1], kind: m[2], options }, close(i)];
}

/** The argument names a message uses ({n}, {count, plural, …}), for the catalog checks. */
export function messageArguments(text) {
  const names = new Set();
  const walk = (parts) => {
    for (const p of parts) {
      if (typeof p !== 'object' || p.hash) continue;
      names.add(p.arg);
      for (const branch of Object.values(p.options ?? {})) walk(branch);
    }
  };
  walk(parse(text));
  return names;
}

function formatValue(v) {
  return typeof v === 'number' ? formatNumber(v) : v;
}

// Fills `parts` into `out` (strings and, from params, nodes).
function fill(parts, params, out, count) {
  for (const p of parts) {
    if (typeof p === 'string') out.push(p);
    else if (p.hash) out.push(formatNumber(count));
    else if (!p.kind) out.push(p.arg in params ? formatValue(params[p.arg]) : `{${p.arg}}`);
    else {
      const v = params[p.arg];
      let branch;
      if (p.kind === 'select') branch = p.options[String(v)] ?? p.options.other;
      else {
        const n = Number(v);
        branch = p.options[`=${n}`] ?? p.options[plural(n, p.kind === 'selectordinal')] ?? p.options.other;
      }
      fill(branch, params, out, Number(v));
    }
  }
  return out;
}

// `Node` does not exist in Node.js: the pure modules (labels.js) are tested there.
const Node_ = typeof Node === 'undefined' ? class {} : Node;

function messageText(id) {
  return messages?.[id] ?? fallback?.[id] ?? null;
}

/** Whether the catalog has `id` (e.g. `error.<code>` for a code we may not know). */
export function hasMessage(id) {
  return messageText(id) !== null;
}

/** The message `id` with `params` filled in, as a string. An unknown id gives the id itself. */
export function t(id, params = {}) {
  const text = messageText(id);
  if (text === null) return id;
  return fill(parse(text), params, [], NaN)
    .map((x) => (x instanceof Node_ ? x.textContent : String(x)))
    .join('');
}

/**
 * The message as a list of strings and nodes, for `h()` or `append()`: a param that is a DOM node
 * (a link, a `<bdi>` state code) goes in as the node, e.g.
 * `h('p', null, tn('room.editedBy', { state: bdi('FRA') }))`.
 */
export function tn(id, params = {}) {
  const text = messageText(id);
  if (text === null) return [id];
  return fill(parse(text), params, [], NaN);
}

/**
 * A `<bdi>` around a code, number or name in Latin script, so that in Arabic text "FRA" or "5–1–0"
 * keeps its own direction and does not pull the punctuation around it (unicode-bidi: isolate).
 */
export function bdi(text) {
  const el = document.createElement('bdi');
  el.textContent = String(text);
  return el;
}

/**
 * What to show for an `error` reply or a failed HTTP call ({code, message}): in English the
 * server's own sentence (the protocol's, more precise); in another language the catalog's sentence
 * for its code (`error.<code>`), the protocol's messages staying English (protocol.md).
 */
export function errorText(err) {
  const key = ERROR_KEYS[err?.code];
  // Our own errors (offline, unreachable) are written with t() already.
  if (err?.message && (lang === SOURCE_LANGUAGE || !key || err.local)) return String(err.message);
  return key ? t(key) : String(err ?? '');
}

// The protocol's error codes (protocol.md; protocol/messages.hpp) and their sentences.
const ERROR_KEYS = {
  bad_request: 'error.bad_request',
  unauthorized: 'error.unauthorized',
  forbidden: 'error.forbidden',
  not_found: 'error.not_found',
  conflict: 'error.conflict',
  too_large: 'error.too_large',
  rate_limited: 'error.rate_limited',
  internal: 'error.internal',
};

/**
 * The server names the chair and the observers in English ({state: "CHAIR", name: "Chair"}: the
 * protocol's words); every actor object in a message or API answer gets the page's word instead.
 * Mutates and returns `value`.
 */
export function localizeActors(value, depth = 0) {
  if (!value || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) {
    for (const item of value) localizeActors(item, depth + 1);
    return value;
  }
  if (typeof value.name === 'string' && Object.hasOwn(ROLE_NAMES, value.state)) value.name = t(ROLE_NAMES[value.state]);
  for (const v of Object.values(value)) if (v && typeof v === 'object') localizeActors(v, depth + 1);
  return value;
}
const ROLE_NAMES = { CHAIR: 'term.chair', OBSERVER: 'term.observer' };

// ---------------------------------------------------------------- static HTML

/**
 * Translates the static HTML under `root`: `data-i18n="id"` sets the element's text;
 * `data-i18n-attr="aria-label:id title:id2"` sets attributes. `<title data-i18n="…">` works too.
 */
export function translateStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    if (el.dataset.i18n) el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.trim().split(/\s+/)) {
      const [attr, id] = pair.split(':');
      if (attr && id) el.setAttribute(attr, t(id));
    }
  }
}

// ---------------------------------------------------------------- the picker

/**
 * A language picker (a labelled <select>, each language in its own name): choosing remembers the
 * language in this browser and reloads the page in it (a `?lang=` in the address is replaced).
 */
export function languagePicker() {
  const id = 'lang-picker-select';
  const select = document.createElement('select');
  select.id = id;
  select.className = 'lang-picker-select';
  for (const l of LANGUAGES) {
    const option = document.createElement('option');
    option.value = l.code;
    option.lang = l.code;
    option.dir = l.dir;
    option.textContent = l.name;
    option.selected = l.code === lang;
    select.append(option);
  }
  select.addEventListener('change', () => {
    try {
      localStorage.setItem(STORAGE_KEY, select.value);
      sessionStorage.setItem(STORAGE_KEY, select.value);
    } catch {
      // not remembered; the address below still carries the choice
    }
    const url = new URL(location.href);
    if (url.searchParams.has('lang')) url.searchParams.set('lang', select.value);
    // Same address (its #code= fragment kept): a reload, which replace() would not do.
    if (url.href === location.href) location.reload();
    else location.replace(url.href);
  });
  const label = document.createElement('label');
  label.htmlFor = id;
  label.className = 'visually-hidden';
  label.textContent = t('common.language');
  const box = document.createElement('span');
  box.className = 'lang-picker';
  box.append(label, select);
  return box;
}
