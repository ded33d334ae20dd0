/**
 * The builtin-program runner: a pool job module (`registerJobKind("builtin", …)`, see index.ts).
 * Runs the named program over a {@link Runtime} and returns its exit status. Runs inside a pool
 * worker: erasable TypeScript only.
 *
 * Exit status: what the program returns; 127 for an unknown name; a program that throws (a bug,
 * or an exhausted heap in a pathological regex) gets `<argv0>: internal error: …` on fd 2 and 2,
 * the status GNU tools use for trouble. Output is flushed before returning; a failed final flush
 * (ENOSPC, EPIPE without SIGPIPE) also ends with 2.
 */
import type { JobContext } from "../pool/types.ts";
import { grepMain } from "./grep.ts";
import { type BuiltinJobPayload, ExitRequest, Runtime, SysError } from "./runtime.ts";
import { sttyMain, tputMain } from "./tty-tools.ts";

export type BuiltinMain = (rt: Runtime) => number;

/** The programs, by name. Keep in sync with BUILTIN_NAMES in index.ts. */
export const PROGRAMS: Readonly<Record<string, BuiltinMain>> = {
  grep: (rt) => grepMain(rt),
  egrep: (rt) => grepMain(rt, "extended"),
  fgrep: (rt) => grepMain(rt, "fixed"),
  stty: sttyMain,
  tput: tputMain,
};

export function runJob(payload: BuiltinJobPayload, { syscall }: JobContext): number {
  const rt = new Runtime(syscall, payload);
  const program = PROGRAMS[payload.name];
  const argv0 = (payload.argv[0] ?? payload.name).split("/").pop() || payload.name;
  if (program === undefined) {
    rt.error(`${argv0}: not a builtin program: ${payload.name}`);
    return 127;
  }
  let code: number;
  try {
    code = program(rt);
  } catch (error) {
    if (error instanceof ExitRequest) code = error.code;
    else {
      const message = error instanceof Error ? error.message : String(error);
      rt.error(`${argv0}: internal error: ${message}`);
      code = 2;
    }
  }
  try {
    rt.flush();
  } catch (error) {
    if (!(error instanceof SysError)) throw error;
    rt.error(`${argv0}: write error: ${error.message}`);
    return 2;
  }
  return code & 0xff;
}
