/**
 * Guest memory access for the WASI and host_* imports. A module's memory may grow during any call
 * into guest code, which detaches the old ArrayBuffer: every accessor re-checks `memory.buffer`
 * (cheap) and rebuilds its views when it changed. Pointers arrive as signed i32 and are read as
 * unsigned; a range outside memory throws {@link Fault}, which the import wrapper answers as EFAULT.
 */

/** A guest pointer outside its memory. */
export class Fault extends Error {
  constructor(ptr: number, len: number) {
    super(`guest pointer out of bounds: ${ptr >>> 0}+${len >>> 0}`);
    this.name = "Fault";
  }
}

export class GuestMemory {
  private memory: WebAssembly.Memory | null = null;
  private buffer: ArrayBuffer | null = null;
  private u8 = new Uint8Array(0);
  private buf = Buffer.alloc(0);
  private dv = new DataView(new ArrayBuffer(0));

  attach(memory: WebAssembly.Memory): void {
    this.memory = memory;
    this.buffer = null;
  }

  private sync(): void {
    const b = this.memory!.buffer as ArrayBuffer;
    if (b !== this.buffer) {
      this.buffer = b;
      this.u8 = new Uint8Array(b);
      this.buf = Buffer.from(b);
      this.dv = new DataView(b);
    }
  }

  /** The whole memory as bytes (valid until the next call into guest code). */
  get bytes(): Uint8Array {
    this.sync();
    return this.u8;
  }

  get view(): DataView {
    this.sync();
    return this.dv;
  }

  /** Throws Fault unless [ptr, ptr+len) lies inside memory; returns ptr as unsigned. */
  check(ptr: number, len: number): number {
    this.sync();
    const p = ptr >>> 0;
    if (len < 0 || p + len > this.u8.byteLength) throw new Fault(ptr, len);
    return p;
  }

  u32(ptr: number): number {
    return this.view.getUint32(this.check(ptr, 4), true);
  }

  setU32(ptr: number, value: number): void {
    this.view.setUint32(this.check(ptr, 4), value >>> 0, true);
  }

  setU64(ptr: number, value: bigint): void {
    this.view.setBigUint64(this.check(ptr, 8), BigInt.asUintN(64, value), true);
  }

  /** A UTF-8 string (invalid sequences become U+FFFD). */
  string(ptr: number, len: number): string {
    const p = this.check(ptr, len >>> 0);
    return this.buf.toString("utf8", p, p + (len >>> 0));
  }

  /** A copy of guest bytes (the caller may keep it across calls into guest code). */
  copy(ptr: number, len: number): Uint8Array {
    const p = this.check(ptr, len >>> 0);
    return this.u8.slice(p, p + (len >>> 0));
  }

  /** Writes `data` (or as much as `max` allows) at ptr; returns the count written. */
  write(ptr: number, data: Uint8Array, max = data.byteLength): number {
    const n = Math.min(data.byteLength, max >>> 0);
    const p = this.check(ptr, n);
    this.u8.set(n === data.byteLength ? data : data.subarray(0, n), p);
    return n;
  }

  /** Reads a WASI iovec array: [ptr, len] pairs. */
  iovecs(iovs: number, count: number): [number, number][] {
    const n = count >>> 0;
    const base = this.check(iovs, n * 8);
    const dv = this.dv;
    const out: [number, number][] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = [dv.getUint32(base + i * 8, true), dv.getUint32(base + i * 8 + 4, true)];
    }
    return out;
  }
}
