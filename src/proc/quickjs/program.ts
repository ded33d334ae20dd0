/**
 * Host side of `node` processes: takes a warm worker from the pool and runs the "quickjs" job in it,
 * its syscall channel wired to the kernel. A `ProgramRunner` like the WASM one: the kernel hands it
 * programs whose command is `node`.
 */
import type { Kernel, ProgramRunner } from "../../kernel/kernel.ts";
import type { Process } from "../../kernel/process.ts";
import type { Program } from "../../kernel/programs.ts";
import { sharedWorkerPool, type WorkerPool } from "../pool/index.ts";
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
      let terminated = false;
      let stop: (() => Promise<void>) | null = null;
      const done = (async (): Promise<number | "terminated"> => {
        const worker = await pool.acquire();
        if (terminated) {
          worker.release();
          return "terminated";
        }
        const payload: QuickjsJobPayload = {
          argv: program.argv,
          env: proc.env,
          pid: proc.pid,
          cwd: proc.cwd,
          modules: moduleUrls(),
          ...options,
        };
        const handle = worker.run({ kind: QUICKJS_JOB_KIND, payload }, kernel.handlerFor(proc));
        stop = () => handle.terminate();
        const exit = await handle.exit;
        if (exit.type === "exit") return exit.code;
        if (exit.type === "error") {
          console.error(`agentos-vm: node (pid ${proc.pid}) crashed:`, exit.error);
          return 134;
        }
        return "terminated";
      })();
      return {
        done,
        terminate() {
          terminated = true;
          void stop?.();
        },
      };
    },
  };
}
