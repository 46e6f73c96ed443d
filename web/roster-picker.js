// The roster of a new draft, picked in the organizer's console: the UN's member and observer
// states (web/data/un-members.json) searchable, all at once or by regional group, plus free
// entries (a code and a name) for fictional states or organisations. Keeps its own selection;
// `onChange()` tells the page (sponsors, counts) after every change.
import { h, replaceChildren } from './dom.js';
import { t, bdi } from './i18n.js';
import { STATE_CODE_RE, MAX_NAME_BYTES, utf8Bytes } from './organizer.js';

// The UN's regional groups as un-members.json names them, and the message ids of their names.
export const GROUPS = [
  ['African', 'organize.group.african'],  // i18n-ok: the group as un-members.json names it
  ['Asia-Pacific', 'organize.group.asiaPacific'],  // i18n-ok: the group as un-members.json names it
  ['Eastern European', 'organize.group.easternEuropean'],  // i18n-ok: the group as un-members.json names it
  ['Latin American and Caribbean', 'organize.group.latinAmerican'],  // i18n-ok: the group as un-members.json names it
  ['Western European and others', 'organize.group.westernEuropean'],  // i18n-ok: the group as un-members.json names it
  [null, 'organize.group.observers'],
];

// A state's name as un-members.json gives it (English): marked as English for the reader's
// browser (and the i18n test, which leaves names alone).
const stateName = (name) => h('span', { lang: 'en', dir: 'auto' }, name);

/** Lower case without accents, so that "cote" finds Côte d'Ivoire and "turk" Türkiye. */
const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/**
 * Builds the picker. `states`: [{code, name, group, observer}]. Returns
 * {element, selected() -> [{code, name}] (UN order, then free entries), setError(msg), focus()}.
 */
export function rosterPicker({ states, onChange }) {
  const chosen = new Set();
  const free = [];            // [{code, name}] in the order added
  const boxes = new Map();    // code -> {input, item, state}
  const groupButtons = [];

  const updateView = () => {
    for (const { button, codes } of groupButtons) {
      const all = codes.length > 0 && codes.every((c) => chosen.has(c));
      button.setAttribute('aria-pressed', all ? 'true' : 'false');
    }
    const n = chosen.size + free.length;
    countEl.textContent = n === 0 ? t('organize.roster.none') : t('organize.roster.chosen', { n });
  };
  const changed = () => { updateView(); onChange?.(); };

  const toggle = (code, on) => {
    if (on) chosen.add(code); else chosen.delete(code);
    const box = boxes.get(code);
    if (box) box.input.checked = on;
  };

  // ---------------------------------------------------------------- search and bulk choices
  const search = h('input', {
    id: 'roster-search', type: 'search', class: 'input roster-search', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'roster-search-hint', 'aria-controls': 'roster-list',
  });
  const shownEl = h('p', { id: 'roster-search-hint', class: 'hint' }, t('organize.roster.searchHint'));
  const countEl = h('p', { class: 'roster-count', role: 'status', 'aria-live': 'polite' });
  const visible = () => [...boxes.values()].filter((b) => !b.item.hidden);

  const selectShown = h('button', { type: 'button', class: 'button button--quiet' }, t('organize.roster.selectAll'));
  selectShown.addEventListener('click', () => { for (const b of visible()) toggle(b.state.code, true); changed(); });
  const clearAll = h('button', { type: 'button', class: 'button button--quiet' }, t('organize.roster.clear'));
  clearAll.addEventListener('click', () => { for (const b of visible()) toggle(b.state.code, false); changed(); });

  const groupRow = h('div', { class: 'roster-groups', role: 'group', 'aria-labelledby': 'roster-groups-label' },
    h('span', { id: 'roster-groups-label', class: 'roster-groups-label' }, t('organize.roster.groups')));
  for (const [group, label] of GROUPS) {
    const codes = states.filter((s) => (s.group ?? null) === group).map((s) => s.code);
    if (codes.length === 0) continue;
    const button = h('button', { type: 'button', class: 'chip-button', 'aria-pressed': 'false',
      title: t('organize.roster.groupTitle', { group: t(label) }) },
    t(label), ' ', h('span', { class: 'chip-count' }, '(', bdi(codes.length), ')'));
    button.addEventListener('click', () => {
      const all = codes.every((c) => chosen.has(c));
      for (const c of codes) toggle(c, !all);
      changed();
    });
    groupButtons.push({ button, codes });
    groupRow.append(button);
  }

  // ---------------------------------------------------------------- the list, by group
  const list = h('div', { id: 'roster-list', class: 'roster-list', role: 'group', 'aria-label': t('organize.roster.listLabel') });
  const sections = [];
  for (const [group, label] of GROUPS) {
    const members = states.filter((s) => (s.group ?? null) === group);
    if (members.length === 0) continue;
    const ul = h('ul', { class: 'roster-states' });
    for (const state of members) {
      const id = `state-${state.code}`;
      const input = h('input', { type: 'checkbox', id, value: state.code });
      input.addEventListener('change', () => { toggle(state.code, input.checked); changed(); });
      const item = h('li', { class: 'check roster-state' }, input,
        h('label', { for: id }, stateName(state.name), ' ', h('bdi', { class: 'code' }, state.code)));
      boxes.set(state.code, { input, item, state, key: fold(`${state.name} ${state.code}`) });
      ul.append(item);
    }
    const section = h('section', { class: 'roster-group' }, h('h3', { class: 'roster-group-title' }, t(label)), ul);
    sections.push({ section, codes: members.map((s) => s.code) });
    list.append(section);
  }
  const nothing = h('p', { class: 'muted roster-none', hidden: true }, t('organize.roster.noMatch'));
  list.append(nothing);

  search.addEventListener('input', () => {
    const q = fold(search.value.trim());
    let shown = 0;
    for (const b of boxes.values()) {
      b.item.hidden = q !== '' && !b.key.includes(q);
      if (!b.item.hidden) shown += 1;
    }
    for (const { section, codes } of sections) section.hidden = codes.every((c) => boxes.get(c).item.hidden);
    nothing.hidden = shown > 0;
    selectShown.textContent = q ? t('organize.roster.selectShown', { n: shown }) : t('organize.roster.selectAll');
    clearAll.textContent = q ? t('organize.roster.clearShown') : t('organize.roster.clear');
  });

  // ---------------------------------------------------------------- free entries
  const freeCode = h('input', { id: 'free-code', class: 'input input--code free-code', autocomplete: 'off',
    autocapitalize: 'characters', spellcheck: 'false', maxlength: '8', 'aria-describedby': 'free-hint free-error' });
  const freeName = h('input', { id: 'free-name', class: 'input', autocomplete: 'off', 'aria-describedby': 'free-hint free-error' });
  const freeError = h('p', { id: 'free-error', class: 'field-error', role: 'alert', hidden: true });
  const freeList = h('ul', { class: 'free-list' });
  const addFree = h('button', { type: 'button', class: 'button' }, t('organize.roster.add'));

  const freeProblem = (code, name) => {
    if (!STATE_CODE_RE.test(code)) return ['code', t('organize.roster.codeRule')];
    if (code === 'CHAIR') return ['code', t('organize.roster.codeChair')];
    if (boxes.has(code)) return ['code', t('organize.roster.codeTaken', { code, name: boxes.get(code).state.name })];
    if (free.some((f) => f.code === code)) return ['code', t('organize.roster.codeTwice', { code })];
    if (!name) return ['name', t('organize.roster.nameEmpty')];
    if (/[<>]/.test(name)) return ['name', t('organize.roster.nameAngle')];
    if (utf8Bytes(name) > MAX_NAME_BYTES) return ['name', t('organize.roster.nameLong', { n: MAX_NAME_BYTES })];
    return null;
  };
  const renderFree = () => {
    replaceChildren(freeList, free.map((f) => {
      const remove = h('button', { type: 'button', class: 'tool tool--danger', 'aria-label': t('organize.roster.removeLabel', { name: f.name, code: f.code }) }, t('organize.roster.remove'));
      remove.addEventListener('click', () => {
        free.splice(free.indexOf(f), 1);
        renderFree();
        changed();
        freeCode.focus();
      });
      return h('li', { class: 'free-item' }, h('span', null, h('span', { dir: 'auto' }, f.name), ' ', h('bdi', { class: 'code' }, f.code)), remove);
    }));
  };
  const add = () => {
    const code = freeCode.value.trim().toUpperCase();
    const name = freeName.value.trim().replace(/\s+/g, ' ');
    const problem = freeProblem(code, name);
    for (const el of [freeCode, freeName]) el.removeAttribute('aria-invalid');
    if (problem) {
      const field = problem[0] === 'code' ? freeCode : freeName;
      freeError.textContent = problem[1];
      freeError.hidden = false;
      field.setAttribute('aria-invalid', 'true');
      field.focus();
      return;
    }
    freeError.hidden = true;
    free.push({ code, name });
    freeCode.value = '';
    freeName.value = '';
    renderFree();
    changed();
    freeCode.focus();
  };
  addFree.addEventListener('click', add);
  for (const el of [freeCode, freeName]) {
    el.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); add(); } });
  }

  const error = h('p', { id: 'roster-error', class: 'field-error', role: 'alert', hidden: true });
  const element = h('fieldset', { class: 'roster', 'aria-describedby': 'roster-error' },
    h('legend', { class: 'step-title' }, t('organize.roster.title')),
    h('p', { class: 'hint' }, t('organize.roster.hint')),
    error,
    h('div', { class: 'roster-tools' },
      h('div', { class: 'roster-find' }, h('label', { for: 'roster-search', class: 'label' }, t('organize.roster.find')), search, shownEl),
      h('p', { class: 'actions roster-bulk' }, selectShown, clearAll)),
    groupRow,
    countEl,
    list,
    h('fieldset', { class: 'roster-free' },
      h('legend', null, t('organize.roster.others'), ' ', h('span', { class: 'optional' }, t('organize.roster.othersNote'))),
      h('p', { id: 'free-hint', class: 'hint' }, t('organize.roster.freeHint')),
      h('div', { class: 'free-row' },
        h('div', { class: 'free-field free-field--code' }, h('label', { for: 'free-code', class: 'label' }, t('organize.roster.code')), freeCode),
        h('div', { class: 'free-field' }, h('label', { for: 'free-name', class: 'label' }, t('organize.roster.name')), freeName),
        h('div', { class: 'free-field free-field--add' }, addFree)),
      freeError,
      freeList));
  updateView();

  return {
    element,
    selected: () => [
      ...states.filter((s) => chosen.has(s.code)).map((s) => ({ code: s.code, name: s.name })),
      ...free.map((f) => ({ ...f })),
    ],
    setError(message) {
      error.textContent = message ?? '';
      error.hidden = !message;
      if (message) element.setAttribute('aria-invalid', 'true'); else element.removeAttribute('aria-invalid');
    },
    focus: () => search.focus(),
    reset() {
      for (const code of [...chosen]) toggle(code, false);
      free.length = 0;
      renderFree();
      search.value = '';
      search.dispatchEvent(new Event('input'));
      changed();
    },
  };
}
