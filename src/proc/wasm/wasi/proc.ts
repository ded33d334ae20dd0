/** WASI preview1: `proc_exit`, `proc_raise`, `sched_yield`. */
import { Sys } from "../../../kernel/abi.ts";
import type { ProcState } from "../state.ts";
import { ProcExit } from "../types.ts";

export function procImports(p: ProcState) {
  return {
    proc_exit(code: number): never {
      // The runner catches this, flushes output and returns the code as the job's exit code.
      throw new ProcExit(code);
    },
    proc_raise(signal: number): number {
      return p.k.call(Sys.KILL, [p.pid, signal]).errno;
    },
    sched_yield(): number {
      // Nothing to yield to (one process per thread); a good moment to deliver pending output.
      p.k.out.flush();
      return 0;
    },
  };
}
