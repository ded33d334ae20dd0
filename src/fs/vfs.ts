/**
 * The VM's filesystem: POSIX path resolution and operations over the layered inode store, with
 * mounted plugins spliced into the namespace. Every operation resolves paths itself, component by
 * component, so symlinks (including those inside mounts) are interpreted in the VM's namespace and
 * `..` never escapes the root. Operations on the in-memory tree are synchronous inside; the API is
 * async because mounted plugins may be.
 */

import { randomFillSync } from "node:crypto";
import { type Errno, FsError, fsError } from "./errors.ts";
import {
  type DirRecord,
  type FileRecord,
  type InodeMeta,
  type InodeRecord,
  type Layer,
  LayeredInodes,
  ROOT_INO,
  recordType,
} from "./layers.ts";
import { isWithin, joinPath, MAX_SYMLINKS, NAME_MAX, normalizePath, PATH_MAX } from "./path.ts";
import {
  type DirEntry,
  type DirEntryWithCookie,
  type FileType,
  type Identity,
  type MountPlugin,
  type MountSpec,
  type MountStat,
  type OpenFlags,
  S_IFCHR,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  typeBits,
  type VfsStat,
  type WatchEvent,
} from "./types.ts";
import { WatchHub, type WatchListener } from "./watch.ts";

/** Who performs an operation. `privileged` bypasses permission checks (the host API, root). */
export interface Credentials extends Identity {
  privileged?: boolean;
}

export const ROOT: Credentials = { uid: 0, gid: 0, privileged: true };

export interface FsLimits {
  /** Total bytes of file content in the VM's view. ENOSPC beyond. */
  maxBytes?: number;
  /** Number of inodes in the VM's view. ENOSPC beyond. */
  maxInodes?: number;
  /** Largest single file. EFBIG beyond. */
  maxFileSize?: number;
}

export interface VfsOptions {
  mounts?: MountSpec[];
  /** Who owns mounted files when a mount spec names no owner (the VM's user). */
  mountOwner?: Identity;
  limits?: FsLimits;
  clock?: () => number;
}

/** Linux device numbers (major << 8 | minor) of the character devices the VFS implements itself. */
export const DEV = {
  null: (1 << 8) | 3,
  zero: (1 << 8) | 5,
  full: (1 << 8) | 7,
  random: (1 << 8) | 8,
  urandom: (1 << 8) | 9,
  tty: (5 << 8) | 0,
} as const;

/** Largest whole-file read (readFile): Node's own limit for a Buffer is 2 GiB. */
const READ_ALL_MAX = 2 ** 31 - 1;
const R = 4;
const W = 2;
const X = 1;
const S_ISVTX = 0o1000;
const ROOT_DEV = 1;

interface Mount {
  path: string;
  plugin: MountPlugin;
  dev: number;
  owner: Identity;
}

interface TreeNode {
  kind: "tree";
  ino: number;
  rec: InodeRecord;
  path: string;
  name: string;
  parent: Node | null;
}

interface MountNode {
  kind: "mount";
  mount: Mount;
  rel: string;
  st: MountStat;
  path: string;
  name: string;
  parent: Node | null;
}

type Node = TreeNode | MountNode;

interface Missing {
  kind: "missing";
  parent: Node;
  name: string;
  path: string;
}

interface ResolveOptions {
  follow: boolean;
  syscall: string;
  cred: Credentials;
  /**
   * The last component names the entry an operation creates, removes or renames: it is not followed
   * even with a trailing slash, and the operation itself judges the slash (Linux's filename_parentat).
   */
  entry?: boolean;
}

export interface MkdirOptions {
  mode?: number;
  recursive?: boolean;
}

export interface WriteFileOptions {
  mode?: number;
  /** Create missing parent directories. Off by default: a typo should not create a tree. */
  createParents?: boolean;
  /** Mode of directories made by `createParents` (default 0o777, as mkdir -p with umask 0). */
  dirMode?: number;
  append?: boolean;
}

function nodeType(n: Node): FileType {
  return n.kind === "tree" ? recordType(n.rec) : n.st.type;
}

function rebase(err: unknown, syscall: string, path: string, dest?: string): FsError {
  if (err instanceof FsError) return new FsError(err.code, { syscall, path, dest });
  const code = (err as { code?: string })?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
    return new FsError(code as Errno, { syscall, path, dest });
  }
  return new FsError("EIO", { syscall, path, dest, detail: String((err as Error)?.message ?? err) });
}

export class Vfs {
  readonly inodes: LayeredInodes;
  readonly watchHub = new WatchHub();
  readonly limits: FsLimits;
  private readonly mounts = new Map<string, Mount>();
  private readonly openCount = new Map<number, number>();
  private readonly now: () => number;

  constructor(lower: Layer, options: VfsOptions = {}) {
    this.inodes = new LayeredInodes(lower);
    this.limits = options.limits ?? {};
    this.now = options.clock ?? Date.now;
    let dev = ROOT_DEV + 1;
    for (const spec of options.mounts ?? []) {
      const path = normalizePath(spec.path);
      if (path === "/")
        throw new FsError("EINVAL", { syscall: "mount", path, detail: "cannot mount over /" });
      if (this.mounts.has(path)) throw new FsError("EBUSY", { syscall: "mount", path });
      const owner = spec.owner ?? options.mountOwner ?? { uid: 0, gid: 0 };
      this.mounts.set(path, { path, plugin: spec.plugin, dev: dev++, owner });
    }
  }

  /** Mount points, for `mount`/`df` and for creating the directories they sit on. */
  mountPoints(): string[] {
    return [...this.mounts.keys()];
  }

  /** Freeze the current upper layer (for fork and incremental snapshots). */
  freeze(): Layer {
    return this.inodes.freeze();
  }

  watch(path: string, recursive: boolean, listener: WatchListener): () => void {
    return this.watchHub.add(normalizePath(path), recursive, listener);
  }

  private emit(type: WatchEvent["type"], path: string, fileType?: FileType, oldPath?: string): void {
    if (!this.watchHub.active) return;
    const ev: WatchEvent = { type, path };
    if (fileType) ev.fileType = fileType;
    if (oldPath !== undefined) ev.oldPath = oldPath;
    this.watchHub.emit(ev);
  }

  // ---------------------------------------------------------------- resolution

  private rootNode(): TreeNode {
    const rec = this.inodes.get(ROOT_INO);
    if (!rec) throw new Error("Vfs: no root inode");
    return { kind: "tree", ino: ROOT_INO, rec, path: "/", name: "", parent: null };
  }

  private checkPath(path: string, syscall: string): void {
    if (typeof path !== "string") throw new FsError("EINVAL", { syscall, detail: "path must be a string" });
    if (path.length === 0) throw fsError("ENOENT", syscall, path);
    if (path.includes("\0")) throw new FsError("EINVAL", { syscall, path, detail: "path contains NUL" });
    // PATH_MAX counts bytes and the terminating NUL (Linux: 4096 bytes is already too long).
    if (path.length >= PATH_MAX || Buffer.byteLength(path) >= PATH_MAX) {
      throw fsError("ENAMETOOLONG", syscall, path);
    }
  }

  /**
   * Resolve an absolute path. The last component may be missing (reported as `Missing` so callers
   * can create it); any earlier missing component is ENOENT, a non-directory ENOTDIR.
   */
  private async resolve(path: string, opts: ResolveOptions): Promise<Node | Missing> {
    this.checkPath(path, opts.syscall);
    let follow = opts.follow;
    let mustBeDir = false;
    if (hasTrailingSlash(path) && !opts.entry) {
      mustBeDir = true;
      follow = true;
    }
    let queue = path.split("/").filter((p) => p !== "");
    let cur: Node = this.rootNode();
    let links = 0;
    for (let i = 0; i < queue.length; i++) {
      const name = queue[i]!;
      const last = i === queue.length - 1;
      if (name === "." || name === "..") {
        // `.` and `..` are looked up in a directory like any name: `file/..` is ENOTDIR.
        if (nodeType(cur) !== "directory") throw fsError("ENOTDIR", opts.syscall, path);
        this.requireAccess(cur, X, opts.cred, opts.syscall, path);
        if (name === "..") cur = cur.parent ?? cur;
        continue;
      }
      if (Buffer.byteLength(name) > NAME_MAX) throw fsError("ENAMETOOLONG", opts.syscall, path);
      if (nodeType(cur) !== "directory") throw fsError("ENOTDIR", opts.syscall, path);
      this.requireAccess(cur, X, opts.cred, opts.syscall, path);
      const child = await this.child(cur, name, opts.syscall, path);
      if (!child) {
        // The canonical path (symlinks and `..` resolved): what watchers and errors downstream see.
        if (last) return { kind: "missing", parent: cur, name, path: joinPath(cur.path, name) };
        throw fsError("ENOENT", opts.syscall, path);
      }
      if (nodeType(child) === "symlink" && (!last || follow)) {
        links += 1;
        if (links > MAX_SYMLINKS) throw fsError("ELOOP", opts.syscall, path);
        const target = await this.linkTarget(child, opts.syscall, path);
        if (target === "") throw fsError("ENOENT", opts.syscall, path);
        const rest = queue.slice(i + 1);
        queue = [...target.split("/").filter((p) => p !== ""), ...rest];
        if (target.startsWith("/")) cur = this.rootNode();
        i = -1;
        if (queue.length === 0) break;
        continue;
      }
      cur = child;
    }
    if (mustBeDir && nodeType(cur) !== "directory") throw fsError("ENOTDIR", opts.syscall, path);
    return cur;
  }

  private async child(dir: Node, name: string, syscall: string, path: string): Promise<Node | undefined> {
    const childPath = joinPath(dir.path, name);
    if (dir.kind === "tree") {
      const mount = this.mounts.size > 0 ? this.mounts.get(childPath) : undefined;
      if (mount) {
        const st = await this.mountCall(mount, "lstat", childPath, syscall, () => mount.plugin.lstat("/"));
        return { kind: "mount", mount, rel: "/", st, path: childPath, name, parent: dir };
      }
      const ino = this.inodes.lookup(dir.ino, name);
      if (ino === undefined) return undefined;
      const rec = this.inodes.get(ino);
      if (!rec) return undefined;
      return { kind: "tree", ino, rec, path: childPath, name, parent: dir };
    }
    const rel = joinPath(dir.rel, name);
    const mount = dir.mount;
    try {
      const st = await mount.plugin.lstat(rel);
      return { kind: "mount", mount, rel, st, path: childPath, name, parent: dir };
    } catch (err) {
      const e = rebase(err, syscall, path);
      if (e.code === "ENOENT") return undefined;
      throw e;
    }
  }

  private async linkTarget(n: Node, syscall: string, path: string): Promise<string> {
    if (n.kind === "tree") return (n.rec as { target: string }).target;
    const plugin = n.mount.plugin;
    if (!plugin.readlink) throw fsError("EINVAL", syscall, path);
    return this.mountCall(n.mount, "readlink", path, syscall, () => plugin.readlink!(n.rel));
  }

  /** Call into a plugin, turning its errors into FsErrors that name the VM path. */
  private async mountCall<T>(
    _mount: Mount,
    _op: string,
    path: string,
    syscall: string,
    fn: () => T | Promise<T>,
    dest?: string,
  ): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw rebase(err, syscall, path, dest);
    }
  }

  private async resolveExisting(path: string, opts: ResolveOptions): Promise<Node> {
    const n = await this.resolve(path, opts);
    if (n.kind === "missing") throw fsError("ENOENT", opts.syscall, path);
    return n;
  }

  // ---------------------------------------------------------------- permissions

  private meta(n: Node): InodeMeta {
    if (n.kind === "tree") return n.rec;
    const st = n.st;
    const t = this.now();
    return {
      mode: typeBits(st.type) | ((st.mode ?? (st.type === "directory" ? 0o755 : 0o644)) & 0o7777),
      // Host uids mean nothing inside the VM: a mount's files belong to its owner.
      uid: n.mount.owner.uid,
      gid: n.mount.owner.gid,
      nlink: st.nlink ?? 1,
      atimeMs: st.atimeMs ?? t,
      mtimeMs: st.mtimeMs ?? t,
      ctimeMs: st.ctimeMs ?? t,
      birthtimeMs: st.birthtimeMs ?? t,
    };
  }

  private allowed(n: Node, want: number, cred: Credentials): boolean {
    const m = this.meta(n);
    if (cred.privileged || cred.uid === 0) {
      // Even root needs an execute bit somewhere to execute a regular file.
      if (want & X && (m.mode & S_IFMT) === S_IFREG) return (m.mode & 0o111) !== 0;
      return true;
    }
    let bits: number;
    if (cred.uid === m.uid) bits = (m.mode >> 6) & 7;
    else if (cred.gid === m.gid) bits = (m.mode >> 3) & 7;
    else bits = m.mode & 7;
    return (bits & want) === want;
  }

  private requireAccess(n: Node, want: number, cred: Credentials, syscall: string, path: string): void {
    if (!this.allowed(n, want, cred)) throw fsError("EACCES", syscall, path);
  }

  /** Sticky directories (like /tmp) only let owners remove or rename entries. */
  private requireSticky(dir: Node, victim: Node, cred: Credentials, syscall: string, path: string): void {
    if (cred.privileged || cred.uid === 0) return;
    const dm = this.meta(dir);
    if (!(dm.mode & S_ISVTX)) return;
    if (this.meta(victim).uid === cred.uid || dm.uid === cred.uid) return;
    throw fsError("EPERM", syscall, path);
  }

  private requireWritableMount(n: Node, syscall: string, path: string): void {
    if (n.kind === "mount" && n.mount.plugin.readOnly) throw fsError("EROFS", syscall, path);
  }

  /** Check that `n` (a directory) may have its entries changed by `cred`. */
  private requireDirWrite(dir: Node, cred: Credentials, syscall: string, path: string): void {
    this.requireWritableMount(dir, syscall, path);
    this.requireAccess(dir, W | X, cred, syscall, path);
  }

  access(path: string, mode: number, cred: Credentials = ROOT): Promise<void> {
    return this.resolveExisting(path, { follow: true, syscall: "access", cred }).then((n) => {
      if (mode & W) this.requireWritableMount(n, "access", path);
      if (mode && !this.allowed(n, mode & 7, cred)) throw fsError("EACCES", "access", path);
    });
  }

  // ---------------------------------------------------------------- limits and records

  private checkInodeLimit(syscall: string, path: string): void {
    const max = this.limits.maxInodes;
    if (max !== undefined && this.inodes.usage.inodes >= max) {
      throw new FsError("ENOSPC", { syscall, path, detail: `inode limit ${max} reached` });
    }
  }

  private checkGrowth(oldSize: number, newSize: number, syscall: string, path: string): void {
    const { maxBytes, maxFileSize } = this.limits;
    if (maxFileSize !== undefined && newSize > maxFileSize) {
      throw new FsError("EFBIG", { syscall, path, detail: `file size limit ${maxFileSize} bytes` });
    }
    if (
      maxBytes !== undefined &&
      newSize > oldSize &&
      this.inodes.usage.bytes + newSize - oldSize > maxBytes
    ) {
      throw new FsError("ENOSPC", { syscall, path, detail: `filesystem byte limit ${maxBytes} reached` });
    }
  }

  private newMeta(type: number, perm: number, cred: Credentials, parent: InodeMeta | null): InodeMeta {
    const t = this.now();
    // BSD/Linux setgid directories pass their group on; otherwise the creator's group.
    const gid = parent && parent.mode & 0o2000 ? parent.gid : cred.gid;
    return {
      mode: type | (perm & 0o7777),
      uid: cred.uid,
      gid,
      nlink: 1,
      atimeMs: t,
      mtimeMs: t,
      ctimeMs: t,
      birthtimeMs: t,
    };
  }

  private touchDir(ino: number): void {
    const dir = this.inodes.mutable(ino);
    const t = this.now();
    dir.mtimeMs = t;
    dir.ctimeMs = t;
  }

  /** Create an inode under a tree directory. */
  private createInTree(parent: TreeNode, name: string, record: InodeRecord, path: string, syscall: string) {
    this.checkInodeLimit(syscall, path);
    const ino = this.inodes.allocIno();
    this.inodes.insert(ino, record);
    this.inodes.setEntry(parent.ino, name, ino);
    if (record.kind === "dir") this.inodes.mutable(parent.ino).nlink += 1;
    this.touchDir(parent.ino);
    this.emit("create", path, recordType(record));
    return ino;
  }

  /** Drop one link to `ino`; the inode goes when no link and no open description remain. */
  private unlinkInode(ino: number): void {
    const rec = this.inodes.mutable(ino);
    rec.nlink = rec.kind === "dir" ? 0 : rec.nlink - 1;
    rec.ctimeMs = this.now();
    if (rec.nlink <= 0 && !this.openCount.get(ino)) this.inodes.drop(ino);
  }

  // ---------------------------------------------------------------- stat

  private statOf(n: Node): VfsStat {
    if (n.kind === "tree") {
      const r = n.rec;
      const size =
        r.kind === "file"
          ? r.size
          : r.kind === "symlink"
            ? Buffer.byteLength(r.target)
            : r.kind === "dir"
              ? 4096
              : 0;
      return {
        type: recordType(r),
        dev: ROOT_DEV,
        ino: n.ino,
        mode: r.mode,
        nlink: r.nlink,
        uid: r.uid,
        gid: r.gid,
        rdev: r.kind === "chardev" ? r.rdev : 0,
        size,
        blksize: 4096,
        blocks: Math.ceil(size / 512),
        atimeMs: r.atimeMs,
        mtimeMs: r.mtimeMs,
        ctimeMs: r.ctimeMs,
        birthtimeMs: r.birthtimeMs,
      };
    }
    const m = this.meta(n);
    return {
      type: n.st.type,
      dev: n.mount.dev,
      ino: n.st.ino ?? fakeIno(n.rel),
      mode: m.mode,
      nlink: m.nlink,
      uid: m.uid,
      gid: m.gid,
      rdev: 0,
      size: n.st.size,
      blksize: 4096,
      blocks: Math.ceil(n.st.size / 512),
      atimeMs: m.atimeMs,
      mtimeMs: m.mtimeMs,
      ctimeMs: m.ctimeMs,
      birthtimeMs: m.birthtimeMs,
    };
  }

  async stat(path: string, cred: Credentials = ROOT): Promise<VfsStat> {
    return this.statOf(await this.resolveExisting(path, { follow: true, syscall: "stat", cred }));
  }

  async lstat(path: string, cred: Credentials = ROOT): Promise<VfsStat> {
    return this.statOf(await this.resolveExisting(path, { follow: false, syscall: "lstat", cred }));
  }

  async exists(path: string, cred: Credentials = ROOT): Promise<boolean> {
    try {
      await this.stat(path, cred);
      return true;
    } catch (err) {
      if (err instanceof FsError && (err.code === "ENOENT" || err.code === "ENOTDIR")) return false;
      throw err;
    }
  }

  /** The canonical path: every symlink resolved. */
  async realpath(path: string, cred: Credentials = ROOT): Promise<string> {
    return (await this.resolveExisting(path, { follow: true, syscall: "realpath", cred })).path;
  }

  // ---------------------------------------------------------------- directories

  async mkdir(
    path: string,
    options: MkdirOptions = {},
    cred: Credentials = ROOT,
  ): Promise<string | undefined> {
    const mode = options.mode ?? 0o777;
    if (options.recursive) return this.mkdirp(path, mode, cred);
    const n = await this.resolve(path, { follow: false, entry: true, syscall: "mkdir", cred });
    if (n.kind !== "missing") throw fsError("EEXIST", "mkdir", path);
    await this.mkdirAt(n, mode, cred);
    return undefined;
  }

  /**
   * `mkdir -p` as Node's recursive mkdir does it, mkdir(2) on each prefix: an existing last prefix
   * is fine if it is (or leads to) a directory, EEXIST if not, and a dangling symlink is never
   * followed to create its target (ENOENT, like stat). Errors name the prefix.
   */
  private async mkdirp(path: string, mode: number, cred: Credentials): Promise<string | undefined> {
    const abs = normalizePath(path);
    const parts = abs.split("/").filter(Boolean);
    let first: string | undefined;
    let prefix = "";
    for (const [i, part] of parts.entries()) {
      prefix += `/${part}`;
      const n = await this.resolve(prefix, { follow: false, entry: true, syscall: "mkdir", cred });
      if (n.kind === "missing") {
        await this.mkdirAt(n, mode, cred);
        first ??= prefix;
      } else if (i === parts.length - 1 && nodeType(n) !== "directory") {
        const target = await this.resolveExisting(prefix, { follow: true, syscall: "mkdir", cred });
        if (nodeType(target) !== "directory") throw fsError("EEXIST", "mkdir", prefix);
      }
      // A non-directory before the last prefix fails as the next prefix is resolved through it.
    }
    return first;
  }

  private async mkdirAt(n: Missing, mode: number, cred: Credentials): Promise<void> {
    const parent = n.parent;
    if (nodeType(parent) !== "directory") throw fsError("ENOTDIR", "mkdir", n.path);
    this.requireDirWrite(parent, cred, "mkdir", n.path);
    const perm = mode & 0o7777;
    if (parent.kind === "mount") {
      const plugin = parent.mount.plugin;
      if (!plugin.mkdir) throw fsError("ENOTSUP", "mkdir", n.path);
      await this.mountCall(parent.mount, "mkdir", n.path, "mkdir", () =>
        plugin.mkdir!(joinPath(parent.rel, n.name), perm),
      );
      this.emit("create", n.path, "directory");
      return;
    }
    const meta = this.newMeta(S_IFDIR, perm, cred, parent.rec);
    meta.nlink = 2;
    if (parent.rec.mode & 0o2000) meta.mode |= 0o2000;
    const rec: DirRecord = { ...meta, kind: "dir", entries: new Map(), opaque: true, parent: parent.ino };
    this.createInTree(parent, n.name, rec, n.path, "mkdir");
  }

  private async listNode(n: Node, syscall: string, path: string): Promise<DirEntryWithCookie[]> {
    if (nodeType(n) !== "directory") throw fsError("ENOTDIR", syscall, path);
    if (n.kind === "tree") {
      const out: DirEntryWithCookie[] = [];
      for (const [name, slot] of this.inodes.list(n.ino)) {
        const rec = this.inodes.get(slot.ino);
        if (!rec) continue;
        const childPath = joinPath(n.path, name);
        const mount = this.mounts.size > 0 ? this.mounts.get(childPath) : undefined;
        out.push({ name, type: mount ? "directory" : recordType(rec), ino: slot.ino, cookie: slot.seq });
      }
      return out;
    }
    const entries = await this.mountCall(n.mount, "readdir", path, syscall, () =>
      n.mount.plugin.readdir(n.rel),
    );
    return entries.map((e, i) => ({
      name: e.name,
      type: e.type,
      ino: fakeIno(joinPath(n.rel, e.name)),
      cookie: i + 1,
    }));
  }

  async readdir(path: string, cred: Credentials = ROOT): Promise<DirEntry[]> {
    const n = await this.resolveExisting(path, { follow: true, syscall: "scandir", cred });
    this.requireAccess(n, R, cred, "scandir", path);
    return (await this.listNode(n, "scandir", path)).map(({ name, type, ino }) => ({ name, type, ino }));
  }

  async rmdir(path: string, cred: Credentials = ROOT): Promise<void> {
    const n = await this.resolveExisting(path, { follow: false, entry: true, syscall: "rmdir", cred });
    // do_rmdir: `..` is never empty, `.` is invalid, `/` is busy.
    const last = lastName(path);
    if (last === "..") throw fsError("ENOTEMPTY", "rmdir", path);
    if (last === ".") throw fsError("EINVAL", "rmdir", path);
    if (n.parent === null || (n.kind === "mount" && n.rel === "/")) throw fsError("EBUSY", "rmdir", path);
    if (nodeType(n) !== "directory") throw fsError("ENOTDIR", "rmdir", path);
    this.requireDirWrite(n.parent, cred, "rmdir", path);
    this.requireSticky(n.parent, n, cred, "rmdir", path);
    if (n.kind === "mount") {
      const plugin = n.mount.plugin;
      if (!plugin.rmdir) throw fsError("ENOTSUP", "rmdir", path);
      await this.mountCall(n.mount, "rmdir", path, "rmdir", () => plugin.rmdir!(n.rel));
    } else {
      if (this.inodes.list(n.ino).length > 0) throw fsError("ENOTEMPTY", "rmdir", path);
      if (this.isMountAncestor(n.path)) throw fsError("EBUSY", "rmdir", path);
      const parent = n.parent as TreeNode;
      this.inodes.removeEntry(parent.ino, n.name);
      this.inodes.mutable(parent.ino).nlink -= 1;
      this.touchDir(parent.ino);
      this.unlinkInode(n.ino);
    }
    this.emit("delete", n.path, "directory");
  }

  private isMountAncestor(path: string): boolean {
    for (const m of this.mounts.keys()) if (isWithin(m, path)) return true;
    return false;
  }

  // ---------------------------------------------------------------- links

  async unlink(path: string, cred: Credentials = ROOT): Promise<void> {
    const n = await this.resolveExisting(path, { follow: false, entry: true, syscall: "unlink", cred });
    // do_unlinkat: `.`, `..` and `/` are directories; with a trailing slash the entry must be one.
    if (namesNoEntry(path) || nodeType(n) === "directory") throw fsError("EISDIR", "unlink", path);
    if (hasTrailingSlash(path)) throw fsError("ENOTDIR", "unlink", path);
    const parent = n.parent!;
    this.requireDirWrite(parent, cred, "unlink", path);
    this.requireSticky(parent, n, cred, "unlink", path);
    if (n.kind === "mount") {
      const plugin = n.mount.plugin;
      if (!plugin.unlink) throw fsError("ENOTSUP", "unlink", path);
      await this.mountCall(n.mount, "unlink", path, "unlink", () => plugin.unlink!(n.rel));
    } else {
      const p = parent as TreeNode;
      this.inodes.removeEntry(p.ino, n.name);
      this.touchDir(p.ino);
      this.unlinkInode(n.ino);
    }
    this.emit("delete", n.path, nodeType(n));
  }

  async symlink(target: string, path: string, cred: Credentials = ROOT): Promise<void> {
    if (typeof target !== "string" || target.includes("\0")) throw fsError("EINVAL", "symlink", path);
    if (target.length === 0) throw fsError("ENOENT", "symlink", path);
    if (Buffer.byteLength(target) >= PATH_MAX) throw fsError("ENAMETOOLONG", "symlink", path);
    const n = await this.resolve(path, { follow: false, entry: true, syscall: "symlink", cred });
    if (n.kind !== "missing") throw fsError("EEXIST", "symlink", target, path);
    // filename_create: a trailing slash can only name a directory being created.
    if (hasTrailingSlash(path)) throw fsError("ENOENT", "symlink", path);
    this.requireDirWrite(n.parent, cred, "symlink", path);
    const parent = n.parent;
    if (parent.kind === "mount") {
      const plugin = parent.mount.plugin;
      if (!plugin.symlink) throw fsError("ENOTSUP", "symlink", path);
      await this.mountCall(parent.mount, "symlink", path, "symlink", () =>
        plugin.symlink!(target, joinPath(parent.rel, n.name)),
      );
      this.emit("create", n.path, "symlink");
      return;
    }
    const rec: InodeRecord = { ...this.newMeta(S_IFLNK, 0o777, cred, parent.rec), kind: "symlink", target };
    this.createInTree(parent, n.name, rec, n.path, "symlink");
  }

  async readlink(path: string, cred: Credentials = ROOT): Promise<string> {
    const n = await this.resolveExisting(path, { follow: false, syscall: "readlink", cred });
    if (nodeType(n) !== "symlink") throw fsError("EINVAL", "readlink", path);
    return this.linkTarget(n, "readlink", path);
  }

  async link(existing: string, path: string, cred: Credentials = ROOT): Promise<void> {
    const src = await this.resolveExisting(existing, { follow: false, syscall: "link", cred });
    const n = await this.resolve(path, { follow: false, entry: true, syscall: "link", cred });
    if (n.kind !== "missing") throw fsError("EEXIST", "link", existing, path);
    if (hasTrailingSlash(path)) throw fsError("ENOENT", "link", existing, path);
    if (nodeType(src) === "directory") throw fsError("EPERM", "link", existing, path);
    const parent = n.parent;
    this.requireDirWrite(parent, cred, "link", path);
    if (src.kind === "mount" || parent.kind === "mount") {
      if (src.kind !== "mount" || parent.kind !== "mount" || src.mount !== parent.mount) {
        throw fsError("EXDEV", "link", existing, path);
      }
      const plugin = src.mount.plugin;
      if (!plugin.link) throw fsError("ENOTSUP", "link", existing, path);
      await this.mountCall(
        src.mount,
        "link",
        existing,
        "link",
        () => plugin.link!(src.rel, joinPath(parent.rel, n.name)),
        path,
      );
    } else {
      const rec = this.inodes.mutable(src.ino);
      rec.nlink += 1;
      rec.ctimeMs = this.now();
      this.inodes.setEntry(parent.ino, n.name, src.ino);
      this.touchDir(parent.ino);
    }
    this.emit("create", n.path, nodeType(src));
  }

  async rename(from: string, to: string, cred: Credentials = ROOT): Promise<void> {
    const src = await this.resolve(from, { follow: false, entry: true, syscall: "rename", cred });
    const dst = await this.resolve(to, { follow: false, entry: true, syscall: "rename", cred });
    // do_renameat2: `.`, `..` and `/` are never renamed or replaced.
    if (namesNoEntry(from) || namesNoEntry(to)) throw fsError("EBUSY", "rename", from, to);
    if (src.kind === "missing") throw fsError("ENOENT", "rename", from, to);
    if (src.parent === null || (src.kind === "mount" && src.rel === "/") || this.mounts.has(src.path)) {
      throw fsError("EBUSY", "rename", from, to);
    }
    const dstParent = dst.kind === "missing" ? dst.parent : dst.parent!;
    const dstName = dst.name;
    // Physical: `to` may reach its directory through symlinks or `..`.
    const dstPath = joinPath(dstParent.path, dstName);
    const srcIsDir = nodeType(src) === "directory";
    if (!srcIsDir && (hasTrailingSlash(from) || hasTrailingSlash(to))) {
      throw fsError("ENOTDIR", "rename", from, to);
    }
    // lock_rename's trap: nothing moves below itself or replaces an ancestor of where it was.
    if (isWithin(dstParent.path, src.path)) throw fsError("EINVAL", "rename", from, to);
    if (dst.kind !== "missing" && isWithin(src.parent.path, dst.path)) {
      throw fsError("ENOTEMPTY", "rename", from, to);
    }
    if (dst.kind !== "missing") {
      if (dst.kind === "tree" && src.kind === "tree" && dst.ino === src.ino) return;
      if (dst.parent === null || this.mounts.has(dst.path)) throw fsError("EBUSY", "rename", from, to);
      const dstIsDir = nodeType(dst) === "directory";
      if (srcIsDir && !dstIsDir) throw fsError("ENOTDIR", "rename", from, to);
      if (!srcIsDir && dstIsDir) throw fsError("EISDIR", "rename", from, to);
    }
    this.requireDirWrite(src.parent, cred, "rename", from);
    this.requireDirWrite(dstParent, cred, "rename", to);
    this.requireSticky(src.parent, src, cred, "rename", from);
    if (dst.kind !== "missing") this.requireSticky(dstParent, dst, cred, "rename", to);

    const srcMount = src.kind === "mount" ? src.mount : null;
    const dstMount = dstParent.kind === "mount" ? dstParent.mount : null;
    if (srcMount !== dstMount) throw fsError("EXDEV", "rename", from, to);
    if (src.kind === "mount" && dstParent.kind === "mount") {
      const plugin = src.mount.plugin;
      if (!plugin.rename) throw fsError("ENOTSUP", "rename", from, to);
      await this.mountCall(
        src.mount,
        "rename",
        from,
        "rename",
        () => plugin.rename!(src.rel, joinPath(dstParent.rel, dstName)),
        to,
      );
      this.emit("rename", dstPath, nodeType(src), src.path);
      return;
    }
    const s = src as TreeNode;
    const sp = src.parent as TreeNode;
    const dp = dstParent as TreeNode;
    if (dst.kind === "tree") {
      if (nodeType(dst) === "directory") {
        if (this.inodes.list(dst.ino).length > 0) throw fsError("ENOTEMPTY", "rename", from, to);
        this.inodes.mutable(dp.ino).nlink -= 1;
      }
      this.inodes.removeEntry(dp.ino, dstName);
      this.unlinkInode(dst.ino);
    }
    this.inodes.removeEntry(sp.ino, s.name);
    this.inodes.setEntry(dp.ino, dstName, s.ino);
    if (srcIsDir && sp.ino !== dp.ino) {
      (this.inodes.mutable(s.ino) as DirRecord).parent = dp.ino;
      this.inodes.mutable(sp.ino).nlink -= 1;
      this.inodes.mutable(dp.ino).nlink += 1;
    }
    this.inodes.mutable(s.ino).ctimeMs = this.now();
    this.touchDir(sp.ino);
    if (dp.ino !== sp.ino) this.touchDir(dp.ino);
    this.emit("rename", dstPath, nodeType(src), src.path);
  }

  // ---------------------------------------------------------------- attributes

  async chmod(path: string, mode: number, cred: Credentials = ROOT, follow = true): Promise<void> {
    const n = await this.resolveExisting(path, { follow, syscall: "chmod", cred });
    this.requireWritableMount(n, "chmod", path);
    this.requireOwner(n, cred, "chmod", path);
    if (n.kind === "mount") {
      const plugin = n.mount.plugin;
      if (!plugin.chmod) throw fsError("ENOTSUP", "chmod", path);
      await this.mountCall(n.mount, "chmod", path, "chmod", () => plugin.chmod!(n.rel, mode & 0o7777));
    } else {
      const rec = this.inodes.mutable(n.ino);
      rec.mode = (rec.mode & S_IFMT) | (mode & 0o7777);
      rec.ctimeMs = this.now();
    }
    this.emit("modify", n.path, nodeType(n));
  }

  async chown(
    path: string,
    uid: number,
    gid: number,
    cred: Credentials = ROOT,
    follow = true,
  ): Promise<void> {
    const n = await this.resolveExisting(path, { follow, syscall: "chown", cred });
    this.requireWritableMount(n, "chown", path);
    const m = this.meta(n);
    const privileged = cred.privileged || cred.uid === 0;
    // POSIX: only root may give a file away; an owner may change the group to one of its own.
    if (
      !privileged &&
      ((uid !== -1 && uid !== m.uid) || m.uid !== cred.uid || (gid !== -1 && gid !== cred.gid))
    ) {
      throw fsError("EPERM", "chown", path);
    }
    if (n.kind === "mount") throw fsError("ENOTSUP", "chown", path);
    const rec = this.inodes.mutable(n.ino);
    if (uid !== -1) rec.uid = uid;
    if (gid !== -1) rec.gid = gid;
    rec.ctimeMs = this.now();
    this.emit("modify", n.path, nodeType(n));
  }

  /** Set access and modification times (ms). `undefined` leaves a time as it is. */
  async utimes(
    path: string,
    atimeMs: number | undefined,
    mtimeMs: number | undefined,
    cred: Credentials = ROOT,
    follow = true,
  ): Promise<void> {
    const n = await this.resolveExisting(path, { follow, syscall: "utime", cred });
    this.requireWritableMount(n, "utime", path);
    const m = this.meta(n);
    if (!(cred.privileged || cred.uid === 0 || cred.uid === m.uid)) {
      if (atimeMs !== undefined || mtimeMs !== undefined) throw fsError("EPERM", "utime", path);
      this.requireAccess(n, W, cred, "utime", path);
    }
    if (n.kind === "mount") {
      const plugin = n.mount.plugin;
      if (!plugin.utimes) throw fsError("ENOTSUP", "utime", path);
      await this.mountCall(n.mount, "utimes", path, "utime", () =>
        plugin.utimes!(n.rel, atimeMs ?? m.atimeMs, mtimeMs ?? m.mtimeMs),
      );
      return;
    }
    const rec = this.inodes.mutable(n.ino);
    const t = this.now();
    if (atimeMs !== undefined) rec.atimeMs = atimeMs;
    if (mtimeMs !== undefined) rec.mtimeMs = mtimeMs;
    rec.ctimeMs = t;
    this.emit("modify", n.path, nodeType(n));
  }

  private requireOwner(n: Node, cred: Credentials, syscall: string, path: string): void {
    if (cred.privileged || cred.uid === 0 || this.meta(n).uid === cred.uid) return;
    throw fsError("EPERM", syscall, path);
  }

  async truncate(path: string, size: number, cred: Credentials = ROOT): Promise<void> {
    const f = await this.open(path, { write: true }, 0o666, cred);
    try {
      await f.truncate(size);
    } finally {
      f.close();
    }
  }

  // ---------------------------------------------------------------- files

  /** Open a file (or directory, read-only) and return its open file description. */
  async open(path: string, flags: OpenFlags, mode = 0o666, cred: Credentials = ROOT): Promise<OpenFile> {
    const syscall = "open";
    if (flags.create && (hasTrailingSlash(path) || namesNoEntry(path))) {
      // open_last_lookups: with O_CREAT, `name/`, `.`, `..` and `/` can only be directories.
      await this.resolve(path, { follow: false, entry: true, syscall, cred });
      throw fsError("EISDIR", syscall, path);
    }
    // O_CREAT|O_EXCL never follows a symlink: a dangling one is EEXIST, not created through.
    const follow = !flags.noFollow && !(flags.create && flags.exclusive);
    const n = await this.resolve(path, { follow, syscall, cred });
    let node: Node;
    if (n.kind === "missing") {
      if (!flags.create) throw fsError("ENOENT", syscall, path);
      if (flags.directory) throw fsError("ENOENT", syscall, path);
      node = await this.createFile(n, mode, cred);
    } else {
      if (flags.create && flags.exclusive) throw fsError("EEXIST", syscall, path);
      const type = nodeType(n);
      if (type === "symlink") throw fsError("ELOOP", syscall, path);
      if (flags.directory && type !== "directory") throw fsError("ENOTDIR", syscall, path);
      const writing = flags.write || flags.append || flags.truncate;
      if (type === "directory" && writing) throw fsError("EISDIR", syscall, path);
      if (writing) this.requireWritableMount(n, syscall, path);
      const want = (flags.read || !writing ? R : 0) | (writing ? W : 0);
      this.requireAccess(n, want, cred, syscall, path);
      node = n;
      if (flags.truncate && type === "file") await this.truncateNode(n, 0, syscall, path);
    }
    const file = new OpenFile(this, node, flags, node.path);
    if (node.kind === "tree") this.openCount.set(node.ino, (this.openCount.get(node.ino) ?? 0) + 1);
    return file;
  }

  private async createFile(n: Missing, mode: number, cred: Credentials): Promise<Node> {
    const parent = n.parent;
    if (nodeType(parent) !== "directory") throw fsError("ENOTDIR", "open", n.path);
    this.requireDirWrite(parent, cred, "open", n.path);
    if (parent.kind === "mount") {
      const plugin = parent.mount.plugin;
      if (!plugin.create) throw fsError("ENOTSUP", "open", n.path);
      const rel = joinPath(parent.rel, n.name);
      await this.mountCall(parent.mount, "create", n.path, "open", () => plugin.create!(rel, mode & 0o7777));
      this.emit("create", n.path, "file");
      const st = await this.mountCall(parent.mount, "lstat", n.path, "open", () => plugin.lstat(rel));
      return { kind: "mount", mount: parent.mount, rel, st, path: n.path, name: n.name, parent };
    }
    const rec: FileRecord = {
      ...this.newMeta(S_IFREG, mode, cred, parent.rec),
      kind: "file",
      data: new Uint8Array(0),
      size: 0,
      shared: false,
    };
    const ino = this.createInTree(parent, n.name, rec, n.path, "open");
    return { kind: "tree", ino, rec, path: n.path, name: n.name, parent };
  }

  /** Called by OpenFile when the last reference to a description goes. */
  released(ino: number): void {
    const c = (this.openCount.get(ino) ?? 1) - 1;
    if (c > 0) {
      this.openCount.set(ino, c);
      return;
    }
    this.openCount.delete(ino);
    const rec = this.inodes.get(ino);
    if (rec && rec.nlink <= 0) this.inodes.drop(ino);
  }

  /** Writable file record for `ino`, with private storage of at least `capacity` bytes. */
  fileForWrite(ino: number, capacity: number): FileRecord {
    const rec = this.inodes.mutable(ino) as FileRecord;
    if (rec.shared || rec.data.length < capacity) {
      let cap = Math.max(capacity, rec.shared ? rec.size : 0);
      if (rec.data.length < capacity)
        cap = Math.max(capacity, Math.min(rec.data.length * 2, capacity + (64 << 20)));
      const data = new Uint8Array(cap);
      data.set(rec.data.subarray(0, rec.size));
      rec.data = data;
      rec.shared = false;
    }
    return rec;
  }

  async truncateNode(n: Node, size: number, syscall: string, path: string): Promise<void> {
    if (!Number.isSafeInteger(size) || size < 0) throw fsError("EINVAL", syscall, path);
    if (n.kind === "mount") {
      const plugin = n.mount.plugin;
      if (plugin.readOnly) throw fsError("EROFS", syscall, path);
      if (!plugin.truncate) throw fsError("ENOTSUP", syscall, path);
      await this.mountCall(n.mount, "truncate", path, syscall, () => plugin.truncate!(n.rel, size));
      this.emit("modify", n.path, "file");
      return;
    }
    const cur = this.inodes.get(n.ino);
    if (cur?.kind !== "file") {
      if (cur?.kind === "dir") throw fsError("EISDIR", syscall, path);
      return;
    }
    if (size === cur.size) {
      if (size === 0) this.touchFile(n.ino);
      return;
    }
    this.checkGrowth(cur.size, size, syscall, path);
    const rec = this.fileForWrite(n.ino, size);
    if (size < rec.size) rec.data.fill(0, size, rec.size);
    this.inodes.resized(rec.size, size);
    rec.size = size;
    this.touchFile(n.ino);
    this.emit("modify", n.path, "file");
  }

  private touchFile(ino: number): void {
    const rec = this.inodes.mutable(ino);
    const t = this.now();
    rec.mtimeMs = t;
    rec.ctimeMs = t;
  }

  /** Write into a tree file at `pos`; grows the file (zero-filling a gap). */
  writeTree(ino: number, pos: number, data: Uint8Array, path: string): number {
    const cur = this.inodes.get(ino);
    if (!cur) throw fsError("EBADF", "write", path);
    if (cur.kind === "chardev") return writeDevice(cur.rdev, data, path);
    if (cur.kind !== "file") throw fsError("EISDIR", "write", path);
    const end = pos + data.length;
    if (end > cur.size) this.checkGrowth(cur.size, end, "write", path);
    const rec = this.fileForWrite(ino, end);
    rec.data.set(data, pos);
    if (end > rec.size) {
      this.inodes.resized(rec.size, end);
      rec.size = end;
    }
    this.touchFile(ino);
    this.emit("modify", path, "file");
    return data.length;
  }

  readTree(ino: number, pos: number, length: number, path: string): Uint8Array {
    const cur = this.inodes.get(ino);
    if (!cur) throw fsError("EBADF", "read", path);
    if (cur.kind === "chardev") return readDevice(cur.rdev, length);
    if (cur.kind === "dir") throw fsError("EISDIR", "read", path);
    if (cur.kind !== "file") throw fsError("EINVAL", "read", path);
    if (pos >= cur.size) return new Uint8Array(0);
    return cur.data.slice(pos, Math.min(cur.size, pos + length));
  }

  fileSize(ino: number): number {
    const cur = this.inodes.get(ino);
    return cur?.kind === "file" ? cur.size : 0;
  }

  statNode(n: Node): VfsStat {
    if (n.kind === "tree") {
      const rec = this.inodes.get(n.ino);
      if (rec) return this.statOf({ ...n, rec });
    }
    return this.statOf(n);
  }

  async refreshMountNode(n: MountNode, syscall: string): Promise<MountNode> {
    const st = await this.mountCall(n.mount, "lstat", n.path, syscall, () => n.mount.plugin.lstat(n.rel));
    return { ...n, st };
  }

  listForHandle(n: Node, syscall: string): Promise<DirEntryWithCookie[]> {
    if (n.kind === "tree") {
      const rec = this.inodes.get(n.ino);
      if (rec) return this.listNode({ ...n, rec }, syscall, n.path);
    }
    return this.listNode(n, syscall, n.path);
  }

  emitModify(path: string): void {
    this.emit("modify", path, "file");
  }

  // ---------------------------------------------------------------- whole-file convenience

  async readFile(path: string, cred: Credentials = ROOT): Promise<Uint8Array> {
    const f = await this.open(path, { read: true }, 0, cred);
    try {
      if (f.node.kind === "tree") {
        const rec = this.inodes.get(f.node.ino);
        if (rec?.kind === "dir") throw fsError("EISDIR", "read", path);
        if (rec?.kind === "file") return rec.data.slice(0, rec.size);
        if (rec?.kind === "chardev" && rec.rdev !== DEV.null && rec.rdev !== DEV.tty) {
          throw new FsError("EFBIG", {
            syscall: "read",
            path,
            detail: "the device never reaches end of file",
          });
        }
      }
      return await f.readAll();
    } finally {
      f.close();
    }
  }

  async writeFile(
    path: string,
    data: Uint8Array | string,
    options: WriteFileOptions = {},
    cred: Credentials = ROOT,
  ): Promise<void> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    if (this.limits.maxBytes !== undefined || this.limits.maxFileSize !== undefined) {
      // A write that would break a limit fails before anything changes: no file emptied by
      // O_TRUNC, created empty, or given new parent directories.
      const st = await this.stat(path, cred).catch(() => undefined);
      if (st === undefined || st.type === "file") {
        const old = st?.size ?? 0;
        this.checkGrowth(old, options.append ? old + bytes.length : bytes.length, "write", path);
      }
    }
    if (options.createParents) {
      const abs = normalizePath(path);
      const parent = abs.slice(0, abs.lastIndexOf("/")) || "/";
      await this.mkdir(parent, { recursive: true, mode: options.dirMode ?? 0o777 }, cred);
    }
    const flags: OpenFlags = { write: true, create: true, truncate: !options.append, append: options.append };
    const f = await this.open(path, flags, options.mode ?? 0o666, cred);
    try {
      await f.write(bytes);
    } finally {
      f.close();
    }
  }

  /** Close every mount plugin (VM disposal). */
  async dispose(): Promise<void> {
    this.watchHub.clear();
    for (const m of this.mounts.values()) {
      try {
        await m.plugin.close?.();
      } catch {
        // Disposal continues past a failing plugin; nothing is left to report to.
      }
    }
  }
}

function hasTrailingSlash(path: string): boolean {
  return path.length > 1 && path.endsWith("/");
}

/** The last component as written; undefined for `/`. */
function lastName(path: string): string | undefined {
  return path
    .split("/")
    .filter((p) => p !== "")
    .pop();
}

/** True when the last component is `.` or `..`, or there is none (`/`): no entry can be named so. */
function namesNoEntry(path: string): boolean {
  const last = lastName(path);
  return last === undefined || last === "." || last === "..";
}

function fakeIno(rel: string): number {
  // Mount plugins need not have inode numbers; derive a stable one from the path (FNV-1a).
  let h = 0x811c9dc5;
  for (let i = 0; i < rel.length; i++) {
    h ^= rel.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h || 1;
}

function readDevice(rdev: number, length: number): Uint8Array {
  switch (rdev) {
    case DEV.zero:
    case DEV.full:
      return new Uint8Array(length);
    case DEV.random:
    case DEV.urandom:
      return randomFillSync(new Uint8Array(length));
    default:
      return new Uint8Array(0);
  }
}

function writeDevice(rdev: number, data: Uint8Array, path: string): number {
  if (rdev === DEV.full) throw fsError("ENOSPC", "write", path);
  return data.length;
}

export type { Node as VfsNode };

/**
 * An open file description (POSIX): the file, the access mode and a shared offset. `dup`ed file
 * descriptors share one of these; it is released when its last reference closes.
 */
export class OpenFile {
  position = 0;
  private refs = 1;
  private closed = false;
  private dirCache: { list: DirEntryWithCookie[] } | null = null;

  readonly vfs: Vfs;
  node: Node;
  readonly flags: OpenFlags;
  readonly path: string;

  constructor(vfs: Vfs, node: Node, flags: OpenFlags, path: string) {
    this.vfs = vfs;
    this.node = node;
    this.flags = flags;
    this.path = path;
  }

  get readable(): boolean {
    return !!this.flags.read || !(this.flags.write || this.flags.append);
  }

  get writable(): boolean {
    return !!(this.flags.write || this.flags.append);
  }

  get type(): FileType {
    return nodeType(this.node);
  }

  get isDevice(): boolean {
    return (
      this.node.kind === "tree" && ((this.vfs.inodes.get(this.node.ino)?.mode ?? 0) & S_IFMT) === S_IFCHR
    );
  }

  private ensureOpen(syscall: string): void {
    if (this.closed) throw fsError("EBADF", syscall, this.path);
  }

  /** Read up to `length` bytes at `position`, or at (and advancing) the shared offset. */
  async read(length: number, position?: number): Promise<Uint8Array> {
    this.ensureOpen("read");
    if (!this.readable) throw fsError("EBADF", "read", this.path);
    const pos = position ?? this.position;
    let out: Uint8Array;
    if (this.node.kind === "tree") {
      out = this.vfs.readTree(this.node.ino, pos, length, this.path);
    } else {
      if (this.node.st.type === "directory") throw fsError("EISDIR", "read", this.path);
      const { mount, rel } = this.node;
      try {
        out = await mount.plugin.read(rel, pos, length);
      } catch (err) {
        throw rebase(err, "read", this.path);
      }
    }
    if (position === undefined) this.position += out.length;
    return out;
  }

  async readAll(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = await this.read(1 << 20, total);
      if (chunk.length === 0) break;
      // /dev/zero and friends never end: refuse rather than fill the host's memory.
      if (total + chunk.length > READ_ALL_MAX) {
        throw new FsError("EFBIG", {
          syscall: "read",
          path: this.path,
          detail: `more than ${READ_ALL_MAX} bytes`,
        });
      }
      chunks.push(chunk);
      total += chunk.length;
    }
    return Buffer.concat(chunks, total);
  }

  /** Write at `position`, or at the shared offset (at end of file in append mode). */
  async write(data: Uint8Array, position?: number): Promise<number> {
    this.ensureOpen("write");
    if (!this.writable) throw fsError("EBADF", "write", this.path);
    const n = this.node;
    if (n.kind === "tree") {
      const pos = this.flags.append ? this.vfs.fileSize(n.ino) : (position ?? this.position);
      const written = this.vfs.writeTree(n.ino, pos, data, this.path);
      if (position === undefined || this.flags.append) this.position = pos + written;
      return written;
    }
    const plugin = n.mount.plugin;
    if (plugin.readOnly) throw fsError("EROFS", "write", this.path);
    if (!plugin.write) throw fsError("ENOTSUP", "write", this.path);
    let pos = position ?? this.position;
    if (this.flags.append) {
      this.node = await this.vfs.refreshMountNode(n, "write");
      pos = (this.node as MountNode).st.size;
    }
    try {
      await plugin.write(n.rel, pos, data);
    } catch (err) {
      throw rebase(err, "write", this.path);
    }
    if (position === undefined || this.flags.append) this.position = pos + data.length;
    this.vfs.emitModify(this.path);
    return data.length;
  }

  async truncate(size: number): Promise<void> {
    this.ensureOpen("ftruncate");
    if (!this.writable) throw fsError("EINVAL", "ftruncate", this.path);
    await this.vfs.truncateNode(this.node, size, "ftruncate", this.path);
  }

  async stat(): Promise<VfsStat> {
    this.ensureOpen("fstat");
    if (this.node.kind === "mount") this.node = await this.vfs.refreshMountNode(this.node, "fstat");
    return this.vfs.statNode(this.node);
  }

  /** lseek: whence 0 = SET, 1 = CUR, 2 = END. Returns the new offset. */
  async seek(offset: number, whence: 0 | 1 | 2): Promise<number> {
    this.ensureOpen("lseek");
    let base = 0;
    if (whence === 1) base = this.position;
    else if (whence === 2) base = (await this.stat()).size;
    const next = base + offset;
    if (!Number.isSafeInteger(next) || next < 0) throw fsError("EINVAL", "lseek", this.path);
    this.position = next;
    return next;
  }

  /**
   * Directory entries after `cookie` (0 = from the start). Cookies are stable: entries added or
   * removed meanwhile do not shift the position of the others.
   */
  async readdir(cookie = 0): Promise<DirEntryWithCookie[]> {
    this.ensureOpen("readdir");
    if (this.type !== "directory") throw fsError("ENOTDIR", "readdir", this.path);
    if (cookie === 0 || !this.dirCache)
      this.dirCache = { list: await this.vfs.listForHandle(this.node, "readdir") };
    const list = this.dirCache.list;
    if (cookie === 0) return list;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.cookie <= cookie) lo = mid + 1;
      else hi = mid;
    }
    return list.slice(lo);
  }

  /** Another reference (dup). */
  retain(): this {
    this.refs += 1;
    return this;
  }

  close(): void {
    if (this.closed) return;
    this.refs -= 1;
    if (this.refs > 0) return;
    this.closed = true;
    if (this.node.kind === "tree") this.vfs.released(this.node.ino);
  }
}
