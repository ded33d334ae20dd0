/**
 * The reference for the differential tests: Linux semantics over memfs storage. memfs keeps the data
 * (contents, modes, hard links), but its own path resolution and error checks differ from Linux in
 * many corners, so this model resolves every path itself, like Linux's namei (physical `..`, at most
 * 40 symlinks, trailing slashes), checks each operation's errors in the order the kernel does
 * (fs/namei.c), and hands memfs only canonical, symlink-free paths for the change itself. Each place
 * where memfs alone would give a non-Linux answer says so in a `memfs:` comment. `host-target.ts` runs
 * the same operations on the host's real filesystem, so a test keeps this model honest.
 */

import { Volume } from "memfs";
import { type FsTarget, type NormStat, normStat, type Op, type Outcome } from "./ops.ts";

type Kind = NormStat["type"];
type Found = { found: true; path: string; kind: Kind };
type Missing = { found: false; parent: string; name: string };
type Resolved = Found | Missing;
interface Parent {
  dir: string;
  last: string;
  /** Linux's LAST_NORM / LAST_DOT / LAST_DOTDOT / LAST_ROOT. */
  type: "norm" | "dot" | "dotdot" | "root";
  slash: boolean;
  links: { n: number };
}

class ModelError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(code);
    this.code = code;
  }
}

const fail = (code: string): never => {
  throw new ModelError(code);
};
const join = (dir: string, name: string) => (dir === "/" ? `/${name}` : `${dir}/${name}`);
const parentOf = (p: string) => p.slice(0, p.lastIndexOf("/")) || "/";
const within = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
/** Linux's MAXSYMLINKS. */
const MAX_SYMLINKS = 40;

export class LinuxModel implements FsTarget {
  private readonly fs: Volume["promises"];
  /** Set when `..` was taken at the root: Linux stays there, a host directory standing in for it would not. */
  climbedAboveRoot = false;

  /**
   * Permission bits by memfs inode. memfs: checks permission bits even for root, which Linux does not
   * (CAP_DAC_OVERRIDE), so every memfs node stays 0o777 and the model keeps the modes here.
   */
  private readonly modes = new Map<number, number>();

  constructor() {
    const vol = new Volume();
    this.fs = vol.promises;
    this.modes.set(Number(vol.statSync("/").ino), 0o755); // as the VFS's (and a typical Linux) root
  }

  private async setMode(path: string, mode: number): Promise<void> {
    this.modes.set(await this.inode(path), mode & 0o7777);
  }

  async inode(path: string): Promise<number> {
    return Number((await this.fs.lstat(path)).ino);
  }

  async apply(op: Op): Promise<Outcome> {
    try {
      return { ok: true, value: await this.run(op) };
    } catch (err) {
      if (err instanceof ModelError) return { ok: false, code: err.code };
      throw err;
    }
  }

  private async readlink(p: string): Promise<string> {
    return String(await this.fs.readlink(p));
  }

  private async kind(p: string): Promise<Kind | undefined> {
    try {
      const s = await this.fs.lstat(p);
      return s.isDirectory() ? "directory" : s.isSymbolicLink() ? "symlink" : "file";
    } catch {
      return undefined;
    }
  }

  /** Walk `comps` from the canonical directory `start`, like link_path_walk + walk_component. */
  private async walk(
    start: string,
    comps: string[],
    links: { n: number },
    followLast: boolean,
  ): Promise<Resolved> {
    let cur = start;
    let kind: Kind = "directory";
    for (let i = 0; i < comps.length; i++) {
      const c = comps[i]!;
      const last = i === comps.length - 1;
      // Every component, `.` and `..` included, is looked up in a directory: `file/..` is ENOTDIR.
      if (kind !== "directory") fail("ENOTDIR");
      if (c === ".") continue;
      if (c === "..") {
        if (cur === "/") this.climbedAboveRoot = true;
        cur = parentOf(cur);
        continue;
      }
      if (Buffer.byteLength(c) > 255) fail("ENAMETOOLONG");
      const p = join(cur, c);
      const k = await this.kind(p);
      if (k === undefined) {
        if (last) return { found: false, parent: cur, name: c };
        return fail("ENOENT");
      }
      if (k === "symlink" && (!last || followLast)) {
        if (++links.n > MAX_SYMLINKS) fail("ELOOP");
        const body = await this.readlink(p);
        const r = await this.walk(body.startsWith("/") ? "/" : cur, split(body), links, true);
        if (last) return r;
        if (!r.found) return fail("ENOENT");
        cur = r.path;
        kind = r.kind;
        continue;
      }
      cur = p;
      kind = k;
    }
    return { found: true, path: cur, kind };
  }

  /** path_lookupat: a trailing slash means "follow, and it must be a directory". */
  private async lookup(path: string, follow: boolean): Promise<Resolved> {
    if (path === "") fail("ENOENT");
    const slash = path.length > 1 && path.endsWith("/");
    const r = await this.walk("/", split(path), { n: 0 }, follow || slash);
    if (slash && r.found && r.kind !== "directory") fail("ENOTDIR");
    return r;
  }

  private async lookupExisting(path: string, follow: boolean): Promise<Found> {
    const r = await this.lookup(path, follow);
    if (!r.found) return fail("ENOENT");
    return r;
  }

  /** filename_parentat: resolve everything but the last component, which is classified. */
  private async parentAt(path: string): Promise<Parent> {
    if (path === "") fail("ENOENT");
    const slash = path.length > 1 && path.endsWith("/");
    const comps = split(path);
    const links = { n: 0 };
    if (comps.length === 0) return { dir: "/", last: "", type: "root", slash, links };
    const dir = await this.walk("/", comps.slice(0, -1), links, true);
    if (!dir.found) return fail("ENOENT");
    if (dir.kind !== "directory") fail("ENOTDIR");
    const last = comps[comps.length - 1]!;
    const type = last === "." ? "dot" : last === ".." ? "dotdot" : "norm";
    if (type === "dotdot" && dir.path === "/") this.climbedAboveRoot = true;
    return { dir: dir.path, last, type, slash, links };
  }

  private async statOf(r: Found): Promise<NormStat> {
    const s = await this.fs.lstat(r.path);
    if (r.kind === "symlink") {
      // memfs: a symlink's lstat has size 0 and mode 0o666; Linux says the target's length and 0o777.
      const target = await this.readlink(r.path);
      return normStat("symlink", Buffer.byteLength(target), Number(s.nlink), 0o777);
    }
    // memfs: a directory's nlink is not Linux's 2 + number of subdirectories.
    const nlink = r.kind === "directory" ? 2 + (await this.subdirs(r.path)) : Number(s.nlink);
    return normStat(r.kind, Number(s.size), nlink, this.modes.get(Number(s.ino)) ?? 0);
  }

  private async subdirs(dir: string): Promise<number> {
    let n = 0;
    for (const name of await this.names(dir)) if ((await this.kind(join(dir, name))) === "directory") n++;
    return n;
  }

  private async names(dir: string): Promise<string[]> {
    return ((await this.fs.readdir(dir)) as string[]).map(String);
  }

  private async run(op: Op): Promise<unknown> {
    switch (op.op) {
      case "writeFile":
      case "appendFile":
        return this.openCreate(op.path, op.data, op.op === "appendFile");
      case "readFile": {
        const r = await this.lookupExisting(op.path, true);
        if (r.kind === "directory") fail("EISDIR");
        return Buffer.from(await this.fs.readFile(r.path)).toString("latin1");
      }
      case "mkdir":
        return op.recursive ? this.mkdirRecursive(op.path, op.mode) : this.mkdir(op.path, op.mode);
      case "rmdir": {
        const p = await this.parentAt(op.path);
        if (p.type === "dotdot") fail("ENOTEMPTY");
        if (p.type === "dot") fail("EINVAL");
        if (p.type === "root") fail("EBUSY");
        const path = join(p.dir, p.last);
        const k = await this.kind(path);
        if (k === undefined) fail("ENOENT");
        if (k !== "directory") fail("ENOTDIR");
        if ((await this.names(path)).length > 0) fail("ENOTEMPTY");
        return void (await this.fs.rmdir(path));
      }
      case "unlink": {
        const p = await this.parentAt(op.path);
        if (p.type !== "norm") fail("EISDIR");
        const path = join(p.dir, p.last);
        const k = await this.kind(path);
        if (k === undefined) fail("ENOENT");
        // do_unlinkat: with a trailing slash the entry itself (not a symlink's target) must be a dir.
        if (k === "directory") fail("EISDIR");
        if (p.slash) fail("ENOTDIR");
        return void (await this.fs.unlink(path));
      }
      case "rename":
        return this.rename(op.from, op.to);
      case "link": {
        const src = await this.lookupExisting(op.existing, false);
        const path = await this.creatable(op.path);
        // memfs: links directories; Linux refuses (after checking the new name).
        if (src.kind === "directory") fail("EPERM");
        return void (await this.fs.link(src.path, path));
      }
      case "symlink":
        if (op.target === "") fail("ENOENT");
        // memfs: resolves to a Link object where Node (and Linux) return nothing.
        return void (await this.fs.symlink(op.target, await this.creatable(op.path)));
      case "readlink": {
        const r = await this.lookupExisting(op.path, false);
        if (r.kind !== "symlink") fail("EINVAL");
        return this.readlink(r.path);
      }
      case "stat":
      case "lstat":
        return this.statOf(await this.lookupExisting(op.path, op.op === "stat"));
      case "readdir": {
        const r = await this.lookupExisting(op.path, true);
        if (r.kind !== "directory") fail("ENOTDIR");
        const out: string[] = [];
        // memfs: a dirent for a dangling symlink says "directory"; lstat each entry instead.
        for (const name of await this.names(r.path))
          out.push(`${name}:${await this.kind(join(r.path, name))}`);
        return out.sort();
      }
      case "truncate": {
        const r = await this.lookupExisting(op.path, true);
        if (r.kind === "directory") fail("EISDIR");
        return void (await this.fs.truncate(r.path, op.size));
      }
      case "chmod":
        return this.setMode((await this.lookupExisting(op.path, true)).path, op.mode);
    }
  }

  /** open(O_CREAT) as writeFile/appendFile use it: follows a dangling symlink to create its target. */
  private async openCreate(path: string, data: string, append: boolean): Promise<void> {
    const p = await this.parentAt(path);
    // open_last_lookups: `.`/`..`/`/` are directories; with O_CREAT a trailing slash is EISDIR.
    if (p.type !== "norm" || p.slash) fail("EISDIR");
    const r = await this.walk(p.dir, [p.last], p.links, true);
    const target = r.found ? r.path : join(r.parent, r.name);
    if (r.found && r.kind === "directory") fail("EISDIR");
    if (append) await this.fs.appendFile(target, data, { mode: 0o777 });
    else await this.fs.writeFile(target, data, { mode: 0o777 });
    if (!r.found) await this.setMode(target, 0o666);
  }

  /** filename_create for a non-directory: the canonical path where the new entry goes. */
  private async creatable(path: string): Promise<string> {
    const p = await this.parentAt(path);
    if (p.type !== "norm") fail("EEXIST");
    const full = join(p.dir, p.last);
    if ((await this.kind(full)) !== undefined) fail("EEXIST");
    if (p.slash) fail("ENOENT");
    return full;
  }

  private async mkdir(path: string, mode: number): Promise<undefined> {
    const p = await this.parentAt(path);
    if (p.type !== "norm") fail("EEXIST");
    const full = join(p.dir, p.last);
    // memfs: follows a dangling symlink here; mkdir(2) never follows the last component.
    if ((await this.kind(full)) !== undefined) fail("EEXIST");
    await this.fs.mkdir(full, { mode: 0o777 });
    await this.setMode(full, mode);
    return undefined;
  }

  /**
   * `mkdir -p` from syscalls, as Node's recursive mkdir: mkdir each prefix; EEXIST on the last one
   * is fine if stat says directory, stat's error if it fails (a dangling symlink: ENOENT), else
   * EEXIST. A non-directory earlier fails the next mkdir on its own. Returns the first directory
   * created, as Node does.
   */
  private async mkdirRecursive(path: string, mode: number): Promise<string | undefined> {
    const comps = split(path);
    let first: string | undefined;
    for (let i = 1; i <= comps.length; i++) {
      const prefix = `/${comps.slice(0, i).join("/")}`;
      try {
        await this.mkdir(prefix, mode);
        first ??= prefix;
      } catch (err) {
        if (!(err instanceof ModelError) || err.code !== "EEXIST") throw err;
        if (i < comps.length) continue;
        if ((await this.lookupExisting(prefix, true)).kind !== "directory") fail("EEXIST");
      }
    }
    return first;
  }

  /** do_renameat2 + vfs_rename, in the kernel's order. */
  private async rename(from: string, to: string): Promise<void> {
    const op = await this.parentAt(from);
    const np = await this.parentAt(to);
    if (op.type !== "norm" || np.type !== "norm") fail("EBUSY");
    const src = join(op.dir, op.last);
    const dst = join(np.dir, np.last);
    const sk = await this.kind(src);
    if (sk === undefined) fail("ENOENT");
    const dk = await this.kind(dst);
    if (sk !== "directory" && (op.slash || np.slash)) fail("ENOTDIR");
    // lock_rename's trap: the source may not be an ancestor of the new parent, nor the target of the old.
    // memfs: moves a directory into itself (detaching it) instead of EINVAL.
    if (op.dir !== np.dir && within(np.dir, src)) fail("EINVAL");
    if (op.dir !== np.dir && within(op.dir, dst)) fail("ENOTEMPTY");
    if (dk !== undefined) {
      // memfs: renaming one hard link onto another removes the source; POSIX says do nothing.
      if ((await this.inode(src)) === (await this.inode(dst))) return;
      // memfs: replaces a directory by a file and a file by a directory.
      if (sk === "directory" && dk !== "directory") fail("ENOTDIR");
      if (sk !== "directory" && dk === "directory") fail("EISDIR");
      if (dk === "directory" && (await this.names(dst)).length > 0) fail("ENOTEMPTY");
      // memfs: cannot rename a directory over an empty one; remove it first (rename is atomic, the
      // end state is the same).
      if (dk === "directory") await this.fs.rmdir(dst);
      else await this.fs.unlink(dst);
    }
    if (sk === "directory") return void (await this.fs.rename(src, dst));
    // memfs: rename follows a symlink source (rename(2) never does); moving a non-directory as
    // link + unlink keeps its inode, as rename does.
    await this.fs.link(src, dst);
    await this.fs.unlink(src);
  }
}

function split(path: string): string[] {
  return path.split("/").filter((c) => c !== "");
}
