/** WASI preview1: clocks and `random_get` (no syscalls). */
import { Errno } from "../../../kernel/abi.ts";
import type { ProcState } from "../state.ts";
import { WASI_CLOCK } from "./constants.ts";

/** crypto.getRandomValues refuses more than 65536 bytes at once. */
const RANDOM_CHUNK = 65536;

/** Nanoseconds on clock `id`, or null for an unknown clock. */
export function clockNow(id: number, started: bigint): bigint | null {
  switch (id) {
    case WASI_CLOCK.REALTIME:
      return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
    case WASI_CLOCK.MONOTONIC:
      return process.hrtime.bigint();
    case WASI_CLOCK.PROCESS_CPUTIME:
    case WASI_CLOCK.THREAD_CPUTIME:
      // Not measured per process: time since the process started is an upper bound.
      return process.hrtime.bigint() - started;
    default:
      return null;
  }
}

export function clockRandomImports(p: ProcState) {
  const { mem } = p;
  const started = process.hrtime.bigint();
  return {
    clock_time_get(id: number, _precision: bigint, ptr: number): number {
      const now = clockNow(id, started);
      if (now === null) return Errno.INVAL;
      mem.setU64(ptr, now);
      return 0;
    },
    clock_res_get(id: number, ptr: number): number {
      if (clockNow(id, started) === null) return Errno.INVAL;
      mem.setU64(ptr, id === WASI_CLOCK.REALTIME ? 1000n : 1n);
      return 0;
    },
    random_get(ptr: number, len: number): number {
      const at = mem.check(ptr, len >>> 0);
      const bytes = mem.bytes;
      for (let done = 0; done < len >>> 0; done += RANDOM_CHUNK) {
        const end = Math.min(len >>> 0, done + RANDOM_CHUNK);
        crypto.getRandomValues(bytes.subarray(at + done, at + end));
      }
      return 0;
    },
  };
}
