/** A process's file descriptor table: small integers → shared open file descriptions. */

import { Errno } from "./abi.ts";
import type { Description } from "./descriptions.ts";
import { kerr } from "./errors.ts";

export interface FdEntry {
  desc: Description;
  cloexec: boolean;
}

export const DEFAULT_MAX_FDS = 1024;

export class FdTable {
  private readonly entries = new Map<number, FdEntry>();
  readonly maxFds: number;

  constructor(maxFds = DEFAULT_MAX_FDS) {
    this.maxFds = maxFds;
  }

  get size(): number {
    return this.entries.size;
  }

  get(fd: number): FdEntry {
    const e = this.entries.get(fd);
    if (!e) throw kerr(Errno.BADF, `bad file descriptor ${fd}`);
    return e;
  }

  has(fd: number): boolean {
    return this.entries.has(fd);
  }

  desc(fd: number): Description {
    return this.get(fd).desc;
  }

  /** Install `desc` (whose reference the table takes over) at the lowest free fd ≥ `min`. */
  add(desc: Description, cloexec = false, min = 0): number {
    let fd = min;
    while (this.entries.has(fd)) fd++;
    if (fd >= this.maxFds) {
      desc.release();
      throw kerr(Errno.MFILE, `too many open files (limit ${this.maxFds})`);
    }
    this.entries.set(fd, { desc, cloexec });
    return fd;
  }

  /** Install at exactly `fd`, closing what was there. */
  set(fd: number, desc: Description, cloexec = false): void {
    if (fd < 0 || fd >= this.maxFds) {
      desc.release();
      throw kerr(Errno.BADF);
    }
    const old = this.entries.get(fd);
    this.entries.set(fd, { desc, cloexec });
    old?.desc.release();
  }

  close(fd: number): void {
    const e = this.get(fd);
    this.entries.delete(fd);
    e.desc.release();
  }

  dup(fd: number, min = 0): number {
    const e = this.get(fd);
    return this.add(e.desc.retain(), false, min);
  }

  dup2(fd: number, target: number): void {
    const e = this.get(fd);
    if (fd === target) {
      // dup2 onto itself is a no-op, but posix_spawn's adddup2 clears CLOEXEC (POSIX 2024).
      e.cloexec = false;
      return;
    }
    this.set(target, e.desc.retain(), false);
  }

  /** A copy for a child (posix_spawn): every description gains a reference. */
  clone(): FdTable {
    const t = new FdTable(this.maxFds);
    for (const [fd, e] of this.entries) t.entries.set(fd, { desc: e.desc.retain(), cloexec: e.cloexec });
    return t;
  }

  closeOnExec(): void {
    for (const [fd, e] of this.entries) {
      if (e.cloexec) {
        this.entries.delete(fd);
        e.desc.release();
      }
    }
  }

  closeFrom(min: number): void {
    for (const [fd, e] of this.entries) {
      if (fd >= min) {
        this.entries.delete(fd);
        e.desc.release();
      }
    }
  }

  closeAll(): void {
    for (const e of this.entries.values()) e.desc.release();
    this.entries.clear();
  }

  fds(): number[] {
    return [...this.entries.keys()].sort((a, b) => a - b);
  }
}
