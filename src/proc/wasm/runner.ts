/**
 * The WASM process runner: a pool job module (`registerJobKind("wasm", …)`, see index.ts).
 * Instantiates the command with our WASI preview1 and host_* imports, runs `_start` and returns
 * the exit status. Runs inside a pool worker: erasable TypeScript only.
 *
 * Exit status: `proc_exit(code)` → `code & 0xff` (as a POSIX exit status); `_start` returning → 0;
 * a successful `proc_exec` → 0 at once (the kernel has recorded the exec and starts the new image);
 * a WebAssembly trap (a Rust panic is `abort()` → `unreachable`) or a guest stack overflow →
 * `<argv0>: fatal: <message>` on fd 2 and 134 = 128 + SIGABRT, what a shell reports for a native
 * program that aborts. Errors in the runner itself are rethrown (the job fails as an error).
 *
 * Memory limit (`payload.memoryLimit`): checked at every syscall (a process over it leaves guest
 * code at once); an end by trap, or a failure exit after an allocator reported failure on stderr,
 * while the memory is near the limit is reported as {@link MEMORY_LIMIT_EXIT} + the code, and the
 * host names the limit (LIMIT_MEMORY).
 */
import { Sys } from "../../kernel/abi.ts";
import type { JobContext } from "../pool/types.ts";
import { buildImports } from "./imports.ts";
import { ProcState } from "./state.ts";
import { MEMORY_LIMIT_EXIT, ProcExit, type WasmJobPayload } from "./types.ts";

export const TRAP_EXIT_CODE = 134;
/** Exit status for a module that cannot be instantiated (as a shell's "cannot execute"). */
export const NOEXEC_EXIT_CODE = 126;

function isTrap(error: unknown): error is Error {
  return (
    error instanceof WebAssembly.RuntimeError ||
    (error instanceof RangeError && /call stack size/i.test(error.message))
  );
}

function fatal(p: ProcState, message: string): void {
  p.k.call(Sys.WRITE, [2, Buffer.from(`${p.argv[0] ?? "wasm"}: fatal: ${message}\n`, "utf8")]);
}

export function runJob(payload: WasmJobPayload, { syscall }: JobContext): number {
  const p = new ProcState(payload, syscall);
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(payload.module, buildImports(payload.module, p, payload.imports));
  } catch (error) {
    if (isTrap(error)) {
      fatal(p, error.message);
      return TRAP_EXIT_CODE;
    }
    if (!(error instanceof WebAssembly.LinkError)) throw error;
    fatal(p, error.message);
    return NOEXEC_EXIT_CODE;
  }
  const { memory, _start } = instance.exports;
  if (!(memory instanceof WebAssembly.Memory) || typeof _start !== "function") {
    fatal(p, "not a WASI command (no memory or _start export)");
    return NOEXEC_EXIT_CODE;
  }
  p.mem.attach(memory);
  const limit = p.memoryLimit;
  const limited = limit !== Number.POSITIVE_INFINITY;
  if (limited) {
    if (memory.buffer.byteLength > limit) return MEMORY_LIMIT_EXIT | TRAP_EXIT_CODE;
    p.k.beforeCall = () => {
      if (memory.buffer.byteLength > limit) throw new OverLimit();
    };
  }
  /** An abnormal end with the memory near its limit (or an allocator failure seen) is the limit's doing. */
  const blame = (code: number): number => {
    if (!limited) return code;
    const used = memory.buffer.byteLength;
    const near = used + 4 * 65536 > limit || (p.allocFailed && used * 4 >= limit);
    return near ? MEMORY_LIMIT_EXIT | code : code;
  };
  let code = 0;
  try {
    (_start as () => void)();
  } catch (error) {
    if (error instanceof ProcExit) {
      if (error.exec) return 0;
      code = error.code & 0xff;
      if (code !== 0 && p.allocFailed) code = blame(code);
    } else if (error instanceof OverLimit) {
      p.k.beforeCall = null;
      return MEMORY_LIMIT_EXIT | TRAP_EXIT_CODE;
    } else if (isTrap(error)) {
      p.k.beforeCall = null;
      p.k.out.flush();
      fatal(p, error.message);
      return blame(TRAP_EXIT_CODE);
    } else {
      p.k.out.flush();
      throw error;
    }
  }
  p.k.beforeCall = null;
  p.k.out.flush();
  return code;
}

/** Thrown by the per-syscall check to leave guest code: the process is over its memory limit. */
class OverLimit extends Error {}
