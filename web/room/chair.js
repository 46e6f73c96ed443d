// The chair's controls (role chair only), under the header: the stage (working → formal →
// adopted, forward only and irreversible, so each move asks for confirmation), the sponsors (while working), and
// naming the current text as a version. Opening a vote is on each tabled proposal's card, closing
// it in the vote panel.
import { t, tn, formatListNodes } from '../i18n.js';
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
    h('h2', { id: 'chair-title', class: 'chair-title' }, t('term.chair')),
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
    }, next === 'formal' ? t('chair.toFormalAsk') : t('chair.adoptAsk'));
  }
  const explain = state.stage === 'working'
    ? t('chair.explain.working')
    : state.stage === 'formal' ? t('chair.explain.formal')
      : t('chair.explain.adopted');
  return h('div', { class: 'chair-row' },
    h('p', { class: 'chair-stage' }, tn('chair.stage', { stage: h('strong', null, stageLabel(state.stage)) }), ' ', h('span', { class: 'hint' }, explain)),
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
      ? h('p', { class: 'confirm-question', id: 'adopt-q' }, h('strong', null, t('chair.toFormalQuestion')),
        ' ', t('chair.toFormalExplain'))
      : h('p', { class: 'confirm-question', id: 'adopt-q' }, h('strong', null, t('chair.adoptQuestion')),
        ' ', t('chair.adoptExplain'),
        vote ? [' ', t('chair.voteStillOpen', { n: vote.n })] : ''),
    h('p', { class: 'actions' },
      h('button', {
        type: 'button', class: ['button', formal ? 'button--primary' : 'button--danger'], dataset: { focusKey: 'adopt' },
        onclick: async () => { confirming = false; await send({ type: 'stage', stage: next }); },
      }, formal ? t('chair.toFormal') : t('chair.adopt')),
      ' ',
      h('button', {
        type: 'button', class: 'button', dataset: { focusKey: 'adopt-cancel' },
        onclick: () => { confirming = false; renderChair(); els.chair.querySelector('[data-focus-key="stage"]')?.focus(); },
      }, t('common.cancel'))));
}

function voteRow() {
  if (state.stage === 'adopted') return null;
  const vote = openVote();
  const tabled = [...state.proposals.values()].filter((p) => p.status === 'tabled').length;
  return h('p', { class: 'chair-votes hint' },
    vote ? [tn('chair.voteOpen', { n: vote.n, link: h('a', { href: '#vote' }, t('chair.closeInPanel')) }), ' ']
      : null,
    tabled ? tn('chair.tabled', { count: tabled, link: h('a', { href: '#proposals' }, t('chair.putToVote')) }) : (vote ? null : t('chair.noneAwaits')));
}

function sponsorsRow() {
  const input = h('input', {
    id: 'chair-sponsors', type: 'text', class: 'input input--inline', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'chair-sponsors-hint', dataset: { focusKey: 'sponsors' },
  });
  input.value = sponsorsDraft ?? state.sponsors.join(', ');
  input.addEventListener('input', () => { sponsorsDraft = input.value; });
  const form = h('form', { class: 'chair-row chair-form', novalidate: true },
    h('label', { for: input.id, class: 'label-inline' }, t('term.sponsors')), input,
    h('button', { type: 'submit', class: 'button', dataset: { focusKey: 'sponsors-set' } }, t('chair.setSponsors')),
    h('p', { id: 'chair-sponsors-hint', class: 'hint' }, t('chair.sponsorsHint'), ' ',
      state.sponsors.length ? tn('chair.sponsorsNow', { names: h('span', null, formatListNodes(state.sponsors.map(nameOf))) }) : t('chair.sponsorsNone')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const codes = [...new Set(input.value.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))];
    const bad = codes.filter((c) => !CODE_RE.test(c) || c === 'CHAIR');
    if (bad.length) { error = t('chair.badCode', { codes: bad.join(', ') }); renderChair(); return; }
    if (await send({ type: 'sponsors', sponsors: codes })) sponsorsDraft = null;
  });
  return form;
}

function tagRow() {
  const name = h('input', { id: 'chair-tag', type: 'text', class: 'input input--inline input--short', autocomplete: 'off',
    spellcheck: 'false', maxlength: 32, placeholder: 'rev.1', dataset: { focusKey: 'tag' } }); // i18n-ok: a version name, the same in every language (UN symbols: Rev.1)
  const note = h('input', { id: 'chair-tag-note', type: 'text', class: 'input input--inline', autocomplete: 'off', maxlength: 2048,
    dataset: { focusKey: 'tag-note' } });
  name.value = tagDraft.name;
  note.value = tagDraft.note;
  name.addEventListener('input', () => { tagDraft.name = name.value; });
  note.addEventListener('input', () => { tagDraft.note = note.value; });
  const form = h('form', { class: 'chair-row chair-form', novalidate: true },
    h('label', { for: name.id, class: 'label-inline' }, t('chair.tagName')), name,
    h('label', { for: note.id, class: 'label-inline' }, t('common.note'), ' ', h('span', { class: 'optional' }, t('common.optional'))), note,
    h('button', { type: 'submit', class: 'button', dataset: { focusKey: 'tag-set' } }, t('chair.record')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = name.value.trim();
    if (!TAG_RE.test(value) || value.includes('..') || value.endsWith('.') || value.endsWith('.lock') || value === 'adopted') {
      error = t('chair.badTag');
      renderChair();
      return;
    }
    const msg = { type: 'tag', name: value };
    if (note.value.trim()) msg.note = note.value.trim();
    if (await send(msg)) { tagDraft.name = ''; tagDraft.note = ''; renderChair(); }
  });
  return form;
}
