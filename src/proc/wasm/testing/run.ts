/** Runs commands from the pinned command set in real pool workers against a {@link FakeKernel}. */

import { type JobExit, WorkerPool } from "../../pool/index.ts";
import { getModule, loadCommandSet, readImports } from "../../software/index.ts";
import { registerWasmJobKind } from "../index.ts";
import type { WasmJobPayload } from "../types.ts";
import { FakeKernel, type FakeKernelOptions } from "./fake-kernel.ts";

registerWasmJobKind();

export interface RunResult {
  exit: JobExit;
  kernel: FakeKernel;
  ms: number;
}

/** The job payload for a pinned command. */
export function payloadFor(argv: string[], env: string[] = [], pid = 2): WasmJobPayload {
  const record = loadCommandSet().get(argv[0]!);
  if (!record) throw new Error(`no command ${argv[0]}`);
  return {
    module: getModule(record.hash),
    abi: record.abi,
    argv,
    env,
    pid,
    imports: readImports(record.bytes),
  };
}

/** Runs any payload in a pool worker against a fresh fake kernel. */
export async function runPayload(pool: WorkerPool, payload: WasmJobPayload, options: FakeKernelOptions = {}) {
  const kernel = new FakeKernel(options);
  const worker = await pool.acquire();
  const exit = await worker.run({ kind: "wasm", payload }, kernel.handler).exit;
  return { exit, kernel };
}

export async function runCommand(
  pool: WorkerPool,
  argv: string[],
  options: FakeKernelOptions & { env?: string[] } = {},
): Promise<RunResult> {
  const kernel = new FakeKernel(options);
  const env = options.env ?? ["PATH=/bin", `PWD=${options.cwd ?? "/"}`, "HOME=/home/agent"];
  const payload = payloadFor(argv, env);
  const worker = await pool.acquire();
  const started = performance.now();
  const exit = await worker.run({ kind: "wasm", payload }, kernel.handler).exit;
  return { exit, kernel, ms: performance.now() - started };
}

export { WorkerPool };
