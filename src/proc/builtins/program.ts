/**
 * Host side of builtin processes: takes a warm worker from the pool and runs the "builtin" job
 * kind there with the program's name, argv and environment, its syscall channel wired to the
 * kernel (modelled on ../wasm-process.ts).
 */
import type { Kernel, ProgramRunner } from "../../kernel/kernel.ts";
import type { Process } from "../../kernel/process.ts";
import type { Program } from "../../kernel/programs.ts";
import { sharedWorkerPool, type WorkerPool } from "../pool/index.ts";
import { runPooledImage } from "../pooled-process.ts";
import { BUILTIN_JOB_KIND, registerBuiltinJobKind } from "./kind.ts";
import type { BuiltinJobPayload } from "./runtime.ts";

/** What `loadProgram` returns for a `#!agentos-builtin <name>` executable. */
export interface BuiltinProgram {
  kind: "builtin";
  name: string;
  argv: string[];
}

export function isBuiltinProgram(program: unknown): program is BuiltinProgram {
  return (program as { kind?: unknown } | null)?.kind === "builtin";
}

/**
 * A ProgramRunner for builtin programs. Programs of other kinds go to `fallback` (the WASM
 * runner), so the kernel can keep one `wasmRunner` slot: `createBuiltinRunner(pool, createWasmRunner(pool))`.
 */
export function createBuiltinRunner(
  pool: WorkerPool = sharedWorkerPool(),
  fallback: ProgramRunner | null = null,
): ProgramRunner {
  registerBuiltinJobKind();
  return {
    start(kernel: Kernel, proc: Process, program: Program | BuiltinProgram) {
      if (!isBuiltinProgram(program)) {
        if (fallback === null) throw new Error(`builtin runner: not a builtin program (${program.kind})`);
        return fallback.start(kernel, proc, program);
      }
      const payload: BuiltinJobPayload = {
        name: program.name,
        argv: program.argv,
        env: proc.env,
        pid: proc.pid,
      };
      return runPooledImage(pool, kernel, proc, {
        kind: BUILTIN_JOB_KIND,
        label: program.name,
        payload: () => payload,
      });
    },
  };
}
