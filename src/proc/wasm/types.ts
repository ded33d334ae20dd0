/**
 * The WASM job payload and the internal markers the runner uses to leave guest code.
 * Loaded inside pool workers by Node itself: erasable TypeScript only.
 */

/** Which host ABI the module was built against (see `detectAbi` in src/proc/software). */
export type WasmAbi = "v3" | "legacy" | "wasi-only";

/** What the kernel posts to a worker to run one WASM process. */
export interface WasmJobPayload {
  /** The compiled command (compiled once per host process, posted to the worker). */
  module: WebAssembly.Module;
  abi: WasmAbi;
  /** argv[0] included. */
  argv: string[];
  /** `KEY=VALUE` strings; the kernel guarantees `PWD` equals the process's cwd. */
  env: string[];
  /** The process's virtual pid (what `proc_getpid` answers without a syscall). */
  pid: number;
  /**
   * Optional: the module's imports with their result types (`readImports(bytes)` from
   * src/proc/software). Only used to give imports the runner does not implement a stub of the
   * right result type; without it such stubs return the i32 ENOSYS, which traps if the import
   * returns i64.
   */
  imports?: readonly ImportSignature[];
  /**
   * Optional: what the kernel already knows about some fds at start (typically 0-2), so the runner
   * need not ask. Most commands otherwise begin with `FDSTAT(1)` (the v3 libc asks before every
   * write) and `ISATTY(1)`: one round trip each. Must be the truth at the moment the job starts.
   */
  fds?: readonly FdHint[];
  /**
   * Optional: show memory devices (/dev/null…) to this program with their real type, S_IFCHR.
   * Without it `host_fs` shows them as empty regular files, which the uutils builds need to take
   * them as named inputs (see `binaryMode` in host/fs.ts). The shell must see the truth: with
   * `set -o noclobber` brush refuses `2>/dev/null` when /dev/null looks like a regular file, and
   * `[ -f /dev/null ]` must be false.
   */
  trueDeviceTypes?: boolean;
  /**
   * Optional: bytes of linear memory the process may use. The host also caps the module's memory
   * maximum (memory-limit.ts), so `memory.grow` beyond it fails in the guest; the runner checks the
   * size at every syscall too (for a memory the module imports) and reports an end caused by the
   * limit with {@link MEMORY_LIMIT_EXIT}.
   */
  memoryLimit?: number;
}

/**
 * Exit code (outside 0–255, so never a guest's own) with which the runner reports that the
 * process ended because of its memory limit; the host names the limit (LIMIT_MEMORY).
 */
export const MEMORY_LIMIT_EXIT = 0x1_0000;

/** An fd's `Sys.FDSTAT` values and whether it is a terminal. */
export interface FdHint {
  readonly fd: number;
  /** [filetype, fdflags, accessMode, cloexec] exactly as `Sys.FDSTAT` answers. */
  readonly fdstat: readonly [number, number, number, number];
  readonly tty: boolean;
}

export interface ImportSignature {
  readonly module: string;
  readonly name: string;
  readonly results: readonly string[];
}

/** Thrown by `proc_exit` (and by a successful exec) to unwind out of guest code. */
export class ProcExit {
  readonly code: number;
  /** True when the process image was replaced by `proc_exec`: the kernel runs the new image. */
  readonly exec: boolean;
  constructor(code: number, exec = false) {
    this.code = code;
    this.exec = exec;
  }
}
