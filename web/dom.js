// Small DOM helpers shared by every page.
// Everything here builds nodes with createElement/textContent: user text is never parsed as HTML.
import { formatDate, t } from './i18n.js';

const FORBIDDEN_PROPS = new Set(['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'srcdoc']);

/**
 * h('p', {class: 'x', onclick: fn, hidden: true}, 'text', child, [more, children])
 * - attribute values are set with setAttribute (so they are never parsed as markup);
 * - `on<event>` keys with a function value become event listeners;
 * - `dataset: {...}` sets data-* attributes; `style: {'--x': '1'}` sets properties via CSSOM;
 * - boolean true sets an empty attribute, false/null/undefined skip it;
 * - children: strings/numbers become text nodes, null/false are skipped, arrays are flattened.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (FORBIDDEN_PROPS.has(key)) throw new Error(`h(): refusing to set ${key}`);
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'dataset') {
        for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
      } else if (key === 'style') {
        for (const [k, v] of Object.entries(value)) el.style.setProperty(k, String(v));
      } else if (key === 'class' && Array.isArray(value)) {
        el.className = value.filter(Boolean).join(' ');
      } else if (key === 'value' && (tag === 'textarea' || tag === 'input' || tag === 'select')) {
        el.value = String(value);
      } else if (value === true) {
        el.setAttribute(key, '');
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

/** Appends children (strings become text nodes). */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Removes every child of el, then appends the given children. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Text that is read by screen readers but not shown. */
export function srOnly(text) {
  return h('span', { class: 'visually-hidden' }, text);
}

/** Human readable time for an RFC 3339 string, in the page's language and the reader's time zone. */
export function formatTime(iso) {
  return formatDate(iso, {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

/** A <time datetime> element. */
export function timeEl(iso, cls) {
  return h('time', { datetime: iso, class: cls, title: iso }, formatTime(iso));
}

/**
 * Announce a short message in the page's polite live region (and show it as a toast). `link`
 * ({href, label}) adds a link to what the message is about (e.g. the open vote). At most two
 * toasts show at once (the oldest go first); each can be dismissed; they keep clear of the
 * focused control and of the vote bar (placeToasts).
 */
export function announce(message, kind = 'info', link = null) {
  let region = document.getElementById('toasts');
  if (!region) {
    region = h('div', { id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
    document.addEventListener('focusin', placeToasts);
    window.addEventListener('scroll', placeToasts, { passive: true });
  }
  const toast = h('p', { class: ['toast', `toast--${kind}`] }, message,
    link ? [' ', h('a', { href: link.href, class: 'toast-link', onclick: () => toast.remove() }, link.label)] : null);
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': t('common.dismiss') }, '×');
  close.addEventListener('click', () => toast.remove());
  toast.append(close);
  region.append(toast);
  // A busy session (votes, proposals) must not bury the page under messages: two at most.
  while (region.childElementCount > 2) region.firstElementChild.remove();
  const ttl = kind === 'error' ? 15000 : 8000;
  setTimeout(() => toast.remove(), ttl);
  placeToasts();
  return toast;
}

/**
 * Keeps the toasts off the focused control: they sit at the bottom (above the vote bar, whose
 * height the room puts in --vote-bar-h) unless that would cover the focused element, then at the
 * top.
 */
export function placeToasts() {
  const region = document.getElementById('toasts');
  if (!region || !region.childElementCount) return;
  region.classList.remove('toasts--top');
  const focused = document.activeElement;
  if (!focused || focused === document.body || !focused.getBoundingClientRect) return;
  const a = region.getBoundingClientRect();
  const b = focused.getBoundingClientRect();
  const overlaps = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  if (overlaps) region.classList.add('toasts--top');
}

/**
 * Runs `redraw()`, which replaces the children of `container`, and gives the focus back to the
 * new element with the same `data-focus-key` as the one that had it (or to `fallback`), so that
 * live updates never throw a keyboard user out of a panel.
 */
export function keepFocus(container, redraw, fallback = null) {
  const active = document.activeElement;
  const had = active && active !== container && container.contains(active);
  const key = had ? active.dataset?.focusKey ?? null : null;
  // Else the heading of the part it was in (e.g. a proposal's card), else `fallback`.
  const scope = had ? active.closest('[data-focus-scope]')?.id ?? null : null;
  redraw();
  if (!had || container.contains(active)) return;
  const target = (key && container.querySelector(`[data-focus-key="${CSS.escape(key)}"]`))
    || (scope && document.getElementById(scope)?.querySelector('[tabindex="-1"]'))
    || fallback?.();
  target?.focus({ preventScroll: true });
}
