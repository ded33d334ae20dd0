/**
 * Reader for agentOS `.aospkg` command packages (the `dist/package.aospkg` of `@agentos-software/*`).
 *
 * Layout, all integers little-endian (schema: `crates/vfs/package-format/v1.bare` in rivet-dev/agentos):
 *
 * ```
 * 0       4  magic 89 41 4f 53 ("\x89AOS")
 * 4       2  container format version (1)     6   2  reserved (0)
 * 8       4  A = manifest chunk length        12  4  B = index chunk length
 * 16      A  manifest: u16 schema version (1) ++ BARE(PackageManifest)
 * 16+A    B  index:    u16 schema version (1) ++ BARE(MountIndex)
 * 16+A+B     a plain tar archive; each index entry's offset points at the entry's content inside it
 * ```
 *
 * BARE: `uint` is a LEB128 varint, `str` a uint length then UTF-8, `optional<T>` a u8 flag then T,
 * `list`/`map` a uint count then the items, enums a uint ordinal, fixed-width integers little-endian.
 *
 * Validation is strict: anything truncated, foreign or inconsistent throws an {@link AospkgError}
 * naming the problem, so a damaged package fails when it is loaded, not when a command runs.
 * File contents are zero-copy views into the input bytes.
 */

import { posix } from "node:path";

export type AospkgFileKind = "file" | "dir" | "symlink";

export interface AospkgFile {
  /** Absolute path inside the package mount root, e.g. `/bin/ls`. */
  readonly path: string;
  readonly kind: AospkgFileKind;
  /** Full `st_mode` (type and permission bits). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Modification time, Unix seconds. */
  readonly mtime: number;
  /** Content length in bytes (0 for directories and symlinks). */
  readonly size: number;
  /** Symlink target; present exactly when `kind` is `"symlink"`. */
  readonly link?: string;
  /** The content: a view into the package bytes, not a copy. Empty for directories and symlinks. */
  data(): Uint8Array;
}

export interface AospkgCommand {
  /** The name typed at the shell, e.g. `ls`. */
  readonly command: string;
  /** Executable path relative to the package root, e.g. `bin/ls`. */
  readonly path: string;
}

/** An agent the package declares (agentOS ACP agents); command-only packages have none. */
export interface AospkgAgent {
  readonly acpEntrypoint: string;
  readonly snapshot: boolean;
  readonly env: ReadonlyMap<string, string>;
  readonly launchArgs: readonly string[];
}

/** Environment defaults and directories the package projects into the guest. */
export interface AospkgProvides {
  readonly env: ReadonlyMap<string, string>;
  readonly files: readonly { readonly source: string; readonly target: string }[];
}

export interface AospkgPackage {
  readonly name: string;
  readonly version: string;
  readonly commands: readonly AospkgCommand[];
  readonly files: readonly AospkgFile[];
  readonly manPages: readonly { readonly section: string; readonly page: string }[];
  readonly provides?: AospkgProvides;
  readonly agent?: AospkgAgent;
  readonly snapshotBundlePath?: string;
}

/** A malformed package. `code` is always `"EAOSPKG"`; the message says what is wrong and where. */
export class AospkgError extends Error {
  readonly code = "EAOSPKG";

  constructor(detail: string) {
    super(`EAOSPKG: invalid .aospkg: ${detail}`);
    this.name = "AospkgError";
  }
}

const MAGIC = [0x89, 0x41, 0x4f, 0x53] as const;
const HEADER_SIZE = 16;
const CONTAINER_VERSION = 1;
const SCHEMA_VERSION = 1;
const TAR_BLOCK = 512;
const KINDS: readonly AospkgFileKind[] = ["file", "dir", "symlink"];
const S_IFMT = 0o170000;
const TYPE_BITS: Record<AospkgFileKind, number> = { file: 0o100000, dir: 0o040000, symlink: 0o120000 };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Sequential BARE decoder over one chunk; errors name the chunk and the field being read. */
class BareReader {
  private readonly bytes: Uint8Array;
  private readonly chunk: string;
  private pos = 0;
  /** What is being read, for error messages. */
  field = "";

  constructor(bytes: Uint8Array, chunk: string) {
    this.bytes = bytes;
    this.chunk = chunk;
  }

  fail(detail: string): never {
    throw new AospkgError(`${this.chunk}: ${detail}${this.field ? ` (reading ${this.field})` : ""}`);
  }

  private take(n: number): number {
    if (this.pos + n > this.bytes.length) {
      this.fail(`truncated: needs ${n} more byte(s) at offset ${this.pos} of ${this.bytes.length}`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.bytes[this.take(1)]!;
  }

  u16(): number {
    const at = this.take(2);
    return this.bytes[at]! | (this.bytes[at + 1]! << 8);
  }

  u32(): number {
    const at = this.take(4);
    const b = this.bytes;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }

  /** u64/i64 as a JS number; values beyond 2^53 cannot be offsets or sizes in memory anyway. */
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    if (hi > 0x1fffff)
      this.fail(`64-bit value ${hi.toString(16)}${lo.toString(16).padStart(8, "0")}h is too large`);
    return hi * 2 ** 32 + lo;
  }

  i64(): number {
    const lo = this.u32();
    const hi = this.u32() | 0;
    if (hi > 0x1fffff || hi < -0x200000) this.fail("64-bit signed value is out of the safe integer range");
    return hi * 2 ** 32 + lo;
  }

  uint(): number {
    let value = 0;
    for (let i = 0, scale = 1; i < 8; i++, scale *= 128) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) this.fail("overlong varint");
        if (value > Number.MAX_SAFE_INTEGER) this.fail("varint too large");
        return value;
      }
    }
    return this.fail("varint longer than 8 bytes");
  }

  bool(): boolean {
    const b = this.u8();
    if (b > 1) this.fail(`bool byte is ${b}`);
    return b === 1;
  }

  str(): string {
    const len = this.uint();
    const at = this.take(len);
    try {
      return utf8.decode(this.bytes.subarray(at, at + len));
    } catch {
      return this.fail("string is not valid UTF-8");
    }
  }

  optional<T>(read: () => T): T | undefined {
    const flag = this.u8();
    if (flag > 1) this.fail(`optional flag byte is ${flag}`);
    return flag === 1 ? read() : undefined;
  }

  list<T>(read: () => T): T[] {
    const n = this.uint();
    // Every item takes at least one byte: a count beyond the remaining bytes is corruption, and
    // checking it here keeps a damaged count from allocating a huge array.
    if (n > this.bytes.length - this.pos) this.fail(`list of ${n} items cannot fit in the chunk`);
    const items: T[] = [];
    for (let i = 0; i < n; i++) items.push(read());
    return items;
  }

  map(): Map<string, string> {
    const entries = this.list(() => [this.str(), this.str()] as const);
    return new Map(entries);
  }

  /** The schema version prefix of a chunk. */
  schemaVersion(): void {
    this.field = "schema version";
    const v = this.u16();
    if (v !== SCHEMA_VERSION)
      this.fail(`unsupported schema version ${v} (this reader knows ${SCHEMA_VERSION})`);
  }

  end(): void {
    this.field = "";
    const left = this.bytes.length - this.pos;
    if (left !== 0) this.fail(`${left} unexpected trailing byte(s)`);
  }
}

interface IndexEntry {
  path: string;
  kind: AospkgFileKind;
  offset: number;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  link: string | undefined;
}

/**
 * Parses and validates a whole package. File `data()` views share `bytes`' buffer: keep `bytes`
 * unmodified while the package is in use, and copy what must outlive it.
 */
export function readAospkg(bytes: Uint8Array): AospkgPackage {
  if (bytes.length < HEADER_SIZE) {
    throw new AospkgError(`truncated: ${bytes.length} byte(s), shorter than the ${HEADER_SIZE}-byte header`);
  }
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    const got = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new AospkgError(`bad magic ${got} (expected 89 41 4f 53, "\\x89AOS"): not an .aospkg file`);
  }
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  const format = header.getUint16(4, true);
  if (format !== CONTAINER_VERSION) {
    throw new AospkgError(`unsupported format version ${format} (this reader knows ${CONTAINER_VERSION})`);
  }
  if (header.getUint16(6, true) !== 0) throw new AospkgError("reserved header bytes 6-7 are not zero");
  const manifestLength = header.getUint32(8, true);
  const indexLength = header.getUint32(12, true);
  const tarStart = HEADER_SIZE + manifestLength + indexLength;
  if (tarStart > bytes.length) {
    throw new AospkgError(
      `truncated: manifest (${manifestLength} bytes) and index (${indexLength} bytes) end at offset ${tarStart}, ` +
        `past the end of the file (${bytes.length} bytes)`,
    );
  }
  const manifest = readManifest(bytes.subarray(HEADER_SIZE, HEADER_SIZE + manifestLength));
  const entries = readIndex(bytes.subarray(HEADER_SIZE + manifestLength, tarStart));
  const tar = bytes.subarray(tarStart);
  if (tar.length % TAR_BLOCK !== 0) {
    throw new AospkgError(
      `truncated: tar payload is ${tar.length} bytes, not a whole number of 512-byte blocks`,
    );
  }
  if (tar.length < 2 * TAR_BLOCK || tar.subarray(tar.length - 2 * TAR_BLOCK).some((b) => b !== 0)) {
    throw new AospkgError("truncated: the tar payload does not end with two zero end-of-archive blocks");
  }

  const byPath = new Map<string, IndexEntry>();
  for (const entry of entries) {
    checkEntry(entry, tar);
    if (byPath.has(entry.path)) throw new AospkgError(`index: duplicate path ${entry.path}`);
    byPath.set(entry.path, entry);
  }
  for (const { command, path } of manifest.commands) {
    const target = byPath.get(posix.normalize(`/${path}`));
    if (target === undefined || target.kind === "dir") {
      throw new AospkgError(
        `manifest: command '${command}' points to ${path}, which is not a file in the index`,
      );
    }
  }

  const files = entries.map((e): AospkgFile => {
    const view = e.kind === "file" ? tar.subarray(e.offset, e.offset + e.size) : tar.subarray(0, 0);
    const { offset: _offset, link, ...meta } = e;
    return { ...meta, ...(link === undefined ? {} : { link }), data: () => view };
  });
  return { ...manifest, files };
}

function readManifest(chunk: Uint8Array): Omit<AospkgPackage, "files"> {
  const r = new BareReader(chunk, "manifest");
  r.schemaVersion();
  r.field = "package name";
  const name = r.str();
  r.field = "package version";
  const version = r.str();
  r.field = "agent block";
  const agent = r.optional(
    (): AospkgAgent => ({
      acpEntrypoint: r.str(),
      snapshot: r.bool(),
      env: r.map(),
      launchArgs: r.list(() => r.str()),
    }),
  );
  r.field = "provides block";
  const provides = r.optional(
    (): AospkgProvides => ({
      env: r.map(),
      files: r.list(() => ({ source: r.str(), target: r.str() })),
    }),
  );
  r.field = "command list";
  const commands = r.list((): AospkgCommand => ({ command: r.str(), path: r.str() }));
  r.field = "man page list";
  const manPages = r.list(() => ({ section: r.str(), page: r.str() }));
  r.field = "snapshot bundle path";
  const snapshotBundlePath = r.optional(() => r.str());
  r.end();
  if (name === "") r.fail("empty package name");
  return {
    name,
    version,
    commands,
    manPages,
    ...(provides === undefined ? {} : { provides }),
    ...(agent === undefined ? {} : { agent }),
    ...(snapshotBundlePath === undefined ? {} : { snapshotBundlePath }),
  };
}

function readIndex(chunk: Uint8Array): IndexEntry[] {
  const r = new BareReader(chunk, "index");
  r.schemaVersion();
  r.field = "entry list";
  const entries = r.list((): IndexEntry => {
    r.field = "entry path";
    const path = r.str();
    r.field = `entry ${path}`;
    const kindOrdinal = r.uint();
    const kind = KINDS[kindOrdinal] ?? r.fail(`unknown entry kind ${kindOrdinal}`);
    return {
      path,
      kind,
      offset: r.u64(),
      size: r.u64(),
      mode: r.u32(),
      uid: r.u32(),
      gid: r.u32(),
      mtime: r.i64(),
      link: r.optional(() => r.str()),
    };
  });
  r.end();
  return entries;
}

function checkEntry(e: IndexEntry, tar: Uint8Array): void {
  const fail = (detail: string): never => {
    throw new AospkgError(`index: entry ${e.path}: ${detail}`);
  };
  if (!e.path.startsWith("/")) fail("path is not absolute");
  const type = e.mode & S_IFMT;
  if (type !== 0 && type !== TYPE_BITS[e.kind])
    fail(`mode ${e.mode.toString(8)} does not match kind ${e.kind}`);
  if ((e.kind === "symlink") !== (e.link !== undefined))
    fail("a link target must be present exactly on symlinks");
  if (e.kind !== "file") return;
  if (e.offset + e.size > tar.length) {
    fail(`data offset ${e.offset} + size ${e.size} is out of range: the tar payload is ${tar.length} bytes`);
  }
  // The content of a tar member directly follows its 512-byte header: checking that header catches
  // an index that points at the wrong place, and a payload damaged at that header.
  if (e.offset < TAR_BLOCK || e.offset % TAR_BLOCK !== 0)
    fail(`data offset ${e.offset} is not after a tar header`);
  const tarHeader = tar.subarray(e.offset - TAR_BLOCK, e.offset);
  if (!tarChecksumOk(tarHeader))
    fail(`tar header at payload offset ${e.offset - TAR_BLOCK} has a bad checksum`);
  const tarSize = tarOctal(tarHeader.subarray(124, 136));
  if (tarSize !== e.size) fail(`index size ${e.size} differs from the tar header's size ${tarSize}`);
}

/** POSIX ustar checksum: the byte sum of the header with the checksum field read as spaces. */
function tarChecksumOk(header: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return tarOctal(header.subarray(148, 156)) === sum;
}

function tarOctal(field: Uint8Array): number {
  let value = 0;
  let digits = 0;
  for (const b of field) {
    if (b === 0 || b === 0x20) {
      if (digits > 0) break;
      continue;
    }
    if (b < 0x30 || b > 0x37) return Number.NaN;
    value = value * 8 + (b - 0x30);
    digits++;
  }
  return digits > 0 ? value : Number.NaN;
}
