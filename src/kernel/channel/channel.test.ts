import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ok, type SyscallArg, type SyscallResult } from "./codec.ts";
import { SyscallChannel, type SyscallChannelOptions, type SyscallHandler } from "./host.ts";
import { ERRNO_EINTR, ERRNO_EIO } from "./protocol.ts";
import type { CallBatch } from "./testing/call-worker.ts";

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

function start(handler: SyscallHandler, options?: SyscallChannelOptions) {
  const channel = new SyscallChannel(handler, options);
  const worker = new Worker(new URL("./testing/call-worker.ts", import.meta.url), {
    workerData: { channel: channel.endpoint },
    transferList: [channel.endpoint.port],
  });
  workers.push(worker);
  const run = (batch: CallBatch) =>
    new Promise<SyscallResult[]>((resolve, reject) => {
      worker.once("message", (m: { results?: SyscallResult[]; error?: unknown }) =>
        m.results ? resolve(m.results) : reject(m.error),
      );
      worker.once("error", reject);
      worker.postMessage(batch);
    });
  return { channel, worker, run };
}

const echo: SyscallHandler = (op, args) => ({ errno: op, values: args });

/** Deep equality of big byte arrays is slow in expect(); compare natively. */
function sameBytes(a: unknown, b: Uint8Array): boolean {
  return a instanceof Uint8Array && Buffer.compare(a, b) === 0;
}

function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe("SyscallChannel", () => {
  it("round-trips every value type and the errno", async () => {
    const args: SyscallArg[] = [
      7,
      -0,
      1.25,
      Number.NaN,
      2 ** 40,
      -5n,
      2n ** 64n - 1n,
      "",
      "ünï 🌍",
      pattern(9, 1),
    ];
    const { run } = start(echo);
    const [result] = await run({ calls: [{ op: 42, args }] });
    expect(result!.errno).toBe(42);
    expect(result!.values).toHaveLength(args.length);
    result!.values.forEach((v, i) => {
      if (v instanceof Uint8Array) expect(v).toEqual(args[i]);
      else expect(Object.is(v, args[i])).toBe(true);
    });
  });

  it("moves 4 MiB each way, in chunks, also with a small data area", async () => {
    for (const dataBytes of [undefined, 4104]) {
      const seen: number[] = [];
      const { run } = start(
        (_op, [bytes, text]) => {
          const input = bytes as Uint8Array;
          seen.push(input.byteLength, (text as string).length);
          expect(sameBytes(input, pattern(4 << 20, 3))).toBe(true);
          return ok(pattern(4 << 20, 5), "é".repeat(300_000), 1n);
        },
        { dataBytes },
      );
      const [result] = await run({ calls: [{ op: 1, args: [pattern(4 << 20, 3), "x".repeat(2_000_000)] }] });
      expect(seen).toEqual([4 << 20, 2_000_000]);
      expect(sameBytes(result!.values[0], pattern(4 << 20, 5))).toBe(true);
      expect(result!.values[1]).toBe("é".repeat(300_000));
      expect(result!.values[2]).toBe(1n);
    }
  });

  it("needs a data area that keeps byte payloads aligned", () => {
    expect(() => new SyscallChannel(null, { dataBytes: 4093 })).toThrow(RangeError);
  });

  it("waits for asynchronous answers", async () => {
    const { run } = start(async (op, args) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return ok(op * 2, ...args);
    });
    const started = performance.now();
    const results = await run({
      calls: [
        { op: 3, args: ["a"] },
        { op: 4, args: [] },
      ],
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(results.map((r) => r.values)).toEqual([[6, "a"], [8]]);
  });

  it("answers EIO when a handler throws, rejects or answers garbage, and logs it", async () => {
    const onHandlerError = vi.fn();
    const { run } = start(
      async (op) => {
        if (op === 1) throw new Error("sync-ish boom");
        if (op === 2) return Promise.reject(new Error("async boom"));
        if (op === 3) return { errno: 0, values: [{} as unknown as SyscallArg] };
        return ok("fine");
      },
      { onHandlerError },
    );
    const throwing = start(
      () => {
        throw new Error("boom");
      },
      { onHandlerError },
    );
    const results = await run({ calls: [1, 2, 3, 4].map((op) => ({ op, args: [] })) });
    expect(results.map((r) => r.errno)).toEqual([ERRNO_EIO, ERRNO_EIO, ERRNO_EIO, 0]);
    expect(results[3]!.values).toEqual(["fine"]);
    const [thrown] = await throwing.run({ calls: [{ op: 9, args: [] }] });
    expect(thrown!.errno).toBe(ERRNO_EIO);
    expect(onHandlerError).toHaveBeenCalledTimes(4);
    expect(onHandlerError.mock.calls.map((c) => c[1])).toEqual([1, 2, 3, 9]);
  });

  it("keeps step over 1000 sequential calls", async () => {
    let count = 0;
    const { run } = start((op, [s]) => ok(++count, op, s as string));
    const [result] = await run({ calls: [{ op: 5, args: ["seq"] }], repeat: 1000 });
    expect(count).toBe(1000);
    expect(result!.values).toEqual([1000, 5, "seq"]);
  });

  it("serves concurrent workers independently", async () => {
    const runs = Array.from({ length: 4 }, (_, id) => {
      const { run } = start(async (op, args) => {
        if (op % 3 === 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        return ok(id, op, ...args);
      });
      const calls = Array.from({ length: 50 }, (_, i) => ({ op: i, args: [`w${id}`, pattern(i * 100, id)] }));
      return run({ calls }).then((results) => {
        results.forEach((r, i) => {
          expect(r.values).toEqual([id, i, `w${id}`, pattern(i * 100, id)]);
        });
      });
    });
    await Promise.all(runs);
  });

  it("drops the answer of a call whose worker was terminated", async () => {
    const answers: ((r: SyscallResult) => void)[] = [];
    const onHandlerError = vi.fn();
    const { worker, run, channel } = start(
      () => new Promise<SyscallResult>((resolve) => answers.push(resolve)),
      { onHandlerError },
    );
    run({ calls: [{ op: 1, args: [] }] }).catch(() => {});
    while (answers.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await worker.terminate();
    answers[0]!(ok("too late"));
    channel.close();
    channel.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(onHandlerError).not.toHaveBeenCalled();
  });

  it("interrupts a blocked call by answering it early (EINTR)", async () => {
    const waiters: ((r: SyscallResult) => void)[] = [];
    const { run } = start(() => new Promise<SyscallResult>((resolve) => waiters.push(resolve)));
    const pending = run({ calls: [{ op: 1, args: [] }] });
    while (waiters.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    waiters[0]!({ errno: ERRNO_EINTR, values: [] });
    const [result] = await pending;
    expect(result!.errno).toBe(ERRNO_EINTR);
  });
});
