// How every page names the things of a draft: its clauses and the kinds of change made to it.
// Plain strings only; the pages put them into the DOM as text.

/**
 * `table[key]` when `key` is the table's own entry, else undefined. The keys come from the
 * server or the client (an op, a stage, a status): a key such as "constructor", "toString" or
 * "__proto__" must not find a member of Object.prototype in a plain-object table.
 */
function own(table, key) {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}

export const OP_LABELS = {
  open: 'Opened the draft',
  replace: 'Amended',
  insert: 'Inserted',
  delete: 'Deleted',
  move: 'Moved',
  sponsors: 'Set sponsors',
  stage: 'Changed stage',
  bracket: 'Bracketed',
  resolve: 'Resolved a bracket',
};
export function opLabel(op) {
  return own(OP_LABELS, op) ?? String(op ?? '');
}

/**
 * "operative clause 3", "preambular paragraph 2", "heading"; "deleted clause" when there is no
 * clause. `preambleIndex` is a preambular paragraph's 1-based place among the preambular ones.
 */
export function clauseName(clause, preambleIndex) {
  if (!clause) return 'deleted clause';
  if (clause.kind === 'operative') return `operative clause ${clause.number ?? '?'}`;
  if (clause.kind === 'preamble') return `preambular paragraph ${preambleIndex}`;
  return 'heading';
}

/**
 * The draft's roster as a name lookup: `delegations` is the draft's `[{state, name}]` (the welcome's
 * draft and GET /api/drafts/<slug> carry it, every delegation, present or not), plus the chair.
 * Returns state code -> name.
 */
export function rosterNames(delegations) {
  const names = new Map([['CHAIR', 'Chair']]);
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
  return codes.length ? `Text as tabled (${codes.join(', ')})` : 'Text as tabled';
}

/** "China (CHN)", or for TABLED its name alone ("Text as tabled (CHN, RUS)"): a proponent for people. */
export function proponentLabel(code, name) {
  if (code === TABLED) return name;
  return name && name !== code ? `${name} (${code})` : String(code ?? '');
}

/** `code`'s name in `names` (from rosterNames), else the code itself: an unknown code is shown as it is. */
export function nameIn(names, code) {
  return names.get(code) ?? code;
}

export function capitalize(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------- procedure (procedure.md)

export const STAGE_LABELS = {
  working: 'Working paper',
  formal: 'Formal stage',
  adopted: 'Adopted text',
};
export function stageLabel(stage) {
  return own(STAGE_LABELS, stage) ?? String(stage ?? 'working');
}

/** What a log entry of a stage commit says: "Moved the draft to the formal stage", "Adopted the draft". */
export function stageChangeLabel(stage) {
  if (stage === 'adopted') return 'Adopted the draft';
  if (stage) return `Moved the draft to the ${stage} stage`;
  return 'Changed stage';
}

export const THRESHOLDS = [
  { value: 'simple', label: 'Simple majority', rule: 'more yes than no' },
  { value: 'two-thirds', label: 'Two-thirds majority', rule: 'yes at least two thirds of yes + no' },
  { value: 'two-thirds-present', label: 'Two thirds of those present', rule: 'yes at least two thirds of yes + no + abstain' },
];
export function thresholdLabel(value) {
  return THRESHOLDS.find((t) => t.value === value)?.label ?? String(value ?? '');
}
export function thresholdRule(value) {
  return THRESHOLDS.find((t) => t.value === value)?.rule ?? '';
}

/** Whether a tally carries under a threshold (procedure.md; adoption needs at least one yes). */
export function carries(threshold, yes, no, abstain) {
  if (yes < 1) return false;
  if (threshold === 'two-thirds') return yes * 3 >= 2 * (yes + no);
  if (threshold === 'two-thirds-present') return yes * 3 >= 2 * (yes + no + abstain);
  return yes > no;
}

export const STATUS_LABELS = {
  tabled: 'Tabled',
  voting: 'Voting',
  adopted: 'Adopted',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  conflict: 'Could not apply',
};
export function statusLabel(status) {
  return own(STATUS_LABELS, status) ?? String(status ?? '');
}

/** "5–1–0": yes, no, abstain. */
export function tallyText(vote) {
  return `${vote?.yes ?? 0}–${vote?.no ?? 0}–${vote?.abstain ?? 0}`;
}

/**
 * How an adopted proposal's amendment is described (log/history entries and `amended` events carry
 * `proposal`, `adopted` and, by vote, `vote` {yes, no, abstain}); null for an ordinary amendment.
 */
export function adoptionText(e) {
  if (!e || !Number.isInteger(e.proposal)) return null;
  if (e.adopted === 'friendly') return `Friendly amendment: proposal ${e.proposal}, supported by every sponsor`;
  if (e.adopted === 'vote') {
    return `Adopted by vote: proposal ${e.proposal}${e.vote ? `, ${e.vote.yes} yes, ${e.vote.no} no, ${e.vote.abstain} abstaining` : ''}`;
  }
  return `Adopted: proposal ${e.proposal}`;
}
