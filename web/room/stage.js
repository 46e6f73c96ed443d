// The draft's stage in the room (procedure.md): the badge in the header, a one-line notice of what
// the stage means for this person, and fitting the clause tools and open editors to it.
import { t } from '../i18n.js';
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
  els.stage.setAttribute('title', t('room.stageTitle', { stage: stageLabel(state.stage) }));
  document.body.dataset.stage = state.stage;
  const role = state.you?.role;
  let notice = '';
  if (state.stage === 'adopted') notice = t('room.notice.adopted');
  else if (state.stage === 'formal' && role === 'delegation') {
    notice = t('room.notice.formalDelegation');
  } else if (state.stage === 'formal') notice = t('room.notice.formal');
  els.stageNotice.textContent = notice;
  els.stageNotice.hidden = !notice;
  els.stageNotice.dataset.stage = state.stage;
  applyStageToTools();
  for (const editor of state.editors.values()) applyStage(editor);
}
