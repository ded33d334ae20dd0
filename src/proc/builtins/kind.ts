/** The pool job kind of builtin processes (host side; the worker side is runner.ts). */
import { moduleUrl, registerJobKind } from "../pool/index.ts";

/** The job kind name builtin processes run under. */
export const BUILTIN_JOB_KIND = "builtin";

/** Registers the runner with the worker pool; workers created afterwards preload it. Idempotent. */
export function registerBuiltinJobKind(): void {
  registerJobKind(BUILTIN_JOB_KIND, moduleUrl("./runner.ts", import.meta.url), { preload: true });
}
