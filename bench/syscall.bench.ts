/**
 * Costs of the execution substrate: syscall round trips and throughput over the shared-memory
 * channel, and getting a job onto a worker. Run: `node bench/syscall.bench.ts`.
 */
import { Worker } from "node:worker_threads";
import { ok, SyscallChannel, type SyscallHandler, type SyscallResult } from "../src/kernel/channel/index.ts";
import type { CallBatch } from "../src/kernel/channel/testing/call-worker.ts";
import { registerJobKind, WorkerPool } from "../src/proc/pool/index.ts";
import { type BenchResult, bench, printTable, summarize } from "./harness.ts";

const CALL_WORKER = new URL("../src/kernel/channel/testing/call-worker.ts", import.meta.url);
registerJobKind("test", new URL("../src/proc/pool/testing/jobs.ts", import.meta.url));

/** A call-worker behind a channel: `batch(calls)` resolves when the worker has made them all. */
function callWorker(handler: SyscallHandler) {
  const channel = new SyscallChannel(handler);
  const worker = new Worker(CALL_WORKER, {
    workerData: { channel: channel.endpoint },
    transferList: [channel.endpoint.port],
  });
  const batch = (b: CallBatch) =>
    new Promise<SyscallResult[]>((resolve, reject) => {
      worker.once("message", (m: { results?: SyscallResult[]; error?: unknown }) =>
        m.results ? resolve(m.results) : reject(m.error),
      );
      worker.postMessage(b);
    });
  return { batch, stop: () => worker.terminate() };
}

/** The alternative wake-up: the worker notifies, the host sits in Atomics.waitAsync. */
async function waitAsyncRoundTrip(calls: number, iterations: number): Promise<BenchResult> {
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData, parentPort } = require("node:worker_threads");
     const h = new Int32Array(workerData);
     parentPort.on("message", (n) => {
       for (let i = 0; i < n; i++) {
         Atomics.store(h, 0, 1); Atomics.notify(h, 0);
         while (Atomics.load(h, 0) === 1) Atomics.wait(h, 0, 1);
       }
       parentPort.postMessage("done");
     });`,
    { eval: true, workerData: state.buffer },
  );
  const serve = async () => {
    for (let i = 0; i < calls; i++) {
      while (Atomics.load(state, 0) !== 1) {
        const wait = Atomics.waitAsync(state, 0, 0);
        if (wait.async) await wait.value;
      }
      Atomics.store(state, 0, 0);
      Atomics.notify(state, 0);
    }
  };
  const result = await bench(
    "round trip, empty (waitAsync wake, for comparison)",
    () =>
      Promise.all([serve(), new Promise((resolve) => worker.once("message", resolve).postMessage(calls))]),
    { iterations, warmup: 3, batch: calls },
  );
  await worker.terminate();
  return result;
}

function throughput(bytes: number, r: BenchResult): BenchResult {
  return { ...r, note: `${(bytes / (r.median / 1000) / 1e9).toFixed(2)} GB/s` };
}

const results: BenchResult[] = [];
const CALLS = 500;

{
  const { batch, stop } = callWorker(() => ok());
  results.push(
    await bench("round trip, empty op", () => batch({ calls: [{ op: 0, args: [] }], repeat: CALLS }), {
      iterations: 40,
      warmup: 5,
      batch: CALLS,
    }),
  );
  const args = [3, 0x1ff, 1n << 40n, "/home/agentos/file.txt"];
  results.push(
    await bench(
      "round trip, 3 numbers + path in, 2 out",
      () => batch({ calls: [{ op: 1, args }], repeat: CALLS }),
      {
        iterations: 40,
        warmup: 5,
        batch: CALLS,
      },
    ),
  );
  await stop();
}
results.push(await waitAsyncRoundTrip(CALLS, 40));

for (const size of [64 << 10, 1 << 20, 4 << 20]) {
  const label = size >= 1 << 20 ? `${size >> 20} MiB` : `${size >> 10} KiB`;
  const data = new Uint8Array(size).fill(7);
  const writer = callWorker(() => ok(size));
  const reps = size >= 1 << 20 ? 5 : 50;
  results.push(
    throughput(
      size,
      await bench(
        `write ${label} (worker → host)`,
        () => writer.batch({ calls: [{ op: 2, args: [data] }], repeat: reps }),
        {
          iterations: 20,
          warmup: 3,
          batch: reps,
        },
      ),
    ),
  );
  await writer.stop();
  const reader = callWorker(() => ok(data));
  results.push(
    throughput(
      size,
      await bench(
        `read ${label} (host → worker)`,
        () => reader.batch({ calls: [{ op: 3, args: [] }], repeat: reps }),
        {
          iterations: 20,
          warmup: 3,
          batch: reps,
        },
      ),
    ),
  );
  await reader.stop();
}

{
  const pool = new WorkerPool({ spares: 2 });
  await pool.whenWarm();
  const handler = () => ok();
  results.push(
    await bench("acquire + run + exit, warm pool (reused workers)", async () => {
      const worker = await pool.acquire();
      await worker.run({ kind: "test", payload: { do: "exit", code: 0 } }, handler).exit;
    }),
  );
  await pool.shutdown();
}
{
  const pool = new WorkerPool({ spares: 0, maxIdle: 0 });
  results.push(
    await bench(
      "acquire + run + exit, cold (new worker each)",
      async () => {
        const worker = await pool.acquire();
        await worker.run({ kind: "test", payload: { do: "exit", code: 0 } }, () => ok()).exit;
      },
      { iterations: 20, warmup: 2 },
    ),
  );
  await pool.shutdown();
}
{
  const pool = new WorkerPool({ spares: 1 });
  await pool.whenWarm();
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    // Measured on a quiet machine: a replacement worker booting on the other core slows it ~5×.
    await pool.whenWarm();
    const worker = await pool.acquire();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const handle = worker.run({ kind: "test", payload: { do: "spin" } }, () => ok());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await handle.terminate();
    samples.push(performance.now() - started);
  }
  results.push(summarize("terminate a job in a hot loop (quiet machine)", samples));
  await pool.shutdown();
}

printTable(results);
