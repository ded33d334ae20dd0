// node:child_process — spawn/exec/execFile (async, event-driven) and spawnSync/execSync/execFileSync
// (blocking) through the kernel's SPAWN/WAITPID/PIPE syscalls.

const EventEmitter = require("events");
const internal = require("internal");
const { host, sys, Sys, uvException, nodeError } = internal;

const ACTION = { CLOSE: 1, DUP2: 2, OPEN: 3 };
const LIBC_O = { RDONLY: 0x04000000, WRONLY: 0x10000000, CREAT: 0x1000, TRUNC: 0x8000 };
const SIGNALS = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  6: "SIGABRT",
  9: "SIGKILL",
  10: "SIGUSR1",
  12: "SIGUSR2",
  13: "SIGPIPE",
  14: "SIGALRM",
  15: "SIGTERM",
};
const SIGNUM = Object.fromEntries(Object.entries(SIGNALS).map(([n, s]) => [s, Number(n)]));

function action(cmd, fd, src, oflag = 0, mode = 0, path = "") {
  const p = path ? new Uint8Array(host.encode(`${path}\u0000`)) : new Uint8Array(0);
  const len = (p.length + 7) & ~7;
  const b = new Uint8Array(24 + len);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, cmd, true);
  dv.setInt32(4, fd, true);
  dv.setInt32(8, src, true);
  dv.setInt32(12, oflag, true);
  dv.setUint32(16, mode, true);
  dv.setUint32(20, len, true);
  b.set(p, 24);
  return b;
}
function concat(parts) {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
function nul(list) {
  return host.encode(list.map((s) => `${s}\u0000`).join(""));
}

function normalizeStdio(stdio) {
  if (stdio === undefined) return ["pipe", "pipe", "pipe"];
  if (typeof stdio === "string") return [stdio, stdio, stdio];
  const out = [...stdio];
  while (out.length < 3) out.push(undefined);
  return out.map((s) => (s === undefined || s === null ? "pipe" : s));
}

/** Spawns `file` with stdio set up; returns { pid, parentFds: [fd|null x3] } or throws. */
function rawSpawn(file, args, options) {
  const stdio = normalizeStdio(options.stdio);
  const actions = [];
  const parentFds = [null, null, null];
  const childEnds = [];
  for (let i = 0; i < 3; i++) {
    const s = stdio[i];
    if (s === "pipe" || s === "overlapped") {
      const p = sys(Sys.PIPE);
      if (p[0] !== 0) throw uvException(p[0], "pipe");
      const [r, w] = [p[1], p[2]];
      const [parentEnd, childEnd] = i === 0 ? [w, r] : [r, w];
      sys(Sys.SET_CLOEXEC, parentEnd, 1);
      parentFds[i] = parentEnd;
      childEnds.push(childEnd);
      actions.push(action(ACTION.DUP2, i, childEnd));
    } else if (s === "ignore") {
      actions.push(action(ACTION.OPEN, i, 0, i === 0 ? LIBC_O.RDONLY : LIBC_O.WRONLY, 0, "/dev/null"));
    } else if (s === "inherit") {
      // The child's fd i is ours.
    } else if (typeof s === "number") {
      actions.push(action(ACTION.DUP2, i, s));
    } else if (s && typeof s.fd === "number") {
      actions.push(action(ACTION.DUP2, i, s.fd));
    }
  }
  for (const fd of childEnds) actions.push(action(ACTION.CLOSE, fd, 0));
  let envList;
  if (options.env)
    envList = Object.entries(options.env)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`);
  else envList = Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
  const argv = [options.argv0 || file, ...args];
  host.flush();
  const r = sys(
    Sys.SPAWN,
    file,
    nul(argv),
    nul(envList),
    options.cwd ? String(options.cwd) : "",
    concat(actions),
    options.detached ? 0 : -1,
  );
  for (const fd of childEnds) sys(Sys.CLOSE, fd);
  if (r[0] !== 0) {
    for (const fd of parentFds) if (fd !== null) sys(Sys.CLOSE, fd);
    const e = uvException(r[0], `spawn ${file}`, file);
    e.spawnargs = args;
    throw e;
  }
  return { pid: r[1], parentFds };
}

function shellArgs(command, options) {
  const shell = typeof options.shell === "string" ? options.shell : "/bin/sh";
  return [shell, ["-c", command]];
}

class ChildProcess extends EventEmitter {
  constructor() {
    super();
    this.pid = undefined;
    this.exitCode = null;
    this.signalCode = null;
    this.killed = false;
    this.stdin = null;
    this.stdout = null;
    this.stderr = null;
    this.stdio = [null, null, null];
    this.spawnfile = null;
    this.spawnargs = [];
    this.connected = false;
  }
  kill(sig = "SIGTERM") {
    if (this.exitCode !== null || this.signalCode !== null || this.pid === undefined) return false;
    const n = typeof sig === "number" ? sig : SIGNUM[sig];
    const r = sys(Sys.KILL, this.pid, n ?? 15);
    if (r[0] === 0) this.killed = true;
    return r[0] === 0;
  }
  ref() {
    if (this._watcher) this._watcher.ref = true;
  }
  unref() {
    if (this._watcher) this._watcher.ref = false;
    for (const s of [this.stdout, this.stderr]) if (s && s.unref) s.unref();
  }
  disconnect() {}
  send() {
    throw internal.unsupported("child_process IPC (send)");
  }
}

function spawn(file, args, options) {
  if (!Array.isArray(args)) {
    options = args;
    args = [];
  }
  options = { ...(options || {}) };
  if (options.shell) {
    const cmd = [file, ...args].join(" ");
    [file, args] = shellArgs(cmd, options);
  }
  const child = new ChildProcess();
  child.spawnfile = file;
  child.spawnargs = [file, ...args];
  let spawned;
  try {
    spawned = rawSpawn(file, args, options);
  } catch (e) {
    process.nextTick(() => {
      child.emit("error", e);
      child.emit("close", -2, null);
    });
    return child;
  }
  child.pid = spawned.pid;
  const stream = require("stream");
  const fds = spawned.parentFds;
  let openStreams = 0;
  let exited = false;
  const maybeClose = () => {
    if (exited && openStreams === 0) child.emit("close", child.exitCode, child.signalCode);
  };
  if (fds[0] !== null) {
    child.stdin = new stream._FdWritable(fds[0]);
    child.stdin._isStdio = false;
    child.stdin._final = (cb) => {
      sys(Sys.CLOSE, fds[0]);
      cb();
    };
    child.stdin.destroy = function () {
      sys(Sys.CLOSE, fds[0]);
      return this;
    };
  }
  for (const i of [1, 2]) {
    if (fds[i] === null) continue;
    const s = new stream._FdReadable(fds[i]);
    openStreams++;
    s.on("end", () => {
      sys(Sys.CLOSE, fds[i]);
      openStreams--;
      maybeClose();
    });
    if (i === 1) child.stdout = s;
    else child.stderr = s;
    // Drain even without listeners, as Node does, so the child never blocks on a full pipe.
    process.nextTick(() => {
      if (s._readableState.flowing === null) s.resume();
    });
  }
  child.stdio = [child.stdin, child.stdout, child.stderr];
  const w = {
    pid: child.pid,
    ref: true,
    onExit(code, signal) {
      if (signal) {
        child.signalCode = SIGNALS[signal] || `SIG${signal}`;
        child.exitCode = null;
      } else child.exitCode = code;
      exited = true;
      child.emit("exit", child.exitCode, child.signalCode);
      maybeClose();
    },
  };
  child._watcher = w;
  internal.watchers.add(w);
  process.nextTick(() => child.emit("spawn"));
  return child;
}

function collectOutput(child, options, callback) {
  const stdout = [];
  const stderr = [];
  const encoding = options.encoding === undefined ? "utf8" : options.encoding;
  if (child.stdout) child.stdout.on("data", (d) => stdout.push(d));
  if (child.stderr) child.stderr.on("data", (d) => stderr.push(d));
  let timer = null;
  if (options.timeout > 0)
    timer = setTimeout(() => child.kill(options.killSignal || "SIGTERM"), options.timeout);
  let done = false;
  child.on("error", (e) => {
    if (done) return;
    done = true;
    if (callback) callback(e, "", "");
  });
  child.on("close", (code, signal) => {
    if (timer) clearTimeout(timer);
    if (done) return;
    done = true;
    const out = Buffer.concat(stdout);
    const err = Buffer.concat(stderr);
    const o = encoding === "buffer" || encoding === null ? out : out.toString(encoding);
    const e = encoding === "buffer" || encoding === null ? err : err.toString(encoding);
    let error = null;
    if (code !== 0 || signal) {
      const cmd = child.spawnargs.slice(child.spawnargs[1] === "-c" ? 2 : 0).join(" ");
      error = new Error(`Command failed: ${cmd}\n${err.toString()}`);
      error.code = code;
      error.killed = child.killed;
      error.signal = signal;
      error.cmd = cmd;
      error.stdout = o;
      error.stderr = e;
    }
    if (callback) callback(error, o, e);
  });
}

function exec(command, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  options = options || {};
  const [file, args] = shellArgs(command, options);
  const child = spawn(file, args, { ...options, shell: false });
  collectOutput(child, options, callback);
  return child;
}
exec[require("util").promisify.custom] = (command, options) => {
  let child;
  const p = new Promise((resolve, reject) => {
    child = exec(command, options, (err, stdout, stderr) =>
      err ? reject(Object.assign(err, { stdout, stderr })) : resolve({ stdout, stderr }),
    );
  });
  p.child = child;
  return p;
};

function execFile(file, args, options, callback) {
  if (typeof args === "function") {
    callback = args;
    args = [];
    options = {};
  } else if (!Array.isArray(args)) {
    callback = options;
    options = args;
    args = [];
  }
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  const child = spawn(file, args || [], options || {});
  collectOutput(child, options || {}, callback);
  return child;
}
execFile[require("util").promisify.custom] = (file, args, options) =>
  new Promise((resolve, reject) => {
    execFile(file, args, options, (err, stdout, stderr) =>
      err ? reject(Object.assign(err, { stdout, stderr })) : resolve({ stdout, stderr }),
    );
  });

function readAll(fd) {
  const chunks = [];
  for (;;) {
    const r = sys(Sys.READ, fd, 65536);
    if (r[0] !== 0 || r[1].byteLength === 0) break;
    chunks.push(new Buffer(r[1]));
  }
  return Buffer.concat(chunks);
}

function spawnSync(file, args, options) {
  if (!Array.isArray(args)) {
    options = args;
    args = [];
  }
  options = { ...(options || {}) };
  if (options.shell) {
    const cmd = [file, ...args].join(" ");
    [file, args] = shellArgs(cmd, options);
  }
  const stdio = normalizeStdio(options.stdio);
  const hasInput = options.input !== undefined && options.input !== null;
  if (hasInput) stdio[0] = "pipe";
  let spawned;
  try {
    spawned = rawSpawn(file, args, { ...options, stdio });
  } catch (e) {
    return { pid: 0, output: null, stdout: null, stderr: null, status: null, signal: null, error: e };
  }
  const [inFd, outFd, errFd] = spawned.parentFds;
  if (inFd !== null) {
    if (hasInput) {
      const data = typeof options.input === "string" ? Buffer.from(options.input) : options.input;
      let off = 0;
      while (off < data.length) {
        // Interleave with reading stdout/stderr: a child that writes a lot before reading must not deadlock.
        const r = sys(Sys.WRITE, inFd, data.subarray(off, off + 4096));
        if (r[0] !== 0) break;
        off += r[1];
      }
    }
    sys(Sys.CLOSE, inFd);
  }
  // Read stdout and stderr concurrently with poll so neither pipe fills up.
  const outs = { [outFd]: [], [errFd]: [] };
  const open = [outFd, errFd].filter((fd) => fd !== null);
  while (open.length) {
    const subs = new Uint8Array(open.length * 5);
    const dv = new DataView(subs.buffer);
    open.forEach((fd, i) => {
      dv.setUint32(i * 5, fd, true);
      dv.setUint8(i * 5 + 4, 1);
    });
    const p = sys(Sys.POLL, subs, -1);
    if (p[0] !== 0) break;
    const ev = new DataView(p[1]);
    for (let at = 0; at + 10 <= ev.byteLength; at += 10) {
      const fd = open[ev.getUint32(at, true)];
      const r = sys(Sys.READ, fd, 65536);
      if (r[0] !== 0 || r[1].byteLength === 0) {
        sys(Sys.CLOSE, fd);
        open.splice(open.indexOf(fd), 1);
        break;
      }
      outs[fd].push(new Buffer(r[1]));
    }
  }
  const w = sys(Sys.WAITPID, spawned.pid, 0);
  const encoding = options.encoding && options.encoding !== "buffer" ? options.encoding : null;
  const out = outFd !== null ? Buffer.concat(outs[outFd]) : null;
  const err = errFd !== null ? Buffer.concat(outs[errFd]) : null;
  const enc = (b) => (b === null ? null : encoding ? b.toString(encoding) : b);
  const signal = w[3] ? SIGNALS[w[3]] || `SIG${w[3]}` : null;
  return {
    pid: spawned.pid,
    output: [null, enc(out), enc(err)],
    stdout: enc(out),
    stderr: enc(err),
    status: signal ? null : w[2],
    signal,
  };
}

function checkSync(result, cmd) {
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const errText = result.stderr ? result.stderr.toString() : "";
    const e = new Error(`Command failed: ${cmd}${errText ? `\n${errText}` : ""}`);
    e.status = result.status;
    e.signal = result.signal;
    e.output = result.output;
    e.pid = result.pid;
    e.stdout = result.stdout;
    e.stderr = result.stderr;
    throw e;
  }
  return result.stdout;
}

function execSync(command, options = {}) {
  const [file, args] = shellArgs(command, options);
  const stdio = normalizeStdio(options.stdio);
  if (options.stdio === undefined) stdio[2] = "pipe";
  const r = spawnSync(file, args, { ...options, stdio, shell: false });
  // execSync shows the child's stderr unless stdio says otherwise.
  if (options.stdio === undefined && r.stderr && r.stderr.length) process.stderr.write(r.stderr);
  return checkSync(r, command);
}

function execFileSync(file, args, options) {
  if (!Array.isArray(args)) {
    options = args;
    args = [];
  }
  const r = spawnSync(file, args, options || {});
  if (r.stderr && r.stderr.length && !(options && options.stdio)) process.stderr.write(r.stderr);
  return checkSync(r, [file, ...args].join(" "));
}

function fork() {
  throw internal.unsupported("child_process.fork()");
}

module.exports = {
  spawn,
  exec,
  execFile,
  spawnSync,
  execSync,
  execFileSync,
  fork,
  ChildProcess,
  _nodeError: nodeError,
};
