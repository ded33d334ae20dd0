/**
 * How every worker-run program becomes a process's image: take a warm worker from the pool, run
 * one job in it with its syscall channel wired to the kernel, and turn the job's end into an exit
 * status. The WASM, QuickJS and builtin runners differ only in their job kind and payload.
 */

import type { Kernel } from "../kernel/kernel.ts";
import type { Process } from "../kernel/process.ts";
import type { JobExit, WorkerPool } from "./pool/index.ts";

export interface ImageRun {
  done: Promise<number | "terminated">;
  terminate(): void;
}

export interface PooledJob {
  kind: string;
  /** Built once a worker is at hand (after any compile work the caller did up front). */
  payload: () => unknown;
  /** Shown when the worker crashes. */
  label: string;
  /** A say over how the job ended (e.g. a memory limit); undefined = the usual mapping. */
  interpret?: (exit: JobExit) => number | "terminated" | undefined;
}

export function runPooledImage(pool: WorkerPool, kernel: Kernel, proc: Process, job: PooledJob): ImageRun {
  let terminated = false;
  let stop: (() => Promise<void>) | null = null;
  const done = (async (): Promise<number | "terminated"> => {
    const worker = await pool.acquire();
    if (terminated) {
      worker.release();
      return "terminated";
    }
    const handle = worker.run({ kind: job.kind, payload: job.payload() }, kernel.handlerFor(proc));
    stop = () => handle.terminate();
    if (terminated) void stop();
    const exit = await handle.exit;
    const special = job.interpret?.(exit);
    if (special !== undefined) return special;
    if (exit.type === "exit") return exit.code;
    if (exit.type === "error") {
      console.error(`agentos-vm: ${job.label} (pid ${proc.pid}) crashed:`, exit.error);
      return 134;
    }
    return "terminated";
  })();
  return {
    done,
    terminate() {
      terminated = true;
      void stop?.();
    },
  };
}
