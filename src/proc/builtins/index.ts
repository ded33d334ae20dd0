/**
 * Builtin programs: commands implemented in JavaScript (today `grep`, `egrep`, `fgrep`) that run
 * as ordinary processes in pooled workers, doing all I/O through kernel syscalls, killable like
 * any process. The kernel runs them for executables whose content is the marker
 * `#!agentos-builtin <name>` (see {@link builtinMarker}).
 */
export { BUILTIN_JOB_KIND, registerBuiltinJobKind } from "./kind.ts";
export { type BuiltinProgram, createBuiltinRunner, isBuiltinProgram } from "./program.ts";
export type { BuiltinJobPayload } from "./runtime.ts";

/** Every builtin program name (the runner's PROGRAMS table). */
export const BUILTIN_NAMES: readonly string[] = ["grep", "egrep", "fgrep", "stty", "tput"];

export { builtinMarker } from "../../kernel/programs.ts";
