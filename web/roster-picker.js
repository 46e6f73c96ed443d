// The roster of a new draft, picked in the organizer's console: the UN's member and observer
// states (web/data/un-members.json) searchable, all at once or by regional group, plus free
// entries (a code and a name) for fictional states or organisations. Keeps its own selection;
// `onChange()` tells the page (sponsors, counts) after every change.
import { h, replaceChildren } from './dom.js';
import { STATE_CODE_RE, MAX_NAME_BYTES, utf8Bytes, count } from './organizer.js';

export const GROUPS = [
  ['African', 'African Group'],
  ['Asia-Pacific', 'Asia-Pacific Group'],
  ['Eastern European', 'Eastern European Group'],
  ['Latin American and Caribbean', 'Latin American and Caribbean Group'],
  ['Western European and others', 'Western European and others Group'],
  [null, 'Observer states'],
];

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
    countEl.textContent = n === 0 ? 'No delegation chosen yet.' : `${count(n, 'delegation', 'delegations')} chosen.`;
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
  const shownEl = h('p', { id: 'roster-search-hint', class: 'hint' }, 'Type part of a name or a code, e.g. “fra” or “Korea”.');
  const countEl = h('p', { class: 'roster-count', role: 'status', 'aria-live': 'polite' });
  const visible = () => [...boxes.values()].filter((b) => !b.item.hidden);

  const selectShown = h('button', { type: 'button', class: 'button button--quiet' }, 'Select all');
  selectShown.addEventListener('click', () => { for (const b of visible()) toggle(b.state.code, true); changed(); });
  const clearAll = h('button', { type: 'button', class: 'button button--quiet' }, 'Clear');
  clearAll.addEventListener('click', () => { for (const b of visible()) toggle(b.state.code, false); changed(); });

  const groupRow = h('div', { class: 'roster-groups', role: 'group', 'aria-labelledby': 'roster-groups-label' },
    h('span', { id: 'roster-groups-label', class: 'roster-groups-label' }, 'Select a regional group:'));
  for (const [group, label] of GROUPS) {
    const codes = states.filter((s) => (s.group ?? null) === group).map((s) => s.code);
    if (codes.length === 0) continue;
    const button = h('button', { type: 'button', class: 'chip-button', 'aria-pressed': 'false',
      title: `Select every state of the ${label}; again to remove them` },
    label.replace(/ Group$/, ''), ' ', h('span', { class: 'chip-count' }, `(${codes.length})`));
    button.addEventListener('click', () => {
      const all = codes.every((c) => chosen.has(c));
      for (const c of codes) toggle(c, !all);
      changed();
    });
    groupButtons.push({ button, codes });
    groupRow.append(button);
  }

  // ---------------------------------------------------------------- the list, by group
  const list = h('div', { id: 'roster-list', class: 'roster-list', role: 'group', 'aria-label': 'UN member and observer states' });
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
        h('label', { for: id }, state.name, ' ', h('span', { class: 'code' }, state.code)));
      boxes.set(state.code, { input, item, state, key: fold(`${state.name} ${state.code}`) });
      ul.append(item);
    }
    const section = h('section', { class: 'roster-group' }, h('h3', { class: 'roster-group-title' }, label), ul);
    sections.push({ section, codes: members.map((s) => s.code) });
    list.append(section);
  }
  const nothing = h('p', { class: 'muted roster-none', hidden: true }, 'No state matches. Add it below as another participant if it is not a UN state.');
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
    selectShown.textContent = q ? `Select the ${count(shown, 'state', 'states')} shown` : 'Select all';
    clearAll.textContent = q ? 'Clear those shown' : 'Clear';
  });

  // ---------------------------------------------------------------- free entries
  const freeCode = h('input', { id: 'free-code', class: 'input input--code free-code', autocomplete: 'off',
    autocapitalize: 'characters', spellcheck: 'false', maxlength: '8', 'aria-describedby': 'free-hint free-error' });
  const freeName = h('input', { id: 'free-name', class: 'input', autocomplete: 'off', 'aria-describedby': 'free-hint free-error' });
  const freeError = h('p', { id: 'free-error', class: 'field-error', role: 'alert', hidden: true });
  const freeList = h('ul', { class: 'free-list' });
  const addFree = h('button', { type: 'button', class: 'button' }, 'Add');

  const freeProblem = (code, name) => {
    if (!STATE_CODE_RE.test(code)) return ['code', 'The code is 2 to 8 capital letters or digits, e.g. ATL or WHO.'];
    if (code === 'CHAIR') return ['code', 'CHAIR is the chair’s code; choose another.'];
    if (boxes.has(code)) return ['code', `${code} is ${boxes.get(code).state.name}: tick it in the list above instead.`];
    if (free.some((f) => f.code === code)) return ['code', `${code} is already on the list.`];
    if (!name) return ['name', 'Give the participant a name, e.g. Republic of Atlantis.'];
    if (/[<>]/.test(name)) return ['name', 'A name cannot contain < or >.'];
    if (utf8Bytes(name) > MAX_NAME_BYTES) return ['name', `A name is at most ${MAX_NAME_BYTES} bytes.`];
    return null;
  };
  const renderFree = () => {
    replaceChildren(freeList, free.map((f) => {
      const remove = h('button', { type: 'button', class: 'tool tool--danger', 'aria-label': `Remove ${f.name} (${f.code})` }, 'Remove');
      remove.addEventListener('click', () => {
        free.splice(free.indexOf(f), 1);
        renderFree();
        changed();
        freeCode.focus();
      });
      return h('li', { class: 'free-item' }, h('span', null, f.name, ' ', h('span', { class: 'code' }, f.code)), remove);
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
    h('legend', { class: 'step-title' }, 'Delegations'),
    h('p', { class: 'hint' }, 'Each delegation gets its own join slip. Pick the states taking part; sponsors are chosen among them below.'),
    error,
    h('div', { class: 'roster-tools' },
      h('div', { class: 'roster-find' }, h('label', { for: 'roster-search', class: 'label' }, 'Find a state'), search, shownEl),
      h('p', { class: 'actions roster-bulk' }, selectShown, clearAll)),
    groupRow,
    countEl,
    list,
    h('fieldset', { class: 'roster-free' },
      h('legend', null, 'Other participants ', h('span', { class: 'optional' }, '(fictional states, organisations)')),
      h('p', { id: 'free-hint', class: 'hint' }, 'For a workshop: a code of 2 to 8 capital letters or digits, and a name.'),
      h('div', { class: 'free-row' },
        h('div', { class: 'free-field free-field--code' }, h('label', { for: 'free-code', class: 'label' }, 'Code'), freeCode),
        h('div', { class: 'free-field' }, h('label', { for: 'free-name', class: 'label' }, 'Name'), freeName),
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
