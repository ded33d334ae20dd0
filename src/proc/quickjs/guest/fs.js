// node:fs — sync, callback and promise APIs over kernel syscalls.

const internal = require("internal");
const { host, sys, Sys, O, AT_FDCWD, uvException, nodeError } = internal;

const constants = {
  F_OK: 0,
  R_OK: 4,
  W_OK: 2,
  X_OK: 1,
  O_RDONLY: 0,
  O_WRONLY: 1,
  O_RDWR: 2,
  O_CREAT: 64,
  O_EXCL: 128,
  O_NOCTTY: 256,
  O_TRUNC: 512,
  O_APPEND: 1024,
  O_DIRECTORY: 65536,
  O_NOFOLLOW: 131072,
  O_SYNC: 1052672,
  O_DSYNC: 4096,
  O_NONBLOCK: 2048,
  S_IFMT: 0o170000,
  S_IFREG: 0o100000,
  S_IFDIR: 0o040000,
  S_IFCHR: 0o020000,
  S_IFBLK: 0o060000,
  S_IFIFO: 0o010000,
  S_IFLNK: 0o120000,
  S_IFSOCK: 0o140000,
  S_IRWXU: 0o700,
  S_IRUSR: 0o400,
  S_IWUSR: 0o200,
  S_IXUSR: 0o100,
  S_IRWXG: 0o70,
  S_IRGRP: 0o40,
  S_IWGRP: 0o20,
  S_IXGRP: 0o10,
  S_IRWXO: 0o7,
  S_IROTH: 0o4,
  S_IWOTH: 0o2,
  S_IXOTH: 0o1,
  COPYFILE_EXCL: 1,
  COPYFILE_FICLONE: 2,
  COPYFILE_FICLONE_FORCE: 4,
  UV_FS_COPYFILE_EXCL: 1,
};

function toPath(p, name = "path") {
  if (typeof p === "string") {
    if (p.includes("\u0000"))
      throw nodeError(
        "ERR_INVALID_ARG_VALUE",
        `The argument '${name}' must be a string without null bytes.`,
        TypeError,
      );
    return p;
  }
  if (Buffer.isBuffer(p)) return p.toString();
  if (p && typeof p === "object" && p.protocol === "file:") return decodeURIComponent(p.pathname);
  throw nodeError(
    "ERR_INVALID_ARG_TYPE",
    `The "${name}" argument must be of type string or an instance of Buffer or URL. Received ${p === null ? "null" : typeof p}`,
    TypeError,
  );
}

function flagsOf(flags) {
  if (flags === undefined || flags === null) return O.READ;
  if (typeof flags === "number") {
    const acc = flags & 3;
    let f = acc === 0 ? O.READ : acc === 1 ? O.WRITE : O.READ | O.WRITE;
    if (flags & 64) f |= O.CREATE;
    if (flags & 128) f |= O.EXCL;
    if (flags & 512) f |= O.TRUNC;
    if (flags & 1024) f |= O.APPEND;
    if (flags & 65536) f |= O.DIRECTORY;
    if (flags & 131072) f |= O.NOFOLLOW;
    return f;
  }
  switch (flags) {
    case "r":
    case "rs":
    case "sr":
      return O.READ;
    case "r+":
    case "rs+":
    case "sr+":
      return O.READ | O.WRITE;
    case "w":
      return O.WRITE | O.CREATE | O.TRUNC;
    case "wx":
    case "xw":
      return O.WRITE | O.CREATE | O.TRUNC | O.EXCL;
    case "w+":
      return O.READ | O.WRITE | O.CREATE | O.TRUNC;
    case "wx+":
    case "xw+":
      return O.READ | O.WRITE | O.CREATE | O.TRUNC | O.EXCL;
    case "a":
    case "as":
    case "sa":
      return O.WRITE | O.APPEND | O.CREATE;
    case "ax":
    case "xa":
      return O.WRITE | O.APPEND | O.CREATE | O.EXCL;
    case "a+":
    case "as+":
    case "sa+":
      return O.READ | O.WRITE | O.APPEND | O.CREATE;
    case "ax+":
    case "xa+":
      return O.READ | O.WRITE | O.APPEND | O.CREATE | O.EXCL;
  }
  throw nodeError("ERR_INVALID_ARG_VALUE", `The argument 'flags' is invalid. Received '${flags}'`, TypeError);
}

function call(op, syscall, path, ...args) {
  const r = sys(op, ...args);
  if (r[0] !== 0) {
    const e = uvException(r[0], syscall, path);
    Error.captureStackTrace(e);
    throw e;
  }
  return r;
}

function modeNum(m, def) {
  if (m === undefined || m === null) return def;
  return typeof m === "string" ? parseInt(m, 8) : m;
}

// ---- Stats and Dirent ---------------------------------------------------------------------------
class Stats {
  constructor(v) {
    this.dev = v[12];
    this.mode = v[2];
    this.nlink = v[4];
    this.uid = v[9];
    this.gid = v[10];
    this.rdev = v[11];
    this.blksize = 4096;
    this.ino = v[3];
    this.size = v[5];
    this.blocks = Math.ceil(v[5] / 512);
    this.atimeMs = v[6];
    this.mtimeMs = v[7];
    this.ctimeMs = v[8];
    this.birthtimeMs = v[8];
    this.atime = new Date(v[6]);
    this.mtime = new Date(v[7]);
    this.ctime = new Date(v[8]);
    this.birthtime = new Date(v[8]);
  }
  _type() {
    return this.mode & constants.S_IFMT;
  }
  isFile() {
    return this._type() === constants.S_IFREG;
  }
  isDirectory() {
    return this._type() === constants.S_IFDIR;
  }
  isSymbolicLink() {
    return this._type() === constants.S_IFLNK;
  }
  isFIFO() {
    return this._type() === constants.S_IFIFO;
  }
  isCharacterDevice() {
    return this._type() === constants.S_IFCHR;
  }
  isBlockDevice() {
    return this._type() === constants.S_IFBLK;
  }
  isSocket() {
    return this._type() === constants.S_IFSOCK;
  }
}
Object.defineProperty(Stats.prototype, "_type", { enumerable: false });

const FT = { DIR: 3, FILE: 4, LINK: 7, CHR: 2, BLK: 1, FIFO: 8, SOCK: 6 };
class Dirent {
  constructor(name, type, parentPath) {
    this.name = name;
    this.parentPath = parentPath;
    this.path = parentPath;
    Object.defineProperty(this, "_t", { value: type, enumerable: false });
  }
  isFile() {
    return this._t === FT.FILE;
  }
  isDirectory() {
    return this._t === FT.DIR;
  }
  isSymbolicLink() {
    return this._t === FT.LINK;
  }
  isFIFO() {
    return this._t === FT.FIFO;
  }
  isCharacterDevice() {
    return this._t === FT.CHR;
  }
  isBlockDevice() {
    return this._t === FT.BLK;
  }
  isSocket() {
    return this._t === FT.SOCK || this._t === 5;
  }
}

// ---- sync API -----------------------------------------------------------------------------------
function openSync(path, flags, mode) {
  path = toPath(path);
  return call(Sys.OPEN, "open", path, AT_FDCWD, path, flagsOf(flags), modeNum(mode, 0o666))[1];
}
function closeSync(fd) {
  call(Sys.CLOSE, "close", undefined, fd);
}
function fstatSync(fd) {
  return new Stats(call(Sys.FSTAT, "fstat", undefined, fd));
}
function statSync(path, options = {}) {
  path = toPath(path);
  const r = sys(Sys.STAT, AT_FDCWD, path, 1);
  if (r[0] !== 0) {
    if (options.throwIfNoEntry === false && r[0] === 44) return undefined;
    throw uvException(r[0], "stat", path);
  }
  return new Stats(r);
}
function lstatSync(path, options = {}) {
  path = toPath(path);
  const r = sys(Sys.STAT, AT_FDCWD, path, 0);
  if (r[0] !== 0) {
    if (options.throwIfNoEntry === false && r[0] === 44) return undefined;
    throw uvException(r[0], "lstat", path);
  }
  return new Stats(r);
}
function existsSync(path) {
  try {
    path = toPath(path);
  } catch {
    return false;
  }
  return sys(Sys.STAT, AT_FDCWD, path, 1)[0] === 0;
}
function accessSync(path, mode = 0) {
  path = toPath(path);
  call(Sys.ACCESS, "access", path, AT_FDCWD, path, mode);
}

function readAllFd(fd) {
  const chunks = [];
  let total = 0;
  for (;;) {
    const r = sys(Sys.READ, fd, 1 << 20);
    if (r[0] !== 0) throw uvException(r[0], "read");
    if (r[1].byteLength === 0) break;
    chunks.push(new Buffer(r[1]));
    total += r[1].byteLength;
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

function encodingOf(options) {
  if (typeof options === "string") return options;
  return options ? options.encoding : undefined;
}

function readFileSync(path, options) {
  const encoding = encodingOf(options);
  const flag = typeof options === "object" && options ? options.flag : undefined;
  let buf;
  if (typeof path === "number") buf = readAllFd(path);
  else {
    const p = toPath(path);
    const fd = call(Sys.OPEN, "open", p, AT_FDCWD, p, flagsOf(flag || "r"), 0)[1];
    try {
      buf = readAllFd(fd);
    } catch (e) {
      if (e.code === "EISDIR") {
        e.message = `EISDIR: illegal operation on a directory, read`;
        delete e.path;
      }
      throw e;
    } finally {
      sys(Sys.CLOSE, fd);
    }
  }
  return encoding && encoding !== "buffer" ? buf.toString(encoding) : buf;
}

function dataBytes(data, encoding) {
  if (typeof data === "string") return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (data === null || data === undefined || typeof data === "function") {
    throw nodeError(
      "ERR_INVALID_ARG_TYPE",
      `The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${data === null ? "null" : typeof data}`,
      TypeError,
    );
  }
  return String(data);
}

function writeAllFd(fd, data, encoding) {
  let bytes = dataBytes(data);
  if (typeof bytes === "string") {
    if (fd === 1 || fd === 2) {
      const n = host.write(fd, bytes);
      if (n < 0) throw uvException(-n, "write");
      return;
    }
    bytes = Buffer.from(bytes, encoding || "utf8");
  }
  if (fd === 1 || fd === 2) {
    const n = host.write(fd, internal.toAB(bytes));
    if (n < 0) throw uvException(-n, "write");
    return;
  }
  let off = 0;
  while (off < bytes.length) {
    const r = sys(Sys.WRITE, fd, off === 0 ? bytes : bytes.subarray(off));
    if (r[0] !== 0) throw uvException(r[0], "write");
    off += r[1];
  }
}

function writeFileSync(path, data, options) {
  const encoding = encodingOf(options);
  const o = typeof options === "object" && options ? options : {};
  if (typeof path === "number") return writeAllFd(path, data, encoding);
  const p = toPath(path);
  const fd = call(Sys.OPEN, "open", p, AT_FDCWD, p, flagsOf(o.flag || "w"), modeNum(o.mode, 0o666))[1];
  try {
    writeAllFd(fd, data, encoding);
  } finally {
    sys(Sys.CLOSE, fd);
  }
}
function appendFileSync(path, data, options) {
  const o = typeof options === "string" ? { encoding: options } : { ...(options || {}) };
  o.flag = o.flag || "a";
  writeFileSync(path, data, o);
}

function readSync(fd, buffer, offsetOrOptions, length, position) {
  let offset = offsetOrOptions;
  if (typeof offsetOrOptions === "object" && offsetOrOptions !== null) {
    ({ offset = 0, length = buffer.byteLength - offset, position = null } = offsetOrOptions);
  }
  offset = offset || 0;
  if (length === undefined) length = buffer.byteLength - offset;
  if (length === 0) return 0;
  const r =
    position === null ||
    position === undefined ||
    position < 0 ||
    (typeof position === "bigint" && position < 0n)
      ? sys(Sys.READ, fd, length)
      : sys(Sys.PREAD, fd, length, Number(position));
  if (r[0] !== 0) {
    if (r[0] === 6) throw uvException(6, "read");
    throw uvException(r[0], "read");
  }
  const got = new Uint8Array(r[1]);
  new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).set(got, offset);
  return got.length;
}

function writeSync(fd, buffer, offsetOrOptions, length, position) {
  let bytes;
  if (typeof buffer === "string") {
    // writeSync(fd, string, position, encoding)
    const encoding = typeof length === "string" ? length : "utf8";
    position = offsetOrOptions;
    bytes = Buffer.from(buffer, encoding);
  } else {
    let offset = offsetOrOptions;
    if (typeof offsetOrOptions === "object" && offsetOrOptions !== null)
      ({ offset = 0, length, position = null } = offsetOrOptions);
    offset = offset || 0;
    if (length === undefined) length = buffer.byteLength - offset;
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
  }
  if ((fd === 1 || fd === 2) && (position === undefined || position === null)) {
    const n = host.write(fd, internal.toAB(bytes));
    if (n < 0) throw uvException(-n, "write");
    return n;
  }
  const r =
    position === null || position === undefined || typeof position !== "number"
      ? sys(Sys.WRITE, fd, bytes)
      : sys(Sys.PWRITE, fd, bytes, position);
  if (r[0] !== 0) throw uvException(r[0], "write");
  return r[1];
}

function listDir(path) {
  const fd = call(Sys.OPEN, "scandir", path, AT_FDCWD, path, O.READ | O.DIRECTORY, 0)[1];
  const out = [];
  try {
    let cookie = 0;
    for (;;) {
      const r = sys(Sys.READDIR, fd, cookie, 256);
      if (r[0] !== 0) throw uvException(r[0], "scandir", path);
      const view = new DataView(r[1]);
      const bytes = new Uint8Array(r[1]);
      if (bytes.length === 0) break;
      let at = 0;
      let n = 0;
      while (at + 21 <= bytes.length) {
        const next = Number(view.getBigUint64(at, true));
        const type = view.getUint8(at + 16);
        const len = view.getUint32(at + 17, true);
        const name = host.decode(r[1].slice(at + 21, at + 21 + len));
        at += 21 + len;
        cookie = next;
        n++;
        if (name !== "." && name !== "..") out.push([name, type]);
      }
      if (n === 0) break;
    }
  } finally {
    sys(Sys.CLOSE, fd);
  }
  return out;
}

function readdirSync(path, options) {
  path = toPath(path);
  const o = typeof options === "string" ? { encoding: options } : options || {};
  const result = [];
  const walk = (dir, prefix) => {
    const entries = listDir(dir).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [name, type] of entries) {
      const rel = prefix ? `${prefix}/${name}` : name;
      if (o.withFileTypes) result.push(new Dirent(name, type, dir));
      else result.push(o.encoding === "buffer" ? Buffer.from(rel) : rel);
      if (o.recursive && type === FT.DIR) walk(`${dir}/${name}`, rel);
    }
  };
  walk(path, "");
  return result;
}

function mkdirSync(path, options) {
  path = toPath(path);
  const o = typeof options === "number" || typeof options === "string" ? { mode: options } : options || {};
  const mode = modeNum(o.mode, 0o777);
  if (!o.recursive) {
    call(Sys.MKDIR, "mkdir", path, AT_FDCWD, path, mode);
    return undefined;
  }
  const abs = require("path").resolve(path);
  const parts = abs.split("/").filter(Boolean);
  let cur = "";
  let first;
  for (const part of parts) {
    cur += `/${part}`;
    const r = sys(Sys.MKDIR, AT_FDCWD, cur, mode);
    if (r[0] === 0) {
      if (first === undefined) first = cur;
    } else if (r[0] === 20) {
      const st = sys(Sys.STAT, AT_FDCWD, cur, 1);
      if (st[0] === 0 && st[1] !== FT.DIR) throw uvException(20, "mkdir", path);
    } else throw uvException(r[0], "mkdir", path);
  }
  return first;
}

function rmdirSync(path, options) {
  path = toPath(path);
  if (options && options.recursive) return rmSync(path, { recursive: true, force: true });
  call(Sys.RMDIR, "rmdir", path, AT_FDCWD, path);
}
function unlinkSync(path) {
  path = toPath(path);
  call(Sys.UNLINK, "unlink", path, AT_FDCWD, path);
}
function rmSync(path, options = {}) {
  path = toPath(path);
  const st = sys(Sys.STAT, AT_FDCWD, path, 0);
  if (st[0] !== 0) {
    if (options.force && st[0] === 44) return;
    throw uvException(st[0], "rm", path);
  }
  if (st[1] === FT.DIR) {
    if (!options.recursive) {
      const e = nodeError(
        "ERR_FS_EISDIR",
        `Path is a directory: rm returned EISDIR (is a directory) ${path}`,
      );
      e.errno = 21;
      e.syscall = "rm";
      e.path = path;
      throw e;
    }
    for (const [name] of listDir(path)) rmSync(`${path}/${name}`, options);
    call(Sys.RMDIR, "rmdir", path, AT_FDCWD, path);
  } else call(Sys.UNLINK, "unlink", path, AT_FDCWD, path);
}
function renameSync(from, to) {
  from = toPath(from, "oldPath");
  to = toPath(to, "newPath");
  const r = sys(Sys.RENAME, AT_FDCWD, from, AT_FDCWD, to);
  if (r[0] !== 0) throw uvException(r[0], "rename", from, to);
}
function copyFileSync(src, dest, mode = 0) {
  src = toPath(src, "src");
  dest = toPath(dest, "dest");
  const data = readFileSync(src);
  const st = statSync(src);
  if (mode & constants.COPYFILE_EXCL && existsSync(dest)) throw uvException(20, "copyfile", src, dest);
  writeFileSync(dest, data, { mode: st.mode & 0o777 });
}
function cpSync(src, dest, options = {}) {
  src = toPath(src, "src");
  dest = toPath(dest, "dest");
  const st = statSync(src);
  if (st.isDirectory()) {
    if (!options.recursive) {
      const e = nodeError("ERR_FS_EISDIR", `Recursive option is required to copy a directory: ${src}`);
      throw e;
    }
    mkdirSync(dest, { recursive: true });
    for (const [name] of listDir(src)) cpSync(`${src}/${name}`, `${dest}/${name}`, options);
  } else {
    if (options.errorOnExist && options.force === false && existsSync(dest))
      throw uvException(20, "cp", dest);
    if (options.force === false && existsSync(dest)) return;
    copyFileSync(src, dest);
  }
}
function symlinkSync(target, path) {
  target = toPath(target, "target");
  path = toPath(path);
  const r = sys(Sys.SYMLINK, target, AT_FDCWD, path);
  if (r[0] !== 0) throw uvException(r[0], "symlink", target, path);
}
function linkSync(existing, path) {
  existing = toPath(existing, "existingPath");
  path = toPath(path, "newPath");
  const r = sys(Sys.LINK, AT_FDCWD, existing, AT_FDCWD, path, 0);
  if (r[0] !== 0) throw uvException(r[0], "link", existing, path);
}
function readlinkSync(path) {
  path = toPath(path);
  return call(Sys.READLINK, "readlink", path, AT_FDCWD, path)[1];
}
function realpathSync(path) {
  path = toPath(path);
  return call(Sys.REALPATH, "realpath", path, AT_FDCWD, path)[1];
}
realpathSync.native = realpathSync;
function chmodSync(path, mode) {
  path = toPath(path);
  call(Sys.CHMOD, "chmod", path, AT_FDCWD, path, modeNum(mode, 0), 1);
}
function lchmodSync(path, mode) {
  path = toPath(path);
  call(Sys.CHMOD, "lchmod", path, AT_FDCWD, path, modeNum(mode, 0), 0);
}
function chownSync(path, uid, gid) {
  path = toPath(path);
  call(Sys.CHOWN, "chown", path, AT_FDCWD, path, uid, gid, 1);
}
function timeMs(t) {
  if (t instanceof Date) return t.getTime();
  if (typeof t === "string") return Number(t) * 1000;
  return t * 1000;
}
function utimesSync(path, atime, mtime) {
  path = toPath(path);
  call(Sys.UTIMES, "utime", path, AT_FDCWD, path, timeMs(atime), timeMs(mtime), 1);
}
function lutimesSync(path, atime, mtime) {
  path = toPath(path);
  call(Sys.UTIMES, "lutime", path, AT_FDCWD, path, timeMs(atime), timeMs(mtime), 0);
}
function futimesSync(fd, atime, mtime) {
  call(Sys.FUTIMES, "futime", undefined, fd, timeMs(atime), timeMs(mtime));
}
function truncateSync(path, len = 0) {
  if (typeof path === "number") return ftruncateSync(path, len);
  const fd = openSync(path, "r+");
  try {
    ftruncateSync(fd, len);
  } finally {
    closeSync(fd);
  }
}
function ftruncateSync(fd, len = 0) {
  call(Sys.FTRUNCATE, "ftruncate", undefined, fd, len);
}
function fsyncSync(fd) {
  call(Sys.FSYNC, "fsync", undefined, fd);
}
function mkdtempSync(prefix) {
  prefix = toPath(prefix, "prefix");
  const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (let tries = 0; tries < 100; tries++) {
    const rnd = new Uint8Array(host.random(6));
    let s = "";
    for (const b of rnd) s += chars[b % chars.length];
    const r = sys(Sys.MKDIR, AT_FDCWD, prefix + s, 0o700);
    if (r[0] === 0) return prefix + s;
    if (r[0] !== 20) throw uvException(r[0], "mkdtemp", `${prefix}XXXXXX`);
  }
  throw uvException(20, "mkdtemp", `${prefix}XXXXXX`);
}

class Dir {
  constructor(path) {
    this.path = path;
    this._entries = readdirSync(path, { withFileTypes: true });
  }
  readSync() {
    return this._entries.shift() || null;
  }
  read(cb) {
    const v = this.readSync();
    if (cb) process.nextTick(cb, null, v);
    else return Promise.resolve(v);
  }
  closeSync() {}
  close(cb) {
    if (cb) process.nextTick(cb, null);
    else return Promise.resolve();
  }
  async *[Symbol.asyncIterator]() {
    let e = this.readSync();
    while (e) {
      yield e;
      e = this.readSync();
    }
  }
}
function opendirSync(path) {
  return new Dir(toPath(path));
}

function watch() {
  throw internal.unsupported("fs.watch()");
}

const sync = {
  openSync,
  closeSync,
  fstatSync,
  statSync,
  lstatSync,
  existsSync,
  accessSync,
  readFileSync,
  writeFileSync,
  appendFileSync,
  readSync,
  writeSync,
  readdirSync,
  mkdirSync,
  rmdirSync,
  unlinkSync,
  rmSync,
  renameSync,
  copyFileSync,
  cpSync,
  symlinkSync,
  linkSync,
  readlinkSync,
  realpathSync,
  chmodSync,
  lchmodSync,
  chownSync,
  lchownSync: chownSync,
  fchownSync: () => {},
  fchmodSync: () => {},
  utimesSync,
  lutimesSync,
  futimesSync,
  truncateSync,
  ftruncateSync,
  fsyncSync,
  fdatasyncSync: fsyncSync,
  mkdtempSync,
  opendirSync,
};

// ---- callback API ---------------------------------------------------------------------------------
const fs = { ...sync, constants, Stats, Dirent, Dir, watch, watchFile: watch, unwatchFile() {} };
Object.assign(fs, constants);
function makeCallback(fn) {
  return (...args) => {
    const cb = args[args.length - 1];
    if (typeof cb !== "function") {
      throw nodeError(
        "ERR_INVALID_ARG_TYPE",
        `The "cb" argument must be of type function. Received ${typeof cb}`,
        TypeError,
      );
    }
    args.pop();
    let result;
    let error = null;
    try {
      result = fn(...args);
    } catch (e) {
      error = e;
    }
    process.nextTick(() => (error ? cb(error) : cb(null, result)));
  };
}
for (const name of Object.keys(sync)) fs[name.slice(0, -4)] = makeCallback(sync[name]);
fs.exists = (path, cb) => process.nextTick(cb, existsSync(path));
fs.read = (fd, buffer, offset, length, position, cb) => {
  if (typeof buffer === "function") {
    cb = buffer;
    buffer = Buffer.alloc(16384);
    offset = 0;
    length = buffer.length;
    position = null;
  } else if (typeof offset === "function") {
    cb = offset;
    offset = 0;
    length = buffer.length;
    position = null;
  } else if (typeof offset === "object" && offset !== null && typeof length === "function") {
    cb = length;
    ({ offset = 0, length = buffer.length - offset, position = null } = offset);
  }
  let n;
  try {
    n = readSync(fd, buffer, offset, length, position);
  } catch (e) {
    return process.nextTick(cb, e);
  }
  process.nextTick(cb, null, n, buffer);
};
fs.write = (fd, buffer, ...rest) => {
  const cb = rest.pop();
  let n;
  try {
    n = writeSync(fd, buffer, ...rest);
  } catch (e) {
    return process.nextTick(cb, e);
  }
  process.nextTick(cb, null, n, buffer);
};
fs.writev = (fd, buffers, position, cb) => {
  if (typeof position === "function") cb = position;
  fs.write(fd, Buffer.concat(buffers), cb);
};

// ---- promises API ---------------------------------------------------------------------------------
class FileHandle {
  constructor(fd) {
    this.fd = fd;
  }
  async read(buffer, offset, length, position) {
    if (buffer === undefined || (typeof buffer === "object" && !ArrayBuffer.isView(buffer))) {
      const o = buffer || {};
      buffer = o.buffer || Buffer.alloc(16384);
      offset = o.offset || 0;
      length = o.length ?? buffer.length - offset;
      position = o.position ?? null;
    }
    const bytesRead = readSync(this.fd, buffer, offset, length, position);
    return { bytesRead, buffer };
  }
  async write(data, ...rest) {
    const bytesWritten = writeSync(this.fd, data, ...rest);
    return { bytesWritten, buffer: data };
  }
  async readFile(options) {
    return readFileSync(this.fd, options);
  }
  async writeFile(data, options) {
    return writeFileSync(this.fd, data, options);
  }
  async appendFile(data, options) {
    return writeFileSync(this.fd, data, options);
  }
  async stat() {
    return fstatSync(this.fd);
  }
  async truncate(len) {
    return ftruncateSync(this.fd, len);
  }
  async sync() {}
  async datasync() {}
  async close() {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
  async [Symbol.asyncDispose || Symbol.for("Symbol.asyncDispose")]() {
    return this.close();
  }
  createReadStream(options) {
    return createReadStream(null, { ...options, fd: this.fd });
  }
  createWriteStream(options) {
    return createWriteStream(null, { ...options, fd: this.fd });
  }
  async *readLines() {
    const rl = require("readline").createInterface({ input: this.createReadStream() });
    for await (const l of rl) yield l;
  }
}
const promises = { constants };
for (const name of Object.keys(sync)) {
  const fn = sync[name];
  promises[name.slice(0, -4)] = async (...args) => fn(...args);
}
delete promises.exists;
promises.open = async (path, flags, mode) => new FileHandle(openSync(path, flags, mode));
promises.readFile = async (path, options) =>
  path instanceof FileHandle ? path.readFile(options) : readFileSync(path, options);
promises.writeFile = async (path, data, options) => {
  if (
    data &&
    typeof data[Symbol.asyncIterator] === "function" &&
    typeof data !== "string" &&
    !ArrayBuffer.isView(data)
  ) {
    const parts = [];
    for await (const c of data) parts.push(typeof c === "string" ? Buffer.from(c) : c);
    data = Buffer.concat(parts);
  }
  return path instanceof FileHandle ? path.writeFile(data, options) : writeFileSync(path, data, options);
};
promises.opendir = async (path) => opendirSync(path);
promises.watch = () => {
  throw internal.unsupported("fs.promises.watch()");
};
promises.FileHandle = FileHandle;
fs.promises = promises;

// ---- streams ----------------------------------------------------------------------------------
function createReadStream(path, options) {
  const { Readable } = require("stream");
  const o = typeof options === "string" ? { encoding: options } : options || {};
  const s = new Readable({ highWaterMark: o.highWaterMark || 65536, encoding: o.encoding });
  s.path = path === null ? undefined : toPath(path);
  s.bytesRead = 0;
  s.fd = o.fd ?? null;
  s.pending = true;
  let pos = o.start ?? null;
  const end = o.end ?? Number.POSITIVE_INFINITY;
  let opened = s.fd !== null;
  const open = () => {
    if (!opened) {
      opened = true;
      try {
        s.fd = openSync(s.path, o.flags || "r", o.mode);
      } catch (e) {
        s.destroy(e);
        return false;
      }
      s.pending = false;
      s.emit("open", s.fd);
      s.emit("ready");
    }
    return true;
  };
  process.nextTick(open);
  s._read = (n) => {
    if (!open()) return;
    const want = Math.min(n, end - (pos ?? s.bytesRead) + 1);
    if (want <= 0) {
      s.push(null);
      return;
    }
    const buf = Buffer.alloc(want);
    let got;
    try {
      got = readSync(s.fd, buf, 0, want, pos);
    } catch (e) {
      s.destroy(e);
      return;
    }
    if (pos !== null) pos += got;
    s.bytesRead += got;
    if (got === 0) s.push(null);
    else s.push(got === want ? buf : buf.subarray(0, got));
  };
  s._destroy = (err, cb) => {
    if (s.fd !== null && o.autoClose !== false && o.fd === undefined) {
      try {
        closeSync(s.fd);
      } catch {}
    }
    cb(err);
  };
  s.on("end", () => {
    if (s.fd !== null && o.autoClose !== false && o.fd === undefined) {
      try {
        closeSync(s.fd);
      } catch {}
      s.fd = null;
    }
  });
  s.close = (cb) => {
    s.destroy();
    if (cb) s.once("close", cb);
  };
  return s;
}

function createWriteStream(path, options) {
  const { Writable } = require("stream");
  const o = typeof options === "string" ? { encoding: options } : options || {};
  const s = new Writable({ decodeStrings: true });
  s.path = path === null ? undefined : toPath(path);
  s.bytesWritten = 0;
  s.fd = o.fd ?? null;
  s.pending = true;
  let pos = o.start ?? null;
  let opened = s.fd !== null;
  const open = () => {
    if (!opened) {
      opened = true;
      try {
        s.fd = openSync(s.path, o.flags || "w", o.mode);
      } catch (e) {
        s.destroy(e);
        return false;
      }
      s.pending = false;
      s.emit("open", s.fd);
      s.emit("ready");
    }
    return true;
  };
  process.nextTick(open);
  s._write = (chunk, _enc, cb) => {
    if (!open()) return cb(new Error("stream not open"));
    try {
      const n = writeSync(s.fd, chunk, 0, chunk.length, pos);
      if (pos !== null) pos += n;
      s.bytesWritten += n;
      cb();
    } catch (e) {
      cb(e);
    }
  };
  s._final = (cb) => {
    if (s.fd !== null && o.autoClose !== false && o.fd === undefined) {
      try {
        closeSync(s.fd);
      } catch {}
      s.fd = null;
    }
    cb();
  };
  s.close = (cb) => {
    s.end();
    if (cb) s.once("close", cb);
  };
  return s;
}
fs.createReadStream = createReadStream;
fs.createWriteStream = createWriteStream;
fs.ReadStream = require("stream").Readable;
fs.WriteStream = require("stream").Writable;
module.exports = fs;
