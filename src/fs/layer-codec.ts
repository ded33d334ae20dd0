/**
 * Encodes the layers of a VM above a named ancestor as one flattened delta layer, and decodes it
 * back. File contents go to a content-addressed blob table (SHA-256), so identical files are stored
 * once; decoded files point into one private copy of the blob section without copying again
 * (copy-on-write on first write). Not into the caller's bytes: those may be reused or changed.
 *
 * Sections: `FSLY` (layer header: ids, counters, usage) · `INOD` (inode records) · `BLOB` (contents).
 */

import { createHash } from "node:crypto";
import {
  type DirRecord,
  type DirSlot,
  type InodeRecord,
  Layer,
  type LayeredInodes,
  ROOT_INO,
  WHITEOUT,
} from "./layers.ts";
import { ByteReader, ByteWriter, type Section, SnapshotError } from "./snapshot.ts";

const KIND = { tombstone: 0, file: 1, dir: 2, symlink: 3, chardev: 4 } as const;
const NO_BLOB = 0xffffffff;

export interface LayerHeader {
  /** Id of the layer this delta sits on, or null for a self-contained (full) snapshot. */
  parentId: string | null;
  /** Id given to the decoded layer, so later snapshots can be deltas against it. */
  layerId: string;
  nextIno: number;
  nextSeq: number;
  bytes: number;
  inodes: number;
}

/** Merge every layer above `stop` (exclusive; null = down to the bottom) into one record map. */
function flatten(inodes: LayeredInodes, stop: Layer | null): Map<number, InodeRecord | null> {
  const out = new Map<number, InodeRecord | null>();
  const openDirs = new Set<number>(); // merged dirs still waiting for lower entries
  for (const layer of inodes.upper.chain()) {
    if (layer === stop) break;
    for (const [ino, rec] of layer.records) {
      if (!out.has(ino)) {
        if (rec && rec.kind === "dir") {
          out.set(ino, { ...rec, entries: new Map(rec.entries) });
          if (!rec.opaque) openDirs.add(ino);
        } else {
          out.set(ino, rec);
        }
        continue;
      }
      if (!openDirs.has(ino)) continue;
      const merged = out.get(ino) as DirRecord;
      if (rec?.kind !== "dir") {
        openDirs.delete(ino);
        continue;
      }
      for (const [name, slot] of rec.entries) if (!merged.entries.has(name)) merged.entries.set(name, slot);
      if (rec.opaque) {
        merged.opaque = true;
        openDirs.delete(ino);
      }
    }
  }
  // An opaque directory needs no whiteouts; a full snapshot has nothing below to white out.
  for (const rec of out.values()) {
    if (rec?.kind === "dir" && (rec.opaque || stop === null)) {
      rec.opaque = rec.opaque || stop === null;
      for (const [name, slot] of rec.entries) if (slot.ino === WHITEOUT) rec.entries.delete(name);
    }
  }
  if (stop === null) for (const [ino, rec] of out) if (rec === null) out.delete(ino);
  return out;
}

export function encodeLayers(inodes: LayeredInodes, stop: Layer | null, layerId: string): Section[] {
  const records = flatten(inodes, stop);
  const blobs = new ByteWriter();
  const blobIndex = new Map<string, number>();
  let blobCount = 0;
  const inod = new ByteWriter();
  inod.u32(records.size);
  for (const [ino, rec] of records) {
    inod.u32(ino);
    if (!rec) {
      inod.u8(KIND.tombstone);
      continue;
    }
    inod.u8(KIND[rec.kind]);
    inod.u32(rec.mode);
    inod.u32(rec.uid);
    inod.u32(rec.gid);
    inod.u32(rec.nlink);
    inod.f64(rec.atimeMs);
    inod.f64(rec.mtimeMs);
    inod.f64(rec.ctimeMs);
    inod.f64(rec.birthtimeMs);
    switch (rec.kind) {
      case "file": {
        if (rec.size === 0) {
          inod.u32(NO_BLOB);
          break;
        }
        const content = rec.data.subarray(0, rec.size);
        const hash = createHash("sha256").update(content).digest();
        const key = hash.toString("hex");
        let index = blobIndex.get(key);
        if (index === undefined) {
          index = blobCount++;
          blobIndex.set(key, index);
          blobs.raw(hash);
          blobs.bytes(content);
        }
        inod.u32(index);
        break;
      }
      case "dir":
        inod.u8(rec.opaque ? 1 : 0);
        inod.u32(rec.parent);
        inod.u32(rec.entries.size);
        for (const [name, slot] of rec.entries) {
          inod.str(name);
          inod.u32(slot.ino);
          inod.f64(slot.seq);
        }
        break;
      case "symlink":
        inod.str(rec.target);
        break;
      case "chardev":
        inod.u32(rec.rdev);
        break;
    }
  }
  const blobSection = new ByteWriter();
  blobSection.u32(blobCount);
  blobSection.raw(blobs.finish());
  const upper = inodes.upper;
  const header: LayerHeader = {
    parentId: stop ? stop.id : null,
    layerId,
    nextIno: upper.nextIno,
    nextSeq: upper.nextSeq,
    bytes: upper.usage.bytes,
    inodes: upper.usage.inodes,
  };
  return [
    { tag: "FSLY", data: new TextEncoder().encode(JSON.stringify(header)) },
    { tag: "INOD", data: inod.finish() },
    { tag: "BLOB", data: blobSection.finish() },
  ];
}

export function readLayerHeader(sections: Map<string, Uint8Array>): LayerHeader {
  const raw = sections.get("FSLY");
  if (!raw) throw new SnapshotError("ESNAPSHOT_CORRUPT", "missing filesystem section FSLY");
  let h: LayerHeader;
  try {
    h = JSON.parse(new TextDecoder().decode(raw)) as LayerHeader;
  } catch {
    throw new SnapshotError("ESNAPSHOT_CORRUPT", "FSLY section is not valid JSON");
  }
  const ints = [h.nextIno, h.nextSeq, h.bytes, h.inodes];
  if (typeof h.layerId !== "string" || !ints.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new SnapshotError("ESNAPSHOT_CORRUPT", "FSLY section has invalid fields");
  }
  return h;
}

/**
 * Decode the delta into a new frozen layer over `parent`. Everything is validated before the layer
 * exists, so a bad snapshot never yields a half-built filesystem.
 */
export function decodeLayer(
  sections: Map<string, Uint8Array>,
  parent: Layer | null,
  header: LayerHeader,
): Layer {
  // Copied once: the restored layer must not change when the caller reuses its snapshot buffer.
  const blobData = sections.get("BLOB")?.slice();
  const inodData = sections.get("INOD");
  if (!blobData || !inodData) throw new SnapshotError("ESNAPSHOT_CORRUPT", "missing INOD or BLOB section");
  const blobs: Uint8Array[] = [];
  const br = new ByteReader(blobData, "BLOB");
  const blobCount = br.u32();
  for (let i = 0; i < blobCount; i++) {
    const hash = br.raw(32);
    const content = br.bytes();
    if (!Buffer.from(hash).equals(createHash("sha256").update(content).digest())) {
      throw new SnapshotError("ESNAPSHOT_CORRUPT", `blob ${i} does not match its hash`);
    }
    blobs.push(content);
  }
  const records = new Map<number, InodeRecord | null>();
  const r = new ByteReader(inodData, "INOD");
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const ino = r.u32();
    const kind = r.u8();
    if (ino === WHITEOUT) throw new SnapshotError("ESNAPSHOT_CORRUPT", "inode number 0");
    if (kind === KIND.tombstone) {
      records.set(ino, null);
      continue;
    }
    const meta = {
      mode: r.u32(),
      uid: r.u32(),
      gid: r.u32(),
      nlink: r.u32(),
      atimeMs: r.f64(),
      mtimeMs: r.f64(),
      ctimeMs: r.f64(),
      birthtimeMs: r.f64(),
    };
    switch (kind) {
      case KIND.file: {
        const index = r.u32();
        let data: Uint8Array = new Uint8Array(0);
        if (index !== NO_BLOB) {
          const blob = blobs[index];
          if (!blob) throw new SnapshotError("ESNAPSHOT_CORRUPT", `inode ${ino} names missing blob ${index}`);
          data = blob;
        }
        records.set(ino, { ...meta, kind: "file", data, size: data.length, shared: true });
        break;
      }
      case KIND.dir: {
        const opaque = r.u8() === 1;
        const parentIno = r.u32();
        const n = r.u32();
        const entries = new Map<string, DirSlot>();
        for (let k = 0; k < n; k++) {
          const name = r.str();
          if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
            throw new SnapshotError(
              "ESNAPSHOT_CORRUPT",
              `invalid name ${JSON.stringify(name)} in inode ${ino}`,
            );
          }
          entries.set(name, { ino: r.u32(), seq: r.f64() });
        }
        records.set(ino, { ...meta, kind: "dir", entries, opaque, parent: parentIno });
        break;
      }
      case KIND.symlink:
        records.set(ino, { ...meta, kind: "symlink", target: r.str() });
        break;
      case KIND.chardev:
        records.set(ino, { ...meta, kind: "chardev", rdev: r.u32() });
        break;
      default:
        throw new SnapshotError("ESNAPSHOT_CORRUPT", `inode ${ino} has unknown kind ${kind}`);
    }
  }
  if (!r.done) throw new SnapshotError("ESNAPSHOT_CORRUPT", "INOD section has trailing bytes");
  validateReferences(records, parent);
  const layer = new Layer(parent, header.layerId);
  for (const [ino, rec] of records) layer.records.set(ino, rec);
  layer.nextIno = Math.max(header.nextIno, parent?.nextIno ?? 0);
  layer.nextSeq = Math.max(header.nextSeq, parent?.nextSeq ?? 0);
  layer.usage = { bytes: header.bytes, inodes: header.inodes };
  layer.frozen = true;
  return layer;
}

function validateReferences(records: Map<number, InodeRecord | null>, parent: Layer | null): void {
  const exists = (ino: number): boolean => {
    if (records.has(ino)) return records.get(ino) !== null;
    for (let l = parent; l; l = l.parent) {
      const rec = l.records.get(ino);
      if (rec !== undefined) return rec !== null;
    }
    return false;
  };
  if (!exists(ROOT_INO)) throw new SnapshotError("ESNAPSHOT_CORRUPT", "no root directory");
  for (const [ino, rec] of records) {
    if (rec?.kind !== "dir") continue;
    for (const [name, slot] of rec.entries) {
      if (slot.ino !== WHITEOUT && !exists(slot.ino)) {
        throw new SnapshotError(
          "ESNAPSHOT_CORRUPT",
          `entry ${JSON.stringify(name)} of inode ${ino} names a missing inode`,
        );
      }
    }
  }
}
