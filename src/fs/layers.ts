/**
 * Layered inode storage. A VM's filesystem is a chain of layers: a shared read-only base image at
 * the bottom, zero or more frozen layers (from forks and restored snapshots) and one writable upper
 * layer on top. Each layer maps inode numbers to records; a record in a higher layer shadows the same
 * inode below ("copy-up"). Directory records hold only the entries that changed in their layer plus
 * whiteouts, and are *opaque* when they hold the whole listing, so copying a directory up is O(1).
 *
 * Inode numbers, not paths, are the unit of copy-up: hard links and open file descriptions keep
 * working across layers. Frozen layers are never mutated, so any number of VMs can share them.
 */

import type { FileType } from "./types.ts";

/** Directory slot whose inode is this number is a whiteout: the name is deleted in this layer. */
export const WHITEOUT = 0;
export const ROOT_INO = 1;

export interface InodeMeta {
  /** st_mode: type bits and permission bits. */
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
}

export interface FileRecord extends InodeMeta {
  kind: "file";
  /** Storage; `data.length >= size`. May be shared with a lower layer or a snapshot buffer. */
  data: Uint8Array;
  size: number;
  /** True when `data` is shared and must be copied before the first write. */
  shared: boolean;
}

export interface DirSlot {
  /** Inode number, or WHITEOUT. */
  ino: number;
  /** Insertion sequence number: orders the listing and serves as a stable readdir cookie. */
  seq: number;
}

export interface DirRecord extends InodeMeta {
  kind: "dir";
  entries: Map<string, DirSlot>;
  /** True when `entries` is the complete listing and lower layers must not be consulted. */
  opaque: boolean;
  /** Inode of the parent directory (the root is its own parent). */
  parent: number;
}

export interface SymlinkRecord extends InodeMeta {
  kind: "symlink";
  target: string;
}

export interface DeviceRecord extends InodeMeta {
  kind: "chardev";
  rdev: number;
}

export type InodeRecord = FileRecord | DirRecord | SymlinkRecord | DeviceRecord;

let layerCounter = 0;

function newLayerId(): string {
  layerCounter += 1;
  const rand = Math.floor(Math.random() * 0xffffffff)
    .toString(16)
    .padStart(8, "0");
  return `L${Date.now().toString(36)}-${layerCounter.toString(36)}-${rand}`;
}

/** Totals of the merged view at the top of a layer, kept so limits need no scan. */
export interface UsageTotals {
  bytes: number;
  inodes: number;
}

export class Layer {
  readonly id: string;
  readonly parent: Layer | null;
  readonly depth: number;
  /** `null` marks an inode deleted in this layer. */
  readonly records = new Map<number, InodeRecord | null>();
  frozen = false;
  nextIno: number;
  nextSeq: number;
  usage: UsageTotals;

  constructor(parent: Layer | null, id?: string) {
    this.id = id ?? newLayerId();
    this.parent = parent;
    this.depth = parent ? parent.depth + 1 : 0;
    this.nextIno = parent ? parent.nextIno : ROOT_INO + 1;
    this.nextSeq = parent ? parent.nextSeq : 1;
    this.usage = parent ? { ...parent.usage } : { bytes: 0, inodes: 0 };
  }

  /** Layers from this one down to the bottom. */
  *chain(): Generator<Layer> {
    for (let l: Layer | null = this; l; l = l.parent) yield l;
  }
}

export function isDir(r: InodeRecord): r is DirRecord {
  return r.kind === "dir";
}

function copyRecord(r: InodeRecord): InodeRecord {
  switch (r.kind) {
    case "file":
      return { ...r, shared: true };
    case "dir":
      // Copy-up of a directory is O(1): the new record starts empty and non-opaque.
      return { ...r, entries: new Map(), opaque: false };
    default:
      return { ...r };
  }
}

/**
 * One VM's view of a chain of layers, with the only writable layer on top. All mutation goes
 * through `mutable()` (copy-up) and the entry helpers, so callers never see which layer holds what.
 */
export class LayeredInodes {
  upper: Layer;
  /** Frozen-layer lookups, valid until the chain below `upper` changes (fork). */
  private lowerCache = new Map<number, InodeRecord | null>();

  constructor(lower: Layer) {
    if (!lower.frozen) throw new Error("LayeredInodes: the lower layer must be frozen");
    this.upper = new Layer(lower);
  }

  get usage(): UsageTotals {
    return this.upper.usage;
  }

  get(ino: number): InodeRecord | undefined {
    const top = this.upper.records.get(ino);
    if (top !== undefined) return top ?? undefined;
    return this.getLower(ino) ?? undefined;
  }

  private getLower(ino: number): InodeRecord | null {
    const cached = this.lowerCache.get(ino);
    if (cached !== undefined) return cached;
    let found: InodeRecord | null = null;
    for (let l = this.upper.parent; l; l = l.parent) {
      const r = l.records.get(ino);
      if (r !== undefined) {
        found = r;
        break;
      }
    }
    this.lowerCache.set(ino, found);
    return found;
  }

  /** The record in the upper layer, copied up first if it lives below. */
  mutable(ino: number): InodeRecord {
    const top = this.upper.records.get(ino);
    if (top) return top;
    const lower = top === null ? null : this.getLower(ino);
    if (!lower) throw new Error(`LayeredInodes: no inode ${ino}`);
    const copy = copyRecord(lower);
    this.upper.records.set(ino, copy);
    return copy;
  }

  allocIno(): number {
    const ino = this.upper.nextIno;
    this.upper.nextIno += 1;
    return ino;
  }

  insert(ino: number, record: InodeRecord): void {
    this.upper.records.set(ino, record);
    this.upper.usage.inodes += 1;
    if (record.kind === "file") this.upper.usage.bytes += record.size;
  }

  /** Forget an inode whose last link and last open reference are gone. */
  drop(ino: number): void {
    const r = this.get(ino);
    if (!r) return;
    this.upper.usage.inodes -= 1;
    if (r.kind === "file") this.upper.usage.bytes -= r.size;
    if (this.getLower(ino)) this.upper.records.set(ino, null);
    else this.upper.records.delete(ino);
  }

  /** Look a name up in a directory across layers. */
  lookup(dirIno: number, name: string): number | undefined {
    const top = this.upper.records.get(dirIno);
    if (top === null) return undefined;
    if (top !== undefined) {
      const r = lookupIn(top, name);
      if (r !== null) return r;
    }
    return this.lookupLower(dirIno, name);
  }

  private lookupLower(dirIno: number, name: string): number | undefined {
    for (let l = this.upper.parent; l; l = l.parent) {
      const r = l.records.get(dirIno);
      if (r === undefined) continue;
      if (r === null) return undefined;
      const hit = lookupIn(r, name);
      if (hit !== null) return hit;
    }
    return undefined;
  }

  setEntry(dirIno: number, name: string, ino: number): void {
    const dir = this.mutable(dirIno) as DirRecord;
    const seq = this.upper.nextSeq++;
    dir.entries.set(name, { ino, seq });
  }

  removeEntry(dirIno: number, name: string): void {
    const dir = this.mutable(dirIno) as DirRecord;
    if (!dir.opaque && this.lookupLower(dirIno, name) !== undefined) {
      dir.entries.set(name, { ino: WHITEOUT, seq: this.upper.nextSeq++ });
    } else {
      dir.entries.delete(name);
    }
  }

  /** The merged listing of a directory, in insertion (seq) order. */
  list(dirIno: number): Array<[string, DirSlot]> {
    const seen = new Set<string>();
    const out: Array<[string, DirSlot]> = [];
    let sorted = true;
    for (const layer of this.upper.chain()) {
      const r = layer.records.get(dirIno);
      if (r === undefined) continue;
      if (r === null || r.kind !== "dir") break;
      for (const [name, slot] of r.entries) {
        if (seen.has(name)) continue;
        seen.add(name);
        if (slot.ino !== WHITEOUT) {
          const last = out[out.length - 1];
          if (last && last[1].seq > slot.seq) sorted = false;
          out.push([name, slot]);
        }
      }
      if (r.opaque) break;
    }
    if (!sorted) out.sort((a, b) => a[1].seq - b[1].seq);
    return out;
  }

  /** Freeze the upper layer and continue on a fresh one above it. Returns the frozen layer. */
  freeze(): Layer {
    const frozen = this.upper;
    frozen.frozen = true;
    this.upper = new Layer(frozen);
    this.lowerCache = new Map();
    return frozen;
  }

  /** Account for a file's size change. */
  resized(oldSize: number, newSize: number): void {
    this.upper.usage.bytes += newSize - oldSize;
  }
}

function lookupIn(r: InodeRecord, name: string): number | undefined | null {
  if (r.kind !== "dir") return undefined;
  const slot = r.entries.get(name);
  if (slot) return slot.ino === WHITEOUT ? undefined : slot.ino;
  return r.opaque ? undefined : null;
}

export function recordType(r: InodeRecord): FileType {
  return r.kind === "dir" ? "directory" : r.kind;
}
