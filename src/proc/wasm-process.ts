/**
 * Host side of WASM processes: takes a warm worker from the shared pool, posts it the compiled
 * module (compiled once per host process) and wires its syscall channel to the kernel.
 *
 * Memory limit: the module is compiled with its memory's maximum lowered to the process's limit
 * (memory-limit.ts; one compilation per module and limit, cached: a few ms each, as V8 compiles
 * lazily), so the guest's `memory.grow` fails there like malloc failing natively. The runner
 * reports an end caused by the limit ({@link MEMORY_LIMIT_EXIT}); so does a worker whose V8 heap
 * ran out (the pool's `resourceLimits`). The process's command is then killed naming LIMIT_MEMORY.
 */

import { createHash } from "node:crypto";
import type { Kernel, ProgramRunner } from "../kernel/kernel.ts";
import type { Process } from "../kernel/process.ts";
import type { Program } from "../kernel/programs.ts";
import { sharedWorkerPool, type WorkerPool } from "./pool/index.ts";
import { runPooledImage } from "./pooled-process.ts";
import { getModule } from "./software/index.ts";
import { registerWasmJobKind, type WasmJobPayload } from "./wasm/index.ts";
import { capMemory, WASM_PAGE } from "./wasm/memory-limit.ts";
import { MEMORY_LIMIT_EXIT } from "./wasm/types.ts";

const userModules = new Map<string, WebAssembly.Module>();
/** `${hash}:${pages}` → the module compiled with its memory capped at `pages`. */
const cappedModules = new Map<string, WebAssembly.Module>();
/** Most capped variants kept (different limits are rare; each is a compiled module). */
const MAX_CAPPED = 64;

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

/** The module with its memory capped to `limit` bytes (the plain one when nothing to cap). */
function cappedModuleFor(program: Extract<Program, { kind: "wasm" }>, limit: number): WebAssembly.Module {
  if (!Number.isFinite(limit) || limit >= 4 * 1024 ** 3) return moduleFor(program);
  const pages = Math.max(1, Math.floor(limit / WASM_PAGE));
  const key = `${program.hash}:${pages}`;
  let m = cappedModules.get(key);
  if (m === undefined) {
    const bytes = capMemory(program.bytes, pages);
    m = bytes ? new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>) : moduleFor(program);
    if (cappedModules.size >= MAX_CAPPED) cappedModules.delete(cappedModules.keys().next().value!);
    cappedModules.set(key, m);
  }
  return m;
}

export function createWasmRunner(pool: WorkerPool = sharedWorkerPool()): ProgramRunner {
  registerWasmJobKind();
  return {
    start(kernel: Kernel, proc: Process, program: Program) {
      if (program.kind !== "wasm") throw new Error("wasm runner: not a wasm program");
      const memoryLimit = kernel.memoryLimitFor(proc);
      const module = cappedModuleFor(program, memoryLimit);
      const overLimit = () => {
        kernel.limitExceeded(proc, "LIMIT_MEMORY", memoryLimit, memoryLimit);
        return "terminated" as const;
      };
      return runPooledImage(pool, kernel, proc, {
        kind: "wasm",
        label: program.name,
        payload: () => {
          const payload: WasmJobPayload = {
            module,
            abi: program.abi,
            argv: program.argv,
            env: proc.env,
            pid: proc.pid,
            trueDeviceTypes: SHELLS.has(program.name),
          };
          if (Number.isFinite(memoryLimit)) payload.memoryLimit = memoryLimit;
          return payload;
        },
        interpret: (exit) => {
          if (!proc.alive) return undefined;
          if (exit.type === "exit" && exit.code >= MEMORY_LIMIT_EXIT) return overLimit();
          const code = exit.type === "error" ? (exit.error as { code?: string }).code : undefined;
          if (code === "ERR_WORKER_OUT_OF_MEMORY") return overLimit();
          return undefined;
        },
      });
    },
  };
}
