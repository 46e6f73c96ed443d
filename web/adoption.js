// How the history marks an amendment that adopted a proposal (procedure.md): history and log
// entries carry `proposal` (its number), `adopted` ("friendly" | "vote") and, by vote,
// `vote` {yes, no, abstain} (counts).
import { h } from './dom.js';

/** The mark under an amendment's heading, or null for an ordinary amendment. */
export function adoptionMark(e) {
  if (!e || !Number.isInteger(e.proposal)) return null;
  if (e.adopted === 'friendly') {
    return h('p', { class: 'amend-adopted amend-adopted--friendly', dataset: { adopted: 'friendly', proposal: e.proposal } },
      `Friendly amendment — proposal ${e.proposal}, supported by every sponsor`);
  }
  const v = e.vote;
  return h('p', { class: 'amend-adopted amend-adopted--vote', dataset: { adopted: e.adopted ?? 'vote', proposal: e.proposal } },
    `Adopted by vote — proposal ${e.proposal}`,
    v ? h('span', { class: 'amend-tally' }, `: ${v.yes} yes, ${v.no} no, ${v.abstain} abstaining`) : null);
}
