// node:stream — Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished; and the
// process.stdin / stdout / stderr streams over fds.

const EventEmitter = require("events");
const internal = require("internal");
const { host, sys, Sys } = internal;

function toChunk(chunk, encoding, objectMode) {
  if (objectMode) return chunk;
  if (typeof chunk === "string") return Buffer.from(chunk, encoding);
  if (chunk instanceof Uint8Array && !Buffer.isBuffer(chunk))
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return chunk;
}

class Stream extends EventEmitter {
  pipe(dest, options) {
    this.on("data", (chunk) => {
      if (dest.write(chunk) === false && this.pause) this.pause();
    });
    dest.on("drain", () => this.resume && this.resume());
    if (!options || options.end !== false) this.on("end", () => dest.end());
    dest.emit("pipe", this);
    return dest;
  }
}

class Readable extends Stream {
  constructor(options = {}) {
    super(options);
    this._readableState = {
      buffer: [],
      length: 0,
      flowing: null,
      ended: false,
      endEmitted: false,
      reading: false,
      objectMode: !!(options.objectMode || options.readableObjectMode),
      highWaterMark: options.highWaterMark ?? 16384,
      encoding: options.encoding || null,
      decoder: null,
      scheduled: false,
      destroyed: false,
    };
    if (options.encoding) this.setEncoding(options.encoding);
    if (typeof options.read === "function") this._read = options.read;
    if (typeof options.destroy === "function") this._destroy = options.destroy;
    this.readable = true;
  }
  get readableEnded() {
    return this._readableState.endEmitted;
  }
  get readableFlowing() {
    return this._readableState.flowing;
  }
  get readableLength() {
    return this._readableState.length;
  }
  get readableObjectMode() {
    return this._readableState.objectMode;
  }
  get destroyed() {
    return this._readableState.destroyed;
  }
  _read() {}
  push(chunk, encoding) {
    const s = this._readableState;
    s.reading = false;
    if (chunk === null) {
      s.ended = true;
      this._schedule();
      return false;
    }
    chunk = toChunk(chunk, encoding, s.objectMode);
    if (!s.objectMode && chunk.length === 0) return true;
    s.buffer.push(chunk);
    s.length += s.objectMode ? 1 : chunk.length;
    this._schedule();
    return s.length < s.highWaterMark;
  }
  unshift(chunk) {
    const s = this._readableState;
    chunk = toChunk(chunk, undefined, s.objectMode);
    s.buffer.unshift(chunk);
    s.length += s.objectMode ? 1 : chunk.length;
  }
  setEncoding(enc) {
    const { StringDecoder } = require("string_decoder");
    this._readableState.decoder = new StringDecoder(enc);
    this._readableState.encoding = enc;
    return this;
  }
  _decode(chunk) {
    const d = this._readableState.decoder;
    return d && typeof chunk !== "string" ? d.write(chunk) : chunk;
  }
  on(ev, fn) {
    super.on(ev, fn);
    const s = this._readableState;
    if (ev === "data" && s.flowing !== false) this.resume();
    else if (ev === "readable" || ev === "end") this._schedule();
    return this;
  }
  resume() {
    const s = this._readableState;
    s.flowing = true;
    this._schedule();
    return this;
  }
  pause() {
    this._readableState.flowing = false;
    this._pauseSource?.();
    return this;
  }
  isPaused() {
    return this._readableState.flowing === false;
  }
  _schedule() {
    const s = this._readableState;
    if (s.scheduled) return;
    s.scheduled = true;
    process.nextTick(() => {
      s.scheduled = false;
      this._flow();
    });
  }
  _flow() {
    const s = this._readableState;
    if (s.destroyed) return;
    if (s.flowing) {
      while (s.buffer.length && s.flowing) {
        const chunk = s.buffer.shift();
        s.length -= s.objectMode ? 1 : chunk.length;
        const out = this._decode(chunk);
        if (out !== "") this.emit("data", out);
      }
    } else if (s.buffer.length && this.listenerCount("readable")) {
      this.emit("readable");
    }
    if (s.ended && s.buffer.length === 0) {
      if (!s.endEmitted) {
        s.endEmitted = true;
        if (s.decoder) {
          const rest = s.decoder.end();
          if (rest && s.flowing) this.emit("data", rest);
        }
        this.readable = false;
        if (this.listenerCount("readable")) this.emit("readable");
        this.emit("end");
        if (this._autoClose !== false) process.nextTick(() => this.emit("close"));
      }
      return;
    }
    if (
      (s.flowing || this.listenerCount("readable") || s.wantRead) &&
      !s.reading &&
      !s.ended &&
      s.length < s.highWaterMark
    ) {
      s.reading = true;
      s.wantRead = false;
      this._read(s.highWaterMark);
    }
  }
  read(n) {
    const s = this._readableState;
    if (s.buffer.length === 0) {
      s.wantRead = true;
      this._schedule();
      return null;
    }
    let out;
    if (s.objectMode) {
      out = s.buffer.shift();
      s.length--;
    } else if (n === undefined || n >= s.length) {
      out = s.buffer.length === 1 ? s.buffer[0] : Buffer.concat(s.buffer);
      s.buffer = [];
      s.length = 0;
    } else {
      const all = Buffer.concat(s.buffer);
      out = all.subarray(0, n);
      s.buffer = [all.subarray(n)];
      s.length -= n;
    }
    this._schedule();
    return this._decode(out);
  }
  destroy(err) {
    const s = this._readableState;
    if (s.destroyed) return this;
    s.destroyed = true;
    this._pauseSource?.();
    const done = (e) => {
      if (e) this.emit("error", e);
      this.emit("close");
    };
    if (this._destroy) this._destroy(err || null, (e) => process.nextTick(done, e));
    else process.nextTick(done, err);
    return this;
  }
  [Symbol.asyncIterator]() {
    const chunks = [];
    const waiting = [];
    let ended = false;
    let error = null;
    this.on("data", (c) => {
      if (waiting.length) waiting.shift().resolve({ value: c, done: false });
      else {
        chunks.push(c);
        this.pause();
      }
    });
    this.on("end", () => {
      ended = true;
      while (waiting.length) waiting.shift().resolve({ value: undefined, done: true });
    });
    this.on("error", (e) => {
      error = e;
      while (waiting.length) waiting.shift().reject(e);
    });
    return {
      next: () => {
        if (chunks.length) {
          const value = chunks.shift();
          if (chunks.length === 0 && !ended) this.resume();
          return Promise.resolve({ value, done: false });
        }
        if (error) return Promise.reject(error);
        if (ended) return Promise.resolve({ value: undefined, done: true });
        this.resume();
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      },
      return: () => {
        this.destroy();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
  static from(iterable, options = {}) {
    const r = new Readable({ objectMode: true, ...options, read() {} });
    if (typeof iterable === "string" || Buffer.isBuffer(iterable)) {
      r.push(iterable);
      r.push(null);
      return r;
    }
    (async () => {
      try {
        for await (const v of iterable) r.push(v);
        r.push(null);
      } catch (e) {
        r.destroy(e);
      }
    })();
    return r;
  }
  async toArray() {
    const out = [];
    for await (const c of this) out.push(c);
    return out;
  }
}

class Writable extends Stream {
  constructor(options = {}) {
    super(options);
    this._writableState = {
      queue: [],
      writing: false,
      ending: false,
      ended: false,
      finished: false,
      objectMode: !!(options.objectMode || options.writableObjectMode),
      decodeStrings: options.decodeStrings !== false,
      length: 0,
      highWaterMark: options.highWaterMark ?? 16384,
      needDrain: false,
      destroyed: false,
    };
    if (typeof options.write === "function") this._write = options.write;
    if (typeof options.writev === "function") this._writev = options.writev;
    if (typeof options.final === "function") this._final = options.final;
    if (typeof options.destroy === "function") this._destroy = options.destroy;
    this.writable = true;
  }
  get writableEnded() {
    return this._writableState.ending;
  }
  get writableFinished() {
    return this._writableState.finished;
  }
  get writableLength() {
    return this._writableState.length;
  }
  get writableObjectMode() {
    return this._writableState.objectMode;
  }
  get writableHighWaterMark() {
    return this._writableState.highWaterMark;
  }
  write(chunk, encoding, cb) {
    if (typeof encoding === "function") {
      cb = encoding;
      encoding = undefined;
    }
    const s = this._writableState;
    if (s.ending) {
      const e = new Error("write after end");
      e.code = "ERR_STREAM_WRITE_AFTER_END";
      process.nextTick(() => {
        if (cb) cb(e);
        this.emit("error", e);
      });
      return false;
    }
    if (chunk === null) {
      const e = new TypeError("May not write null values to stream");
      e.code = "ERR_STREAM_NULL_VALUES";
      throw e;
    }
    if (!s.objectMode && typeof chunk === "string" && s.decodeStrings) {
      chunk = Buffer.from(chunk, encoding);
      encoding = "buffer";
    } else if (!s.objectMode && chunk instanceof Uint8Array && !Buffer.isBuffer(chunk))
      chunk = toChunk(chunk);
    s.length += s.objectMode ? 1 : chunk.length;
    s.queue.push({ chunk, encoding: encoding || "buffer", cb });
    this._drainQueue();
    const ok = s.length < s.highWaterMark;
    if (!ok) s.needDrain = true;
    return ok;
  }
  _drainQueue() {
    const s = this._writableState;
    if (s.writing || s.destroyed) return;
    const item = s.queue.shift();
    if (!item) {
      if (s.needDrain) {
        s.needDrain = false;
        this.emit("drain");
      }
      if (s.ending && !s.finished && !s.finishing) this._finish();
      return;
    }
    s.writing = true;
    let sync = true;
    this._write(item.chunk, item.encoding, (err) => {
      s.writing = false;
      s.length -= s.objectMode ? 1 : item.chunk.length;
      const after = () => {
        if (item.cb) item.cb(err || null);
        if (err) {
          this.emit("error", err);
          return;
        }
        this._drainQueue();
      };
      if (sync) process.nextTick(after);
      else after();
    });
    sync = false;
  }
  _write(_chunk, _enc, cb) {
    cb();
  }
  _finish() {
    const s = this._writableState;
    s.finishing = true;
    const done = (err) => {
      if (err) return this.emit("error", err);
      s.finished = true;
      this.writable = false;
      this.emit("finish");
      if (this._autoClose !== false) process.nextTick(() => this.emit("close"));
    };
    if (this._final) this._final((err) => process.nextTick(done, err));
    else process.nextTick(done);
  }
  end(chunk, encoding, cb) {
    if (typeof chunk === "function") {
      cb = chunk;
      chunk = undefined;
    } else if (typeof encoding === "function") {
      cb = encoding;
      encoding = undefined;
    }
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    const s = this._writableState;
    if (cb) this.once("finish", cb);
    if (s.ending) return this;
    s.ending = true;
    this._drainQueue();
    return this;
  }
  cork() {}
  uncork() {}
  setDefaultEncoding() {
    return this;
  }
  destroy(err) {
    const s = this._writableState;
    if (s.destroyed) return this;
    s.destroyed = true;
    const done = (e) => {
      if (e) this.emit("error", e);
      this.emit("close");
    };
    if (this._destroy) this._destroy(err || null, (e) => process.nextTick(done, e));
    else process.nextTick(done, err);
    return this;
  }
  get destroyed() {
    return this._writableState.destroyed;
  }
}

class Duplex extends Readable {
  constructor(options = {}) {
    super(options);
    const w = new Writable(options);
    this._writableState = w._writableState;
    if (typeof options.write === "function") this._write = options.write;
    if (typeof options.final === "function") this._final = options.final;
    this.writable = true;
    this.allowHalfOpen = options.allowHalfOpen !== false;
  }
}
for (const k of Object.getOwnPropertyNames(Writable.prototype)) {
  if (k === "constructor" || k === "destroyed") continue;
  if (!Object.hasOwn(Duplex.prototype, k))
    Object.defineProperty(Duplex.prototype, k, Object.getOwnPropertyDescriptor(Writable.prototype, k));
}

class Transform extends Duplex {
  constructor(options = {}) {
    super(options);
    if (typeof options.transform === "function") this._transform = options.transform;
    if (typeof options.flush === "function") this._flush = options.flush;
  }
  _write(chunk, encoding, cb) {
    this._transform(chunk, encoding, (err, data) => {
      if (err) return cb(err);
      if (data !== undefined && data !== null) this.push(data);
      cb();
    });
  }
  _final(cb) {
    const done = (err, data) => {
      if (err) return cb(err);
      if (data !== undefined && data !== null) this.push(data);
      this.push(null);
      cb();
    };
    if (this._flush) this._flush(done);
    else done();
  }
  _transform(chunk, _enc, cb) {
    cb(null, chunk);
  }
}
class PassThrough extends Transform {}

function eos(stream, options, cb) {
  if (typeof options === "function") {
    cb = options;
    options = {};
  }
  let called = false;
  const once = (err) => {
    if (called) return;
    called = true;
    cb(err);
  };
  stream.on("end", () => once());
  stream.on("finish", () => once());
  stream.on("error", (e) => once(e));
  stream.on("close", () => process.nextTick(() => once()));
  return () => {};
}

function pipeline(...streams) {
  const cb = typeof streams[streams.length - 1] === "function" ? streams.pop() : null;
  if (Array.isArray(streams[0])) streams = streams[0];
  let src = streams[0];
  if (typeof src[Symbol.asyncIterator] === "function" && typeof src.pipe !== "function")
    src = Readable.from(src);
  let current = src;
  for (let i = 1; i < streams.length; i++) {
    let s = streams[i];
    if (typeof s === "function") {
      s = Readable.from(s(current));
    } else current.pipe(s);
    current = s;
  }
  let done = false;
  const finish = (err) => {
    if (done) return;
    done = true;
    if (err) for (const s of streams) if (s && typeof s.destroy === "function") s.destroy();
    if (cb) cb(err);
  };
  for (const s of streams) if (s && typeof s.on === "function") s.on("error", finish);
  eos(current, (err) => finish(err));
  return current;
}

const promises = {
  pipeline: (...s) =>
    new Promise((resolve, reject) => pipeline(...s, (err) => (err ? reject(err) : resolve()))),
  finished: (s, o) => new Promise((resolve, reject) => eos(s, o, (err) => (err ? reject(err) : resolve()))),
};

// ---- fd streams ---------------------------------------------------------------------------------
class FdReadable extends Readable {
  constructor(fd, options = {}) {
    super(options);
    this.fd = fd;
    this._watcher = null;
    this._autoClose = options.autoClose !== false;
  }
  _read() {
    if (this._watcher) return;
    const w = {
      fd: this.fd,
      ref: true,
      onReady: () => {
        const r = sys(Sys.READ, this.fd, 65536);
        if (r[0] !== 0 || r[1].byteLength === 0) {
          this._stopWatch();
          if (r[0] !== 0 && r[0] !== 6) this.destroy(internal.uvException(r[0], "read"));
          else this.push(null);
          return;
        }
        this.push(new Buffer(r[1]));
        if (!this._readableState.flowing && this._readableState.length >= this._readableState.highWaterMark)
          this._stopWatch();
      },
    };
    this._watcher = w;
    internal.watchers.add(w);
  }
  _stopWatch() {
    if (this._watcher) internal.watchers.delete(this._watcher);
    this._watcher = null;
    this._readableState.reading = false;
  }
  _pauseSource() {
    this._stopWatch();
  }
  ref() {
    if (this._watcher) this._watcher.ref = true;
    return this;
  }
  unref() {
    if (this._watcher) this._watcher.ref = false;
    return this;
  }
}

function isatty(fd) {
  const r = sys(Sys.ISATTY, fd);
  return r[0] === 0 && r[1] === 1;
}

class FdWritable extends Writable {
  constructor(fd, options = {}) {
    super({ decodeStrings: false, ...options });
    this.fd = fd;
    this._type = "fs";
    this._isStdio = fd <= 2;
    this._autoClose = true;
  }
  _write(chunk, encoding, cb) {
    const data =
      typeof chunk === "string"
        ? encoding && encoding !== "utf8" && encoding !== "buffer"
          ? Buffer.from(chunk, encoding)
          : chunk
        : chunk;
    const n = host.write(this.fd, typeof data === "string" ? data : internal.toAB(data));
    if (n < 0) cb(internal.uvException(-n, "write"));
    else cb();
  }
}

function stdout(fd) {
  const s = new FdWritable(fd);
  s.isTTY = isatty(fd);
  if (s.isTTY) {
    const r = sys(Sys.TTY_SIZE, fd);
    s.columns = r[0] === 0 ? r[1] : 80;
    s.rows = r[0] === 0 ? r[2] : 24;
    s.getWindowSize = () => [s.columns, s.rows];
    s.hasColors = () => false;
    s.getColorDepth = () => 1;
    s.clearLine = (_d, cb) => (cb && cb(), true);
    s.cursorTo = (_x, _y, cb) => (typeof cb === "function" && cb(), true);
    s.moveCursor = (_x, _y, cb) => (typeof cb === "function" && cb(), true);
  }
  s.destroySoon = s.destroy;
  s._destroy = (err, cb) => cb(err);
  // Writes to stdout/stderr are synchronous (write-combined by the host), so end() never loses data.
  s.end = function (chunk, enc, cb) {
    if (typeof chunk === "function") cb = chunk;
    else if (chunk !== undefined && chunk !== null) this.write(chunk, enc);
    if (typeof enc === "function") cb = enc;
    if (cb) process.nextTick(cb);
    return this;
  };
  return s;
}

function stdin() {
  const s = new FdReadable(0);
  s.isTTY = isatty(0);
  s._autoClose = false;
  s.setRawMode = (raw) => {
    sys(92, 0, raw ? 1 : 0);
    s.isRaw = !!raw;
    return s;
  };
  return s;
}

Stream.Stream = Stream;
Stream.Readable = Readable;
Stream.Writable = Writable;
Stream.Duplex = Duplex;
Stream.Transform = Transform;
Stream.PassThrough = PassThrough;
Stream.pipeline = pipeline;
Stream.finished = eos;
Stream.promises = promises;
Stream.addAbortSignal = (_signal, stream) => stream;
Stream.isReadable = (s) => !!s && s.readable !== false;
Stream.isErrored = () => false;
Stream._FdReadable = FdReadable;
Stream._FdWritable = FdWritable;
Stream._stdin = stdin;
Stream._stdout = stdout;
Stream._isatty = isatty;
module.exports = Stream;
