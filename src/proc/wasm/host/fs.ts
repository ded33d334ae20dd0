/**
 * `host_fs`: what WASI's filestat lacks (permission and type bits, owners, chmod, statfs).
 *
 * The path getters (`path_mode`, `path_rdev`, `path_owner`) come in two shapes:
 * - v3 `(dirfd, path, len, follow)`, from three kinds of callers:
 *   1. libc's `fstatat`/`faccessat`, right after `path_filestat_get` with the same arguments: the
 *      hidden preopen with a path relative to "/", or a real directory fd of the program with an
 *      entry name (a directory walk);
 *   2. the patched Rust std's `fs::metadata` (preopen) and uu_stat (literal 3), right after
 *      libc's `stat` of the same file, with the path as the program holds it: relative to its cwd;
 *   3. anything else.
 *   Callers 1 and 2 are answered from that stat ({@link ProcState.recentStat}), without a syscall.
 *   Otherwise the call goes to the kernel as (dirfd, path); when a literal 3 is not an open
 *   directory of the program (EBADF/ENOTDIR), a relative path is taken relative to the cwd. An
 *   unknown file answers 0 ("keep what the WASI filestat said").
 * - legacy `(path, len, follow)`: absolute, or relative to the process's cwd.
 *
 * `chmod` and `path_chown` with a literal 3 come from the patched Rust std (`fs::set_permissions`)
 * with the path as the program holds it: a relative path is relative to the cwd, never to whatever
 * the program's own fd 3 is (a directory walker such as `chmod -R` may hold one open). libc's
 * `chmod` sends the preopen and a path relative to "/"; `fchmodat(fd, …)` sends the real fd.
 * `path_owner` and `path_chown` from agentOS's wasi-ext crate (chown, chgrp) send -1 (`u32::MAX`)
 * with the path as the program holds it.
 * `path_mode` returns the full `st_mode` (type bits too: trap 3), 0 when unknown.
 */
import { AT_FDCWD, AT_ROOT, Errno, Sys } from "../../../kernel/abi.ts";
import type { SyscallArg } from "../../../kernel/channel/index.ts";
import { big, num, type ProcState } from "../state.ts";

const S_IFDIR = 0o040000;
const S_IFMT = 0o170000;
const S_IFCHR = 0o020000;
const S_IFREG = 0o100000;
/** Linux's memory devices (null, zero, full, random, urandom) have major number 1. */
const MEM_MAJOR = 1;

/**
 * st_mode as the binaries should see it. The patched Rust std builds `FileType` from this mode,
 * and the uutils builds reject a named input that is a character device on WASI ("unknown
 * filetype"): `cat /dev/null` failed. Memory devices are therefore shown as (empty) regular files;
 * reading them behaves as on Linux. Terminals keep S_IFCHR, which isatty-style checks rely on.
 * Programs started with `trueDeviceTypes` (the shell, whose noclobber check and `[ -f ]` need
 * the truth) see the real type.
 */
function binaryMode(p: ProcState, mode: number, rdev: number): number {
  if (p.trueDeviceTypes) return mode;
  if ((mode & S_IFMT) === S_IFCHR && rdev >> 8 === MEM_MAJOR) return (mode & ~S_IFMT) | S_IFREG;
  return mode;
}
/** The dirfd the patched Rust std passes with a path as the program holds it. */
const RUST_STD_DIRFD = 3;
/**
 * `u32::MAX`: the dirfd agentOS's wasi-ext crate passes to `path_owner`/`path_chown` (chown,
 * chgrp) with a path as the program holds it.
 */
const AS_HELD_DIRFD = -1;
/** `-1` as u64: "use the WASI filestat's value" for the size/blocks overrides. */
const USE_FILESTAT = -1n;

export function hostFsImports(p: ProcState) {
  const { mem, k } = p;

  /** The kernel stat for a path getter's arguments (either shape), or null. */
  function statArgs(args: readonly number[]): SyscallArg[] | null {
    let dirfd: number;
    let path: string;
    let follow: number;
    if (args.length === 3) {
      path = mem.string(args[0]!, args[1]!);
      follow = args[2]!;
      dirfd = path.startsWith("/") ? AT_ROOT : AT_FDCWD;
    } else {
      path = mem.string(args[1]!, args[2]!);
      follow = args[3]!;
      const at = args[0] === AS_HELD_DIRFD ? asHeld(path) : p.at(args[0]!, path);
      if (at === null) return null;
      const recent = p.recentStat(at[0], at[1], follow);
      if (recent) return recent;
      dirfd = path.startsWith("/") ? AT_ROOT : at[0];
      path = at[1];
    }
    const { errno, values } = k.call(Sys.STAT, [dirfd, path, follow ? 1 : 0]);
    if (errno === 0) return values;
    if (isRustStdFd(args) && !path.startsWith("/") && (errno === Errno.BADF || errno === Errno.NOTDIR)) {
      const retry = k.call(Sys.STAT, [AT_FDCWD, path, follow ? 1 : 0]);
      return retry.errno === 0 ? retry.values : null;
    }
    return null;
  }

  /** v3 call with the literal dirfd 3 of the patched Rust std (see the file comment). */
  function isRustStdFd(args: readonly number[]): boolean {
    return args.length === 4 && p.abi === "v3" && args[0] === RUST_STD_DIRFD;
  }

  /** [kernel dirfd, path] for a path as the program holds it: absolute, or relative to the cwd. */
  function asHeld(path: string): [number, string] {
    return [path.startsWith("/") ? AT_ROOT : AT_FDCWD, path];
  }

  /** [kernel dirfd, path] for a mutating call (chmod, chown): a literal 3 or -1 means the cwd. */
  function target(dirfd: number, path: string): [number, string] | null {
    if (dirfd === AS_HELD_DIRFD || (p.abi === "v3" && dirfd === RUST_STD_DIRFD)) return asHeld(path);
    return p.at(dirfd, path);
  }

  /** An absolute path for STATFS, which takes no dirfd. */
  function absolute(dirfd: number, path: string): string | number {
    if (path.startsWith("/")) return path;
    const kdir = p.dirfd(dirfd);
    if (kdir === null) return Errno.BADF;
    let base = "/";
    if (kdir !== AT_ROOT) {
      const r = kdir === AT_FDCWD ? k.call(Sys.GETCWD) : k.call(Sys.FD_PATH, [kdir]);
      if (r.errno !== 0) return r.errno;
      base = String(r.values[0]);
    }
    if (path === "" || path === ".") return base;
    return base.endsWith("/") ? base + path : `${base}/${path}`;
  }

  return {
    set_open_mode(mode: number): number {
      p.openMode = mode & 0o7777;
      return 0;
    },
    path_mode(...args: number[]): number {
      const st = statArgs(args);
      return st ? binaryMode(p, num(st[1]), num(st[10])) : 0;
    },
    fd_mode(fd: number): number {
      if (p.isTagged(fd)) return fd === p.preopen ? S_IFDIR | 0o755 : 0;
      const { errno, values } = k.call(Sys.FSTAT, [fd]);
      return errno === 0 ? binaryMode(p, num(values[1]), num(values[10])) : 0;
    },
    // Sizes and block counts: the WASI filestat already has them.
    path_size: (): bigint => USE_FILESTAT,
    fd_size: (): bigint => USE_FILESTAT,
    path_blocks: (): bigint => USE_FILESTAT,
    fd_blocks: (): bigint => USE_FILESTAT,
    /** uu_stat uses this value as st_rdev directly (no sentinel), so it is the real one, 0 when unknown. */
    path_rdev(...args: number[]): bigint {
      const st = statArgs(args);
      return st ? BigInt.asUintN(64, big(st[10])) : 0n;
    },
    chmod(dirfd: number, path: number, len: number, mode: number): number {
      const at = target(dirfd, mem.string(path, len));
      if (at === null) return Errno.BADF;
      return k.call(Sys.CHMOD, [...at, mode & 0o7777, 1]).errno;
    },
    ftruncate(fd: number, length: bigint): number {
      if (p.isTagged(fd)) return Errno.BADF;
      return k.call(Sys.FTRUNCATE, [fd, Number(length)]).errno;
    },
    path_owner(dirfd: number, path: number, len: number, follow: number, uidPtr: number, gidPtr: number) {
      const st = statArgs([dirfd, path, len, follow]);
      if (!st) return Errno.NOENT;
      mem.setU32(uidPtr, num(st[8]));
      mem.setU32(gidPtr, num(st[9]));
      return 0;
    },
    path_chown(dirfd: number, path: number, len: number, uid: number, gid: number, follow: number) {
      const at = target(dirfd, mem.string(path, len));
      if (at === null) return Errno.BADF;
      return k.call(Sys.CHOWN, [...at, uid, gid, follow ? 1 : 0]).errno;
    },
    /** (dirfd, path, len, *total, *used, *available bytes, *total, *free inodes): five u64 outputs. */
    path_statfs(dirfd: number, path: number, len: number, ...outs: number[]): number {
      const target = absolute(dirfd, mem.string(path, len));
      if (typeof target === "number") return target;
      const { errno, values } = k.call(Sys.STATFS, [target]);
      if (errno !== 0) return errno;
      const [total, free, inodes, freeInodes] = values.map(big) as [bigint, bigint, bigint, bigint];
      [total, total - free, free, inodes, freeInodes].forEach((v, i) => {
        if (outs[i] !== undefined) mem.setU64(outs[i]!, v);
      });
      return 0;
    },
    remount(): number {
      return Errno.NOSYS;
    },
  };
}
