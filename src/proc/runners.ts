/**
 * The one runner the kernel gets: each program kind goes to the runner that executes it in a
 * pooled worker — `node` to QuickJS, other builtins (grep…) to the builtin JS runner, WASM commands
 * to the WASM runner. Host commands never get here (the kernel runs them in-thread).
 */

import type { ProgramRunner } from "../kernel/kernel.ts";
import { createBuiltinRunner } from "./builtins/index.ts";
import type { WorkerPool } from "./pool/index.ts";
import { createQuickjsRunner } from "./quickjs/index.ts";
import { createWasmRunner } from "./wasm-process.ts";

/** The command name QuickJS serves. */
export const NODE_COMMAND = "node";

export function createProgramRunner(pool: WorkerPool): ProgramRunner {
  const wasm = createWasmRunner(pool);
  const builtins = createBuiltinRunner(pool, wasm);
  const node = createQuickjsRunner(pool);
  return {
    start(kernel, proc, program) {
      if (program.kind === "builtin" && program.name === NODE_COMMAND)
        return node.start(kernel, proc, program);
      return builtins.start(kernel, proc, program);
    },
  };
}
