import { moduleUrl, registerJobKind } from "../pool/index.ts";

/** The job kind name `node` processes run under. */
export const QUICKJS_JOB_KIND = "quickjs";

/**
 * Registers the runner with the worker pool. With `preload` (the default), workers created
 * afterwards import it and start instantiating QuickJS before counting as warm. Idempotent.
 */
export function registerQuickjsJobKind(options: { preload?: boolean } = {}): void {
  registerJobKind(QUICKJS_JOB_KIND, moduleUrl("./runner.ts", import.meta.url), {
    preload: options.preload ?? true,
  });
}
