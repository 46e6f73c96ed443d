// Live wording (docs/extensions.md, "Live wording"): what the others type in a clause, shown
// under it as a word diff against the current text, labelled with the state and marked "not
// submitted"; sending our own wording while we edit a clause; the chair's switch and the room's
// line saying whether live wording is on. Nothing here is stored: a preview disappears on the
// typist's stop (sent on submit, cancel, leaving), when its amendment arrives, after 60 s
// without news, and when the chair turns live wording off.
import { t, tn, errorText } from '../i18n.js';
import { h, replaceChildren, announce } from '../dom.js';
import { wordDiff, renderDiff } from '../diff.js';
import { state, els, clauseEls, nameOf, isChair, canEdit, clauseLabel } from './state.js';

const SEND_EVERY_MS = 200; // the server forwards at most 5 a second: sending more is wasted
const STALE_MS = 60000; // as the server's idle stop, in case its stop was not delivered

const previews = new Map(); // session -> {clause, state, text, el, timer}
const sending = { timer: null, last: 0, editor: null }; // our own wording, throttled

/** The welcome's draft (and a resync's): whether live wording is on. */
export function liveWelcome(draft) {
  // After a reconnection the stops sent meanwhile are lost: start from nothing shown.
  for (const session of [...previews.keys()]) dropPreview(session);
  setLiveWording(draft?.live_wording !== false, false);
}

/** A `typing` event: another member's wording of a clause, or its end (text null). */
export function onTyping(msg) {
  if (typeof msg.by !== 'string' || typeof msg.clause !== 'string') return;
  const old = previews.get(msg.by);
  if (old && (msg.text == null || old.clause !== msg.clause)) dropPreview(msg.by);
  if (msg.text == null || !state.liveWording) return;
  const parts = clauseEls.get(msg.clause);
  if (!parts) return;
  let p = previews.get(msg.by);
  if (!p) {
    p = { clause: msg.clause, state: msg.state, el: h('div', { class: 'live-wording', dataset: { session: msg.by, state: msg.state ?? '' } }) };
    previews.set(msg.by, p);
    parts.body.after(p.el);
  }
  p.text = String(msg.text);
  clearTimeout(p.timer);
  p.timer = setTimeout(() => dropPreview(msg.by), STALE_MS);
  drawPreview(p);
}

/** The clause changed (an `amended`): every preview of it is redrawn against the new text. */
export function refreshPreviews(clauseId) {
  for (const [session, p] of previews) {
    if (p.clause !== clauseId) continue;
    if (!state.clauses.has(clauseId)) dropPreview(session);
    else drawPreview(p);
  }
}

/** A `settings` event (or our own reply): the room shows the setting; off drops every preview. */
export function onSettings(msg) {
  if (typeof msg.live_wording !== 'boolean') return;
  setLiveWording(msg.live_wording, true, msg.by);
}

function setLiveWording(on, tell, by) {
  const changed = state.liveWording !== on;
  state.liveWording = on;
  if (!on) for (const session of [...previews.keys()]) dropPreview(session);
  drawStatus();
  if (tell && changed) {
    const who = by?.name ?? (by?.state ? nameOf(by.state) : t('room.theChair'));
    announce(on ? t('live.turnedOn', { who }) : t('live.turnedOff', { who }));
  }
}

function drawPreview(p) {
  const c = state.clauses.get(p.clause);
  if (!c) return;
  const who = nameOf(p.state);
  p.el.setAttribute('aria-label', t('live.typingIn', { who, clause: clauseLabel(p.clause) }));
  replaceChildren(p.el,
    h('p', { class: 'live-wording-label' },
      tn('live.typing', { who: h('strong', null, who) }), ' · ', h('em', { class: 'live-wording-flag' }, t('live.notSubmitted'))),
    h('p', { class: 'live-wording-text', dir: 'auto' }, ...renderDiff(wordDiff(c.text, p.text))));
}

function dropPreview(session) {
  const p = previews.get(session);
  if (!p) return;
  clearTimeout(p.timer);
  p.el.remove();
  previews.delete(session);
}

/** Drops the previews of a member who left (presence no longer lists its session). */
export function keepPreviewsOf(sessions) {
  for (const session of [...previews.keys()]) if (!sessions.has(session)) dropPreview(session);
}

// ---------------------------------------------------------------- our own wording

/** An edit editor's text changed: send it, at most every 200 ms, the latest one last. */
function typed(editor) {
  if (!state.liveWording || !canEdit() || !state.socket) return;
  sending.editor = editor;
  const wait = sending.last + SEND_EVERY_MS - Date.now();
  if (wait <= 0) { sendWording(); return; }
  if (!sending.timer) sending.timer = setTimeout(sendWording, wait);
}

function sendWording() {
  clearTimeout(sending.timer);
  sending.timer = null;
  const editor = sending.editor;
  if (!editor || !state.editors.has(editor.key) || !state.liveWording) return;
  const text = editor.textarea.value;
  if (!/\S/.test(text) || new TextEncoder().encode(text).length > 16384) return; // not a clause text
  sending.last = Date.now();
  state.socket?.send({ type: 'typing', clause: editor.clauseId, base: editor.base, text });
}

/** The editor closed (saved, cancelled, or its clause went away): the others' preview stops. */
export function stopTyping(editor) {
  if (editor?.kind !== 'edit') return;
  if (sending.editor === editor) {
    clearTimeout(sending.timer);
    sending.timer = null;
    sending.editor = null;
  }
  if (state.liveWording && canEdit()) state.socket?.send({ type: 'typing', clause: editor.clauseId, text: null });
}

// ---------------------------------------------------------------- the room's line and the chair's switch

function drawStatus() {
  if (!els.you) return;
  if (!els.liveStatus) {
    els.liveStatus = h('p', { class: 'live-status', role: 'status' });
    els.you.after(els.liveStatus);
  }
  const on = state.liveWording;
  const children = [on ? t('live.on') : t('live.off')];
  if (isChair() && state.stage !== 'adopted') {
    const button = h('button', { type: 'button', class: 'button button--small', dataset: { action: 'live-wording' } },
      on ? t('live.turnOff') : t('live.turnOn'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const reply = await state.socket.request({ type: 'settings', live_wording: !on });
        onSettings(reply);
      } catch (err) {
        button.disabled = false;
        announce(err?.message ? errorText(err) : t('live.settingFailed'), 'error');
      }
    });
    children.push(' ', button);
  }
  els.liveStatus.dataset.live = on ? 'on' : 'off';
  replaceChildren(els.liveStatus, ...children);
}

/** Starts listening to the editors' text (room.js calls it once, after setting els.app). */
export function initLive() {
  state.liveWording = true;
  els.app.addEventListener('input', (e) => {
    for (const editor of state.editors.values()) {
      if (editor.kind === 'edit' && editor.textarea === e.target && !editor.orphaned) { typed(editor); return; }
    }
  });
}
