// The draft's stage in the room (procedure.md): the badge in the header, a one-line notice of what
// the stage means for this person, and fitting the clause tools and open editors to it.
import { stageLabel } from '../labels.js';
import { state, els } from './state.js';
import { onProcedureChange } from './procedure.js';
import { applyStageToTools } from './controls.js';
import { applyStage } from './editor-form.js';

/** Starts redrawing the stage after every procedural change (room.js calls it once, at start). */
export function initStage() {
  onProcedureChange(renderStage);
}

export function renderStage() {
  if (!els.stage) return;
  els.stage.textContent = stageLabel(state.stage);
  els.stage.dataset.stage = state.stage;
  els.stage.setAttribute('title', `Stage of the draft: ${stageLabel(state.stage)}`);
  document.body.dataset.stage = state.stage;
  const role = state.you?.role;
  let notice = '';
  if (state.stage === 'adopted') notice = 'This text has been adopted. It is final and can no longer change.';
  else if (state.stage === 'formal' && role === 'delegation') {
    notice = 'Formal stage: the text belongs to the committee. Your changes are tabled as proposals, adopted by the sponsors’ support or by vote.';
  } else if (state.stage === 'formal') notice = 'Formal stage: delegations change the text only through proposals.';
  els.stageNotice.textContent = notice;
  els.stageNotice.hidden = !notice;
  els.stageNotice.dataset.stage = state.stage;
  applyStageToTools();
  for (const editor of state.editors.values()) applyStage(editor);
}
