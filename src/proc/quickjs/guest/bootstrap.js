// agentos-vm node runtime: bootstrap (evaluated first in every QuickJS context, as global code).
// Builds `internal` (the bridge to the host and shared helpers), the built-in module registry, the
// CommonJS loader, `process`, timers and the event loop, then evaluates to { esm, loop } for the
// host. Everything else lives in one file per built-in module, loaded on first use.
(() => {
  const host = globalThis.__agentos_host;
  delete globalThis.__agentos_host;
  const info = JSON.parse(host.info());

  // Strings cross the QuickJS boundary as C strings: a NUL would cut them short. Split around NULs.
  {
    const rawEncode = host.encode;
    const rawDecode = host.decode;
    const rawWrite = host.write;
    host.encode = (s, enc) => {
      if (!s.includes("\u0000")) return rawEncode(s, enc);
      const width = enc === "utf16le" ? 2 : 1;
      const parts = s.split("\u0000").map((p) => new Uint8Array(rawEncode(p, enc)));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + (parts.length - 1) * width);
      let at = 0;
      parts.forEach((p, i) => {
        if (i > 0) at += width;
        out.set(p, at);
        at += p.length;
      });
      return out.buffer;
    };
    host.decode = (data, enc) => {
      const r = rawDecode(data, enc);
      return typeof r === "string" ? r : r.join("\u0000");
    };
    host.write = (fd, data) =>
      rawWrite(fd, typeof data === "string" && data.includes("\u0000") ? host.encode(data) : data);
  }

  // ---- syscalls ----------------------------------------------------------------------------
  // Syscall numbers and open flags: src/kernel/abi.ts, handed over by the host.
  const Sys = info.abi.sys;
  const O = info.abi.o;
  const AT_FDCWD = info.abi.atFdcwd;
  // WASI errno → [Node code, Linux errno, description]
  const ERRNO = {
    1: ["E2BIG", 7, "argument list too long"],
    2: ["EACCES", 13, "permission denied"],
    3: ["EADDRINUSE", 98, "address already in use"],
    6: ["EAGAIN", 11, "resource temporarily unavailable"],
    8: ["EBADF", 9, "bad file descriptor"],
    10: ["EBUSY", 16, "resource busy or locked"],
    12: ["ECHILD", 10, "no child processes"],
    14: ["ECONNREFUSED", 111, "connection refused"],
    20: ["EEXIST", 17, "file already exists"],
    27: ["EINTR", 4, "interrupted system call"],
    28: ["EINVAL", 22, "invalid argument"],
    29: ["EIO", 5, "i/o error"],
    31: ["EISDIR", 21, "illegal operation on a directory"],
    32: ["ELOOP", 40, "too many symbolic links encountered"],
    33: ["EMFILE", 24, "too many open files"],
    37: ["ENAMETOOLONG", 36, "name too long"],
    44: ["ENOENT", 2, "no such file or directory"],
    45: ["ENOEXEC", 8, "exec format error"],
    48: ["ENOMEM", 12, "not enough memory"],
    51: ["ENOSPC", 28, "no space left on device"],
    52: ["ENOSYS", 38, "function not implemented"],
    54: ["ENOTDIR", 20, "not a directory"],
    55: ["ENOTEMPTY", 39, "directory not empty"],
    58: ["ENOTSUP", 95, "operation not supported on socket"],
    59: ["ENOTTY", 25, "inappropriate ioctl for device"],
    63: ["EPERM", 1, "operation not permitted"],
    64: ["EPIPE", 32, "broken pipe"],
    69: ["EROFS", 30, "read-only file system"],
    70: ["ESPIPE", 29, "invalid seek"],
    71: ["ESRCH", 3, "no such process"],
    75: ["EXDEV", 18, "cross-device link not permitted"],
  };

  function toAB(data) {
    if (data instanceof ArrayBuffer) return data;
    if (ArrayBuffer.isView(data)) {
      const { buffer, byteOffset, byteLength } = data;
      if (byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
      return buffer.slice(byteOffset, byteOffset + byteLength);
    }
    return data;
  }

  function sys(op, ...args) {
    for (let i = 0; i < args.length; i++) if (typeof args[i] === "object") args[i] = toAB(args[i]);
    return host.sys(op, ...args);
  }

  function uvException(errno, syscall, path, dest) {
    const [code, num, desc] = ERRNO[errno] || ["EIO", 5, `errno ${errno}`];
    let message = `${code}: ${desc}, ${syscall}`;
    if (path !== undefined) message += ` '${path}'`;
    if (dest !== undefined) message += ` -> '${dest}'`;
    const err = new Error(message);
    err.errno = -num;
    err.code = code;
    err.syscall = syscall;
    if (path !== undefined) err.path = path;
    if (dest !== undefined) err.dest = dest;
    return err;
  }

  /** Calls a syscall, throwing a Node-style error on failure; returns the values. */
  function check(op, syscall, path, ...args) {
    const r = sys(op, ...args);
    if (r[0] !== 0) throw uvException(r[0], syscall, path);
    return r;
  }

  function nodeError(code, message, Ctor = Error) {
    const e = new Ctor(message);
    e.code = code;
    return e;
  }

  function unsupported(what) {
    return nodeError("ERR_AGENTOS_UNSUPPORTED", `${what} is not yet available in agentos-vm`);
  }

  const nowMs = () => host.now();
  const startTime = nowMs();

  // ---- Error: Node-style stacks ("Name: message\n    at …") and captureStackTrace --------------
  const errorCtors = [
    "Error",
    "TypeError",
    "RangeError",
    "SyntaxError",
    "ReferenceError",
    "EvalError",
    "URIError",
  ];
  const NativeError = globalThis.Error;
  function withHeader(e) {
    try {
      const s = e.stack;
      if (typeof s === "string" && !s.startsWith(`${e.name}`)) {
        const header = e.message ? `${e.name}: ${e.message}` : `${e.name}`;
        Object.defineProperty(e, "stack", {
          value: `${header}\n${s.replace(/\n$/, "")}`,
          writable: true,
          configurable: true,
          enumerable: false,
        });
      }
    } catch {}
    return e;
  }
  for (const name of errorCtors) {
    const Native = globalThis[name];
    const Wrapped = {
      [name]: function (...args) {
        const e = Reflect.construct(Native, args, new.target || Wrapped);
        if (typeof e.stack === "string") {
          // Drop the wrapper's own frame.
          const lines = e.stack.split("\n");
          while (lines.length > 1 && /\(native\)|node:internal\/bootstrap/.test(lines[0])) lines.shift();
          Object.defineProperty(e, "stack", { value: lines.join("\n"), writable: true, configurable: true });
          withHeader(e);
        }
        return e;
      },
    }[name];
    Object.setPrototypeOf(Wrapped, name === "Error" ? Function.prototype : globalThis.Error);
    Wrapped.prototype = Native.prototype;
    Object.defineProperty(Native.prototype, "constructor", {
      value: Wrapped,
      writable: true,
      configurable: true,
    });
    globalThis[name] = Wrapped;
  }
  globalThis.Error.stackTraceLimit = 10;
  globalThis.Error.captureStackTrace = (obj) => {
    if (obj === null || typeof obj !== "object") return;
    const frames = (new NativeError().stack || "").split("\n").slice(2).join("\n");
    const header = obj.message ? `${obj.name || "Error"}: ${obj.message}` : `${obj.name || "Error"}`;
    Object.defineProperty(obj, "stack", {
      value: `${header}\n${frames}`,
      writable: true,
      configurable: true,
    });
  };

  // ---- internal: shared with built-in modules as require("internal") --------------------------
  const internal = {
    host,
    info,
    sys,
    check,
    Sys,
    O,
    AT_FDCWD,
    ERRNO,
    toAB,
    uvException,
    nodeError,
    unsupported,
    nowMs,
    withHeader,
    startTime,
    sourceCache: new Map(),
  };

  // ---- built-in modules ----------------------------------------------------------------------
  const builtinCache = new Map();
  const builtinNames = new Set(info.builtins);
  const UNSUPPORTED = new Set([
    "net",
    "dns",
    "zlib",
    "worker_threads",
    "v8",
    "tls",
    "dgram",
    "cluster",
    "inspector",
  ]);

  function requireBuiltin(name) {
    if (name === "internal") return internal;
    if (name.startsWith("node:")) name = name.slice(5);
    const cached = builtinCache.get(name);
    if (cached) return cached.exports;
    const module = { exports: {}, id: `node:${name}`, loaded: false };
    builtinCache.set(name, module);
    const src = host.builtinSource(name);
    if (src === undefined) {
      if (!UNSUPPORTED.has(name) && !builtinNames.has(name)) {
        builtinCache.delete(name);
        throw nodeError("ERR_UNKNOWN_BUILTIN_MODULE", `No such built-in module: node:${name}`);
      }
      module.exports = unsupportedModule(name);
    } else {
      try {
        const fn = host.compile(src, `node:${name}`);
        fn.call(module.exports, module.exports, requireBuiltin, module, `node:${name}`, "node:");
      } catch (e) {
        builtinCache.delete(name);
        throw e;
      }
    }
    module.loaded = true;
    return module.exports;
  }
  internal.requireBuiltin = requireBuiltin;

  function unsupportedModule(name) {
    return new Proxy(
      {},
      {
        get(_t, key) {
          if (key === "__esModule" || typeof key === "symbol" || key === "then") return undefined;
          return () => {
            throw unsupported(`node:${name} (${String(key)})`);
          };
        },
      },
    );
  }

  function lazyGlobal(name, get) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      enumerable: false,
      get() {
        const v = get();
        Object.defineProperty(globalThis, name, {
          value: v,
          writable: true,
          configurable: true,
          enumerable: false,
        });
        return v;
      },
      set(v) {
        Object.defineProperty(globalThis, name, {
          value: v,
          writable: true,
          configurable: true,
          enumerable: false,
        });
      },
    });
  }

  // ---- event loop state ---------------------------------------------------------------------
  let ticks = [];
  const immediates = [];
  const timers = new Map();
  const watchers = new Set();
  let timerSeq = 0;
  internal.watchers = watchers;

  class Timeout {
    constructor(cb, ms, args, repeat) {
      this._id = ++timerSeq;
      ms = Number(ms);
      this._idleTimeout = ms >= 1 && ms <= 2147483647 ? ms : 1;
      this._onTimeout = cb;
      this._args = args;
      this._repeat = repeat;
      this._ref = true;
      this._when = nowMs() + this._idleTimeout;
      this._seq = this._id;
      timers.set(this._id, this);
    }
    ref() {
      this._ref = true;
      return this;
    }
    unref() {
      this._ref = false;
      return this;
    }
    hasRef() {
      return this._ref;
    }
    refresh() {
      this._when = nowMs() + this._idleTimeout;
      this._seq = ++timerSeq;
      if (!timers.has(this._id)) timers.set(this._id, this);
      return this;
    }
    close() {
      timers.delete(this._id);
      return this;
    }
    [Symbol.toPrimitive]() {
      return this._id;
    }
  }
  class Immediate {
    constructor(cb, args) {
      this._onImmediate = cb;
      this._args = args;
      this._ref = true;
      this._cleared = false;
    }
    ref() {
      this._ref = true;
      return this;
    }
    unref() {
      this._ref = false;
      return this;
    }
    hasRef() {
      return this._ref;
    }
  }

  function checkCallback(cb) {
    if (typeof cb !== "function") {
      throw nodeError(
        "ERR_INVALID_ARG_TYPE",
        `The "callback" argument must be of type function. Received ${typeof cb}`,
        TypeError,
      );
    }
  }
  const timersApi = {
    setTimeout(cb, ms, ...args) {
      checkCallback(cb);
      return new Timeout(cb, ms, args, false);
    },
    setInterval(cb, ms, ...args) {
      checkCallback(cb);
      return new Timeout(cb, ms, args, true);
    },
    setImmediate(cb, ...args) {
      checkCallback(cb);
      const i = new Immediate(cb, args);
      immediates.push(i);
      return i;
    },
    clearTimeout(t) {
      if (t == null) return;
      if (typeof t === "object") timers.delete(t._id);
      else timers.delete(Number(t));
    },
    clearImmediate(i) {
      if (i) i._cleared = true;
    },
  };
  timersApi.clearInterval = timersApi.clearTimeout;
  internal.timers = timersApi;
  internal.Timeout = Timeout;
  internal.Immediate = Immediate;
  for (const [k, v] of Object.entries(timersApi)) globalThis[k] = v;

  function nextTick(cb, ...args) {
    checkCallback(cb);
    if (ticks.length === 0) host.markTick();
    ticks.push([cb, args]);
  }
  globalThis.queueMicrotask = (cb) => {
    checkCallback(cb);
    Promise.resolve().then(() => cb());
  };

  // ---- process -------------------------------------------------------------------------------
  const EventEmitter = requireBuiltin("events");
  const process = new EventEmitter();
  internal.process = process;
  const env = {};
  for (const kv of info.env) {
    const i = kv.indexOf("=");
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  const envProxy = new Proxy(env, {
    set(t, k, v) {
      t[k] = String(v);
      return true;
    },
    defineProperty(t, k, d) {
      t[k] = String(d.value);
      return true;
    },
  });
  let exitCode;
  let exiting = false;
  Object.assign(process, {
    title: "node",
    version: info.version,
    versions: {
      node: info.version.slice(1),
      quickjs: "2024-01-13",
      agentos: "0.1.0",
      v8: "0.0.0-quickjs",
      uv: "0.0.0-agentos",
      modules: "127",
    },
    arch: "wasm32",
    platform: "linux",
    release: { name: "node", lts: "Jod" },
    argv: [],
    execArgv: [],
    execPath: "/usr/bin/node",
    env: envProxy,
    pid: info.pid,
    ppid: 1,
    features: {},
    config: { variables: {} },
    argv0: "node",
    exit(code) {
      if (code !== undefined) process.exitCode = code;
      if (!exiting) {
        exiting = true;
        try {
          process.emit("exit", process.exitCode ?? 0);
        } catch (e) {
          reportUncaught(e);
        }
      }
      host.exit(Number(process.exitCode ?? 0) | 0);
    },
    reallyExit(code) {
      host.exit(code | 0);
    },
    abort() {
      host.exit(134);
    },
    cwd() {
      return check(Sys.GETCWD, "uv_cwd")[1];
    },
    chdir(dir) {
      const target = dir.startsWith("/") ? dir : `${process.cwd()}/${dir}`;
      const r = sys(Sys.CHDIR, target);
      if (r[0] !== 0) {
        const e = uvException(r[0], "chdir", process.cwd(), dir);
        e.message = `${e.message.split(",")[0]}, chdir ${process.cwd()} -> '${dir}'`;
        throw e;
      }
      env.PWD = check(Sys.GETCWD, "uv_cwd")[1];
    },
    umask(mask) {
      const r =
        mask === undefined
          ? sys(Sys.UMASK, 0, 0)
          : sys(Sys.UMASK, typeof mask === "string" ? parseInt(mask, 8) : mask, 1);
      return r[1];
    },
    getuid: () => sys(Sys.GETIDS)[1],
    geteuid: () => sys(Sys.GETIDS)[2],
    getgid: () => sys(Sys.GETIDS)[3],
    getegid: () => sys(Sys.GETIDS)[4],
    getgroups: () => [sys(Sys.GETIDS)[3]],
    kill(pid, sig = "SIGTERM") {
      const signo = typeof sig === "number" ? sig : requireBuiltin("os").constants.signals[sig];
      if (signo === undefined) throw nodeError("ERR_UNKNOWN_SIGNAL", `Unknown signal: ${sig}`, TypeError);
      const r = sys(Sys.KILL, pid, signo);
      if (r[0] !== 0) throw uvException(r[0], "kill");
      return true;
    },
    nextTick,
    hrtime: Object.assign(
      (prev) => {
        const t = nowMs();
        let s = Math.floor(t / 1000);
        let ns = Math.floor((t % 1000) * 1e6);
        if (prev) {
          s -= prev[0];
          ns -= prev[1];
          if (ns < 0) {
            s--;
            ns += 1e9;
          }
        }
        return [s, ns];
      },
      { bigint: () => BigInt(Math.floor(nowMs() * 1e6)) },
    ),
    uptime: () => (nowMs() - startTime) / 1000,
    memoryUsage: Object.assign(
      () => ({ rss: 0, heapTotal: info.memoryLimit, heapUsed: 0, external: 0, arrayBuffers: 0 }),
      {
        rss: () => 0,
      },
    ),
    cpuUsage: () => ({ user: Math.round((nowMs() - startTime) * 1000), system: 0 }),
    resourceUsage: () => ({}),
    emitWarning(warning, type) {
      const msg = typeof warning === "string" ? warning : warning.message;
      const name = typeof type === "string" ? type : (warning && warning.name) || "Warning";
      host.write(2, `(node:${info.pid}) ${name}: ${msg}\n`);
    },
    binding() {
      throw unsupported("process.binding");
    },
    setUncaughtExceptionCaptureCallback() {},
    hasUncaughtExceptionCaptureCallback: () => false,
  });
  Object.defineProperty(process, "exitCode", {
    get: () => exitCode,
    set(v) {
      exitCode = v === undefined || v === null ? undefined : Number(v);
    },
    enumerable: true,
  });
  Object.defineProperty(process, Symbol.toStringTag, { value: "process" });
  for (const [name, fd] of [
    ["stdin", 0],
    ["stdout", 1],
    ["stderr", 2],
  ]) {
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: true,
      get() {
        const stream = requireBuiltin("stream");
        const s = fd === 0 ? stream._stdin() : stream._stdout(fd);
        Object.defineProperty(process, name, {
          value: s,
          configurable: true,
          enumerable: true,
          writable: true,
        });
        return s;
      },
    });
  }
  globalThis.process = process;
  globalThis.global = globalThis;

  // ---- other globals -------------------------------------------------------------------------
  lazyGlobal("Buffer", () => requireBuiltin("buffer").Buffer);
  // console: a fast path for primitive arguments, so `console.log("x", 1)` does not compile util.
  {
    let real = null;
    const load = () => {
      real ??= requireBuiltin("console");
      return real;
    };
    const simple = (args) => {
      if (typeof args[0] === "string" && args.length > 1 && args[0].includes("%")) return null;
      let out = "";
      for (let i = 0; i < args.length; i++) {
        const v = args[i];
        const t = typeof v;
        if (i) out += " ";
        if (t === "string") out += v;
        else if (t === "number") out += Object.is(v, -0) ? "-0" : String(v);
        else if (t === "boolean" || v === undefined || v === null) out += String(v);
        else if (t === "bigint") out += `${v}n`;
        else return null;
      }
      return `${out}\n`;
    };
    const emit = (fd, args, method) => {
      const text = real === null ? simple(args) : null;
      if (text === null) return load()[method](...args);
      const name = fd === 1 ? "stdout" : "stderr";
      const d = Object.getOwnPropertyDescriptor(process, name);
      if (d && "value" in d) d.value.write(text);
      else host.write(fd, text);
    };
    const fast = {
      log: (...a) => emit(1, a, "log"),
      info: (...a) => emit(1, a, "info"),
      debug: (...a) => emit(1, a, "debug"),
      error: (...a) => emit(2, a, "error"),
      warn: (...a) => emit(2, a, "warn"),
    };
    const consoleProxy = new Proxy(fast, {
      get(target, key) {
        if (real === null && Object.hasOwn(target, key)) return target[key];
        const c = load();
        const v = c[key];
        return typeof v === "function" && Object.hasOwn(target, key) ? v : v;
      },
      set(_t, key, value) {
        load()[key] = value;
        delete fast[key];
        return true;
      },
      has: (_t, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_t, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        if (d) d.configurable = true;
        return d;
      },
    });
    lazyGlobal("console", () => consoleProxy);
  }
  lazyGlobal("URL", () => requireBuiltin("url").URL);
  lazyGlobal("URLSearchParams", () => requireBuiltin("url").URLSearchParams);
  lazyGlobal("TextEncoder", () => requireBuiltin("util").TextEncoder);
  lazyGlobal("TextDecoder", () => requireBuiltin("util").TextDecoder);
  lazyGlobal("structuredClone", () => requireBuiltin("util")._structuredClone);
  lazyGlobal("AbortController", () => requireBuiltin("events")._AbortController);
  lazyGlobal("AbortSignal", () => requireBuiltin("events")._AbortSignal);
  lazyGlobal("EventTarget", () => requireBuiltin("events")._EventTarget);
  lazyGlobal("Event", () => requireBuiltin("events")._Event);
  lazyGlobal("performance", () => requireBuiltin("perf_hooks").performance);
  lazyGlobal("fetch", () => requireBuiltin("internal/fetch").fetch);
  lazyGlobal("Headers", () => requireBuiltin("internal/fetch").Headers);
  lazyGlobal("Request", () => requireBuiltin("internal/fetch").Request);
  lazyGlobal("Response", () => requireBuiltin("internal/fetch").Response);
  lazyGlobal("crypto", () => requireBuiltin("crypto").webcrypto);
  lazyGlobal("atob", () => requireBuiltin("buffer").atob);
  lazyGlobal("btoa", () => requireBuiltin("buffer").btoa);

  // ---- CommonJS ------------------------------------------------------------------------------
  function dirname(p) {
    const i = p.lastIndexOf("/");
    return i <= 0 ? "/" : p.slice(0, i);
  }
  function nodeModulePaths(dir) {
    const out = [];
    for (let d = dir; ; d = dirname(d)) {
      if (!d.endsWith("/node_modules")) out.push(`${d === "/" ? "" : d}/node_modules`);
      if (d === "/") break;
    }
    return out;
  }

  class Module {
    constructor(id = "", parent = null) {
      this.id = id;
      this.path = dirname(id);
      this.exports = {};
      this.filename = null;
      this.loaded = false;
      this.children = [];
      this.paths = [];
      this.parent = parent;
      if (parent && parent.children) parent.children.push(this);
    }
    require(id) {
      return Module._load(id, this);
    }
    _compile(content, filename) {
      const fn = host.compile(content, filename);
      const require = makeRequire(this);
      return fn.call(this.exports, this.exports, require, this, filename, dirname(filename));
    }
  }
  Module._cache = Object.create(null);
  Module.builtinModules = info.builtins.slice();
  Module.isBuiltin = (n) => builtinNames.has(n.startsWith("node:") ? n.slice(5) : n);
  Module._extensions = {
    ".js"(module, filename) {
      const src = readSource(filename);
      if (host.format(filename) === "module") {
        throw nodeError("ERR_REQUIRE_ESM", `require() of ES Module ${filename} not supported.`);
      }
      try {
        module._compile(src, filename);
      } catch (e) {
        if (e instanceof SyntaxError && looksLikeEsm(src) && !filename.endsWith(".cjs")) {
          throw nodeError("ERR_REQUIRE_ESM", `require() of ES Module ${filename} not supported.`);
        }
        throw e;
      }
    },
    ".json"(module, filename) {
      const src = readSource(filename);
      try {
        module.exports = JSON.parse(src);
      } catch (e) {
        e.message = `${filename}: ${e.message}`;
        throw e;
      }
    },
    ".node"(_module, filename) {
      throw nodeError("ERR_DLOPEN_FAILED", `${filename}: native addons cannot be loaded in agentos-vm`);
    },
  };
  Module._extensions[".cjs"] = Module._extensions[".js"];
  Module._extensions[".mjs"] = (_m, filename) => {
    throw nodeError("ERR_REQUIRE_ESM", `require() of ES Module ${filename} not supported.`);
  };
  Module._resolveFilename = (request, parent) => {
    const from = parent && parent.filename ? parent.filename : `${process.cwd()}/`;
    return host.resolve(request, from, "require");
  };
  Module._load = (request, parent) => {
    const filename = Module._resolveFilename(request, parent);
    if (filename.startsWith("node:")) return requireBuiltin(filename);
    const cached = Module._cache[filename];
    if (cached) return cached.exports;
    const module = new Module(filename, parent);
    module.filename = filename;
    module.paths = nodeModulePaths(dirname(filename));
    Module._cache[filename] = module;
    let ok = false;
    try {
      const ext = filename.slice(filename.lastIndexOf("."));
      const loader = Module._extensions[ext] || Module._extensions[".js"];
      loader(module, filename);
      ok = true;
    } finally {
      if (!ok) delete Module._cache[filename];
    }
    module.loaded = true;
    return module.exports;
  };
  Module.createRequire = (filename) => {
    if (typeof filename === "object" && filename.href) filename = filename.href;
    if (filename.startsWith("file://")) filename = decodeURIComponent(filename.slice(7));
    const m = new Module(filename, null);
    m.filename = filename.endsWith("/") ? `${filename}[eval]` : filename;
    m.paths = nodeModulePaths(dirname(m.filename));
    return makeRequire(m);
  };
  Module.Module = Module;
  Module.wrap = (s) => `(function (exports, require, module, __filename, __dirname) { ${s}\n});`;
  Module.syncBuiltinESMExports = () => {};
  Module.findSourceMap = () => undefined;
  Module.register = () => {};
  internal.Module = Module;

  function readSource(filename) {
    const src = host.readText(filename);
    if (src === null) throw uvException(44, "open", filename);
    internal.sourceCache.set(filename, src);
    return src;
  }
  function looksLikeEsm(src) {
    return /^\s*(import\s*[\w{*'"]|export\s+(default|const|let|var|function|class|async|\{|\*))/m.test(src);
  }

  let mainModule;
  function makeRequire(module) {
    const require = (id) => {
      if (typeof id !== "string") {
        throw nodeError(
          "ERR_INVALID_ARG_TYPE",
          `The "id" argument must be of type string. Received ${typeof id}`,
          TypeError,
        );
      }
      return Module._load(id, module);
    };
    require.resolve = (request) => {
      const r = Module._resolveFilename(request, module);
      return r.startsWith("node:") && !request.startsWith("node:") ? request : r;
    };
    require.resolve.paths = (request) => (Module.isBuiltin(request) ? null : module.paths);
    require.cache = Module._cache;
    require.main = mainModule;
    require.extensions = Module._extensions;
    return require;
  }

  // ---- ES modules: hooks the host's module loader calls ---------------------------------------
  const esm = {
    builtin: (name) => requireBuiltin(name),
    require: (filename) => {
      const m = Module._cache[filename];
      if (m) return m.exports;
      return Module._load(filename, null);
    },
    names(kind, spec) {
      let m;
      try {
        m = kind === "builtin" ? requireBuiltin(spec) : esm.require(spec);
      } catch (e) {
        if (kind === "builtin") throw e;
        return "[]";
      }
      if (m === null || (typeof m !== "object" && typeof m !== "function")) return "[]";
      const names = Object.keys(m).filter((k) => k !== "default");
      return JSON.stringify(names);
    },
    resolveUrl(spec, parent) {
      const r = host.resolve(spec, parent, "import");
      return r.startsWith("node:") ? r : `file://${r}`;
    },
  };
  Object.defineProperty(globalThis, "__agentos_esm", { value: esm, enumerable: false });

  // ---- uncaught errors -----------------------------------------------------------------------
  function sourceLine(err) {
    const stack = typeof err.stack === "string" ? err.stack : "";
    const m = /\((\/[^():]+|\[eval\]):(\d+):(\d+)\)|at (\/[^():\s]+):(\d+):(\d+)/.exec(stack);
    if (!m) return "";
    const file = m[1] || m[4];
    const line = Number(m[2] || m[5]);
    const col = Number(m[3] || m[6]);
    const src = internal.sourceCache.get(file);
    if (src === undefined) return "";
    const text = src.split("\n")[line - 1];
    if (text === undefined) return "";
    return `${file}:${line}\n${text}\n${" ".repeat(Math.max(0, col - 1))}^\n\n`;
  }
  function formatUncaught(err) {
    if (err instanceof NativeError || (err && typeof err === "object" && "stack" in err)) {
      withHeader(err);
      let extra = "";
      try {
        const util = requireBuiltin("util");
        const props = Object.keys(err).filter((k) => k !== "stack" && k !== "message");
        if (props.length) {
          const o = {};
          for (const k of props) o[k] = err[k];
          extra = ` ${util.inspect(o)}`;
        }
      } catch {}
      if (err.name === "InternalError" && err.message === "stack overflow") {
        return `${sourceLine(err)}RangeError: Maximum call stack size exceeded\n${String(err.stack).split("\n").slice(1).join("\n")}`;
      }
      return `${sourceLine(err)}${err.stack}${extra}`;
    }
    let shown;
    try {
      shown = requireBuiltin("util").inspect(err);
    } catch {
      shown = String(err);
    }
    return `Uncaught ${shown}`;
  }
  function reportUncaught(err) {
    if (internal.replActive && !(err && err.code === "ERR_AGENTOS_EXIT")) {
      internal.replActive(err);
      return;
    }
    if (process.listenerCount("uncaughtException") > 0) {
      process.emit("uncaughtException", err, "uncaughtException");
      return;
    }
    let text;
    try {
      text = formatUncaught(err);
    } catch {
      text = String(err);
    }
    host.write(2, `${text}\n\nNode.js ${info.version}\n`);
    process.exitCode = err && err.code === "ERR_AGENTOS_EXIT" ? process.exitCode : 1;
    exiting = true;
    host.exit(process.exitCode ?? 1);
  }
  internal.reportUncaught = reportUncaught;
  internal.formatUncaught = formatUncaught;

  // ---- the loop ------------------------------------------------------------------------------
  function runTicks() {
    while (ticks.length) {
      const list = ticks;
      ticks = [];
      for (const [cb, args] of list) cb(...args);
    }
  }

  const POLL_SUB = 5;
  function poll(list, timeout) {
    const subs = new Uint8Array(list.length * POLL_SUB);
    const dv = new DataView(subs.buffer);
    list.forEach((w, i) => {
      dv.setUint32(i * POLL_SUB, w.fd, true);
      dv.setUint8(i * POLL_SUB + 4, 1);
    });
    const r = sys(Sys.POLL, subs, timeout);
    if (r[0] !== 0) return [];
    const ev = new DataView(r[1]);
    const ready = [];
    for (let at = 0; at + 10 <= ev.byteLength; at += 10) ready.push(list[ev.getUint32(at, true)]);
    return ready;
  }

  function step() {
    const now = nowMs();
    let next = null;
    let refTimers = false;
    for (const t of timers.values()) {
      if (t._ref) refTimers = true;
      if (!next || t._when < next._when || (t._when === next._when && t._seq < next._seq)) next = t;
    }
    if (next && next._when <= now) {
      if (next._repeat) {
        next._when = Math.max(now, next._when) + next._idleTimeout;
        next._seq = ++timerSeq;
      } else timers.delete(next._id);
      next._onTimeout(...next._args);
      return 1;
    }
    while (immediates.length) {
      const i = immediates.shift();
      if (i._cleared) continue;
      i._onImmediate(...i._args);
      return 1;
    }
    let refWatchers = false;
    for (const w of watchers) if (w.ref) refWatchers = true;
    if (!refTimers && !refWatchers) return 0;
    const timeout = next ? Math.max(0, Math.ceil(next._when - now)) : -1;
    if (watchers.size === 0) {
      sys(Sys.SLEEP, timeout, 0);
      return 1;
    }
    const fdWatchers = [];
    const pidWatchers = [];
    for (const w of watchers) (w.pid !== undefined ? pidWatchers : fdWatchers).push(w);
    if (pidWatchers.length === 0) {
      const ready = poll(fdWatchers, timeout);
      for (const w of ready) if (watchers.has(w)) w.onReady();
      return 1;
    }
    // Children: check without blocking, then sleep until a child or one of our pipes changes.
    for (const w of pidWatchers) {
      const r = sys(Sys.WAITPID, w.pid, 1);
      if (r[0] === 0 && r[1] > 0) {
        watchers.delete(w);
        w.onExit(r[2], r[3]);
        return 1;
      }
      if (r[0] !== 0) {
        watchers.delete(w);
        w.onExit(127, 0);
        return 1;
      }
    }
    if (fdWatchers.length) {
      const ready = poll(fdWatchers, 0);
      if (ready.length) {
        for (const w of ready) if (watchers.has(w)) w.onReady();
        return 1;
      }
    }
    sys(Sys.SLEEP, timeout < 0 ? 1000 : Math.min(timeout, 1000), 1);
    return 1;
  }

  // ---- main ----------------------------------------------------------------------------------
  function parseArgs(argv) {
    const opts = {
      eval: null,
      print: false,
      module: false,
      version: false,
      help: false,
      script: null,
      rest: [],
      check: false,
    };
    let i = 1;
    for (; i < argv.length; i++) {
      const a = argv[i];
      if (a === "--") {
        i++;
        break;
      }
      if (!a.startsWith("-") || a === "-") break;
      if (a === "-e" || a === "--eval") opts.eval = argv[++i] ?? "";
      else if (a === "-p" || a === "--print") {
        opts.print = true;
        if (i + 1 < argv.length && opts.eval === null) opts.eval = argv[++i];
      } else if (a === "-pe") {
        opts.print = true;
        opts.eval = argv[++i] ?? "";
      } else if (a.startsWith("--eval=")) opts.eval = a.slice(7);
      else if (a.startsWith("--print=")) {
        opts.print = true;
        opts.eval = a.slice(8);
      } else if (a === "-v" || a === "--version") opts.version = true;
      else if (a === "-h" || a === "--help") opts.help = true;
      else if (a === "-c" || a === "--check") opts.check = true;
      else if (a === "--input-type=module") opts.module = true;
      else if (a === "-r" || a === "--require" || a === "--import" || a === "--loader" || a === "--env-file")
        i++;
      process.execArgv.push(a);
    }
    if (opts.eval === null && i < argv.length) {
      opts.script = argv[i];
      opts.rest = argv.slice(i + 1);
    } else opts.rest = argv.slice(i);
    return opts;
  }

  function main() {
    const opts = parseArgs(info.argv);
    if (opts.version) {
      host.write(1, `${info.version}\n`);
      return;
    }
    if (opts.help) {
      host.write(
        1,
        'Usage: node [options] [ script.js ] [arguments]\n       node -e "script" | -p "expression"\n\n' +
          `agentos-vm node ${info.version} (QuickJS). Options: -e, -p, -c, -v, -h, --input-type=module\n`,
      );
      return;
    }
    if (opts.eval !== null) {
      process.argv = ["/usr/bin/node", ...opts.rest];
      const filename = `${process.cwd()}/[eval]`;
      const m = new Module("[eval]", null);
      m.filename = filename;
      m.paths = nodeModulePaths(process.cwd());
      internal.sourceCache.set("[eval]", opts.eval);
      if (opts.module || (looksLikeEsm(opts.eval) && !opts.print)) {
        const p = host.evalModule(opts.eval, filename);
        if (p && typeof p.then === "function") p.then(undefined, reportUncaught);
        return;
      }
      const req = makeRequire(m);
      Object.assign(globalThis, {
        require: req,
        module: m,
        exports: m.exports,
        __filename: "[eval]",
        __dirname: ".",
      });
      const result = host.evalScript(opts.eval, "[eval]");
      if (opts.print) {
        const out = typeof result === "string" ? result : requireBuiltin("util").inspect(result);
        host.write(1, `${out}\n`);
      }
      return;
    }
    if (opts.script === null && sys(Sys.ISATTY, 0)[1] === 1) {
      // A terminal on stdin: the interactive REPL.
      process.argv = ["/usr/bin/node", ...opts.rest];
      const m = new Module("<repl>", null);
      m.filename = `${process.cwd()}/<repl>`;
      m.paths = nodeModulePaths(process.cwd());
      Object.assign(globalThis, { require: makeRequire(m), module: m, exports: m.exports });
      host.write(
        1,
        `Welcome to Node.js ${info.version} (agentos-vm, QuickJS).\nType ".help" for more information.\n`,
      );
      requireBuiltin("repl").start();
      return;
    }
    if (opts.script === null || opts.script === "-") {
      // Program from stdin (not a terminal).
      const chunks = [];
      for (;;) {
        const r = sys(Sys.READ, 0, 65536);
        if (r[0] !== 0 || r[1].byteLength === 0) break;
        chunks.push(host.decode(r[1]));
      }
      process.argv = ["/usr/bin/node", ...(opts.script === "-" ? ["-"] : []), ...opts.rest];
      const src = chunks.join("");
      internal.sourceCache.set("[stdin]", src);
      const m = new Module("[stdin]", null);
      m.filename = `${process.cwd()}/[stdin]`;
      m.paths = nodeModulePaths(process.cwd());
      if (looksLikeEsm(src)) {
        const p = host.evalModule(src, m.filename);
        if (p && typeof p.then === "function") p.then(undefined, reportUncaught);
        return;
      }
      m._compile(src, m.filename);
      return;
    }
    let filename;
    try {
      filename = host.resolve(
        opts.script.startsWith("/") ? opts.script : `./${opts.script}`,
        `${process.cwd()}/`,
        "require",
      );
    } catch {
      const abs = opts.script.startsWith("/") ? opts.script : `${process.cwd()}/${opts.script}`;
      const e = nodeError("MODULE_NOT_FOUND", `Cannot find module '${abs}'`);
      e.requireStack = [];
      throw e;
    }
    process.argv = ["/usr/bin/node", filename, ...opts.rest];
    if (opts.check) {
      host.compile(readSource(filename), filename);
      return;
    }
    const format = host.format(filename);
    let esm = format === "module";
    if (format === "commonjs" && !filename.endsWith(".cjs")) {
      // Node 22's syntax detection: a .js file outside "type": "module" that fails to compile as
      // CommonJS because of import/export runs as an ES module.
      const src = readSource(filename);
      if (looksLikeEsm(src)) {
        try {
          host.compile(src, filename);
        } catch (e) {
          if (!(e instanceof SyntaxError)) throw e;
          esm = true;
        }
      }
    }
    if (esm) {
      import(filename).then(undefined, reportUncaught);
      return;
    }
    const m = new Module(".", null);
    m.filename = filename;
    m.paths = nodeModulePaths(dirname(filename));
    mainModule = m;
    process.mainModule = m;
    Module._cache[filename] = m;
    m.id = ".";
    try {
      const ext = filename.slice(filename.lastIndexOf("."));
      (Module._extensions[ext] || Module._extensions[".js"])(m, filename);
    } catch (e) {
      delete Module._cache[filename];
      throw e;
    }
    m.loaded = true;
  }

  let beforeExitDone = false;
  const loop = {
    main,
    step,
    ticks: runTicks,
    uncaught: reportUncaught,
    beforeExit() {
      if (process.listenerCount("beforeExit") === 0 || beforeExitDone) return 0;
      process.emit("beforeExit", process.exitCode ?? 0);
      // Run again only if listeners scheduled something.
      const more = timers.size > 0 || immediates.length > 0 || ticks.length > 0 || watchers.size > 0;
      if (!more) beforeExitDone = true;
      return 1;
    },
    exit() {
      process.exit();
    },
  };
  return { esm, loop };
})();
