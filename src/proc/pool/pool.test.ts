import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ok, type SyscallHandler, type SyscallResult } from "../../kernel/channel/index.ts";
import { type PooledWorker, WorkerPool } from "./pool.ts";
import { registerJobKind } from "./registry.ts";
import type { TestJob } from "./testing/jobs.ts";

registerJobKind("test", new URL("./testing/jobs.ts", import.meta.url));

let pool: WorkerPool;
afterEach(() => pool?.shutdown());

const noSyscalls = () => ok();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function run(worker: PooledWorker, payload: TestJob, handler: SyscallHandler = noSyscalls) {
  return worker.run({ kind: "test", payload }, handler);
}

/** A module exporting `answer() → 42`. */
const ANSWER_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01,
  0x00, 0x07, 0x0a, 0x01, 0x06, 0x61, 0x6e, 0x73, 0x77, 0x65, 0x72, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00,
  0x41, 0x2a, 0x0b,
]);

describe("WorkerPool", () => {
  it("hands out a warm worker immediately and refills in the background", async () => {
    pool = new WorkerPool({ spares: 2 });
    await pool.whenWarm();
    expect(pool.stats()).toEqual({ idle: 2, starting: 0, busy: 0 });
    const started = performance.now();
    const worker = await pool.acquire();
    expect(performance.now() - started).toBeLessThan(20);
    expect(pool.stats()).toEqual({ idle: 1, starting: 0, busy: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.stats()).toEqual({ idle: 1, starting: 1, busy: 1 });
    await pool.whenWarm();
    expect(pool.stats()).toEqual({ idle: 2, starting: 0, busy: 1 });
    worker.release();
    expect(pool.stats()).toEqual({ idle: 3, starting: 0, busy: 0 });
  });

  it("starts a worker when none is spare", async () => {
    pool = new WorkerPool({ spares: 0 });
    const worker = await pool.acquire();
    expect(await run(worker, { do: "exit", code: 3 }).exit).toEqual({ type: "exit", code: 3 });
  });

  it("runs a job whose syscalls reach the handler, then reuses the worker", async () => {
    pool = new WorkerPool({ spares: 1 });
    const worker = await pool.acquire();
    const calls: unknown[] = [];
    const handle = run(worker, { do: "syscall", op: 7, args: [5, "x"] }, (op, args): SyscallResult => {
      calls.push(op, ...args);
      return ok(op + (args[0] as number));
    });
    expect(await handle.exit).toEqual({ type: "exit", code: 12 });
    expect(calls).toEqual([7, 5, "x"]);
    const again = await pool.acquire();
    expect(again.threadId).toBe(worker.threadId);
    // The previous job's handle no longer controls the worker.
    await handle.terminate();
    expect(await run(again, { do: "exit", code: 0 }).exit).toEqual({ type: "exit", code: 0 });
  });

  it("retires workers whose job leaked a timer or a global, or failed", async () => {
    pool = new WorkerPool({ spares: 1 });
    const cases: [TestJob, string][] = [
      [{ do: "leak-timer" }, "exit"],
      [{ do: "leak-global" }, "exit"],
      [{ do: "throw", message: "job blew up" }, "error"],
    ];
    for (const [job, type] of cases) {
      const worker = await pool.acquire();
      const exit = await run(worker, job).exit;
      expect(exit.type).toBe(type);
      if (exit.type === "error") expect(exit.error.message).toBe("job blew up");
      const next = await pool.acquire();
      expect(next.threadId).not.toBe(worker.threadId);
      next.release();
    }
  });

  it("reports a worker that dies mid-job as an error and replaces it", async () => {
    pool = new WorkerPool({ spares: 1 });
    const worker = await pool.acquire();
    const exit = await run(worker, { do: "crash", code: 7 }).exit;
    expect(exit.type === "error" && exit.error.message).toMatch(/exited with code 7/);
    const next = await pool.acquire();
    expect(await run(next, { do: "exit", code: 2 }).exit).toEqual({ type: "exit", code: 2 });
  });

  it("terminates a worker stuck in a hot loop within 100 ms and recovers", async () => {
    pool = new WorkerPool({ spares: 1 });
    const worker = await pool.acquire();
    const handle = run(worker, { do: "spin" });
    await sleep(30);
    const started = performance.now();
    await handle.terminate();
    expect(performance.now() - started).toBeLessThan(100);
    expect(await handle.exit).toEqual({ type: "terminated" });
    const next = await pool.acquire();
    expect(next.threadId).not.toBe(worker.threadId);
    expect(await run(next, { do: "exit", code: 1 }).exit).toEqual({ type: "exit", code: 1 });
  });

  it("terminates a worker blocked in a syscall and drops the late answer", async () => {
    pool = new WorkerPool({ spares: 1 });
    const worker = await pool.acquire();
    let answer!: (r: SyscallResult) => void;
    const handle = run(worker, { do: "spin-in-syscall", op: 3 }, () => new Promise((r) => (answer = r)));
    while (answer === undefined) await sleep(1);
    await handle.terminate();
    answer(ok(1));
    expect(await handle.exit).toEqual({ type: "terminated" });
  });

  it("passes a WebAssembly.Module in the payload", async () => {
    pool = new WorkerPool({ spares: 1 });
    const module = await WebAssembly.compile(ANSWER_WASM);
    const exit = await run(await pool.acquire(), { do: "wasm", module }).exit;
    expect(exit).toEqual({ type: "exit", code: 42 });
  });

  it("rejects misuse: unknown kinds, a second run, an uncloneable payload", async () => {
    pool = new WorkerPool({ spares: 1 });
    const worker = await pool.acquire();
    expect(() => worker.run({ kind: "nope", payload: null }, noSyscalls)).toThrow(/unknown job kind/);
    expect(() => worker.run({ kind: "test", payload: () => 1 }, noSyscalls)).toThrow();
    await run(worker, { do: "exit", code: 0 }).exit;
    expect(() => run(worker, { do: "exit", code: 0 })).toThrow(/not acquired/);
  });

  it("shutdown terminates running jobs and refuses new acquisitions", async () => {
    pool = new WorkerPool({ spares: 1 });
    const handle = run(await pool.acquire(), { do: "spin" });
    await pool.shutdown();
    expect(await handle.exit).toEqual({ type: "terminated" });
    await expect(pool.acquire()).rejects.toThrow(/shut down/);
  });

  it("does not keep the Node event loop alive while idle", async () => {
    const script = fileURLToPath(new URL("./testing/idle-pool.ts", import.meta.url));
    const started = performance.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [script], { timeout: 5000 }, (error, out) =>
        error ? reject(error) : resolve(out),
      );
    });
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ exit: { type: "exit", code: 5 }, busy: 0 });
    expect(report.idle).toBeGreaterThanOrEqual(2);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
