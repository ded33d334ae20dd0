/**
 * Test and benchmark job kinds (one module, dispatched on `payload.do`). Loaded by Node inside pool
 * workers: erasable TypeScript only.
 */
import type { JobContext } from "../types.ts";

export type TestJob =
  | { do: "exit"; code: number }
  | { do: "syscall"; op: number; args: (number | string)[] }
  | { do: "spin" }
  | { do: "spin-in-syscall"; op: number }
  | { do: "throw"; message: string }
  | { do: "crash"; code: number }
  | { do: "leak-timer" }
  | { do: "leak-global" }
  | { do: "wasm"; module: WebAssembly.Module };

export async function runJob(payload: unknown, { syscall }: JobContext): Promise<number> {
  const job = payload as TestJob;
  switch (job.do) {
    case "exit":
      return job.code;
    case "syscall": {
      const result = syscall.call(job.op, job.args);
      return result.errno === 0 ? (result.values[0] as number) : 100 + result.errno;
    }
    case "spin":
      for (;;) {}
    case "spin-in-syscall":
      syscall.call(job.op); // blocks until the host answers (it never does)
      return 0;
    case "throw":
      throw new Error(job.message);
    case "crash":
      process.exit(job.code); // in a worker: ends the thread, not the host
      return 0;
    case "leak-timer":
      setInterval(() => {}, 1000);
      return 0;
    case "leak-global":
      (globalThis as Record<string, unknown>).leaked = true;
      return 0;
    case "wasm": {
      const instance = await WebAssembly.instantiate(job.module);
      return (instance.exports.answer as () => number)();
    }
  }
}
