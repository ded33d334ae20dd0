/**
 * Host side of WASM processes: takes a warm worker from the shared pool, posts it the compiled
 * module (compiled once per host process) and wires its syscall channel to the kernel.
 */

import { createHash } from "node:crypto";
import type { Kernel, ProgramRunner } from "../kernel/kernel.ts";
import type { Process } from "../kernel/process.ts";
import type { Program } from "../kernel/programs.ts";
import { sharedWorkerPool, type WorkerPool } from "./pool/index.ts";
import { getModule } from "./software/index.ts";
import { registerWasmJobKind, type WasmJobPayload } from "./wasm/index.ts";

const userModules = new Map<string, WebAssembly.Module>();

/** Commands that see memory devices as the character devices they are (see WasmJobPayload). */
const SHELLS = new Set(["sh", "bash"]);

function moduleFor(program: Extract<Program, { kind: "wasm" }>): WebAssembly.Module {
  try {
    return getModule(program.hash);
  } catch {
    let m = userModules.get(program.hash);
    if (!m) {
      const hash = createHash("sha256").update(program.bytes).digest("hex");
      m = new WebAssembly.Module(program.bytes as Uint8Array<ArrayBuffer>);
      userModules.set(hash, m);
    }
    return m;
  }
}

export function createWasmRunner(pool: WorkerPool = sharedWorkerPool()): ProgramRunner {
  registerWasmJobKind();
  return {
    start(kernel: Kernel, proc: Process, program: Program) {
      if (program.kind !== "wasm") throw new Error("wasm runner: not a wasm program");
      let terminated = false;
      let stop: (() => Promise<void>) | null = null;
      const done = (async (): Promise<number | "terminated"> => {
        const module = moduleFor(program);
        const worker = await pool.acquire();
        if (terminated) {
          worker.release();
          return "terminated";
        }
        const payload: WasmJobPayload = {
          module,
          abi: program.abi,
          argv: program.argv,
          env: proc.env,
          pid: proc.pid,
          trueDeviceTypes: SHELLS.has(program.name),
        };
        const handle = worker.run({ kind: "wasm", payload }, kernel.handlerFor(proc));
        stop = () => handle.terminate();
        const exit = await handle.exit;
        if (exit.type === "exit") return exit.code;
        if (exit.type === "error") {
          console.error(`agentos-vm: ${program.name} (pid ${proc.pid}) crashed:`, exit.error);
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
