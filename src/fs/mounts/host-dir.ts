/**
 * Exposes a host directory inside the VM, confined to it: no VM path may make this plugin touch a
 * host path outside `root`. The VFS promises normalised paths and resolves symlinks itself, in the
 * VM's namespace, through `lstat`/`readlink`; this plugin still trusts none of that:
 *
 * - every path is re-validated (`splitMountPath`: no `..`, `.`, empty names, NUL; EINVAL);
 * - every intermediate name is lstat'ed from the root down and must be a real directory: a symlink
 *   is refused (ELOOP), never followed; the parent's realpath must then lie under realpath(root);
 * - the last name is used without following it: `O_NOFOLLOW` opens, `lstat`, `lutimes`, `readlink`,
 *   and calls that never follow a last-component symlink (mkdir, rmdir, unlink, rename, symlink,
 *   link on Linux, `O_CREAT | O_EXCL`);
 * - only regular files are opened, and the opened fd is fstat'ed again: fifos, sockets and devices
 *   are reported by lstat/readdir but answer EACCES (`O_NONBLOCK` so even a raced-in fifo cannot
 *   block the open);
 * - set-user/group-ID bits are stripped from modes, so a VM cannot mint setuid binaries on the host.
 *
 * Time of check to time of use: each method is a run of *synchronous* `node:fs` calls with no
 * `await` in between. Every VM operation reaches this plugin through the same JS event loop, so no
 * other VM operation (of this VM or another sharing the directory in this process) can run between
 * a check and its use: one plugin call is atomic with respect to everything the VM can do. Host
 * processes racing us from outside are out of scope; even then `O_NOFOLLOW` and the fstat after open
 * keep a swapped last name from being followed or opened as a fifo; only an intermediate directory
 * swapped for a symlink between our lstat and our use remains (Node has no `openat`).
 * The price is that a slow host disk blocks the event loop for the length of one call.
 *
 * Errors carry the path as the plugin saw it, never the host path: Node's messages are discarded.
 */

import * as fs from "node:fs";
import { ERRNO_MESSAGES, type Errno, FsError, fsError } from "../errors.ts";
import type { FileType, MountPlugin, MountStat } from "../types.ts";
import { checkLinkTarget, checkOffset, splitMountPath } from "./validate.ts";

export interface HostDirMountOptions {
  /** Every mutation answers EROFS before the host is touched. */
  readOnly?: boolean;
}

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = fs.constants;

/** Added to every open: never follow the last name, never block on a fifo, never adopt a tty. */
const OPEN_GUARDS = (O_NOFOLLOW ?? 0) | (O_NONBLOCK ?? 0) | (O_NOCTTY ?? 0);

/** Permission bits passed to the host: everything but set-user-ID and set-group-ID. */
const SAFE_MODE_BITS = 0o1777;

/** Host errno names outside `Errno`, mapped to their nearest meaning. Others become EIO. */
const HOST_ERRNO: Record<string, Errno> = {
  ENXIO: "EACCES", // O_NONBLOCK write-open of a fifo with no reader.
  EOPNOTSUPP: "ENOTSUP",
  ETXTBSY: "EBUSY",
  EDQUOT: "ENOSPC",
  EOVERFLOW: "EFBIG",
};

function toFsError(e: unknown, syscall: string, path: string, dest?: string): unknown {
  if (e instanceof FsError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return e;
  if (Object.hasOwn(ERRNO_MESSAGES, code)) return new FsError(code as Errno, { syscall, path, dest });
  const mapped = HOST_ERRNO[code] ?? (code.startsWith("ERR_") ? "EINVAL" : "EIO");
  return new FsError(mapped, { syscall, path, dest, detail: mapped === "EIO" ? `host ${code}` : undefined });
}

/** Block devices have no `FileType`; like character devices they are special and never opened. */
function hostType(entry: fs.Stats | fs.Dirent): FileType {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "directory";
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isFIFO()) return "fifo";
  if (entry.isSocket()) return "socket";
  return "chardev";
}

function toMountStat(st: fs.Stats): MountStat {
  return {
    type: hostType(st),
    size: st.size,
    mode: st.mode & 0o7777,
    ino: st.ino,
    nlink: st.nlink,
    uid: st.uid,
    gid: st.gid,
    atimeMs: st.atimeMs,
    mtimeMs: st.mtimeMs,
    ctimeMs: st.ctimeMs,
    birthtimeMs: st.birthtimeMs,
  };
}

/** Only regular files are opened: ELOOP for a symlink (O_NOFOLLOW), EISDIR, EACCES for the rest. */
function requireRegular(st: fs.Stats, syscall: string, path: string): void {
  if (st.isFile()) return;
  if (st.isSymbolicLink()) throw fsError("ELOOP", syscall, path);
  if (st.isDirectory()) throw fsError("EISDIR", syscall, path);
  throw fsError("EACCES", syscall, path);
}

export function hostDirMount(root: string, options: HostDirMountOptions = {}): MountPlugin {
  if (process.platform === "win32" || O_NOFOLLOW === undefined) {
    throw new FsError("ENOTSUP", {
      syscall: "mount",
      path: root,
      detail: "host directories need O_NOFOLLOW",
    });
  }
  const readOnly = options.readOnly === true;
  const rootReal = guarded("mount", root, undefined, () => fs.realpathSync.native(root));
  if (!fs.statSync(rootReal).isDirectory()) throw fsError("ENOTDIR", "mount", root);
  const rootPrefix = rootReal.endsWith("/") ? rootReal : rootReal + "/";

  function guarded<T>(syscall: string, path: string, dest: string | undefined, body: () => T): T {
    try {
      return body();
    } catch (e) {
      throw toFsError(e, syscall, path, dest);
    }
  }

  function mutable(syscall: string, path: string, dest?: string): void {
    if (readOnly) throw fsError("EROFS", syscall, path, dest);
  }

  /**
   * The host path for `path`, after checking every step to it: intermediate names must be real
   * directories (no symlink is ever followed), and the parent's realpath must lie under the root.
   * `isRoot` tells the caller not to remove, replace or create the mount point itself.
   */
  function confine(
    path: string,
    syscall: string,
    [errPath, dest]: [string, string?] = [path],
  ): { host: string; isRoot: boolean } {
    const names = splitMountPath(path, syscall);
    let parent = rootReal;
    for (let i = 0; i < names.length - 1; i++) {
      parent = rootPrefix + names.slice(0, i + 1).join("/");
      const st = fs.lstatSync(parent, { throwIfNoEntry: false });
      if (st === undefined) throw fsError("ENOENT", syscall, errPath, dest);
      if (st.isSymbolicLink()) throw fsError("ELOOP", syscall, errPath, dest);
      if (!st.isDirectory()) throw fsError("ENOTDIR", syscall, errPath, dest);
    }
    const real = fs.realpathSync.native(parent);
    if (real !== rootReal && !real.startsWith(rootPrefix)) throw fsError("EACCES", syscall, errPath, dest);
    if (names.length === 0) return { host: rootReal, isRoot: true };
    return { host: rootPrefix + names.join("/"), isRoot: false };
  }

  /** Open a regular file without following it; the fd is checked again, so a swap in between fails. */
  function openRegular(host: string, flags: number, syscall: string, path: string): number {
    requireRegular(fs.lstatSync(host), syscall, path);
    const fd = fs.openSync(host, flags | OPEN_GUARDS);
    try {
      requireRegular(fs.fstatSync(fd), syscall, path);
      return fd;
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  return {
    name: "hostdir",
    readOnly,

    lstat(path) {
      return guarded("lstat", path, undefined, () => toMountStat(fs.lstatSync(confine(path, "lstat").host)));
    },

    readdir(path) {
      return guarded("scandir", path, undefined, () => {
        const { host } = confine(path, "scandir");
        // Like open(O_DIRECTORY | O_NOFOLLOW): a symlink is not a directory.
        if (!fs.lstatSync(host).isDirectory()) throw fsError("ENOTDIR", "scandir", path);
        return fs
          .readdirSync(host, { withFileTypes: true })
          .map((d) => ({ name: d.name, type: hostType(d) }));
      });
    },

    read(path, position, length) {
      return guarded("read", path, undefined, () => {
        checkOffset(position, "read", path);
        checkOffset(length, "read", path);
        const fd = openRegular(confine(path, "read").host, O_RDONLY, "read", path);
        try {
          // Only the asked-for range is read (pread), and the buffer is never larger than the file.
          const want = Math.max(0, Math.min(length, fs.fstatSync(fd).size - position));
          const buf = new Uint8Array(want);
          let got = 0;
          while (got < want) {
            const n = fs.readSync(fd, buf, got, want - got, position + got);
            if (n === 0) break;
            got += n;
          }
          return got === want ? buf : buf.slice(0, got);
        } finally {
          fs.closeSync(fd);
        }
      });
    },

    write(path, position, data) {
      mutable("write", path);
      guarded("write", path, undefined, () => {
        checkOffset(position, "write", path);
        const fd = openRegular(confine(path, "write").host, O_WRONLY, "write", path);
        try {
          let done = 0;
          while (done < data.length) {
            done += fs.writeSync(fd, data, done, data.length - done, position + done);
          }
        } finally {
          fs.closeSync(fd);
        }
      });
    },

    create(path, mode) {
      mutable("open", path);
      guarded("open", path, undefined, () => {
        const { host, isRoot } = confine(path, "open");
        if (isRoot) throw fsError("EEXIST", "open", path);
        // O_EXCL never follows a symlink in the last name: EEXIST if anything is there.
        fs.closeSync(fs.openSync(host, O_WRONLY | O_CREAT | O_EXCL | OPEN_GUARDS, mode & SAFE_MODE_BITS));
      });
    },

    truncate(path, size) {
      mutable("truncate", path);
      guarded("truncate", path, undefined, () => {
        checkOffset(size, "truncate", path);
        // ftruncate on our own fd: truncate(2) by path would follow a symlink.
        const fd = openRegular(confine(path, "truncate").host, O_WRONLY, "truncate", path);
        try {
          fs.ftruncateSync(fd, size);
        } finally {
          fs.closeSync(fd);
        }
      });
    },

    mkdir(path, mode) {
      mutable("mkdir", path);
      guarded("mkdir", path, undefined, () => {
        const { host, isRoot } = confine(path, "mkdir");
        if (isRoot) throw fsError("EEXIST", "mkdir", path);
        fs.mkdirSync(host, { mode: mode & SAFE_MODE_BITS });
      });
    },

    rmdir(path) {
      mutable("rmdir", path);
      guarded("rmdir", path, undefined, () => {
        const { host, isRoot } = confine(path, "rmdir");
        if (isRoot) throw fsError("EBUSY", "rmdir", path);
        fs.rmdirSync(host);
      });
    },

    unlink(path) {
      mutable("unlink", path);
      guarded("unlink", path, undefined, () => {
        const { host, isRoot } = confine(path, "unlink");
        if (isRoot) throw fsError("EISDIR", "unlink", path);
        fs.unlinkSync(host);
      });
    },

    rename(from, to) {
      mutable("rename", from, to);
      guarded("rename", from, to, () => {
        const src = confine(from, "rename", [from, to]);
        const dst = confine(to, "rename", [from, to]);
        if (src.isRoot || dst.isRoot) throw fsError("EBUSY", "rename", from, to);
        fs.renameSync(src.host, dst.host);
      });
    },

    readlink(path) {
      return guarded("readlink", path, undefined, () =>
        fs.readlinkSync(confine(path, "readlink").host, "utf8"),
      );
    },

    symlink(target, path) {
      mutable("symlink", path);
      guarded("symlink", path, undefined, () => {
        checkLinkTarget(target, "symlink", path);
        const { host, isRoot } = confine(path, "symlink");
        if (isRoot) throw fsError("EEXIST", "symlink", path);
        // The text is stored as given; this plugin never follows it, the VFS reads it in VM namespace.
        fs.symlinkSync(target, host);
      });
    },

    link(existing, path) {
      mutable("link", existing, path);
      guarded("link", existing, path, () => {
        const src = confine(existing, "link", [existing, path]);
        const dst = confine(path, "link", [existing, path]);
        if (src.isRoot) throw fsError("EPERM", "link", existing, path);
        if (dst.isRoot) throw fsError("EEXIST", "link", existing, path);
        // Linux link(2) links a symlink itself; elsewhere it may follow it, so refuse there.
        if (process.platform !== "linux" && fs.lstatSync(src.host).isSymbolicLink()) {
          throw fsError("EPERM", "link", existing, path);
        }
        fs.linkSync(src.host, dst.host);
      });
    },

    chmod(path, mode) {
      mutable("chmod", path);
      guarded("chmod", path, undefined, () => {
        const { host } = confine(path, "chmod");
        // chmod(2) follows symlinks, so check the last name first (atomic: see the header comment).
        // Linux keeps no permissions on symlinks: fchmodat(AT_SYMLINK_NOFOLLOW) answers EOPNOTSUPP.
        if (fs.lstatSync(host).isSymbolicLink()) throw fsError("ENOTSUP", "chmod", path);
        fs.chmodSync(host, mode & SAFE_MODE_BITS);
      });
    },

    utimes(path, atimeMs, mtimeMs) {
      mutable("utime", path);
      guarded("utime", path, undefined, () => {
        fs.lutimesSync(confine(path, "utime").host, atimeMs / 1000, mtimeMs / 1000);
      });
    },
  };
}
