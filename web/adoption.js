// How the history marks an amendment that adopted a proposal (procedure.md): history and log
// entries carry `proposal` (its number), `adopted` ("friendly" | "vote") and, by vote,
// `vote` {yes, no, abstain} (counts).
import { t } from './i18n.js';
import { h } from './dom.js';

/** The mark under an amendment's heading, or null for an ordinary amendment. */
export function adoptionMark(e) {
  if (!e || !Number.isInteger(e.proposal)) return null;
  if (e.adopted === 'friendly') {
    return h('p', { class: 'amend-adopted amend-adopted--friendly', dataset: { adopted: 'friendly', proposal: e.proposal } },
      t('history.adoptedFriendly', { n: e.proposal }));
  }
  const v = e.vote;
  return h('p', { class: 'amend-adopted amend-adopted--vote', dataset: { adopted: e.adopted ?? 'vote', proposal: e.proposal } },
    t('history.adoptedVote', { n: e.proposal }),
    v ? h('span', { class: 'amend-tally' }, t('history.adoptedTally', { counts: t('room.vote.counts', v) })) : null);
}
