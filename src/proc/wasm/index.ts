/**
 * WASM processes: the worker-side runner of `wasm32-wasip1` commands (WASI preview1 plus the
 * agentOS `host_*` imports), as the pool job kind "wasm".
 */
import { moduleUrl, registerJobKind } from "../pool/index.ts";

export type { FdHint, ImportSignature, WasmAbi, WasmJobPayload } from "./types.ts";

/** The job kind name the kernel runs WASM processes under. */
export const WASM_JOB_KIND = "wasm";

/** Registers the runner with the worker pool; workers created afterwards preload it. Idempotent. */
export function registerWasmJobKind(): void {
  registerJobKind(WASM_JOB_KIND, moduleUrl("./runner.ts", import.meta.url), { preload: true });
}
