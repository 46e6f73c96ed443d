// The "New draft" form of the organizer's console: title and slug, the text (pasted or read
// from a .txt/.md file), the roster and sponsors, a preview of the paragraphs as the server splits
// them (each kind correctable), then the draft created with the previewed clauses. Every refusal
// is shown as text beside the field it concerns.
import { h, replaceChildren } from './dom.js';
import { t, tn, bdi, errorText } from './i18n.js';
import {
  organizerApi, isRefusal, paths, slugFromTitle, slugProblem, utf8Bytes, MAX_TITLE_BYTES, NAMES_KEY,
} from './organizer.js';
import { rosterPicker } from './roster-picker.js';

const KINDS = [
  ['preamble', 'organize.kind.preamble'],
  ['heading', 'organize.kind.heading'],
  ['operative', 'organize.kind.operative'],
];
const MAX_FILE_BYTES = 2 * 1024 * 1024;  // the API's body limit (ORGANIZER_API.md): 2 MiB

/** A field's error line, announced when it appears; `set('')` hides it. */
function errorLine(id) {
  const el = h('p', { id, class: 'field-error', role: 'alert', hidden: true });
  el.set = (message, field = null) => {
    el.textContent = message ?? '';
    el.hidden = !message;
    if (field) {
      if (message) field.setAttribute('aria-invalid', 'true'); else field.removeAttribute('aria-invalid');
    }
  };
  return el;
}

/**
 * Which field a server refusal concerns, from its `field` (when the server names one) or the
 * place its sentence names ("title …", "clauses[3].text …", "delegations[2].code …", "sponsors[0] …").
 */
export function fieldOf(err, during) {
  if (err.field) return { field: err.field };
  const message = String(err.message ?? '');
  if (err.status === 409 || err.code === 'conflict') return { field: 'slug' };
  const clause = message.match(/clauses\[(\d+)\]/);
  if (clause) return { field: 'clause', index: Number(clause[1]) };
  const delegation = message.match(/delegations\[(\d+)\]/);
  if (delegation) return { field: 'roster', index: Number(delegation[1]) };
  if (/^"?sponsors|\bsponsor/i.test(message)) return { field: 'sponsors' };
  if (/^"?title\b|\btitle\b/i.test(message)) return { field: 'title' };
  if (/\bslug\b/i.test(message)) return { field: 'slug' };
  if (/\broster\b|\bdelegations?\b/i.test(message)) return { field: 'roster' };
  if (during === 'split' || /^"?text\b|\bparagraph|\bclauses?\b/i.test(message)) return { field: 'text' };
  return { field: 'form' };
}

/**
 * The form. `code()` is the organizer code now; `onCreated(slug)` refreshes the list;
 * `onRefused()` asks for the organizer code again. Returns the element.
 */
export function newDraftForm({ code, states, onCreated, onRefused }) {
  let preview = null;       // [{kind, text}] as shown, or null before a preview
  let previewText = null;   // the text the preview was made from
  let slugEdited = false;

  // ---------------------------------------------------------------- title and slug
  const title = h('input', { id: 'draft-title', name: 'title', class: 'input', autocomplete: 'off',
    'aria-describedby': 'draft-title-error' });
  const titleError = errorLine('draft-title-error');
  const slug = h('input', { id: 'draft-slug', name: 'slug', class: 'input input--slug', autocomplete: 'off',
    autocapitalize: 'off', spellcheck: 'false', maxlength: '80', 'aria-describedby': 'draft-slug-hint draft-slug-error' });
  const slugAddress = h('bdi', { class: 'slug' }, '…');
  const slugHint = h('p', { id: 'draft-slug-hint', class: 'hint' }, tn('organize.new.slugHint', { address: slugAddress }));
  const slugError = errorLine('draft-slug-error');

  const checkSlug = () => {
    const problem = slugProblem(slug.value);
    slugError.set(slug.value === '' && !slugEdited ? '' : problem, slug);
    slugAddress.textContent = `${location.origin}${paths.room(slug.value || '…')}`;
    return problem;
  };
  title.addEventListener('input', () => {
    titleError.set('', title);
    if (!slugEdited) slug.value = slugFromTitle(title.value);
    checkSlug();
  });
  slug.addEventListener('input', () => {
    slugEdited = slug.value !== '';
    checkSlug();
  });

  // ---------------------------------------------------------------- the text
  const text = h('textarea', { id: 'draft-text', name: 'text', class: 'input input--text draft-text', rows: '12',
    spellcheck: 'true', 'aria-describedby': 'draft-text-hint draft-text-error' });
  const textError = errorLine('draft-text-error');
  const file = h('input', { id: 'draft-file', type: 'file', class: 'file-input', accept: '.txt,.md,.markdown,text/plain,text/markdown',
    'aria-describedby': 'draft-file-error' });
  const fileError = errorLine('draft-file-error');
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    fileError.set('', file);
    if (!chosen) return;
    if (!/\.(txt|md|markdown)$/i.test(chosen.name)) {
      fileError.set(t('organize.new.fileType', { name: chosen.name }), file);
      return;
    }
    if (chosen.size > MAX_FILE_BYTES) {
      fileError.set(t('organize.new.fileSize', { name: chosen.name }), file);
      return;
    }
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      text.value = String(reader.result ?? '');
      text.dispatchEvent(new Event('input'));
      text.focus();
    });
    reader.addEventListener('error', () => fileError.set(t('organize.new.fileUnreadable', { name: chosen.name }), file));
    reader.readAsText(chosen, 'utf-8');
  });

  // ---------------------------------------------------------------- roster and sponsors
  const sponsorsError = errorLine('sponsors-error');
  const sponsorList = h('ul', { class: 'sponsor-list' });
  const sponsorsChosen = new Set();
  const roster = rosterPicker({ states, onChange: () => renderSponsors() });
  function renderSponsors() {
    const picked = roster.selected();
    const codes = new Set(picked.map((d) => d.code));
    for (const c of [...sponsorsChosen]) if (!codes.has(c)) sponsorsChosen.delete(c);
    roster.setError('');
    if (picked.length === 0) {
      replaceChildren(sponsorList, h('li', { class: 'muted' }, t('organize.new.sponsorsFirst')));
      return;
    }
    replaceChildren(sponsorList, picked.map((d) => {
      const id = `sponsor-${d.code}`;
      const input = h('input', { type: 'checkbox', id, value: d.code, checked: sponsorsChosen.has(d.code) });
      input.addEventListener('change', () => {
        if (input.checked) sponsorsChosen.add(d.code); else sponsorsChosen.delete(d.code);
        sponsorsError.set('');
      });
      return h('li', { class: 'check' }, input, h('label', { for: id }, h('span', { dir: 'auto' }, d.name), ' ', h('bdi', { class: 'code' }, d.code)));
    }));
  }
  const sponsors = h('fieldset', { class: 'sponsors', 'aria-describedby': 'sponsors-hint sponsors-error' },
    h('legend', { class: 'step-title' }, t('term.sponsors'), ' ', h('span', { class: 'optional' }, t('common.optional'))),
    h('p', { id: 'sponsors-hint', class: 'hint' }, t('organize.new.sponsorsHint')),
    sponsorsError, sponsorList);

  // ---------------------------------------------------------------- preview
  const previewButton = h('button', { type: 'button', class: 'button', dataset: { action: 'preview' } }, t('organize.new.preview'));
  const previewSection = h('section', { class: 'preview', 'aria-labelledby': 'preview-title', hidden: true });
  const previewTitle = h('h3', { id: 'preview-title', class: 'step-title', tabindex: '-1' }, t('organize.new.previewTitle'));
  const previewList = h('ol', { class: 'preview-list' });
  const staleNote = h('p', { class: 'notice notice--stale', role: 'status', hidden: true },
    t('organize.new.stale'));
  const clauseErrors = [];
  previewSection.append(previewTitle,
    h('p', { class: 'hint' }, t('organize.new.previewHint')),
    staleNote, previewList);

  const renumber = () => {
    let n = 0;
    let p = 0;
    previewList.querySelectorAll('li.preview-item').forEach((li, i) => {
      const kind = preview[i].kind;
      li.dataset.kind = kind;
      const number = li.querySelector('.clause-number');
      number.textContent = kind === 'operative' ? `${++n}.` : '';
      const label = li.querySelector('.preview-label');
      label.textContent = kind === 'operative' ? t('organize.new.operativeN', { n }) : kind === 'preamble' ? t('organize.new.preambleN', { n: ++p }) : t('organize.kind.heading');
    });
    const ops = preview.filter((c) => c.kind === 'operative').length;
    previewTitle.textContent = t('organize.new.previewCount', { paragraphs: t('organize.new.paragraphs', { n: preview.length }), operative: t('organize.new.operatives', { n: ops }) });
  };

  const showPreview = (clauses) => {
    preview = clauses.map((c) => ({ kind: c.kind, text: c.text }));
    clauseErrors.length = 0;
    replaceChildren(previewList, preview.map((clause, i) => {
      const id = `kind-${i + 1}`;
      const select = h('select', { id, class: 'input input--kind', 'aria-describedby': `clause-error-${i + 1}` },
        KINDS.map(([value, label]) => h('option', { value, selected: value === clause.kind }, t(label))));
      select.value = clause.kind;
      select.addEventListener('change', () => { preview[i].kind = select.value; clauseErrors[i].set(''); renumber(); });
      const err = errorLine(`clause-error-${i + 1}`);
      clauseErrors.push(err);
      return h('li', { class: 'preview-item', dataset: { kind: clause.kind } },
        h('div', { class: 'preview-head' },
          h('span', { class: 'preview-label', 'aria-hidden': 'true' }),
          h('label', { for: id, class: 'visually-hidden' }, t('organize.new.kindOf', { n: i + 1 })),
          select),
        h('div', { class: 'preview-body' }, h('span', { class: 'clause-number', 'aria-hidden': 'true' }),
          h('p', { class: 'preview-text', dir: 'auto' }, clause.text)),
        err);
    }));
    renumber();
    previewSection.hidden = false;
    staleNote.hidden = true;
    createButton.disabled = false;
    previewTitle.focus();
  };

  text.addEventListener('input', () => {
    textError.set('', text);
    if (preview && text.value !== previewText) { staleNote.hidden = false; createButton.disabled = true; }
    else if (preview) { staleNote.hidden = true; createButton.disabled = false; }
  });

  previewButton.addEventListener('click', async () => {
    textError.set('', text);
    if (text.value.trim() === '') {
      textError.set(t('organize.new.textFirst'), text);
      text.focus();
      return;
    }
    previewButton.disabled = true;
    const sent = text.value;
    try {
      const answer = await organizerApi.split(sent, code());
      previewText = sent;
      // A server that takes the title from the text's first line offers it; the form keeps any typed one.
      if (typeof answer.title === 'string' && answer.title && !title.value.trim()) {
        title.value = answer.title;
        title.dispatchEvent(new Event('input'));
      }
      showPreview(answer.clauses ?? []);
    } catch (err) {
      if (isRefusal(err)) { onRefused(); return; }
      textError.set(errorText(err), text);
      text.focus();
    } finally {
      previewButton.disabled = false;
    }
  });

  // ---------------------------------------------------------------- create
  const createButton = h('button', { type: 'submit', class: 'button button--primary', disabled: true }, t('organize.new.create'));
  const formError = errorLine('create-error');
  const result = h('section', { class: 'created', hidden: true, 'aria-labelledby': 'created-title' });

  const fields = { title, slug, text };
  const errors = { title: titleError, slug: slugError, text: textError };
  const clearErrors = () => {
    for (const k of Object.keys(errors)) errors[k].set('', fields[k]);
    roster.setError('');
    sponsorsError.set('');
    formError.set('');
    for (const e of clauseErrors) e.set('');
  };

  const showServerError = (err, picked) => {
    const where = fieldOf(err, 'create');
    const message = errorText(err);
    if (where.field === 'clause' && clauseErrors[where.index]) {
      clauseErrors[where.index].set(message);
      previewList.querySelectorAll('select')[where.index]?.focus();
    } else if (where.field === 'roster') {
      const d = picked[where.index];
      roster.setError(d ? `${d.name} (${d.code}): ${message}` : message);
      roster.focus();
    } else if (where.field === 'sponsors') {
      sponsorsError.set(message);
      sponsorList.querySelector('input')?.focus();
    } else if (errors[where.field]) {
      errors[where.field].set(message, fields[where.field]);
      fields[where.field].focus();
    } else {
      formError.set(message);
    }
  };

  const form = h('form', { class: 'new-draft', novalidate: true, 'aria-labelledby': 'new-title' });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    const picked = roster.selected();
    const problems = [];
    const typed = title.value.trim();
    if (!typed) problems.push(() => { titleError.set(t('organize.new.titleEmpty'), title); title.focus(); });
    else if (utf8Bytes(typed) > MAX_TITLE_BYTES) problems.push(() => { titleError.set(t('organize.new.titleLong', { n: MAX_TITLE_BYTES }), title); title.focus(); });
    slugEdited = true;
    if (checkSlug()) problems.push(() => slug.focus());
    if (picked.length === 0) problems.push(() => { roster.setError(t('organize.new.rosterEmpty')); roster.focus(); });
    if (!preview || text.value !== previewText) problems.push(() => { textError.set(t('organize.new.previewFirst'), text); previewButton.focus(); });
    if (problems.length) {
      // Every message is shown; the focus goes to the first field to fix.
      for (const p of problems.slice(1).reverse()) p();
      problems[0]();
      return;
    }
    const draftFile = {
      title: typed,
      delegations: picked.map((d) => ({ code: d.code, name: d.name })),
      clauses: preview.map((c) => ({ kind: c.kind, text: c.text })),
    };
    const sponsorCodes = picked.map((d) => d.code).filter((c) => sponsorsChosen.has(c));
    if (sponsorCodes.length) draftFile.sponsors = sponsorCodes;
    createButton.disabled = true;
    try {
      const answer = await organizerApi.create(slug.value, draftFile, code());
      const names = Object.fromEntries(picked.map((d) => [d.code, d.name]));
      // The roster in its order, for the slips page of this tab (the API answers codes only).
      try { sessionStorage.setItem(NAMES_KEY(answer.slug ?? slug.value), JSON.stringify(picked.map((d) => [d.code, d.name]))); } catch { /* only a help */ }
      showResult(answer, typed, names);
      onCreated(answer.slug ?? slug.value);
    } catch (err) {
      if (isRefusal(err)) { onRefused(); return; }
      showServerError(err, picked);
    } finally {
      createButton.disabled = false;
    }
  });

  function showResult(answer, draftTitle, names) {
    const s = answer.slug ?? slug.value;
    const links = answer.links ?? {};
    const rows = [];
    if (links.chair) rows.push([t('term.chair'), links.chair]);
    if (links.observer) rows.push([t('term.observer'), links.observer]);
    for (const [c, link] of Object.entries(links.delegations ?? {})) rows.push([`${names[c] ?? c} (${c})`, link]);
    const heading = h('h3', { id: 'created-title', tabindex: '-1' }, t('organize.new.ready', { title: draftTitle }));
    const again = h('button', { type: 'button', class: 'button button--quiet' }, t('organize.new.another'));
    again.addEventListener('click', () => {
      form.reset();
      roster.reset();
      preview = null;
      previewText = null;
      slugEdited = false;
      previewSection.hidden = true;
      createButton.disabled = true;
      result.hidden = true;
      form.hidden = false;
      checkSlug();
      title.focus();
    });
    replaceChildren(result,
      heading,
      h('p', null, tn('organize.new.roomOpen', {
        address: h('bdi', { class: 'slug' }, `${location.origin}${paths.room(s)}`),
        n: rows.length - (links.chair ? 1 : 0) - (links.observer ? 1 : 0) })),
      h('p', { class: 'actions' },
        h('a', { class: 'button button--primary', href: paths.slips(s) }, t('organize.new.printSlips')),
        h('a', { class: 'button', href: paths.room(s) }, t('organize.new.openRoom')),
        again),
      h('details', { class: 'created-links' },
        h('summary', null, t('organize.new.linksIssued', { n: rows.length })),
        h('p', { class: 'hint' }, t('organize.new.linksHint')),
        h('ul', { class: 'link-list' }, rows.map(([who, link]) => h('li', null,
          h('span', { class: 'link-who' }, who), ' ', h('bdi', { class: 'link-text' }, `${location.origin}${link}`))))));
    form.hidden = true;
    result.hidden = false;
    heading.focus();
  }

  form.append(
    h('fieldset', { class: 'step' },
      h('legend', { class: 'step-title' }, t('organize.new.titleStep')),
      h('label', { for: 'draft-title', class: 'label' }, t('organize.new.titleLabel')), title, titleError,
      h('label', { for: 'draft-slug', class: 'label' }, t('organize.new.slugLabel')), slug, slugHint, slugError),
    h('fieldset', { class: 'step' },
      h('legend', { class: 'step-title' }, t('organize.new.textStep')),
      h('label', { for: 'draft-text', class: 'label' }, t('organize.new.textLabel')),
      h('p', { id: 'draft-text-hint', class: 'hint' }, t('organize.new.textHint')),
      text, textError,
      h('label', { for: 'draft-file', class: 'label' }, t('organize.new.fileLabel'), ' ', h('span', { class: 'optional' }, t('organize.new.fileTypes'))),
      file, fileError),
    roster.element,
    sponsors,
    h('p', { class: 'actions' }, previewButton),
    previewSection,
    formError,
    h('p', { class: 'actions' }, createButton,
      h('span', { class: 'hint' }, t('organize.new.nothingYet'))));
  renderSponsors();
  checkSlug();

  return h('section', { id: 'new', class: 'org-section', 'aria-labelledby': 'new-title' },
    h('h2', { id: 'new-title' }, t('organize.new.title')),
    form, result);
}
