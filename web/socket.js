// The draft's WebSocket: join on every (re)connection, route replies by `id`,
// reconnect with backoff (0.5 s doubling to 10 s) and show an offline banner meanwhile.
import { t, localizeActors } from './i18n.js';
import { h } from './dom.js';

export function socketUrl(slug) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/d/${encodeURIComponent(slug)}/ws`;
}

/** The "Offline — reconnecting…" banner, shared by pages that keep a socket. */
export function offlineBanner() {
  let el = document.getElementById('offline-banner');
  if (!el) {
    el = h('div', { id: 'offline-banner', class: 'banner banner--offline', role: 'status', 'aria-live': 'assertive', hidden: true });
    document.body.prepend(el);
  }
  return {
    show(text) { el.textContent = text; el.hidden = false; document.body.classList.add('is-offline'); },
    hide() { el.hidden = true; el.textContent = ''; document.body.classList.remove('is-offline'); },
    get visible() { return !el.hidden; },
  };
}

export class DraftSocket {
  /**
   * handlers: onWelcome(msg), onEvent(msg) for messages without a pending id,
   * onJoinError(msg) when the join itself is refused (no reconnect then),
   * onStatus('connecting' | 'online' | 'offline').
   */
  constructor(slug, code, handlers) {
    this.slug = slug;
    this.code = code;
    this.handlers = handlers;
    this.ws = null;
    this.seq = 0;
    this.pending = new Map(); // id -> {resolve, reject}
    this.quiet = new Set(); // ids of messages sent without waiting for a reply
    this.delay = 500;
    this.timer = null;
    this.stopped = false;
    this.joined = false;
    this.everJoined = false;
    this.banner = offlineBanner();
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) { try { this.ws.close(1000, 'bye'); } catch { /* closing anyway */ } }
    this.ws = null;
  }

  nextId() {
    this.seq += 1;
    return `r${this.seq}-${Date.now().toString(36)}`;
  }

  get online() {
    return this.joined && this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  connect() {
    clearTimeout(this.timer);
    this.handlers.onStatus?.('connecting');
    let ws;
    try {
      ws = new WebSocket(socketUrl(this.slug));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.joined = false;
    const joinId = this.nextId();
    ws.addEventListener('open', () => {
      ws.send(JSON.stringify({ type: 'join', id: joinId, code: this.code, draft: this.slug }));
    });
    ws.addEventListener('message', (ev) => {
      let msg;
      try { msg = localizeActors(JSON.parse(ev.data)); } catch { return; }
      if (!msg || typeof msg !== 'object') return;
      if (!this.joined) {
        if (msg.type === 'welcome') {
          this.joined = true;
          this.everJoined = true;
          this.delay = 500;
          this.banner.hide();
          this.handlers.onStatus?.('online');
          this.handlers.onWelcome?.(msg);
          return;
        }
        if (msg.type === 'error' && (msg.id === joinId || msg.id === undefined || msg.id === null)) {
          // A refused join will not get better by retrying.
          if (msg.code === 'unauthorized' || msg.code === 'not_found' || msg.code === 'forbidden') {
            this.stopped = true;
            this.banner.hide();
            try { ws.close(1000, 'join refused'); } catch { /* already closing */ } // i18n-ok: a close reason, not shown
            this.handlers.onJoinError?.(msg);
            return;
          }
        }
      }
      if (msg.id !== undefined && msg.id !== null && this.quiet.has(String(msg.id))) {
        this.quiet.delete(String(msg.id));
        if (msg.type === 'error') { this.handlers.onQuietError?.(msg); return; }
        if (msg.type === 'ack') return;
        this.handlers.onEvent?.(msg); // e.g. a presence that happens to carry our id
        return;
      }
      if (msg.id !== undefined && msg.id !== null && this.pending.has(String(msg.id))) {
        const p = this.pending.get(String(msg.id));
        this.pending.delete(String(msg.id));
        if (msg.type === 'error') p.reject(msg);
        else p.resolve(msg);
        return;
      }
      this.handlers.onEvent?.(msg);
    });
    ws.addEventListener('close', () => {
      if (this.ws !== ws) return;
      this.joined = false;
      // Requests in flight will never be answered on this connection.
      const lost = [...this.pending.values()];
      this.pending.clear();
      for (const p of lost) p.reject({ type: 'error', code: 'disconnected', local: true, message: t('error.connectionLost') });
      if (this.stopped) return;
      this.handlers.onStatus?.('offline');
      this.banner.show(t('socket.offline'));
      this.scheduleReconnect();
    });
    ws.addEventListener('error', () => { /* a close event follows */ });
  }

  scheduleReconnect() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, 10000);
    this.timer = setTimeout(() => this.connect(), wait);
  }

  /** Reconnect now (e.g. after a detected gap in the event chain). */
  reconnectNow() {
    if (this.ws) { try { this.ws.close(4000, 'resync'); } catch { /* closing */ } }
  }

  /**
   * Sends a message that needs no answer (e.g. focus). It still carries a unique id, so that an
   * error about it is recognised (and passed to onQuietError) instead of being taken for an event.
   */
  send(msg) {
    if (!this.online) return false;
    const id = this.nextId();
    this.quiet.add(id);
    if (this.quiet.size > 200) this.quiet.delete(this.quiet.values().next().value);
    this.ws.send(JSON.stringify({ ...msg, id }));
    return true;
  }

  /** Sends a request with a fresh id; resolves with the reply, rejects with an error message. */
  request(msg) {
    return new Promise((resolve, reject) => {
      if (!this.online) {
        reject({ type: 'error', code: 'disconnected', local: true, message: t('error.offline') });
        return;
      }
      const id = this.nextId();
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ ...msg, id }));
    });
  }
}
