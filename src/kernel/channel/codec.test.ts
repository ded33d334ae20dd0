import { describe, expect, it } from "vitest";
import {
  byteView,
  decodeValues,
  encodedSize,
  encodedSizeBound,
  encodeToOwnedBuffer,
  encodeValues,
  type SyscallArg,
} from "./codec.ts";

const SAMPLES: SyscallArg[] = [
  0,
  -1,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 31,
  1.5,
  -0,
  Number.NaN,
  Number.NEGATIVE_INFINITY,
  2 ** 53,
  0n,
  -(2n ** 63n),
  2n ** 63n - 1n,
  2n ** 63n,
  2n ** 64n - 1n,
  "",
  "héllo wörld 🌍",
  new Uint8Array([1, 2, 3]),
  new Uint8Array(0),
];

function roundTrip(values: SyscallArg[]): SyscallArg[] {
  const view = encodeToOwnedBuffer(values);
  return decodeValues(view, 0, view.bytes.byteLength, true);
}

describe("syscall codec", () => {
  it("round-trips every value type exactly", () => {
    const out = roundTrip(SAMPLES);
    expect(out).toHaveLength(SAMPLES.length);
    out.forEach((v, i) => {
      const want = SAMPLES[i];
      if (want instanceof Uint8Array) expect(Array.from(v as Uint8Array)).toEqual(Array.from(want));
      else expect(Object.is(v, want)).toBe(true);
    });
  });

  it("sizes exactly, and the bound is never below the exact size", () => {
    expect(encodeToOwnedBuffer(SAMPLES).bytes.byteLength).toBe(encodedSize(SAMPLES));
    expect(encodedSizeBound(SAMPLES)).toBeGreaterThanOrEqual(encodedSize(SAMPLES));
    expect(encodedSize([])).toBe(0);
  });

  it("encodes into a shared buffer at an offset", () => {
    const view = byteView(new SharedArrayBuffer(256), 64, 128);
    const end = encodeValues(["abc", 7, new Uint8Array([9])], view, 3);
    expect(decodeValues(view, 3, end, true)).toEqual(["abc", 7, new Uint8Array([9])]);
  });

  it("decodes byte arrays as aligned views when not copying", () => {
    const view = encodeToOwnedBuffer([7, new Uint8Array([4, 5])]);
    const [, bytes] = decodeValues(view, 0, view.bytes.byteLength, false) as [number, Uint8Array];
    expect(bytes.buffer).toBe(view.bytes.buffer);
    expect(Array.from(bytes)).toEqual([4, 5]);
    // Byte payloads are 8-aligned: V8 copies into shared memory much faster that way.
    expect((bytes.byteOffset - view.bytes.byteOffset) % 8).toBe(0);
  });

  it("rejects values it cannot encode", () => {
    expect(() => encodeToOwnedBuffer([2n ** 64n])).toThrow(RangeError);
    expect(() => encodeToOwnedBuffer([-(2n ** 63n) - 1n])).toThrow(RangeError);
    expect(() => encodeToOwnedBuffer([{} as unknown as SyscallArg])).toThrow(TypeError);
  });

  it("rejects corrupt messages", () => {
    const view = byteView(new ArrayBuffer(8));
    view.bytes[0] = 99;
    expect(() => decodeValues(view, 0, 8, true)).toThrow(/corrupt/);
    const truncated = encodeToOwnedBuffer([1.5]);
    expect(() => decodeValues(truncated, 0, 5, true)).toThrow(/corrupt/);
  });
});
