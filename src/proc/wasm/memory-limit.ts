/**
 * Caps a WASM module's own linear memory: rewrites the maximum of the memory it defines (the
 * memory section) so `memory.grow` beyond the cap fails inside the guest, as malloc failing does
 * natively. The guest then reports the failure its own way (Rust: "memory allocation of N bytes
 * failed" and abort → trap). A memory the module imports is not touched (the runner checks its
 * size at every syscall instead). Runs on the host thread; pure byte surgery, no dependencies.
 */

export const WASM_PAGE = 65536;

function readU32(bytes: Uint8Array, at: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    if (b === undefined) throw new RangeError("truncated LEB128");
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, at];
    shift += 7;
    if (shift > 35) throw new RangeError("LEB128 too long");
  }
}

function writeU32(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** What the memory section declares: initial and maximum pages of its first memory, or null. */
export function memoryLimits(bytes: Uint8Array): { min: number; max: number | null } | null {
  const found = findMemorySection(bytes);
  if (!found) return null;
  const [count, at] = readU32(bytes, found.body);
  if (count < 1) return null;
  const flags = bytes[at]!;
  if (flags & 0x04) return null; // memory64: not ours to cap
  const [min, next] = readU32(bytes, at + 1);
  if (!(flags & 0x01)) return { min, max: null };
  const [max] = readU32(bytes, next);
  return { min, max };
}

function findMemorySection(bytes: Uint8Array): { start: number; body: number; end: number } | null {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    return null;
  }
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, body] = readU32(bytes, at + 1);
    if (id === 5) return { start: at, body, end: body + size };
    at = body + size;
  }
  return null;
}

/**
 * The module's bytes with its defined memory's maximum lowered to `maxPages` (never raised), or
 * null when there is nothing to cap (no memory section, memory64, or already at most `maxPages`).
 */
export function capMemory(bytes: Uint8Array, maxPages: number): Uint8Array | null {
  const found = findMemorySection(bytes);
  if (!found) return null;
  const [count, first] = readU32(bytes, found.body);
  if (count < 1) return null;
  const flags = bytes[first]!;
  if (flags & 0x04) return null;
  const [min, afterMin] = readU32(bytes, first + 1);
  let afterLimits = afterMin;
  if (flags & 0x01) {
    const [max, afterMax] = readU32(bytes, afterMin);
    if (max <= maxPages) return null;
    afterLimits = afterMax;
  }
  const pages = Math.max(min, maxPages);
  const entry = [flags | 0x01, ...writeU32(min), ...writeU32(pages)];
  const rest = bytes.subarray(afterLimits, found.end);
  const body = [...writeU32(count), ...entry];
  const bodyLength = body.length + rest.length;
  const header = [5, ...writeU32(bodyLength)];
  const out = new Uint8Array(found.start + header.length + bodyLength + (bytes.length - found.end));
  out.set(bytes.subarray(0, found.start), 0);
  let o = found.start;
  out.set(header, o);
  o += header.length;
  out.set(body, o);
  o += body.length;
  out.set(rest, o);
  o += rest.length;
  out.set(bytes.subarray(found.end), o);
  return out;
}
