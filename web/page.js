// Pieces every page shares: the "not found" state, the join form as a page, and the join-or-load
// flow of read-only pages.
import { h, replaceChildren } from './dom.js';
import { paths, findCode, forgetCode, showJoinForm } from './api.js';

export const CODE_REFUSED = 'That join code was not accepted for this draft. Check the code (or paste the whole join link) and try again.';

export function notFoundPage(container, message = 'This address does not name a draft.') {
  document.title = 'Not found — plenary';
  replaceChildren(container, h('section', { class: 'panel' },
    h('h1', null, 'Not found'),
    h('p', null, message),
    h('p', null, h('a', { href: '/' }, 'Go to the start page'))));
}

/** The join form as the whole page: `onCode(code)` gets a code for this draft. */
export function askForCode(container, slug, message, onCode) {
  document.title = `Join ${slug} — plenary`;
  const box = h('section', { class: 'join-panel' });
  replaceChildren(container, box);
  showJoinForm(box, { slug, message, onCode });
}

/**
 * For pages that read over HTTP (history, log): use the code from the fragment or this tab's
 * storage, or ask for one. `load(code)` returns a promise; a 401/403 forgets the code and asks again.
 */
export function withCode(container, slug, load) {
  const run = async (code) => {
    replaceChildren(container, h('p', { class: 'loading', role: 'status' }, 'Loading…'));
    try {
      await load(code);
    } catch (err) {
      if (err && (err.status === 401 || err.status === 403 || err.code === 'unauthorized')) {
        forgetCode(slug);
        ask(CODE_REFUSED);
      } else if (err && err.status === 404) {
        notFoundPage(container, err.message || 'Not found.');
      } else {
        replaceChildren(container, h('section', { class: 'panel' },
          h('h1', null, 'Something went wrong'),
          h('p', { role: 'alert' }, err?.message ?? String(err)),
          h('p', null, h('a', { href: paths.room(slug) }, 'Back to the drafting room'))));
      }
    }
  };
  const ask = (message) => askForCode(container, slug, message, run);
  findCode(slug).then((code) => (code ? run(code) : ask(null)));
}
