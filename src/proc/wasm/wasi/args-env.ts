/** WASI preview1: `args_*` and `environ_*`, answered from the payload (no syscalls). */
import type { ProcState } from "../state.ts";

/** Strings as NUL-terminated UTF-8, back to back, with their offsets. */
function encode(strings: readonly string[]): { data: Buffer; offsets: number[] } {
  const parts = strings.map((s) => Buffer.from(`${s}\0`, "utf8"));
  const offsets: number[] = [];
  let at = 0;
  for (const part of parts) {
    offsets.push(at);
    at += part.byteLength;
  }
  return { data: Buffer.concat(parts), offsets };
}

export function argsEnvImports(p: ProcState) {
  const { mem } = p;
  const args = encode(p.argv);
  const env = encode(p.env);

  function sizes(list: typeof args, countPtr: number, sizePtr: number): number {
    mem.setU32(countPtr, list.offsets.length);
    mem.setU32(sizePtr, list.data.byteLength);
    return 0;
  }

  function get(list: typeof args, ptrs: number, buf: number): number {
    const base = mem.check(buf, list.data.byteLength);
    mem.check(ptrs, list.offsets.length * 4);
    mem.bytes.set(list.data, base);
    list.offsets.forEach((offset, i) => {
      mem.setU32(ptrs + i * 4, base + offset);
    });
    return 0;
  }

  return {
    args_sizes_get: (countPtr: number, sizePtr: number) => sizes(args, countPtr, sizePtr),
    args_get: (ptrs: number, buf: number) => get(args, ptrs, buf),
    environ_sizes_get: (countPtr: number, sizePtr: number) => sizes(env, countPtr, sizePtr),
    environ_get: (ptrs: number, buf: number) => get(env, ptrs, buf),
  };
}
