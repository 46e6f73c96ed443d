// The landing page: what plenary is, and a form that takes a join link (or a code and a draft name).
import { startI18n, t } from './i18n.js';
import { h, replaceChildren } from './dom.js';
import { parseJoinInput, storeCode, paths } from './api.js';

// The language first: everything below draws in it (i18n.js).
await startI18n();
const mount = document.getElementById('join');
const codeInput = h('input', { id: 'join-input', name: 'link', type: 'text', class: 'input', autocomplete: 'off',
  autocapitalize: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'join-input-hint' });
const slugInput = h('input', { id: 'join-slug', name: 'draft', type: 'text', class: 'input input--slug', autocomplete: 'off',
  autocapitalize: 'off', spellcheck: 'false', pattern: '[a-z0-9][a-z0-9\\-]{0,62}', 'aria-describedby': 'join-slug-hint' });
const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
const form = h('form', { class: 'join-form', novalidate: true, 'aria-labelledby': 'join-title' },
  h('h2', { id: 'join-title' }, t('join.formTitle')),
  error,
  h('label', { for: 'join-input', class: 'label' }, t('join.linkLabel')),
  codeInput,
  h('p', { id: 'join-input-hint', class: 'hint' }, t('join.linkHint')),
  h('label', { for: 'join-slug', class: 'label' }, t('join.slugLabel'), ' ', h('span', { class: 'optional' }, t('join.slugOptional'))),
  slugInput,
  h('p', { id: 'join-slug-hint', class: 'hint' }, t('join.slugHint')),
  h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'button button--primary' }, t('join.enter'))));

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const { slug: linkSlug, code } = parseJoinInput(codeInput.value);
  const slug = linkSlug ?? slugInput.value.trim().toLowerCase();
  const fail = (msg, field) => {
    error.textContent = msg;
    error.hidden = false;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  };
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) {
    fail(linkSlug === null && code ? t('join.whichDraft') : t('join.pasteLink'), linkSlug === null && code ? slugInput : codeInput);
    return;
  }
  if (code) storeCode(slug, code);
  location.assign(paths.room(slug));
});

replaceChildren(mount, form);
// A join link that landed on / (e.g. /#code=…) should not keep the code in the address bar.
if (location.hash.includes('code=')) history.replaceState(null, '', location.pathname);
