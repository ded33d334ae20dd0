/**
 * `node` inside the VM: QuickJS (quickjs-emscripten, release-sync) in a pooled worker with a
 * Node-compatible runtime, as the pool job kind "quickjs". See docs/node-compat.md.
 */
export { QUICKJS_JOB_KIND, registerQuickjsJobKind } from "./kind.ts";
export { createQuickjsRunner, type QuickjsRunnerOptions } from "./program.ts";
export { NODE_VERSION, type QuickjsJobPayload } from "./types.ts";
