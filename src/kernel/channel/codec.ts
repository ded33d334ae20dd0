/**
 * A compact binary codec for syscall arguments and results: a sequence of tagged values, no count
 * (the message length says where it ends), little-endian, numbers unaligned (read through a DataView).
 *
 *   tag u8 | payload
 *   I32  4 bytes      numbers that are int32 (and not -0)
 *   F64  8 bytes      every other number
 *   I64  8 bytes      bigints in [-2^63, 2^63)
 *   U64  8 bytes      bigints in [2^63, 2^64)
 *   STR  u32 + UTF-8  strings
 *   BYTES u32 + pad to 8 + raw   Uint8Array (any subclass, e.g. Buffer)
 *
 * Byte payloads start 8-aligned (relative to the message start) because V8 copies into shared
 * memory 4× slower at an odd offset (measured: 64 KiB in 18 µs at offset 5, 4.5 µs at offset 8).
 */

export type SyscallArg = number | bigint | string | Uint8Array;

/** What a syscall answers: an errno (0 for success) and zero or more values. */
export interface SyscallResult {
  errno: number;
  values: SyscallArg[];
}

const TAG_I32 = 0;
const TAG_F64 = 1;
const TAG_I64 = 2;
const TAG_U64 = 3;
const TAG_STR = 4;
const TAG_BYTES = 5;

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

/** A byte region with the three views the codec needs over the same memory (shared or not). */
export interface ByteView {
  readonly bytes: Buffer;
  readonly view: DataView;
}

export function byteView(buffer: ArrayBufferLike, byteOffset = 0, byteLength?: number): ByteView {
  const length = byteLength ?? buffer.byteLength - byteOffset;
  return {
    bytes: Buffer.from(buffer as ArrayBuffer, byteOffset, length),
    view: new DataView(buffer, byteOffset, length),
  };
}

function isInt32(n: number): boolean {
  return (n | 0) === n && !Object.is(n, -0);
}

/** Where a byte payload whose tag is at `p` starts. */
function payloadStart(p: number, offset: number): number {
  return offset + ((p - offset + 5 + 7) & ~7);
}

/** An upper bound on the encoded size that needs no pass over string contents (UTF-8 ≤ 3 bytes per UTF-16 unit). */
export function encodedSizeBound(values: readonly SyscallArg[]): number {
  let size = 0;
  for (const v of values) {
    if (typeof v === "number") size += isInt32(v) ? 5 : 9;
    else if (typeof v === "string") size += 5 + v.length * 3;
    else if (typeof v === "bigint") size += 9;
    else size += 12 + v.byteLength;
  }
  return size;
}

/** The exact encoded size. */
export function encodedSize(values: readonly SyscallArg[]): number {
  let size = 0;
  for (const v of values) {
    if (typeof v === "string") size += 5 + Buffer.byteLength(v, "utf8");
    else if (v instanceof Uint8Array) size = payloadStart(size, 0) + v.byteLength;
    else size += encodedSizeBound([v]);
  }
  return size;
}

/**
 * Encodes `values` into `out` from `offset`; returns the end offset. The caller guarantees room
 * (via `encodedSizeBound` or `encodedSize`). Throws TypeError/RangeError on unencodable values.
 */
export function encodeValues(values: readonly SyscallArg[], out: ByteView, offset: number): number {
  const { bytes, view } = out;
  let p = offset;
  for (const v of values) {
    if (typeof v === "number") {
      if (isInt32(v)) {
        bytes[p] = TAG_I32;
        view.setInt32(p + 1, v, true);
        p += 5;
      } else {
        bytes[p] = TAG_F64;
        view.setFloat64(p + 1, v, true);
        p += 9;
      }
    } else if (typeof v === "string") {
      bytes[p] = TAG_STR;
      const n = bytes.write(v, p + 5, "utf8");
      view.setUint32(p + 1, n, true);
      p += 5 + n;
    } else if (typeof v === "bigint") {
      if (v >= I64_MIN && v <= I64_MAX) {
        bytes[p] = TAG_I64;
        view.setBigInt64(p + 1, v, true);
      } else if (v > I64_MAX && v <= U64_MAX) {
        bytes[p] = TAG_U64;
        view.setBigUint64(p + 1, v, true);
      } else {
        throw new RangeError(`syscall value out of 64-bit range: ${v}`);
      }
      p += 9;
    } else if (v instanceof Uint8Array) {
      bytes[p] = TAG_BYTES;
      view.setUint32(p + 1, v.byteLength, true);
      const start = payloadStart(p, offset);
      bytes.set(v, start);
      p = start + v.byteLength;
    } else {
      throw new TypeError(`unencodable syscall value of type ${typeof v}`);
    }
  }
  return p;
}

/**
 * Copies `n` bytes out of (possibly shared) memory into a fresh Uint8Array. Buffer#copy is a plain
 * memcpy; Uint8Array#slice/set on shared memory take V8's slower relaxed-atomic path, and
 * `new Uint8Array(n)` zero-fills first: this is 2× faster than either for 64 KiB.
 */
function copyOut(bytes: Buffer, start: number, n: number): Uint8Array {
  const out = Buffer.allocUnsafeSlow(n);
  bytes.copy(out, 0, start, start + n);
  return new Uint8Array(out.buffer, out.byteOffset, n);
}

/**
 * Decodes the values in `src` between `offset` and `end`. With `copyBytes`, byte arrays are copied
 * out (required when `src` is the shared data area, which the next call overwrites); without it
 * they are views into `src`.
 */
export function decodeValues(src: ByteView, offset: number, end: number, copyBytes: boolean): SyscallArg[] {
  const { bytes, view } = src;
  const values: SyscallArg[] = [];
  let p = offset;
  while (p < end) {
    const tag = bytes[p];
    switch (tag) {
      case TAG_I32:
        values.push(view.getInt32(p + 1, true));
        p += 5;
        break;
      case TAG_F64:
        values.push(view.getFloat64(p + 1, true));
        p += 9;
        break;
      case TAG_I64:
        values.push(view.getBigInt64(p + 1, true));
        p += 9;
        break;
      case TAG_U64:
        values.push(view.getBigUint64(p + 1, true));
        p += 9;
        break;
      case TAG_STR: {
        const n = view.getUint32(p + 1, true);
        values.push(bytes.toString("utf8", p + 5, p + 5 + n));
        p += 5 + n;
        break;
      }
      case TAG_BYTES: {
        const n = view.getUint32(p + 1, true);
        const start = payloadStart(p, offset);
        values.push(
          copyBytes ? copyOut(bytes, start, n) : new Uint8Array(bytes.buffer, bytes.byteOffset + start, n),
        );
        p = start + n;
        break;
      }
      default:
        throw new RangeError(`corrupt syscall message: tag ${tag} at ${p}`);
    }
  }
  if (p !== end) throw new RangeError(`corrupt syscall message: overran end by ${p - end} bytes`);
  return values;
}

/** An encoded message, ready to be sent: either directly in the data area or as chunks. */
export function encodeToOwnedBuffer(values: readonly SyscallArg[]): ByteView {
  const size = encodedSize(values);
  const out = byteView(new ArrayBuffer(size));
  encodeValues(values, out, 0);
  return out;
}

/** A successful result. */
export function ok(...values: SyscallArg[]): SyscallResult {
  return { errno: 0, values };
}

/** A failed result. */
export function fail(errno: number): SyscallResult {
  return { errno, values: [] };
}
