/**
 * Host side of `node` processes: takes a warm worker from the pool and runs the "quickjs" job in it,
 * its syscall channel wired to the kernel. A `ProgramRunner` like the WASM one: the kernel hands it
 * programs whose command is `node`.
 */
import type { Kernel, ProgramRunner } from "../../kernel/kernel.ts";
import type { Process } from "../../kernel/process.ts";
import type { Program } from "../../kernel/programs.ts";
import { sharedWorkerPool, type WorkerPool } from "../pool/index.ts";
import { runPooledImage } from "../pooled-process.ts";
import { QUICKJS_JOB_KIND, registerQuickjsJobKind } from "./kind.ts";
import type { QuickjsJobPayload, QuickjsModuleUrls } from "./types.ts";

let urls: QuickjsModuleUrls | undefined;

function moduleUrls(): QuickjsModuleUrls {
  urls ??= {
    core: import.meta.resolve("quickjs-emscripten-core"),
    variant: import.meta.resolve("@jitl/quickjs-wasmfile-release-sync"),
  };
  return urls;
}

export interface QuickjsRunnerOptions {
  memoryLimitBytes?: number;
  stackLimitBytes?: number;
}

export function createQuickjsRunner(
  pool: WorkerPool = sharedWorkerPool(),
  options: QuickjsRunnerOptions = {},
): ProgramRunner {
  registerQuickjsJobKind();
  return {
    start(kernel: Kernel, proc: Process, program: Program) {
      return runPooledImage(pool, kernel, proc, {
        kind: QUICKJS_JOB_KIND,
        label: "node",
        payload: (): QuickjsJobPayload => ({
          argv: program.argv,
          env: proc.env,
          pid: proc.pid,
          cwd: proc.cwd,
          modules: moduleUrls(),
          ...options,
        }),
      });
    },
  };
}
