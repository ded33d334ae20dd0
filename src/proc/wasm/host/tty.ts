/**
 * `host_tty`: the shell's interactive line editor. `read(buf, len, timeoutMs)` reads fd 0 with a
 * deadline and returns a byte count (0 = end of file or timeout); `set_raw_mode(enabled)`.
 * `Sys.TTY_READ` has no length argument, so bytes beyond `len` are kept for the next read.
 */
import { Sys } from "../../../kernel/abi.ts";
import type { ProcState } from "../state.ts";

export function hostTtyImports(p: ProcState) {
  const { mem, k } = p;
  let pending: Uint8Array = new Uint8Array(0);
  return {
    read(buf: number, len: number, timeoutMs: number): number {
      if (pending.byteLength === 0) {
        const { errno, values } = k.call(Sys.TTY_READ, [0, timeoutMs]);
        if (errno !== 0) return -errno;
        pending = values[0] as Uint8Array;
      }
      const n = mem.write(buf, pending, len);
      pending = pending.subarray(n);
      return n;
    },
    set_raw_mode(enabled: number): number {
      return k.call(Sys.TTY_SET_RAW, [0, enabled ? 1 : 0]).errno;
    },
  };
}
