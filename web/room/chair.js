// The chair's controls (role chair only), under the header: the stage (working → formal →
// adopted, forward only and irreversible, so each move asks for confirmation), the sponsors (while working), and
// naming the current text as a version. Opening a vote is on each tabled proposal's card, closing
// it in the vote panel.
import { h, replaceChildren, keepFocus, announce } from '../dom.js';
import { stageLabel } from '../labels.js';
import { state, els, isChair, nameOf } from './state.js';
import { onProcedureChange, act, refusalText, openVote } from './procedure.js';

const NEXT = { working: 'formal', formal: 'adopted' };
const TAG_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const CODE_RE = /^[A-Z0-9]{2,8}$/;

let confirming = false; // the chair is asked to confirm the move to the next stage
let error = null;
let sponsorsDraft = null; // what the chair typed, kept across redraws
const tagDraft = { name: '', note: '' };

/** Starts redrawing the chair's controls after every procedural change (room.js calls it once, at start). */
export function initChair() {
  onProcedureChange(renderChair);
}

export function renderChair() {
  const root = els.chair;
  if (!root) return;
  if (!isChair()) { root.hidden = true; root.replaceChildren(); return; }
  root.hidden = false;
  keepFocus(root, () => replaceChildren(root,
    h('h2', { id: 'chair-title', class: 'chair-title' }, 'Chair'),
    stageRow(),
    confirming ? stageConfirm() : null,
    voteRow(),
    state.stage === 'working' ? sponsorsRow() : null,
    state.stage !== 'adopted' ? tagRow() : null,
    h('p', { class: 'form-error', role: 'alert', hidden: !error }, error ?? ''),
  ), () => root.querySelector('h2'));
}

async function send(msg, okText) {
  error = null;
  try {
    await act(msg);
    if (okText) announce(okText, 'success');
    return true;
  } catch (err) {
    error = refusalText(err);
    announce(error, 'error');
    return false;
  } finally {
    renderChair();
  }
}

function stageRow() {
  const next = NEXT[state.stage];
  let button = null;
  if (next && !confirming) {
    button = h('button', {
      type: 'button', class: 'button', dataset: { focusKey: 'stage', action: 'stage' },
      onclick: () => { confirming = true; error = null; renderChair(); els.chair.querySelector('[data-focus-key="adopt"]')?.focus(); },
    }, next === 'formal' ? 'Move to the formal stage…' : 'Adopt the text…');
  }
  const explain = state.stage === 'working'
    ? 'Delegations amend directly. In the formal stage only adopted proposals (and you) change the text.'
    : state.stage === 'formal' ? 'Delegations change the text only through proposals. Adopting makes the text final.'
      : 'The text is final; the tag “adopted” marks it.';
  return h('div', { class: 'chair-row' },
    h('p', { class: 'chair-stage' }, h('span', { class: 'label-inline' }, 'Stage: '),
      h('strong', null, stageLabel(state.stage)), '. ', h('span', { class: 'hint' }, explain)),
    button);
}

/** "Move to the formal stage?" or "Adopt the text as it stands?": stages never move back. */
function stageConfirm() {
  const vote = openVote();
  const next = NEXT[state.stage];
  if (!next) { confirming = false; return null; }
  const formal = next === 'formal';
  return h('div', { class: 'confirm chair-confirm', role: 'group', 'aria-labelledby': 'adopt-q' },
    formal
      ? h('p', { class: 'confirm-question', id: 'adopt-q' }, h('strong', null, 'Move the draft to the formal stage?'),
        ' This cannot be undone: delegations will no longer amend the text directly, only through proposals that the committee adopts, and the sponsors can no longer change.')
      : h('p', { class: 'confirm-question', id: 'adopt-q' }, h('strong', null, 'Adopt the text as it stands?'),
        ' It becomes final: no amendment, proposal or vote is possible afterwards, and the tag “adopted” records it.',
        vote ? ` The vote on proposal ${vote.n} is still open.` : ''),
    h('p', { class: 'actions' },
      h('button', {
        type: 'button', class: ['button', formal ? 'button--primary' : 'button--danger'], dataset: { focusKey: 'adopt' },
        onclick: async () => { confirming = false; await send({ type: 'stage', stage: next }); },
      }, formal ? 'Move to the formal stage' : 'Adopt the text'),
      ' ',
      h('button', {
        type: 'button', class: 'button', dataset: { focusKey: 'adopt-cancel' },
        onclick: () => { confirming = false; renderChair(); els.chair.querySelector('[data-focus-key="stage"]')?.focus(); },
      }, 'Cancel')));
}

function voteRow() {
  if (state.stage === 'adopted') return null;
  const vote = openVote();
  const tabled = [...state.proposals.values()].filter((p) => p.status === 'tabled').length;
  return h('p', { class: 'chair-votes hint' },
    vote ? ['The vote on proposal ', String(vote.n), ' is open: ', h('a', { href: '#vote' }, 'close it in the vote panel'), '. ']
      : null,
    tabled ? [`${tabled} tabled ${tabled === 1 ? 'proposal awaits' : 'proposals await'} a decision: `,
      h('a', { href: '#proposals' }, 'put one to the vote from its card'), '.'] : (vote ? null : 'No proposal awaits a decision.'));
}

function sponsorsRow() {
  const input = h('input', {
    id: 'chair-sponsors', type: 'text', class: 'input input--inline', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'chair-sponsors-hint', dataset: { focusKey: 'sponsors' },
  });
  input.value = sponsorsDraft ?? state.sponsors.join(', ');
  input.addEventListener('input', () => { sponsorsDraft = input.value; });
  const form = h('form', { class: 'chair-row chair-form', novalidate: true },
    h('label', { for: input.id, class: 'label-inline' }, 'Sponsors'), input,
    h('button', { type: 'submit', class: 'button', dataset: { focusKey: 'sponsors-set' } }, 'Set sponsors'),
    h('p', { id: 'chair-sponsors-hint', class: 'hint' }, 'State codes separated by commas (e.g. CHN, RUS); empty for none. ',
      state.sponsors.length ? `Now: ${state.sponsors.map(nameOf).join(', ')}.` : 'Now: none.'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const codes = [...new Set(input.value.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))];
    const bad = codes.filter((c) => !CODE_RE.test(c) || c === 'CHAIR');
    if (bad.length) { error = `Not a delegation code: ${bad.join(', ')}.`; renderChair(); return; }
    if (await send({ type: 'sponsors', sponsors: codes })) sponsorsDraft = null;
  });
  return form;
}

function tagRow() {
  const name = h('input', { id: 'chair-tag', type: 'text', class: 'input input--inline input--short', autocomplete: 'off',
    spellcheck: 'false', maxlength: 32, placeholder: 'rev.1', dataset: { focusKey: 'tag' } });
  const note = h('input', { id: 'chair-tag-note', type: 'text', class: 'input input--inline', autocomplete: 'off', maxlength: 2048,
    dataset: { focusKey: 'tag-note' } });
  name.value = tagDraft.name;
  note.value = tagDraft.note;
  name.addEventListener('input', () => { tagDraft.name = name.value; });
  note.addEventListener('input', () => { tagDraft.note = note.value; });
  const form = h('form', { class: 'chair-row chair-form', novalidate: true },
    h('label', { for: name.id, class: 'label-inline' }, 'Name this version'), name,
    h('label', { for: note.id, class: 'label-inline' }, 'Note ', h('span', { class: 'optional' }, '(optional)')), note,
    h('button', { type: 'submit', class: 'button', dataset: { focusKey: 'tag-set' } }, 'Record version'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = name.value.trim();
    if (!TAG_RE.test(value) || value.includes('..') || value.endsWith('.') || value.endsWith('.lock') || value === 'adopted') {
      error = 'A version name is 1 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit (e.g. rev.1, L.3); “adopted” is reserved.';
      renderChair();
      return;
    }
    const msg = { type: 'tag', name: value };
    if (note.value.trim()) msg.note = note.value.trim();
    if (await send(msg)) { tagDraft.name = ''; tagDraft.note = ''; renderChair(); }
  });
  return form;
}
