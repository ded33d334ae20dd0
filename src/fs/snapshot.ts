/**
 * The snapshot container: a versioned, checksummed binary file with a section table, so later
 * subsystems (sessions, cron, env) add sections without touching the filesystem codec.
 *
 * ```
 * 0   8  magic "AOSSNAP\0"
 * 8   u32 format version
 * 12  u32 section count
 * 16  u64 total length, trailer included
 * 24  section table: count × { 4-byte ASCII tag, u32 flags, u64 offset, u64 length }
 * ..  section payloads
 * end 32-byte SHA-256 of everything before it
 * ```
 * All integers little-endian. Unknown sections are skipped, so newer writers stay readable.
 */

import { createHash } from "node:crypto";

export const SNAPSHOT_MAGIC = "AOSSNAP\0";
export const SNAPSHOT_VERSION = 1;
const HEADER = 24;
const ENTRY = 24;
const TRAILER = 32;

export type SnapshotErrorCode =
  | "ESNAPSHOT_FORMAT"
  | "ESNAPSHOT_VERSION"
  | "ESNAPSHOT_TRUNCATED"
  | "ESNAPSHOT_CHECKSUM"
  | "ESNAPSHOT_CORRUPT"
  | "ESNAPSHOT_BASE_MISSING";

/** A snapshot that cannot be restored. Nothing is restored when this is thrown. */
export class SnapshotError extends Error {
  readonly code: SnapshotErrorCode;
  constructor(code: SnapshotErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = "SnapshotError";
    this.code = code;
  }
}

export interface Section {
  tag: string;
  data: Uint8Array;
}

export function encodeContainer(sections: Section[]): Uint8Array {
  let total = HEADER + sections.length * ENTRY;
  for (const s of sections) total += s.data.length;
  total += TRAILER;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(SNAPSHOT_MAGIC), 0);
  view.setUint32(8, SNAPSHOT_VERSION, true);
  view.setUint32(12, sections.length, true);
  view.setBigUint64(16, BigInt(total), true);
  let offset = HEADER + sections.length * ENTRY;
  sections.forEach((s, i) => {
    if (!/^[A-Z ]{4}$/.test(s.tag)) throw new Error(`snapshot: bad section tag ${JSON.stringify(s.tag)}`);
    const at = HEADER + i * ENTRY;
    for (let k = 0; k < 4; k++) out[at + k] = s.tag.charCodeAt(k);
    view.setUint32(at + 4, 0, true);
    view.setBigUint64(at + 8, BigInt(offset), true);
    view.setBigUint64(at + 16, BigInt(s.data.length), true);
    out.set(s.data, offset);
    offset += s.data.length;
  });
  out.set(createHash("sha256").update(out.subarray(0, offset)).digest(), offset);
  return out;
}

/** Validate the container completely (magic, version, length, checksum, table) and return its sections. */
export function decodeContainer(bytes: Uint8Array): Map<string, Uint8Array> {
  if (!(bytes instanceof Uint8Array))
    throw new SnapshotError("ESNAPSHOT_FORMAT", "a snapshot must be a Uint8Array");
  if (bytes.length < 8) {
    // A non-empty prefix of the magic is a snapshot cut short; anything else is not a snapshot.
    const prefix =
      bytes.length > 0 && new TextDecoder().decode(bytes) === SNAPSHOT_MAGIC.slice(0, bytes.length);
    if (prefix) throw new SnapshotError("ESNAPSHOT_TRUNCATED", `snapshot cut short at ${bytes.length} bytes`);
    throw new SnapshotError("ESNAPSHOT_FORMAT", `${bytes.length} bytes is not a snapshot`);
  }
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== SNAPSHOT_MAGIC)
    throw new SnapshotError("ESNAPSHOT_FORMAT", "not an agentos-vm snapshot (bad magic)");
  if (bytes.length < HEADER + TRAILER) {
    throw new SnapshotError(
      "ESNAPSHOT_TRUNCATED",
      `snapshot is ${bytes.length} bytes, shorter than its header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(
      "ESNAPSHOT_VERSION",
      `format version ${version}; this library reads ${SNAPSHOT_VERSION}`,
    );
  }
  const total = Number(view.getBigUint64(16, true));
  if (bytes.length < total) {
    throw new SnapshotError("ESNAPSHOT_TRUNCATED", `snapshot is ${bytes.length} of its ${total} bytes`);
  }
  if (bytes.length > total) {
    throw new SnapshotError("ESNAPSHOT_CORRUPT", `snapshot has ${bytes.length - total} trailing bytes`);
  }
  const body = bytes.subarray(0, total - TRAILER);
  const digest = createHash("sha256").update(body).digest();
  if (!Buffer.from(bytes.subarray(total - TRAILER)).equals(digest)) {
    throw new SnapshotError("ESNAPSHOT_CHECKSUM", "checksum mismatch: the snapshot is corrupted");
  }
  const count = view.getUint32(12, true);
  if (HEADER + count * ENTRY > body.length)
    throw new SnapshotError("ESNAPSHOT_CORRUPT", "section table out of range");
  const sections = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const at = HEADER + i * ENTRY;
    const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
    const offset = Number(view.getBigUint64(at + 8, true));
    const length = Number(view.getBigUint64(at + 16, true));
    if (offset < HEADER + count * ENTRY || offset + length > body.length) {
      throw new SnapshotError("ESNAPSHOT_CORRUPT", `section ${tag} out of range`);
    }
    if (sections.has(tag)) throw new SnapshotError("ESNAPSHOT_CORRUPT", `duplicate section ${tag}`);
    sections.set(tag, bytes.subarray(offset, offset + length));
  }
  return sections;
}

/** Little-endian byte writer that grows as needed. */
export class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.raw(b);
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  str(s: string): void {
    this.bytes(Buffer.from(s, "utf8"));
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Bounds-checked reader: every overrun is ESNAPSHOT_CORRUPT naming the section. */
export class ByteReader {
  private readonly view: DataView;
  private readonly buf: Uint8Array;
  private readonly section: string;
  pos = 0;

  constructor(buf: Uint8Array, section: string) {
    this.buf = buf;
    this.section = section;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new SnapshotError("ESNAPSHOT_CORRUPT", `section ${this.section} ends early at byte ${this.pos}`);
    }
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length-prefixed byte string, zero-copy. */
  bytes(): Uint8Array {
    const n = this.u32();
    return this.raw(n);
  }

  raw(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  str(): string {
    return Buffer.from(this.bytes()).toString("utf8");
  }
}
