/**
 * The differential operations on the host's real filesystem, inside a temporary directory that stands
 * in for `/`. Used only to check the model against Linux itself (the host must be Linux, running as
 * root so that, like the VFS's privileged credential, permission bits never refuse anything).
 * Absolute symlink targets are rebased into the directory; `..` at its top would escape it, which is
 * why that test skips operations where the model reports `climbedAboveRoot`.
 */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type FsTarget, normStat, type Op, type Outcome } from "./ops.ts";

export class HostTarget implements FsTarget {
  private readonly sandbox: string;
  readonly base: string;

  constructor() {
    this.sandbox = fs.mkdtempSync(path.join(os.tmpdir(), "agentos-fs-oracle-"));
    // A few levels deep, so that even a `..` the model failed to flag stays inside the sandbox.
    this.base = path.join(this.sandbox, "1", "2", "3", "root");
    fs.mkdirSync(this.base, { recursive: true, mode: 0o755 });
    fs.chmodSync(this.base, 0o755);
  }

  /** False for operations on the root's own entry, which the stand-in directory has and `/` has not. */
  static canEmulate(op: Op): boolean {
    if (op.op === "rmdir") return op.path !== "/";
    if (op.op === "rename") return op.from !== "/" && op.to !== "/";
    return true;
  }

  dispose(): void {
    fs.rmSync(this.sandbox, { recursive: true, force: true });
  }

  private p(vmPath: string): string {
    return vmPath.startsWith("/") ? this.base + vmPath : vmPath;
  }

  async inode(vmPath: string): Promise<number> {
    return fs.lstatSync(this.p(vmPath)).ino;
  }

  async apply(op: Op): Promise<Outcome> {
    try {
      return { ok: true, value: this.run(op) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (typeof code !== "string" || !code.startsWith("E")) throw err;
      return { ok: false, code };
    }
  }

  private run(op: Op): unknown {
    switch (op.op) {
      case "writeFile":
        return fs.writeFileSync(this.p(op.path), op.data, { mode: 0o666 });
      case "appendFile":
        return fs.appendFileSync(this.p(op.path), op.data, { mode: 0o666 });
      case "readFile":
        return fs.readFileSync(this.p(op.path)).toString("latin1");
      case "mkdir":
        return op.recursive ? this.mkdirRecursive(op.path, op.mode) : fs.mkdirSync(this.p(op.path), op.mode);
      case "rmdir":
        return fs.rmdirSync(this.p(op.path));
      case "unlink":
        return fs.unlinkSync(this.p(op.path));
      case "rename":
        return fs.renameSync(this.p(op.from), this.p(op.to));
      case "link":
        return fs.linkSync(this.p(op.existing), this.p(op.path));
      case "symlink":
        return fs.symlinkSync(this.p(op.target), this.p(op.path));
      case "readlink": {
        const t = fs.readlinkSync(this.p(op.path));
        return t === this.base ? "/" : t.startsWith(`${this.base}/`) ? t.slice(this.base.length) : t;
      }
      case "stat":
      case "lstat": {
        const s = op.op === "stat" ? fs.statSync(this.p(op.path)) : fs.lstatSync(this.p(op.path));
        const type = s.isDirectory() ? "directory" : s.isSymbolicLink() ? "symlink" : "file";
        // A symlink to the root was rebased: report the length of the target as the VM sees it.
        const size =
          type === "symlink" ? Buffer.byteLength(this.run({ ...op, op: "readlink" }) as string) : s.size;
        return normStat(type, size, s.nlink, s.mode);
      }
      case "readdir":
        return fs
          .readdirSync(this.p(op.path), { withFileTypes: true })
          .map((d) => `${d.name}:${d.isDirectory() ? "directory" : d.isSymbolicLink() ? "symlink" : "file"}`)
          .sort();
      case "truncate":
        return fs.truncateSync(this.p(op.path), op.size);
      case "chmod":
        return fs.chmodSync(this.p(op.path), op.mode);
    }
  }

  /**
   * `mkdir -p` from syscalls, as in the model: Node's own recursive mkdir agrees on the last
   * component but has quirks of its own for a dangling symlink earlier in the path.
   */
  private mkdirRecursive(vmPath: string, mode: number): string | undefined {
    const comps = vmPath.split("/").filter(Boolean);
    let first: string | undefined;
    for (let i = 1; i <= comps.length; i++) {
      const prefix = `/${comps.slice(0, i).join("/")}`;
      try {
        fs.mkdirSync(this.p(prefix), mode);
        first ??= prefix;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        if (i < comps.length) continue;
        if (!fs.statSync(this.p(prefix)).isDirectory()) throw err;
      }
    }
    return first;
  }
}
