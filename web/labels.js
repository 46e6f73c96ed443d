// How every page names the things of a draft: its clauses and the kinds of change made to it.
// Plain strings only; the pages put them into the DOM as text.

export const OP_LABELS = {
  open: 'Opened the draft',
  replace: 'Amended',
  insert: 'Inserted',
  delete: 'Deleted',
  move: 'Moved',
  sponsors: 'Set sponsors',
  stage: 'Changed stage',
};
export function opLabel(op) {
  return OP_LABELS[op] ?? String(op ?? '');
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

export function capitalize(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
