// How every page names the things of a draft: its clauses and the kinds of change made to it.
// Plain strings only, in the page's language (i18n.js; the words are the catalogs' `op.`, `clause.`,
// `stage.`, `threshold.`, `status.`, `adoption.` keys); the pages put them into the DOM as text.
import { t, locale } from './i18n.js';

/**
 * `table[key]` when `key` is the table's own entry, else undefined. The keys come from the
 * server or the client (an op, a stage, a status): a key such as "constructor", "toString" or
 * "__proto__" must not find a member of Object.prototype in a plain-object table.
 */
function own(table, key) {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}

export const OP_LABELS = {
  open: 'op.open',
  replace: 'op.replace',
  insert: 'op.insert',
  delete: 'op.delete',
  move: 'op.move',
  sponsors: 'op.sponsors',
  stage: 'op.stage',
  bracket: 'op.bracket',
  resolve: 'op.resolve',
};
export function opLabel(op) {
  const id = own(OP_LABELS, op);
  return id ? t(id) : String(op ?? '');
}

/**
 * "operative clause 3", "preambular paragraph 2", "heading"; "deleted clause" when there is no
 * clause. `preambleIndex` is a preambular paragraph's 1-based place among the preambular ones.
 */
export function clauseName(clause, preambleIndex) {
  if (!clause) return t('clause.deleted');
  if (clause.kind === 'operative') return t('clause.operative', { n: clause.number ?? '?' });
  if (clause.kind === 'preamble') return t('clause.preamble', { n: preambleIndex });
  return t('clause.heading');
}

/**
 * The draft's roster as a name lookup: `delegations` is the draft's `[{state, name}]` (the welcome's
 * draft and GET /api/drafts/<slug> carry it, every delegation, present or not), plus the chair.
 * Returns state code -> name.
 */
export function rosterNames(delegations) {
  const names = new Map([['CHAIR', t('term.chair')]]);
  for (const d of Array.isArray(delegations) ? delegations : []) {
    if (d && typeof d.state === 'string' && typeof d.name === 'string' && d.name) names.set(d.state, d.name);
  }
  return names;
}

/**
 * The proponent of a bracket's wording as tabled (docs/extensions.md, "Bracketed text"): the
 * notation's `TABLED: wording`, the draft's text as its sponsors tabled it, never a state's.
 */
export const TABLED = 'TABLED';

/** "Text as tabled (CHN, RUS)": how the TABLED proponent is named, with the draft's sponsors' codes. */
export function tabledName(sponsors) {
  const codes = (Array.isArray(sponsors) ? sponsors : []).filter((c) => typeof c === 'string' && c);
  return codes.length ? t('bracket.tabled', { codes: codes.join(', ') }) : t('bracket.tabledNoSponsors');
}

/** "China (CHN)", or for TABLED its name alone ("Text as tabled (CHN, RUS)"): a proponent for people. */
export function proponentLabel(code, name) {
  if (code === TABLED) return name;
  return name && name !== code ? t('dispute.altWhoPlain', { name, code }) : String(code ?? '');
}

/** `code`'s name in `names` (from rosterNames), else the code itself: an unknown code is shown as it is. */
export function nameIn(names, code) {
  return names.get(code) ?? code;
}

export function capitalize(s) {
  return s.charAt(0).toLocaleUpperCase(locale()) + s.slice(1);
}

// ---------------------------------------------------------------- procedure (procedure.md)

export const STAGE_LABELS = {
  working: 'stage.working',
  formal: 'stage.formal',
  adopted: 'stage.adopted',
};
export function stageLabel(stage) {
  const id = own(STAGE_LABELS, stage);
  return id ? t(id) : String(stage ?? 'working');
}

/** What a log entry of a stage commit says: "Moved the draft to the formal stage", "Adopted the draft". */
export function stageChangeLabel(stage) {
  if (stage === 'adopted') return t('stage.change.adopted');
  if (stage === 'formal') return t('stage.change.formal');
  if (stage === 'working') return t('stage.change.working');
  return t('op.stage');
}

// `label` and `rule` are message ids: t(THRESHOLDS[i].label).
export const THRESHOLDS = [
  { value: 'simple', label: 'term.simpleMajority', rule: 'threshold.simple.rule' },
  { value: 'two-thirds', label: 'term.twoThirdsMajority', rule: 'threshold.twoThirds.rule' },
  { value: 'two-thirds-present', label: 'term.twoThirdsPresent', rule: 'threshold.twoThirdsPresent.rule' },
];
export function thresholdLabel(value) {
  const found = THRESHOLDS.find((x) => x.value === value);
  return found ? t(found.label) : String(value ?? '');
}
export function thresholdRule(value) {
  const found = THRESHOLDS.find((x) => x.value === value);
  return found ? t(found.rule) : '';
}

/** Whether a tally carries under a threshold (procedure.md; adoption needs at least one yes). */
export function carries(threshold, yes, no, abstain) {
  if (yes < 1) return false;
  if (threshold === 'two-thirds') return yes * 3 >= 2 * (yes + no);
  if (threshold === 'two-thirds-present') return yes * 3 >= 2 * (yes + no + abstain);
  return yes > no;
}

export const STATUS_LABELS = {
  tabled: 'status.tabled',
  voting: 'status.voting',
  adopted: 'status.adopted',
  rejected: 'status.rejected',
  withdrawn: 'status.withdrawn',
  conflict: 'status.conflict',
};
export function statusLabel(status) {
  const id = own(STATUS_LABELS, status);
  return id ? t(id) : String(status ?? '');
}

/** "5–1–0": yes, no, abstain. */
export function tallyText(vote) {
  return t('vote.tally', { yes: vote?.yes ?? 0, no: vote?.no ?? 0, abstain: vote?.abstain ?? 0 });
}

/**
 * How an adopted proposal's amendment is described (log/history entries and `amended` events carry
 * `proposal`, `adopted` and, by vote, `vote` {yes, no, abstain}); null for an ordinary amendment.
 */
export function adoptionText(e) {
  if (!e || !Number.isInteger(e.proposal)) return null;
  if (e.adopted === 'friendly') return t('adoption.friendly', { n: e.proposal });
  if (e.adopted === 'vote') {
    if (!e.vote) return t('adoption.vote', { n: e.proposal });
    return t('adoption.voteTally', { n: e.proposal, yes: e.vote.yes, no: e.vote.no, abstain: e.vote.abstain });
  }
  return t('adoption.other', { n: e.proposal });
}
