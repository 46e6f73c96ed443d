// The drafting room: the draft's clauses in document order, who is present, live amendments,
// editing in place with conflict handling, insert / delete / move, reconnection with catch-up.
//
// This file only starts the room and routes what the server sends; the work is in room/:
//   state.js       the local copy of the draft, who we are, open editors, page elements
//   render.js      the page skeleton, clause elements, highlighted text, "Edited by …" notices
//   controls.js    each clause's tools, insert at the top, delete confirmation, move, numbering
//   editor-form.js the form every editor shares, text rules, insert editors losing their anchor
//   editor.js      edit and insert editors: open, save, close
//   conflict.js    an editor's conflict panel: intervening change, overlap, deleted clause
//   presence.js    who is here, who works on which clause, our own focus
//   sync.js        welcome snapshot, `amended` events, gap detection and resync
//   procedure.js   stage, sponsors and proposals (procedure.md): their events, the list, `act()`
//   stage.js       the stage badge and notice; tools and editors fitted to the stage
//   proposals.js   the proposals panel, and the proposal links on clauses
//   vote.js        the live vote panel (tally by state, projector view)
//   chair.js       the chair's controls: stage, sponsors, versions
//   live.js        live wording: the others' wording as it is typed, ours sent, the chair's switch
//   comments.js    comments: the count beside each clause, the threads' panel, the underlined words
// None of them does anything when imported, and none imports this file or forms a cycle with
// another (tests/web/import-graph.mjs checks it; docs/architecture.md, "Web front end").
import { startI18n, t, errorText } from './i18n.js';
import { h, replaceChildren, announce } from './dom.js';
import { parseLocation, findCode, forgetCode } from './api.js';
import { DraftSocket } from './socket.js';
import { notFoundPage, askForCode, codeRefused } from './page.js';
import { state, els } from './room/state.js';
import { onWelcome, onAmended } from './room/sync.js';
import { setPresence } from './room/presence.js';
import { procedureWelcome, onStaged, onSponsored, onTagged, onProposal, refreshProcedure } from './room/procedure.js';
import { initEditor } from './room/editor.js';
import { initDispute } from './room/dispute.js';
import { initStage } from './room/stage.js';
import { initProposals } from './room/proposals.js';
import { initVote } from './room/vote.js';
import { initChair } from './room/chair.js';
import { initLive, liveWelcome, onTyping, onSettings, refreshPreviews, keepPreviewsOf } from './room/live.js';
import { initComments, welcomeComments, onThreads, onThread, refreshComments } from './room/comments.js';

// The room's modules do nothing when imported: they start here, in this order (the panels are
// redrawn in the order they registered with onProcedureChange; dispute.js's Enter / Space on an
// alternative listens before vote.js's Escape).
// The language first: everything below draws in it (i18n.js).
await startI18n();
els.app = document.getElementById('app');
initEditor(); // focus follows a clause we inserted (watches els.app)
initDispute(); // selections and clicks on brackets
initStage();
initProposals();
initVote();
initChair();
initLive();
initComments(); // follows selections and the redraws of clause texts

const loc = parseLocation();
const app = els.app;

/** Messages that are not replies to our requests, by type; other types (added later by the server) are ignored. */
const routes = new Map([
  ['amended', (ev) => { onAmended(ev); refreshProcedure(); if (ev.clause?.id) refreshPreviews(ev.clause.id); refreshComments(ev.clause?.id); }], // open proposals' diffs follow the text
  ['staged', onStaged],
  ['sponsored', onSponsored],
  ['tagged', onTagged],
  ['proposal', onProposal],
  ['presence', (msg) => { setPresence(msg.present); refreshVoteWaiting(); keepPreviewsOf(new Set((msg.present ?? []).map((p) => p.session))); }],
  ['typing', onTyping],
  ['settings', onSettings],
  ['threads', onThreads],
  ['thread', onThread],
  ['error', announceError],
]);

if (!loc || loc.page !== 'room') {
  notFoundPage(app);
} else {
  state.slug = loc.slug;
  findCode(loc.slug).then((code) => (code ? start(code) : askCode(null)));
}

function askCode(message) {
  app.classList.remove('room-layout');
  askForCode(app, loc.slug, message, start);
}

function start(code) {
  state.code = code;
  replaceChildren(app, h('p', { class: 'loading', role: 'status' }, t('room.connecting')));
  state.socket = new DraftSocket(loc.slug, code, {
    onWelcome(msg) {
      onWelcome(msg);
      procedureWelcome(msg.draft);
      liveWelcome(msg.draft);
      welcomeComments(); // forgets the threads known; `threads` comes next when the draft has some

    },
    onEvent,
    onJoinError(msg) {
      state.socket = null;
      state.built = false;
      if (msg.code === 'unauthorized' || msg.code === 'forbidden') {
        forgetCode(loc.slug);
        askCode(codeRefused());
      } else if (msg.code === 'not_found') {
        forgetCode(loc.slug);
        app.classList.remove('room-layout');
        notFoundPage(app, t('room.noSuchDraft', { slug: loc.slug }));
      } else {
        announce(msg.message ? errorText(msg) : t('room.joinRefused'), 'error');
      }
    },
    onStatus(status) {
      document.body.dataset.connection = status;
    },
    onQuietError(msg) {
      // A focus the server did not take (e.g. a clause deleted a moment ago): nothing to show.
      if (msg.code !== 'not_found' && msg.code !== 'bad_request') announceError(msg);
      state.liveFocus = undefined;
    },
  });
  state.socket.start();
}

function onEvent(msg) {
  if (!state.built) {
    // Nothing is on screen yet: the welcome carries the draft and who is present.
    if (msg.type === 'error') announceError(msg);
    return;
  }
  routes.get(msg.type)?.(msg);
}

/** Who has not voted yet depends on who is present. */
function refreshVoteWaiting() {
  if ([...state.proposals.values()].some((p) => p.status === 'voting')) refreshProcedure();
}

function announceError(msg) {
  announce(msg.message ? errorText(msg) : t('room.errorCode', { code: msg.code }), 'error');
}
