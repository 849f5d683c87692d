// A session's stream (/sessions/{id}/stream, documented in session/README.md), kept open for as long as the page
// is: after a drop it reconnects with ?since=<last seq seen>, so the gateway replays exactly the events this page
// missed, and none twice.
//
// Events: 'status' (detail: 'connecting' | 'live' | 'reconnecting' | 'ended'), 'session' (detail: the session
// JSON), 'event' (detail: {seq, event}), 'refused' (detail: the refusal of a request nobody awaits).

import { gateway, streamUrl } from './gateway.js';

const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000];
const ANSWERS = new Set(['submitted', 'completions', 'completeness']);

export class SessionStream extends EventTarget {
  #socket = null;
  #lastSeq = 0;
  #nextRequestId = 1;
  #pending = new Map();
  #failures = 0;

  constructor(sessionId) {
    super();
    this.sessionId = sessionId;
    this.status = 'connecting';
    this.endReason = null;
  }

  open() {
    this.#connect();
    return this;
  }

  get live() {
    return this.status === 'live';
  }

  /** Sends a request and resolves with its answer; rejects with the gateway's message when it is refused. */
  ask(request, timeoutMs = 15000) {
    if (!this.live) return Promise.reject(new Error(this.#notLiveMessage()));
    const requestId = this.#nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(new Error('The gateway did not answer within ' + timeoutMs / 1000 + ' s; try again.'));
      }, timeoutMs);
      this.#pending.set(requestId, { resolve, reject, timer });
      this.#socket.send(JSON.stringify({ ...request, requestId }));
    });
  }

  /** Sends a request whose outcome arrives as events, like a cancel's 'finished'. */
  tell(request) {
    if (!this.live) throw new Error(this.#notLiveMessage());
    this.#socket.send(JSON.stringify({ ...request, requestId: this.#nextRequestId++ }));
  }

  #notLiveMessage() {
    return this.status === 'ended'
      ? 'This session has ended.'
      : 'Not connected to the session right now; reconnecting. Your code is still in the editor.';
  }

  #connect() {
    const socket = new WebSocket(streamUrl(this.sessionId, this.#lastSeq));
    this.#socket = socket;
    socket.onopen = () => {
      this.#failures = 0;
      this.#setStatus('live');
    };
    socket.onmessage = (message) => this.#receive(JSON.parse(message.data));
    socket.onclose = (close) => this.#closed(close);
  }

  #receive(message) {
    switch (message.type) {
      case 'session':
        this.#emit('session', message.session);
        break;
      case 'event':
        if (message.seq <= this.#lastSeq) return;
        this.#lastSeq = message.seq;
        this.#emit('event', { seq: message.seq, event: message.event });
        break;
      case 'refused': {
        const waiting = this.#settle(message.requestId);
        if (waiting) waiting.reject(new Error(message.message));
        else this.#emit('refused', message);
        break;
      }
      default:
        if (ANSWERS.has(message.type)) this.#settle(message.requestId)?.resolve(message);
    }
  }

  #settle(requestId) {
    const waiting = this.#pending.get(requestId);
    if (!waiting) return null;
    clearTimeout(waiting.timer);
    this.#pending.delete(requestId);
    return waiting;
  }

  #closed(close) {
    for (const requestId of [...this.#pending.keys()]) {
      this.#settle(requestId).reject(new Error('The connection to the session dropped before it answered; try again.'));
    }
    if (this.status === 'ended') return;
    // The gateway closes with 1000 when the session is deleted: there is nothing to come back to.
    if (close.code === 1000 && close.reason === 'session deleted') {
      this.#end('deleted');
      return;
    }
    this.#setStatus('reconnecting');
    const delay = RETRY_DELAYS_MS[Math.min(this.#failures++, RETRY_DELAYS_MS.length - 1)];
    setTimeout(() => this.#reconnect(), delay);
  }

  async #reconnect() {
    // A session that no longer exists will refuse every reconnect: ask once, and say so instead of retrying forever.
    try {
      await gateway.session(this.sessionId);
    } catch (error) {
      if (error.status === 404) {
        this.#end('gone');
        return;
      }
      // The gateway is unreachable or busy: the socket's own attempt decides, and fails into the next retry.
    }
    this.#connect();
  }

  #end(reason) {
    this.endReason = reason;
    this.#setStatus('ended');
  }

  #setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.#emit('status', status);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
