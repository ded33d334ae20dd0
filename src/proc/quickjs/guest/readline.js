// node:readline — createInterface over a readable stream: 'line'/'close' events, async iteration,
// question(), and readline/promises.

const EventEmitter = require("events");

class Interface extends EventEmitter {
  constructor(input, output, completer, terminal) {
    super();
    let opts = input;
    if (!input || typeof input.on === "function" || input.input === undefined)
      opts = { input, output, completer, terminal };
    this.input = opts.input;
    this.output = opts.output;
    this.terminal = !!opts.terminal;
    this.line = "";
    this.closed = false;
    this._prompt = opts.prompt ?? "> ";
    this._buffer = "";
    this._paused = false;
    this._questions = [];
    this._crlfDelay = opts.crlfDelay;
    this.history = [];
    const { StringDecoder } = require("string_decoder");
    const decoder = new StringDecoder("utf8");
    this._onData = (chunk) => {
      this._buffer += typeof chunk === "string" ? chunk : decoder.write(chunk);
      let i = this._buffer.search(/\r?\n|\r(?!$)/);
      while (i >= 0) {
        const m = /\r?\n|\r/.exec(this._buffer.slice(i));
        const line = this._buffer.slice(0, i);
        this._buffer = this._buffer.slice(i + m[0].length);
        this._line(line);
        if (this.closed) return;
        i = this._buffer.search(/\r?\n|\r(?!$)/);
      }
    };
    this._onEnd = () => {
      if (this._buffer.length) {
        const rest = this._buffer;
        this._buffer = "";
        this._line(rest);
      }
      this.close();
    };
    if (this.input) {
      this.input.on("data", this._onData);
      this.input.on("end", this._onEnd);
      if (typeof this.input.resume === "function") this.input.resume();
    }
  }
  _line(line) {
    if (this._questions.length) {
      const cb = this._questions.shift();
      cb(line);
      return;
    }
    this.emit("line", line);
  }
  setPrompt(p) {
    this._prompt = p;
  }
  getPrompt() {
    return this._prompt;
  }
  prompt() {
    if (this.output) this.output.write(this._prompt);
  }
  question(query, options, cb) {
    if (typeof options === "function") cb = options;
    if (this.output) this.output.write(query);
    this._questions.push(cb);
  }
  write(data) {
    if (this.output && typeof data === "string") this.output.write(data);
  }
  pause() {
    if (this.input && this.input.pause) this.input.pause();
    this._paused = true;
    this.emit("pause");
    return this;
  }
  resume() {
    if (this.input && this.input.resume) this.input.resume();
    this._paused = false;
    this.emit("resume");
    return this;
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.input) {
      this.input.removeListener("data", this._onData);
      this.input.removeListener("end", this._onEnd);
      if (typeof this.input.pause === "function" && this.input !== process.stdin) this.input.pause();
      else if (this.input === process.stdin) this.input.pause();
    }
    this.emit("close");
  }
  getCursorPos() {
    return { rows: 0, cols: this.line.length };
  }
  [Symbol.asyncIterator]() {
    const it = EventEmitter.on(this, "line");
    const lines = [];
    const waiting = [];
    let done = false;
    this.on("line", (l) => {
      if (waiting.length) waiting.shift()({ value: l, done: false });
      else lines.push(l);
    });
    this.on("close", () => {
      done = true;
      while (waiting.length) waiting.shift()({ value: undefined, done: true });
    });
    it.return();
    return {
      next: () => {
        if (lines.length) return Promise.resolve({ value: lines.shift(), done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => waiting.push(r));
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

function createInterface(input, output, completer, terminal) {
  return new Interface(input, output, completer, terminal);
}
const promises = {
  Interface,
  createInterface(...args) {
    const rl = createInterface(...args);
    const question = rl.question.bind(rl);
    rl.question = (q, opts) => new Promise((resolve) => question(q, opts || {}, resolve));
    return rl;
  },
};
module.exports = {
  Interface,
  createInterface,
  clearLine: (_s, _d, cb) => (cb && cb(), true),
  clearScreenDown: (_s, cb) => (cb && cb(), true),
  cursorTo: (_s, _x, _y, cb) => (typeof cb === "function" && cb(), true),
  moveCursor: (_s, _x, _y, cb) => (typeof cb === "function" && cb(), true),
  emitKeypressEvents: () => {},
  promises,
};
