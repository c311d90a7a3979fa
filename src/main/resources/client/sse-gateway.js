// sse-gateway.js: an EventSource that every tab of a browser shares.
//
// Browsers allow 6 HTTP/1.1 connections per server, for all tabs together, so a seventh tab
// with a plain EventSource waits for ever. Here one tab (the leader, chosen with Web Locks)
// holds the real EventSource and hands each event to the other tabs over BroadcastChannel.
// When the leader tab goes, the lock passes to another tab, which reconnects with the last
// id any tab saw: the gateway replays what was missed. Where either API is missing, each
// instance simply is a plain EventSource.
//
//   import { SharedEventSource } from 'https://gateway.example/sse-gateway.js';
//   const events = new SharedEventSource('https://gateway.example/subscribe/pets');
//   events.addEventListener('new-cat', (e) => console.log(e.data, e.lastEventId));
//   events.addEventListener('history-gap', () => reloadState());

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
// Types every leader listens to: the default one, and the gateway's notice that history was lost.
const ALWAYS = ['message', 'history-gap'];
// Ids remembered to drop an event seen twice at a change of leader: the old leader's last
// broadcasts may arrive after the new leader asked the gateway for everything after an older id.
const RECENT_IDS = 256;
const sharing = typeof BroadcastChannel === 'function'
  && typeof navigator !== 'undefined' && navigator.locks !== undefined;

export class SharedEventSource extends EventTarget {
  #channel = null;
  #source = null;
  #types = new Set(ALWAYS);
  #listening = new Set();
  #recent = [];
  #stopLeading = null;
  #abort = null;
  #handlers = {};

  constructor(url, options = {}) {
    super();
    this.url = new URL(url, globalThis.location?.href).href;
    this.withCredentials = Boolean(options.withCredentials);
    this.readyState = CONNECTING;
    this.lastEventId = '';
    this.isLeader = false;
    if (!sharing || options.shared === false) {
      this.#lead();
      return;
    }
    const name = 'sse-gateway ' + this.url;
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (e) => this.#hear(e.data);
    this.#post({ k: 'hello' });
    this.#abort = new AbortController();
    navigator.locks.request(name, { signal: this.#abort.signal }, () => {
      if (this.readyState === CLOSED) return undefined; // closed meanwhile: pass the lock on
      return new Promise((done) => {
        this.#stopLeading = done;
        this.#lead();
      });
    }).catch(() => {}); // aborted by close() before this tab led
  }

  get onmessage() { return this.#handlers.message ?? null; }
  set onmessage(f) { this.#handle('message', f); }
  get onopen() { return this.#handlers.open ?? null; }
  set onopen(f) { this.#handle('open', f); }
  get onerror() { return this.#handlers.error ?? null; }
  set onerror(f) { this.#handle('error', f); }

  addEventListener(type, listener, options) {
    super.addEventListener(type, listener, options);
    if (type !== 'open' && type !== 'error' && !this.#types.has(type)) {
      this.#learn([type]);
      this.#post({ k: 'types', types: [type] });
    }
  }

  close() {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.#source?.close();
    this.#source = null;
    this.#abort?.abort();
    this.#stopLeading?.(); // the next tab in line takes the lock and connects
    this.#channel?.close();
  }

  #handle(type, f) {
    if (this.#handlers[type]) this.removeEventListener(type, this.#handlers[type]);
    this.#handlers[type] = typeof f === 'function' ? f : null;
    if (this.#handlers[type]) this.addEventListener(type, this.#handlers[type]);
  }

  #lead() {
    if (this.readyState === CLOSED) return;
    this.isLeader = true;
    let url = this.url;
    if (this.lastEventId) {
      // A new EventSource cannot set Last-Event-ID; the gateway reads the same from the query.
      url += (url.includes('?') ? '&' : '?') + 'lastEventId=' + encodeURIComponent(this.lastEventId);
    }
    this.#source = new EventSource(url, { withCredentials: this.withCredentials });
    this.#source.onopen = () => this.#state(OPEN, true);
    this.#source.onerror = () => this.#state(this.#source?.readyState ?? CLOSED, true);
    this.#listening.clear();
    this.#types.forEach((type) => this.#listen(type));
    this.#state(CONNECTING, true);
  }

  #listen(type) {
    if (!this.#source || this.#listening.has(type)) return;
    this.#listening.add(type);
    this.#source.addEventListener(type, (e) => {
      this.#post({ k: 'event', type, data: e.data, id: e.lastEventId, origin: e.origin });
      this.#deliver(type, e.data, e.lastEventId, e.origin);
    });
  }

  #learn(types) {
    for (const type of types) {
      this.#types.add(type);
      this.#listen(type);
    }
  }

  #hear(m) {
    if (this.readyState === CLOSED) return;
    if (m.k === 'event') this.#deliver(m.type, m.data, m.id, m.origin);
    else if (m.k === 'types') this.#learn(m.types);
    else if (m.k === 'state') this.#state(m.state, false);
    else if (m.k === 'hello') {
      this.#post({ k: 'types', types: [...this.#types] });
      if (this.isLeader) this.#post({ k: 'state', state: this.readyState });
    }
  }

  #deliver(type, data, id, origin) {
    if (id) {
      if (this.#recent.includes(id)) return;
      this.#recent.push(id);
      if (this.#recent.length > RECENT_IDS) this.#recent.shift();
      this.lastEventId = id;
    }
    this.dispatchEvent(new MessageEvent(type, { data, lastEventId: id ?? '', origin }));
  }

  #state(state, own) {
    if (own) this.#post({ k: 'state', state });
    if (this.readyState === CLOSED || state === this.readyState) return;
    this.readyState = state;
    this.dispatchEvent(new Event(state === OPEN ? 'open' : 'error'));
    if (state === CLOSED) this.close();
  }

  #post(message) {
    this.#channel?.postMessage(message);
  }
}

SharedEventSource.CONNECTING = CONNECTING;
SharedEventSource.OPEN = OPEN;
SharedEventSource.CLOSED = CLOSED;
export default SharedEventSource;
