/** Drives the system under test, `Vfs`, with the differential tests' operations. */

import { FsError } from "../../../src/fs/errors.ts";
import { type Credentials, ROOT, type Vfs } from "../../../src/fs/vfs.ts";
import { type FsTarget, normStat, type Op, type Outcome, pathsOf } from "./ops.ts";

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

export interface VfsTargetOptions {
  cred?: Credentials;
  /** Root entries to leave out of listings (a base image's /bin, /etc…), so models see only theirs. */
  hideAtRoot?: ReadonlySet<string>;
  /** Subdirectories hidden at the root, subtracted from the root's nlink. */
  hiddenRootDirs?: number;
}

export class VfsTarget implements FsTarget {
  readonly vfs: Vfs;
  private readonly cred: Credentials;
  private readonly hide: ReadonlySet<string>;
  private readonly hiddenRootDirs: number;
  private rootIno: number | undefined;

  constructor(vfs: Vfs, options: VfsTargetOptions = {}) {
    this.vfs = vfs;
    this.cred = options.cred ?? ROOT;
    this.hide = options.hideAtRoot ?? new Set();
    this.hiddenRootDirs = options.hiddenRootDirs ?? 0;
  }

  /** Options that hide whatever is at the root of `vfs` now (a fresh VM's base image entries). */
  static async hidingRootOf(vfs: Vfs): Promise<VfsTargetOptions> {
    const entries = await vfs.readdir("/");
    return {
      hideAtRoot: new Set(entries.map((e) => e.name)),
      hiddenRootDirs: entries.filter((e) => e.type === "directory").length,
    };
  }

  async inode(path: string): Promise<number> {
    return (await this.vfs.lstat(path, this.cred)).ino;
  }

  async apply(op: Op): Promise<Outcome> {
    try {
      return { ok: true, value: await this.run(op) };
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      // Every error names what it was about (POSIX tools print it; agents read it). `mkdir -p` names
      // the directory it could not create, as coreutils does.
      const named = op.op === "mkdir" && op.recursive ? prefixes(op.path) : pathsOf(op);
      if (!named.some((p) => err.message.includes(`'${p}'`))) {
        throw new Error(`error message does not name the path: ${err.message}`);
      }
      return { ok: false, code: err.code };
    }
  }

  private async run(op: Op): Promise<unknown> {
    const { vfs, cred } = this;
    switch (op.op) {
      case "writeFile":
        return void (await vfs.writeFile(op.path, op.data, {}, cred));
      case "appendFile":
        return void (await vfs.writeFile(op.path, op.data, { append: true }, cred));
      case "readFile":
        return text(await vfs.readFile(op.path, cred));
      case "mkdir":
        return vfs.mkdir(op.path, { recursive: op.recursive, mode: op.mode }, cred);
      case "rmdir":
        return vfs.rmdir(op.path, cred);
      case "unlink":
        return vfs.unlink(op.path, cred);
      case "rename":
        return vfs.rename(op.from, op.to, cred);
      case "link":
        return vfs.link(op.existing, op.path, cred);
      case "symlink":
        return vfs.symlink(op.target, op.path, cred);
      case "readlink":
        return vfs.readlink(op.path, cred);
      case "stat":
      case "lstat": {
        const st = op.op === "stat" ? await vfs.stat(op.path, cred) : await vfs.lstat(op.path, cred);
        if (st.type !== "file" && st.type !== "directory" && st.type !== "symlink") {
          throw new Error(`unexpected file type ${st.type}`);
        }
        this.rootIno ??= (await vfs.stat("/", cred)).ino;
        const nlink = st.ino === this.rootIno ? st.nlink - this.hiddenRootDirs : st.nlink;
        return normStat(st.type, st.size, nlink, st.mode);
      }
      case "readdir": {
        const entries = await vfs.readdir(op.path, cred);
        const atRoot = this.hide.size > 0 && (await vfs.realpath(op.path, cred)) === "/";
        return entries
          .filter((e) => !(atRoot && this.hide.has(e.name)))
          .map((e) => `${e.name}:${e.type}`)
          .sort();
      }
      case "truncate":
        return vfs.truncate(op.path, op.size, cred);
      case "chmod":
        return vfs.chmod(op.path, op.mode, cred);
    }
  }
}

function prefixes(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}`);
}
