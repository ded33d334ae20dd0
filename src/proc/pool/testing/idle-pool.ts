/**
 * Run as a child process by pool.test.ts: a warm pool with nothing left to do, even after running
 * a job, must let Node exit by itself.
 */
import { WorkerPool } from "../pool.ts";
import { registerJobKind } from "../registry.ts";

registerJobKind("test", new URL("./jobs.ts", import.meta.url));
const pool = new WorkerPool({ spares: 2 });
const worker = await pool.acquire();
const exit = await worker.run({ kind: "test", payload: { do: "exit", code: 5 } }, () => ({
  errno: 0,
  values: [],
})).exit;
await pool.whenWarm();
console.log(JSON.stringify({ exit, ...pool.stats() }));
