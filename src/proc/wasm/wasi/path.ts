/** WASI preview1: the `path_*` family. Dirfds are translated by `ProcState.dirfd` (preopen → AT_ROOT). */
import { Errno, O, Sys } from "../../../kernel/abi.ts";
import type { SyscallArg } from "../../../kernel/channel/index.ts";
import { num, type ProcState } from "../state.ts";
import { WASI_FDFLAGS, WASI_LOOKUP_SYMLINK_FOLLOW, WASI_OFLAGS, WASI_RIGHTS } from "./constants.ts";
import { timesArgs, writeFilestat } from "./fd.ts";

/** Default creation mode when the program announced none (`open(path, O_CREAT)` without a mode). */
const DEFAULT_CREATE_MODE = 0o666;

/**
 * `path_open` flags → kernel `O.*`. Access comes from the rights the libc asks for: wasi-libc's
 * openat (with the agentOS patch 0039) asks FD_READ|FD_READDIR for O_RDONLY, FD_WRITE (+ datasync,
 * allocate, set_size) for O_WRONLY and both for O_RDWR; Rust's own path_open does the same for
 * read(true) / write(true). O_SEARCH / O_EXEC ask neither: the kernel gets no access bits.
 */
export function openFlags(lookup: number, oflags: number, base: bigint, fdflags: number): number {
  let flags = 0;
  if (base & WASI_RIGHTS.FD_READ) flags |= O.READ;
  if (base & WASI_RIGHTS.FD_WRITE) flags |= O.WRITE;
  if (oflags & WASI_OFLAGS.CREAT) flags |= O.CREATE;
  if (oflags & WASI_OFLAGS.EXCL) flags |= O.EXCL;
  if (oflags & WASI_OFLAGS.TRUNC) flags |= O.TRUNC;
  if (oflags & WASI_OFLAGS.DIRECTORY) flags |= O.DIRECTORY;
  if (!(lookup & WASI_LOOKUP_SYMLINK_FOLLOW)) flags |= O.NOFOLLOW;
  if (fdflags & WASI_FDFLAGS.APPEND) flags |= O.APPEND;
  if (fdflags & WASI_FDFLAGS.NONBLOCK) flags |= O.NONBLOCK;
  return flags;
}

export function pathImports(p: ProcState) {
  const { mem, k } = p;

  /** Runs `op` with [kernelDirfd, path, ...rest]; EBADF for a hidden fd that is not the preopen. */
  function at(op: number, dirfd: number, path: number, len: number, rest: SyscallArg[] = []) {
    const target = p.at(dirfd, mem.string(path, len));
    if (target === null) return { errno: Errno.BADF, values: [] };
    return k.call(op, [...target, ...rest]);
  }

  return {
    path_open(
      dirfd: number,
      lookup: number,
      path: number,
      len: number,
      oflags: number,
      base: bigint,
      _inheriting: bigint,
      fdflags: number,
      fdPtr: number,
    ): number {
      const flags = openFlags(lookup, oflags, BigInt.asUintN(64, base), fdflags);
      let mode = DEFAULT_CREATE_MODE;
      if (flags & O.CREATE && p.openMode !== null) {
        mode = p.openMode;
        p.openMode = null;
      }
      const { errno, values } = at(Sys.OPEN, dirfd, path, len, [flags, mode]);
      if (errno !== 0) return errno;
      const fd = num(values[0]);
      p.forget(fd);
      mem.setU32(fdPtr, fd);
      return 0;
    },
    path_filestat_get(dirfd: number, lookup: number, path: number, len: number, buf: number): number {
      const follow = lookup & WASI_LOOKUP_SYMLINK_FOLLOW ? 1 : 0;
      const target = p.at(dirfd, mem.string(path, len));
      if (target === null) return Errno.BADF;
      const { errno, values } = k.call(Sys.STAT, [...target, follow]);
      // The host_fs getters that usually follow are answered from this (see ProcState.recentStat).
      p.noteStat(target[0], target[1], follow, errno === 0 ? values : null);
      if (errno !== 0) return errno;
      writeFilestat(mem, buf, values);
      return 0;
    },
    path_filestat_set_times(
      dirfd: number,
      lookup: number,
      path: number,
      len: number,
      atim: bigint,
      mtim: bigint,
      flags: number,
    ): number {
      const follow = lookup & WASI_LOOKUP_SYMLINK_FOLLOW ? 1 : 0;
      return at(Sys.UTIMES, dirfd, path, len, [...timesArgs(atim, mtim, flags), follow]).errno;
    },
    path_create_directory(dirfd: number, path: number, len: number): number {
      return at(Sys.MKDIR, dirfd, path, len, [0o777]).errno;
    },
    path_remove_directory(dirfd: number, path: number, len: number): number {
      return at(Sys.RMDIR, dirfd, path, len).errno;
    },
    path_unlink_file(dirfd: number, path: number, len: number): number {
      return at(Sys.UNLINK, dirfd, path, len).errno;
    },
    path_rename(
      oldFd: number,
      oldPath: number,
      oldLen: number,
      newFd: number,
      newPath: number,
      newLen: number,
    ) {
      const from = p.at(oldFd, mem.string(oldPath, oldLen));
      const to = p.at(newFd, mem.string(newPath, newLen));
      if (from === null || to === null) return Errno.BADF;
      return k.call(Sys.RENAME, [...from, ...to]).errno;
    },
    path_link(
      oldFd: number,
      lookup: number,
      oldPath: number,
      oldLen: number,
      newFd: number,
      newPath: number,
      newLen: number,
    ): number {
      const from = p.at(oldFd, mem.string(oldPath, oldLen));
      const to = p.at(newFd, mem.string(newPath, newLen));
      if (from === null || to === null) return Errno.BADF;
      const follow = lookup & WASI_LOOKUP_SYMLINK_FOLLOW ? 1 : 0;
      return k.call(Sys.LINK, [...from, ...to, follow]).errno;
    },
    path_symlink(target: number, targetLen: number, dirfd: number, path: number, len: number): number {
      const at = p.at(dirfd, mem.string(path, len));
      if (at === null) return Errno.BADF;
      return k.call(Sys.SYMLINK, [mem.string(target, targetLen), ...at]).errno;
    },
    path_readlink(dirfd: number, path: number, len: number, buf: number, bufLen: number, used: number) {
      const { errno, values } = at(Sys.READLINK, dirfd, path, len);
      if (errno !== 0) return errno;
      const n = mem.write(buf, Buffer.from(String(values[0]), "utf8"), bufLen);
      mem.setU32(used, n);
      return 0;
    },
  };
}
