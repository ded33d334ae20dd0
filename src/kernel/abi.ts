/**
 * The kernel's syscall ABI: what a process (a WASM command through its WASI/host_* shim, or a
 * QuickJS `node`) asks of the kernel over the syscall channel. One table, in one place; handlers
 * live by family in `src/kernel/syscalls/`.
 *
 * Conventions
 * - Arguments and results are channel values: numbers (i32 or f64), bigints, strings, byte arrays.
 * - Every call returns a WASI errno (`Errno` below; 0 = success) and, on success, the listed values.
 * - `dirfd` is a directory fd of the caller, or `AT_FDCWD` (relative to the process's cwd), or
 *   `AT_ROOT` (relative to `/`: what WASI preopens translate to). Absolute paths ignore `dirfd`.
 * - Calls may block (a read on an empty pipe, waitpid, sleep): the kernel answers when ready. A
 *   signal that interrupts a blocking call makes it fail with EINTR; a fatal signal ends the process
 *   and the call never returns (the worker is terminated).
 */

export const AT_FDCWD = -100;
export const AT_ROOT = -2;

/** WASI preview1 errno values (the kernel's only error numbering). */
export const Errno = {
  SUCCESS: 0,
  TOOBIG: 1,
  ACCES: 2,
  ADDRINUSE: 3,
  AGAIN: 6,
  BADF: 8,
  BUSY: 10,
  CHILD: 12,
  CONNREFUSED: 14,
  EXIST: 20,
  FAULT: 21,
  FBIG: 22,
  INTR: 27,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  LOOP: 32,
  MFILE: 33,
  MLINK: 34,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOEXEC: 45,
  NOMEM: 48,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSUP: 58,
  NOTTY: 59,
  PERM: 63,
  PIPE: 64,
  RANGE: 68,
  ROFS: 69,
  SPIPE: 70,
  SRCH: 71,
  XDEV: 75,
} as const;

/** Open flags (our own bits; the WASI shim and the node runtime translate to these). */
export const O = {
  READ: 1,
  WRITE: 2,
  APPEND: 4,
  CREATE: 8,
  EXCL: 16,
  TRUNC: 32,
  DIRECTORY: 64,
  NOFOLLOW: 128,
  NONBLOCK: 256,
  CLOEXEC: 512,
} as const;

/** File types as in WASI's `filetype`, used in stat and readdir results. */
export const FileTypeCode = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
  /** Not in WASI: the shim reports pipes as UNKNOWN to WASI and as S_IFIFO through host_fs.fd_mode. */
  FIFO: 8,
} as const;

/**
 * Syscall numbers. Arguments → result values, in order.
 * A "stat" result is 12 values: [filetype, mode, ino, nlink, size, atimeMs, mtimeMs, ctimeMs,
 * uid, gid, rdev, dev] (mode = full st_mode with type bits).
 */
export const Sys = {
  // ---- file descriptors ------------------------------------------------------------------
  /** (fd, maxBytes) → [bytes]. Empty bytes = end of file. Blocks on pipes/ttys unless NONBLOCK (AGAIN). */
  READ: 1,
  /** (fd, bytes) → [written]. Blocks on a full pipe; PIPE (and SIGPIPE) when no reader is left. */
  WRITE: 2,
  /** (fd, maxBytes, offset) → [bytes] */
  PREAD: 3,
  /** (fd, bytes, offset) → [written] */
  PWRITE: 4,
  /** (fd, offset, whence 0|1|2) → [newOffset]. SPIPE on pipes and ttys. */
  SEEK: 5,
  /** (fd) → [] */
  CLOSE: 6,
  /** (fd) → stat */
  FSTAT: 7,
  /** (fd) → [filetype, fdflags (O.APPEND|O.NONBLOCK bits), accessMode (O.READ|O.WRITE bits), cloexec 0|1] */
  FDSTAT: 8,
  /** (fd, fdflags) → [] : set O.APPEND / O.NONBLOCK */
  FD_SET_FLAGS: 9,
  /** (fd, size) → [] */
  FTRUNCATE: 10,
  /** (fd, atimeMs | -1 = now | -2 = omit, mtimeMs likewise) → [] */
  FUTIMES: 11,
  /**
   * (fd, cookie, maxEntries) → [bytes]: entries after `cookie`, each encoded as
   * u64 nextCookie, u64 ino, u8 filetype, u32 nameLength, name (UTF-8); little-endian.
   * "." and ".." come first (cookies 1 and 2).
   */
  READDIR: 12,
  /** (fd) → [0|1] */
  ISATTY: 13,
  /** (fd) → [newFd] lowest free fd */
  DUP: 14,
  /** (fd, targetFd) → [] closes target first; the target loses CLOEXEC */
  DUP2: 15,
  /** (fd, cloexec 0|1) → [] */
  SET_CLOEXEC: 16,
  /** () → [readFd, writeFd] */
  PIPE: 17,
  /** (fd) → [] fsync: a no-op that validates the fd */
  FSYNC: 18,
  /** (fd) → [absolutePath] the path an fd was opened with (for directory fds and /proc/self/fd) */
  FD_PATH: 19,

  // ---- paths ---------------------------------------------------------------------------
  /** (dirfd, path, oflags (O.*), mode) → [fd]. The process umask is applied to `mode`. */
  OPEN: 30,
  /** (dirfd, path, follow 0|1) → stat */
  STAT: 31,
  /** (dirfd, path, mode) → [] */
  MKDIR: 32,
  /** (dirfd, path) → [] */
  RMDIR: 33,
  /** (dirfd, path) → [] */
  UNLINK: 34,
  /** (oldDirfd, oldPath, newDirfd, newPath) → [] */
  RENAME: 35,
  /** (oldDirfd, oldPath, newDirfd, newPath, follow 0|1) → [] */
  LINK: 36,
  /** (target, dirfd, path) → [] */
  SYMLINK: 37,
  /** (dirfd, path) → [target] */
  READLINK: 38,
  /** (dirfd, path, mode, follow 0|1) → [] */
  CHMOD: 39,
  /** (dirfd, path, uid | -1, gid | -1, follow 0|1) → [] */
  CHOWN: 40,
  /** (dirfd, path, atimeMs | -1 now | -2 omit, mtimeMs likewise, follow 0|1) → [] */
  UTIMES: 41,
  /** (dirfd, path, mode R=4 W=2 X=1 | 0 exists) → [] */
  ACCESS: 42,
  /** (path) → [] change the process's cwd (validated: must be a searchable directory) */
  CHDIR: 43,
  /** () → [cwd] */
  GETCWD: 44,
  /** (dirfd, path) → [canonicalPath] */
  REALPATH: 45,
  /** (path) → [totalBytes, freeBytes, totalInodes, freeInodes] for df */
  STATFS: 46,

  // ---- processes -----------------------------------------------------------------------
  /**
   * (file, argv (NUL-separated bytes, argv[0] included), envp (NUL-separated KEY=VALUE bytes),
   *  cwd ("" = caller's), actions (bytes: see SpawnAction encoding in notes/wasm-commands.md,
   *  24-byte headers + path), pgroup (-1 = inherit, 0 = new group led by the child, >0 join)) → [pid]
   * `file` without a "/" is looked up in the PATH of `envp`. posix_spawn order: the child gets a
   * copy of the caller's fd table, actions apply in order, then CLOEXEC fds close.
   */
  SPAWN: 60,
  /**
   * (pid (-1 any child, >0 that one, < -1 group), options (1 = WNOHANG, 2 = with WNOHANG, first wait
   * up to `graceMs` for a change), graceMs?) → [pid (0 = none yet), exitCode, signal]
   */
  WAITPID: 61,
  /** (pid (>0 process, 0 own group, < -1 group), signal (0 = probe)) → [] */
  KILL: 62,
  /** () → [pid, ppid, pgid] */
  GETPID: 63,
  /** (mask, set 0|1) → [previousMask] */
  UMASK: 64,
  /** (ms, wakeOnEvents 0|1) → [] blocks; with wakeOnEvents, ends early when a child or a pipe of the caller changes; EINTR on a signal */
  SLEEP: 65,
  /** (code) → never returns: the process ends with `code`. */
  EXIT: 66,
  /** (file, argv, envp) → never returns on success: the image is replaced (cloexec fds close). */
  EXEC: 67,
  /** (how 0 BLOCK|1 UNBLOCK|2 SETMASK|3 QUERY, setLo, setHi) → [oldLo, oldHi] signal mask bits (bit n-1 = signal n) */
  SIGMASK: 68,
  /** (signal, disposition 0 default|1 ignore) → [previous] (WASM has no async handlers: catching is not offered) */
  SIGACTION: 69,
  /** (pid) → [pgid] ; (0) = own */
  GETPGID: 70,
  /** (pid, pgid) → [] setpgid */
  SETPGID: 71,

  // ---- identity ------------------------------------------------------------------------
  /** () → [uid, euid, gid, egid] */
  GETIDS: 80,
  /** (kind 0 passwd | 1 group, key kind 0 by id | 1 by name | 2 by index, id, name) → [record] or NOENT */
  GETENT: 81,
  /** () → [hostname] */
  HOSTNAME: 82,

  // ---- time and readiness ---------------------------------------------------------------
  /**
   * (subscriptions bytes, timeoutMs (-1 = none)) → [events bytes]. Subscriptions: repeated
   * { u32 fd, u8 kind (1 readable, 2 writable) }; events: repeated { u32 index, u8 kind, u32 nbytes, u8 hangup }.
   * Returns when at least one is ready or the timeout passes (then no events).
   */
  POLL: 90,
  /** (fd, timeoutMs) → [bytes] read from a tty with a deadline (host_tty.read); empty = timeout or EOF */
  TTY_READ: 91,
  /** (fd, raw 0|1) → [] */
  TTY_SET_RAW: 92,
  /** (fd) → [cols, rows] */
  TTY_SIZE: 93,

  // ---- network (src/net) ------------------------------------------------------------------
  /**
   * (method, url, headers (JSON [[name, value], ...]), body bytes, flags (1 = follow redirects)) →
   * [fd]: an outbound HTTP(S) request the host performs after the VM's egress policy allows it
   * (ACCES when it does not; INVAL for a bad URL or protocol). `fd` is the read end of a pipe
   * carrying one line of JSON (the response head, or {error, code}) then the body until EOF.
   */
  HTTP_REQUEST: 100,
  /** (port (0 = any free)) → [fd, port]: listen on a VM port; fd is readable while requests wait. ADDRINUSE. */
  NET_LISTEN: 101,
  /** (fd) → [id, head (JSON {method, url, headers}), body bytes]; AGAIN when none waits. */
  NET_ACCEPT: 102,
  /** (id, head (JSON {status, statusText, headers}) or "" when sent already, body chunk, end 0|1) → [] */
  NET_RESPOND: 103,
} as const;

export type SysName = keyof typeof Sys;

export const SIG = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  KILL: 9,
  USR1: 10,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  WINCH: 28,
} as const;

/** Signals whose default action is to be ignored (POSIX). Everything else terminates. */
export const DEFAULT_IGNORED: ReadonlySet<number> = new Set([SIG.CHLD, SIG.WINCH, SIG.CONT, 23 /* URG */]);
