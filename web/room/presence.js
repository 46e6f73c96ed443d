// Who is here and where: the delegations present (one chip each in the header), the chips on
// the clauses people are working on, and telling the server which clause *we* are working on
// (from an open editor, or from words selected in a clause).
import { t } from '../i18n.js';
import { h, replaceChildren } from '../dom.js';
import { stateChip } from '../colors.js';
import { state, els, clauseEls, learnName } from './state.js';

/** Shows a `present` list (from the welcome or a `presence` event). */
export function setPresence(present) {
  state.present = Array.isArray(present) ? present : [];
  for (const p of state.present) learnName(p);
  // One chip per delegation in the header.
  const byState = new Map();
  for (const p of state.present) {
    const entry = byState.get(p.state) ?? { state: p.state, name: p.name, role: p.role, count: 0 };
    entry.count += 1;
    byState.set(p.state, entry);
  }
  const items = [...byState.values()].sort((a, b) => (a.role === 'chair' ? -1 : b.role === 'chair' ? 1 : String(a.name).localeCompare(String(b.name))));
  replaceChildren(els.presence, items.map((p) => h('li', { class: 'presence-item', dataset: { state: p.state } },
    stateChip(p.state, p.name), ' ', h('span', { class: 'presence-name', dir: 'auto' }, p.name ?? p.state),
    p.count > 1 ? h('span', { class: 'presence-count' }, ' ', t('room.presenceCount', { count: p.count })) : null)));
  if (items.length === 0) els.presence.append(h('li', { class: 'muted' }, t('room.nobody')));
  // Who is working on which clause.
  const focused = new Map();
  for (const p of state.present) {
    if (!p.clause) continue;
    const list = focused.get(p.clause) ?? new Map();
    list.set(p.state, p.name);
    focused.set(p.clause, list);
  }
  for (const [id, parts] of clauseEls) {
    const who = focused.get(id);
    if (!who) { parts.focusChips.hidden = true; parts.focusChips.replaceChildren(); continue; }
    replaceChildren(parts.focusChips,
      h('span', { class: 'visually-hidden' }, t('room.workingOnIt'), ' '),
      [...who].map(([code, name]) => stateChip(code, name, { class: 'chip--small', title: t('room.isWorkingOnIt', { name: name ?? code }) })));
    parts.focusChips.hidden = false;
  }
}

/** Tells the server which clause we are working on (null: none), unless it already knows. */
export function sendFocus(clauseId) {
  const value = clauseId ?? null;
  if (state.liveFocus === value) return;
  if (state.socket && state.socket.send({ type: 'focus', clause: value })) state.liveFocus = value;
}

/** Our focus follows the editor opened last (an insert editor counts for the clause it follows). */
export function updateFocusFromEditors() {
  const open = [...state.editors.values()];
  if (open.length === 0) { sendFocus(null); return; }
  const last = open[open.length - 1];
  sendFocus(last.kind === 'edit' ? last.clauseId : last.after ?? state.order[0] ?? null);
}

/**
 * Selecting words of a clause (to discuss or quote them) tells the others where we are,
 * as editing does; clearing the selection says we stopped.
 */
export function watchSelection() {
  let selectTimer = null;
  document.addEventListener('selectionchange', () => {
    clearTimeout(selectTimer);
    selectTimer = setTimeout(() => {
      if (state.editors.size > 0) return;
      const sel = document.getSelection();
      const node = sel && !sel.isCollapsed ? sel.anchorNode : null;
      const li = node ? (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest('li.clause') : null;
      if (li && els.list.contains(li)) sendFocus(li.dataset.clauseId);
      else if (state.liveFocus) sendFocus(null);
    }, 300);
  });
}
