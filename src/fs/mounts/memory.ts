/**
 * A self-contained in-memory tree behind the `MountPlugin` interface: scratch space, fixtures, and
 * the reference for how a plugin answers (POSIX errno names, paths as the plugin saw them; the VFS
 * rewrites them into VM paths).
 */

import { type Errno, fsError } from "../errors.ts";
import type { FileType, MountPlugin, MountStat } from "../types.ts";
import { checkLinkTarget, checkOffset, splitMountPath } from "./validate.ts";

export interface MemoryMountOptions {
  /** Every mutation answers EROFS. The `files` below are still loaded. */
  readOnly?: boolean;
  /**
   * Initial contents, keyed by path inside the mount (`"a/b.txt"` or `"/a/b.txt"`); parent
   * directories are created as needed. A key ending in `/` makes an empty directory.
   */
  files?: Record<string, string | Uint8Array>;
}

/** Files live in one contiguous buffer; past this the plugin answers EFBIG rather than exhaust memory. */
const MAX_FILE_SIZE = 2 ** 31 - 1;

interface NodeTimes {
  ino: number;
  mode: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
}

/** `data` beyond `size` is always zero, so growing a file never exposes old bytes. */
interface FileNode extends NodeTimes {
  type: "file";
  nlink: number;
  data: Uint8Array;
  size: number;
}

interface DirNode extends NodeTimes {
  type: "directory";
  entries: Map<string, Node>;
}

interface SymlinkNode extends NodeTimes {
  type: "symlink";
  nlink: number;
  target: string;
}

type Node = FileNode | DirNode | SymlinkNode;

/** Where a path lands: its parent directory (absent for the root), its name, and what is there. */
interface Location {
  parent: DirNode | undefined;
  name: string;
  node: Node | undefined;
}

export function memoryMount(options: MemoryMountOptions = {}): MountPlugin {
  const readOnly = options.readOnly === true;
  const encoder = new TextEncoder();
  let nextIno = 1;

  function newNode<T extends Node["type"]>(type: T, mode: number): NodeTimes & { type: T } {
    const now = Date.now();
    return {
      type,
      ino: nextIno++,
      mode: mode & 0o7777,
      atimeMs: now,
      mtimeMs: now,
      ctimeMs: now,
      birthtimeMs: now,
    };
  }
  const newDir = (mode: number): DirNode => ({ ...newNode("directory", mode), entries: new Map() });
  const newFile = (mode: number, data: Uint8Array): FileNode => ({
    ...newNode("file", mode),
    nlink: 1,
    data,
    size: data.length,
  });

  const root = newDir(0o755);

  /** Walk to the parent of the last name; intermediate names must be real directories. */
  function locate(path: string, syscall: string): Location {
    const names = splitMountPath(path, syscall);
    const last = names.pop();
    if (last === undefined) return { parent: undefined, name: "", node: root };
    let dir = root;
    for (const name of names) {
      const next = dir.entries.get(name);
      if (next === undefined) throw fsError("ENOENT", syscall, path);
      // The VFS resolves symlinks before calling; one here means a caller bug, never a hop.
      if (next.type === "symlink") throw fsError("ELOOP", syscall, path);
      if (next.type !== "directory") throw fsError("ENOTDIR", syscall, path);
      dir = next;
    }
    return { parent: dir, name: last, node: dir.entries.get(last) };
  }

  function existing(path: string, syscall: string): Node {
    const { node } = locate(path, syscall);
    if (node === undefined) throw fsError("ENOENT", syscall, path);
    return node;
  }

  /** The parent of a name about to be created; EEXIST if something (even a symlink) is there. */
  function vacant(path: string, syscall: string): { parent: DirNode; name: string } {
    const { parent, name, node } = locate(path, syscall);
    if (node !== undefined || parent === undefined) throw fsError("EEXIST", syscall, path);
    return { parent, name };
  }

  /** A regular file opened without following a last-component symlink (O_NOFOLLOW). */
  function regularFile(path: string, syscall: string): FileNode {
    const node = existing(path, syscall);
    if (node.type === "directory") throw fsError("EISDIR", syscall, path);
    if (node.type === "symlink") throw fsError("ELOOP", syscall, path);
    return node;
  }

  function mutable(syscall: string, path: string, dest?: string): void {
    if (readOnly) throw fsError("EROFS", syscall, path, dest);
  }

  function touch(node: Node, now = Date.now()): void {
    node.mtimeMs = now;
    node.ctimeMs = now;
  }

  function resize(file: FileNode, size: number, syscall: string, path: string): void {
    if (size > MAX_FILE_SIZE) throw fsError("EFBIG", syscall, path);
    if (size < file.size) {
      file.data.fill(0, size, file.size);
    } else if (size > file.data.length) {
      // Doubling keeps a run of appends linear.
      const grown = new Uint8Array(Math.min(MAX_FILE_SIZE, Math.max(size, file.data.length * 2)));
      grown.set(file.data.subarray(0, file.size));
      file.data = grown;
    }
    file.size = size;
  }

  function attach(parent: DirNode, name: string, node: Node): void {
    parent.entries.set(name, node);
    touch(parent);
  }

  function detach(parent: DirNode, name: string, node: Node): void {
    parent.entries.delete(name);
    touch(parent);
    if (node.type !== "directory") {
      node.nlink--;
      node.ctimeMs = Date.now();
    }
  }

  function stat(node: Node): MountStat {
    const common = {
      mode: node.mode,
      ino: node.ino,
      atimeMs: node.atimeMs,
      mtimeMs: node.mtimeMs,
      ctimeMs: node.ctimeMs,
      birthtimeMs: node.birthtimeMs,
    };
    switch (node.type) {
      case "file":
        return { ...common, type: "file", size: node.size, nlink: node.nlink };
      case "symlink":
        return { ...common, type: "symlink", size: encoder.encode(node.target).length, nlink: node.nlink };
      case "directory": {
        let subdirs = 0;
        for (const child of node.entries.values()) if (child.type === "directory") subdirs++;
        return { ...common, type: "directory", size: 0, nlink: 2 + subdirs };
      }
    }
  }

  /** Seed `options.files`, creating parents like `mkdir -p`. */
  function seed(key: string, content: string | Uint8Array): void {
    const isDir = key.endsWith("/");
    const path = "/" + key.replace(/^\/+/, "").replace(/\/+$/, "");
    const names = splitMountPath(path, "mount");
    let dir = root;
    for (const [i, name] of names.entries()) {
      const last = i === names.length - 1;
      let next = dir.entries.get(name);
      if (next === undefined) {
        next =
          last && !isDir
            ? newFile(0o644, typeof content === "string" ? encoder.encode(content) : content.slice())
            : newDir(0o755);
        dir.entries.set(name, next);
      } else if (last || next.type !== "directory") {
        throw fsError(last ? "EEXIST" : "ENOTDIR", "mount", path);
      }
      if (next.type === "directory") dir = next;
    }
  }
  for (const [key, content] of Object.entries(options.files ?? {})) seed(key, content);

  return {
    name: "memory",
    readOnly,

    lstat(path) {
      return stat(existing(path, "lstat"));
    },

    readdir(path) {
      const node = existing(path, "scandir");
      // Like open(O_DIRECTORY | O_NOFOLLOW): a symlink is not a directory.
      if (node.type !== "directory") throw fsError("ENOTDIR", "scandir", path);
      const list: Array<{ name: string; type: FileType }> = [];
      for (const [name, child] of node.entries) list.push({ name, type: child.type });
      return list;
    },

    read(path, position, length) {
      checkOffset(position, "read", path);
      checkOffset(length, "read", path);
      const file = regularFile(path, "read");
      if (position >= file.size) return new Uint8Array(0);
      return file.data.slice(position, Math.min(file.size, position + length));
    },

    write(path, position, data) {
      mutable("write", path);
      checkOffset(position, "write", path);
      const file = regularFile(path, "write");
      // pwrite(2) of nothing changes nothing, not even the size.
      if (data.length === 0) return;
      const end = position + data.length;
      if (end > file.size) resize(file, end, "write", path);
      file.data.set(data, position);
      touch(file);
    },

    create(path, mode) {
      mutable("open", path);
      const { parent, name } = vacant(path, "open");
      attach(parent, name, newFile(mode, new Uint8Array(0)));
    },

    truncate(path, size) {
      mutable("truncate", path);
      checkOffset(size, "truncate", path);
      const file = regularFile(path, "truncate");
      resize(file, size, "truncate", path);
      touch(file);
    },

    mkdir(path, mode) {
      mutable("mkdir", path);
      const { parent, name } = vacant(path, "mkdir");
      attach(parent, name, newDir(mode));
    },

    rmdir(path) {
      mutable("rmdir", path);
      const { parent, name, node } = locate(path, "rmdir");
      if (node === undefined) throw fsError("ENOENT", "rmdir", path);
      if (parent === undefined) throw fsError("EBUSY", "rmdir", path);
      if (node.type !== "directory") throw fsError("ENOTDIR", "rmdir", path);
      if (node.entries.size > 0) throw fsError("ENOTEMPTY", "rmdir", path);
      detach(parent, name, node);
    },

    unlink(path) {
      mutable("unlink", path);
      const { parent, name, node } = locate(path, "unlink");
      if (node === undefined) throw fsError("ENOENT", "unlink", path);
      // Linux answers EISDIR where POSIX allows EPERM.
      if (node.type === "directory") throw fsError("EISDIR", "unlink", path);
      detach(parent!, name, node);
    },

    rename(from, to) {
      mutable("rename", from, to);
      const src = locate(from, "rename");
      const dst = locate(to, "rename");
      const fail = (code: Errno) => fsError(code, "rename", from, to);
      if (src.node === undefined) throw fail("ENOENT");
      if (src.parent === undefined || dst.parent === undefined) throw fail("EBUSY");
      // POSIX rename(2): two links to the same file, nothing to do.
      if (src.node === dst.node) return;
      if (src.node.type === "directory") {
        if (to.startsWith(from + "/")) throw fail("EINVAL");
        if (dst.node !== undefined && dst.node.type !== "directory") throw fail("ENOTDIR");
        if (dst.node?.type === "directory" && dst.node.entries.size > 0) throw fail("ENOTEMPTY");
      } else if (dst.node?.type === "directory") {
        throw fail("EISDIR");
      }
      if (dst.node !== undefined) detach(dst.parent, dst.name, dst.node);
      src.parent.entries.delete(src.name);
      touch(src.parent);
      attach(dst.parent, dst.name, src.node);
      src.node.ctimeMs = Date.now();
    },

    readlink(path) {
      const node = existing(path, "readlink");
      if (node.type !== "symlink") throw fsError("EINVAL", "readlink", path);
      return node.target;
    },

    symlink(target, path) {
      mutable("symlink", path);
      checkLinkTarget(target, "symlink", path);
      const { parent, name } = vacant(path, "symlink");
      attach(parent, name, { ...newNode("symlink", 0o777), nlink: 1, target });
    },

    link(existingPath, path) {
      mutable("link", existingPath, path);
      const node = existing(existingPath, "link");
      if (node.type === "directory") throw fsError("EPERM", "link", existingPath, path);
      const { parent, name } = vacant(path, "link");
      attach(parent, name, node);
      node.nlink++;
      node.ctimeMs = Date.now();
    },

    chmod(path, mode) {
      mutable("chmod", path);
      const node = existing(path, "chmod");
      // Linux keeps no permissions on symlinks: fchmodat(AT_SYMLINK_NOFOLLOW) answers EOPNOTSUPP.
      if (node.type === "symlink") throw fsError("ENOTSUP", "chmod", path);
      node.mode = mode & 0o7777;
      node.ctimeMs = Date.now();
    },

    utimes(path, atimeMs, mtimeMs) {
      mutable("utime", path);
      const node = existing(path, "utime");
      node.atimeMs = atimeMs;
      node.mtimeMs = mtimeMs;
      node.ctimeMs = Date.now();
    },
  };
}
