// Pieces every page shares: the "not found" state, the join form as a page, and the join-or-load
// flow of read-only pages.
import { t, errorText } from './i18n.js';
import { h, replaceChildren } from './dom.js';
import { paths, findCode, forgetCode, showJoinForm } from './api.js';

/** The sentence shown when a join code is refused (a function: the language is known only at run time). */
export const codeRefused = () => t('join.codeRefused');

export function notFoundPage(container, message = t('page.noSuchDraft')) {
  document.title = t('page.notFoundTitle');
  replaceChildren(container, h('section', { class: 'panel' },
    h('h1', null, t('page.notFound')),
    h('p', null, message),
    h('p', null, h('a', { href: '/' }, t('page.toStart')))));
}

/** The join form as the whole page: `onCode(code)` gets a code for this draft. */
export function askForCode(container, slug, message, onCode) {
  document.title = t('join.pageTitleDraft', { slug });
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
    replaceChildren(container, h('p', { class: 'loading', role: 'status' }, t('common.loading')));
    try {
      await load(code);
    } catch (err) {
      if (err && (err.status === 401 || err.status === 403 || err.code === 'unauthorized')) {
        forgetCode(slug);
        ask(codeRefused());
      } else if (err && err.status === 404) {
        notFoundPage(container, errorText(err));
      } else {
        replaceChildren(container, h('section', { class: 'panel' },
          h('h1', null, t('page.wentWrong')),
          h('p', { role: 'alert' }, errorText(err)),
          h('p', null, h('a', { href: paths.room(slug) }, t('page.backToRoom')))));
      }
    }
  };
  const ask = (message) => askForCode(container, slug, message, run);
  findCode(slug).then((code) => (code ? run(code) : ask(null)));
}
