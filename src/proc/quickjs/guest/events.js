// node:events — EventEmitter, once/on helpers, and the web EventTarget/AbortController globals.

const kCapture = Symbol("kCapture");

function checkListener(listener) {
  if (typeof listener !== "function") {
    const e = new TypeError(
      `The "listener" argument must be of type function. Received ${listener === null ? "null" : typeof listener}`,
    );
    e.code = "ERR_INVALID_ARG_TYPE";
    throw e;
  }
}

class EventEmitter {
  constructor(opts) {
    EventEmitter.init.call(this, opts);
  }
  static init() {
    if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
      this._events = Object.create(null);
      this._eventsCount = 0;
    }
    this._maxListeners = this._maxListeners || undefined;
  }
  setMaxListeners(n) {
    this._maxListeners = n;
    return this;
  }
  getMaxListeners() {
    return this._maxListeners === undefined ? EventEmitter.defaultMaxListeners : this._maxListeners;
  }
  emit(type, ...args) {
    const events = this._events;
    if (type === "error" && (events === undefined || events.error === undefined)) {
      const er = args[0];
      if (events !== undefined && events[EventEmitter.errorMonitor] !== undefined)
        this.emit(EventEmitter.errorMonitor, ...args);
      if (er instanceof Error) throw er;
      const err = new Error(`Unhandled error. (${er})`);
      err.code = "ERR_UNHANDLED_ERROR";
      err.context = er;
      throw err;
    }
    if (events === undefined) return false;
    const handler = events[type];
    if (handler === undefined) return false;
    if (typeof handler === "function") {
      handler.apply(this, args);
    } else {
      const listeners = handler.slice();
      for (let i = 0; i < listeners.length; i++) listeners[i].apply(this, args);
    }
    return true;
  }
  _addListener(type, listener, prepend) {
    checkListener(listener);
    if (this._events === undefined) {
      this._events = Object.create(null);
      this._eventsCount = 0;
    }
    if (this._events.newListener !== undefined)
      this.emit("newListener", type, listener.listener ? listener.listener : listener);
    const existing = this._events[type];
    if (existing === undefined) {
      this._events[type] = listener;
      this._eventsCount++;
    } else if (typeof existing === "function") {
      this._events[type] = prepend ? [listener, existing] : [existing, listener];
    } else if (prepend) existing.unshift(listener);
    else existing.push(listener);
    return this;
  }
  addListener(type, listener) {
    return this._addListener(type, listener, false);
  }
  on(type, listener) {
    return this._addListener(type, listener, false);
  }
  prependListener(type, listener) {
    return this._addListener(type, listener, true);
  }
  once(type, listener) {
    checkListener(listener);
    this.on(type, onceWrapper(this, type, listener));
    return this;
  }
  prependOnceListener(type, listener) {
    checkListener(listener);
    this.prependListener(type, onceWrapper(this, type, listener));
    return this;
  }
  removeListener(type, listener) {
    checkListener(listener);
    const events = this._events;
    if (events === undefined) return this;
    const list = events[type];
    if (list === undefined) return this;
    if (list === listener || list.listener === listener) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete events[type];
      if (events.removeListener) this.emit("removeListener", type, list.listener || listener);
    } else if (typeof list !== "function") {
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i] === listener || list[i].listener === listener) {
          list.splice(i, 1);
          if (list.length === 1) events[type] = list[0];
          if (events.removeListener !== undefined) this.emit("removeListener", type, listener);
          break;
        }
      }
    }
    return this;
  }
  off(type, listener) {
    return this.removeListener(type, listener);
  }
  removeAllListeners(type) {
    if (this._events === undefined) return this;
    if (type === undefined) {
      this._events = Object.create(null);
      this._eventsCount = 0;
    } else if (this._events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete this._events[type];
    }
    return this;
  }
  listeners(type) {
    const l = this._events === undefined ? undefined : this._events[type];
    if (l === undefined) return [];
    if (typeof l === "function") return [l.listener || l];
    return l.map((f) => f.listener || f);
  }
  rawListeners(type) {
    const l = this._events === undefined ? undefined : this._events[type];
    if (l === undefined) return [];
    return typeof l === "function" ? [l] : l.slice();
  }
  listenerCount(type) {
    const l = this._events === undefined ? undefined : this._events[type];
    if (l === undefined) return 0;
    return typeof l === "function" ? 1 : l.length;
  }
  eventNames() {
    return this._events === undefined ? [] : Reflect.ownKeys(this._events);
  }
}

function onceWrapper(target, type, listener) {
  const state = { fired: false, target, type, listener };
  function wrapped(...args) {
    if (!state.fired) {
      state.target.removeListener(state.type, wrapped);
      state.fired = true;
      return state.listener.apply(state.target, args);
    }
  }
  wrapped.listener = listener;
  return wrapped;
}

EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;
EventEmitter.defaultMaxListeners = 10;
EventEmitter.errorMonitor = Symbol("events.errorMonitor");
EventEmitter.captureRejectionSymbol = Symbol.for("nodejs.rejection");
EventEmitter.captureRejections = false;
EventEmitter[kCapture] = false;
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.usingDomains = false;

EventEmitter.once = (emitter, name, options = {}) =>
  new Promise((resolve, reject) => {
    if (typeof emitter.addEventListener === "function" && typeof emitter.on !== "function") {
      emitter.addEventListener(name, (...args) => resolve(args), { once: true });
      return;
    }
    const onError = (err) => {
      emitter.removeListener(name, onEvent);
      reject(err);
    };
    const onEvent = (...args) => {
      if (name !== "error") emitter.removeListener("error", onError);
      resolve(args);
    };
    emitter.once(name, onEvent);
    if (name !== "error") emitter.once("error", onError);
    if (options.signal) {
      options.signal.addEventListener("abort", () => {
        emitter.removeListener(name, onEvent);
        emitter.removeListener("error", onError);
        reject(abortError());
      });
    }
  });

EventEmitter.on = (emitter, event) => {
  const queue = [];
  const waiting = [];
  let error = null;
  let done = false;
  const onEvent = (...args) => {
    if (waiting.length) waiting.shift().resolve({ value: args, done: false });
    else queue.push(args);
  };
  const onError = (err) => {
    done = true;
    if (waiting.length) waiting.shift().reject(err);
    else error = err;
  };
  emitter.on(event, onEvent);
  if (event !== "error") emitter.on("error", onError);
  const cleanup = () => {
    emitter.removeListener(event, onEvent);
    emitter.removeListener("error", onError);
  };
  return {
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
      if (error) {
        const e = error;
        error = null;
        return Promise.reject(e);
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      done = true;
      cleanup();
      for (const w of waiting) w.resolve({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err) {
      cleanup();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
};
EventEmitter.listenerCount = (emitter, type) => emitter.listenerCount(type);
EventEmitter.getEventListeners = (emitter, type) => emitter.listeners(type);
EventEmitter.setMaxListeners = () => {};

function abortError(reason) {
  const e = new Error("The operation was aborted");
  e.name = "AbortError";
  e.code = "ABORT_ERR";
  if (reason !== undefined) e.cause = reason;
  return e;
}

// ---- web events -------------------------------------------------------------------------------
class Event {
  constructor(type, init = {}) {
    this.type = String(type);
    this.bubbles = !!init.bubbles;
    this.cancelable = !!init.cancelable;
    this.defaultPrevented = false;
    this.timeStamp = Date.now();
    this.target = null;
    this.currentTarget = null;
  }
  preventDefault() {
    if (this.cancelable) this.defaultPrevented = true;
  }
  stopPropagation() {}
  stopImmediatePropagation() {
    this._stop = true;
  }
}
class EventTarget {
  constructor() {
    Object.defineProperty(this, "_listeners", { value: new Map(), enumerable: false });
  }
  addEventListener(type, listener, options) {
    if (!listener) return;
    const once = typeof options === "object" && options !== null && !!options.once;
    let list = this._listeners.get(type);
    if (!list) this._listeners.set(type, (list = []));
    if (list.some((l) => l.listener === listener)) return;
    list.push({ listener, once });
    if (options && options.signal)
      options.signal.addEventListener("abort", () => this.removeEventListener(type, listener));
  }
  removeEventListener(type, listener) {
    const list = this._listeners.get(type);
    if (!list) return;
    const i = list.findIndex((l) => l.listener === listener);
    if (i >= 0) list.splice(i, 1);
  }
  dispatchEvent(event) {
    const list = this._listeners.get(event.type);
    event.target = this;
    event.currentTarget = this;
    if (typeof this[`on${event.type}`] === "function") this[`on${event.type}`](event);
    if (list) {
      for (const l of list.slice()) {
        if (l.once) this.removeEventListener(event.type, l.listener);
        if (typeof l.listener === "function") l.listener.call(this, event);
        else l.listener.handleEvent(event);
        if (event._stop) break;
      }
    }
    return !event.defaultPrevented;
  }
}
class AbortSignal extends EventTarget {
  constructor() {
    super();
    this.aborted = false;
    this.reason = undefined;
    this.onabort = null;
  }
  throwIfAborted() {
    if (this.aborted) throw this.reason;
  }
  static abort(reason) {
    const c = new AbortController();
    c.abort(reason);
    return c.signal;
  }
  static timeout(ms) {
    const c = new AbortController();
    setTimeout(() => {
      const e = new Error("The operation was aborted due to timeout");
      e.name = "TimeoutError";
      e.code = 23;
      c.abort(e);
    }, ms).unref();
    return c.signal;
  }
  static any(signals) {
    const c = new AbortController();
    for (const s of signals) {
      if (s.aborted) {
        c.abort(s.reason);
        break;
      }
      s.addEventListener("abort", () => c.abort(s.reason));
    }
    return c.signal;
  }
}
class AbortController {
  constructor() {
    this.signal = new AbortSignal();
  }
  abort(reason) {
    const s = this.signal;
    if (s.aborted) return;
    s.aborted = true;
    s.reason =
      reason === undefined
        ? Object.assign(abortError(), { name: "AbortError", message: "This operation was aborted" })
        : reason;
    s.dispatchEvent(new Event("abort"));
  }
}

EventEmitter._Event = Event;
EventEmitter._EventTarget = EventTarget;
EventEmitter._AbortController = AbortController;
EventEmitter._AbortSignal = AbortSignal;
EventEmitter.addAbortListener = (signal, listener) => {
  signal.addEventListener("abort", listener, { once: true });
  return { [Symbol.dispose || Symbol.for("dispose")]: () => signal.removeEventListener("abort", listener) };
};
module.exports = EventEmitter;
