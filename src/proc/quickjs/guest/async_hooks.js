// node:async_hooks — AsyncLocalStorage without propagation across awaits (run() scope only).

class AsyncLocalStorage {
  constructor() {
    this._store = undefined;
  }
  getStore() {
    return this._store;
  }
  run(store, fn, ...args) {
    const prev = this._store;
    this._store = store;
    try {
      return fn(...args);
    } finally {
      this._store = prev;
    }
  }
  enterWith(store) {
    this._store = store;
  }
  exit(fn, ...args) {
    return this.run(undefined, fn, ...args);
  }
  disable() {
    this._store = undefined;
  }
}
class AsyncResource {
  constructor(type) {
    this.type = type;
  }
  runInAsyncScope(fn, thisArg, ...args) {
    return fn.apply(thisArg, args);
  }
  bind(fn) {
    return fn.bind(this);
  }
  static bind(fn) {
    return fn;
  }
  emitDestroy() {}
  asyncId() {
    return 1;
  }
  triggerAsyncId() {
    return 0;
  }
}
module.exports = {
  AsyncLocalStorage,
  AsyncResource,
  createHook: () => ({ enable() {}, disable() {} }),
  executionAsyncId: () => 1,
  triggerAsyncId: () => 0,
};
