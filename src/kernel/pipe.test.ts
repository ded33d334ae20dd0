import { describe, expect, it } from "vitest";
import { Errno } from "./abi.ts";
import { KernelError } from "./errors.ts";
import { PIPE_BUF, Pipe } from "./pipe.ts";

const never = new AbortController().signal;
const bytes = (n: number, v = 7) => new Uint8Array(n).fill(v);

function open(capacity?: number) {
  const p = new Pipe(capacity);
  p.readers = 1;
  p.writers = 1;
  return p;
}

describe("Pipe", () => {
  it("delivers bytes in order across chunk boundaries", async () => {
    const p = open();
    await p.write(new Uint8Array([1, 2, 3]), false, never);
    await p.write(new Uint8Array([4, 5]), false, never);
    expect([...(await p.read(4, false, never))]).toEqual([1, 2, 3, 4]);
    expect([...(await p.read(10, false, never))]).toEqual([5]);
  });

  it("blocks a reader until data arrives, and gives EOF when the last writer closes", async () => {
    const p = open();
    const pending = p.read(10, false, never);
    await p.write(new Uint8Array([9]), false, never);
    expect([...(await pending)]).toEqual([9]);
    const eof = p.read(10, false, never);
    p.closeWriter();
    expect((await eof).length).toBe(0);
  });

  it("bounds memory: a writer waits while the buffer is full", async () => {
    const p = open(1024);
    let done = false;
    const w = p.write(bytes(4096), false, never).then((n) => {
      done = true;
      return n;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    expect(p.size).toBe(1024);
    let got = 0;
    while (got < 4096) got += (await p.read(100_000, false, never)).length;
    expect(await w).toBe(4096);
  });

  it("fails writes with EPIPE once no reader is left, and drops buffered data", async () => {
    const p = open();
    await p.write(bytes(10), false, never);
    p.closeReader();
    expect(p.size).toBe(0);
    await expect(p.write(bytes(1), false, never)).rejects.toMatchObject({ errno: Errno.PIPE });
  });

  it("wakes a writer blocked on a full pipe with EPIPE when the reader goes", async () => {
    const p = open(16);
    const w = p.write(bytes(64), false, never);
    await new Promise((r) => setTimeout(r, 1));
    p.closeReader();
    expect(await w).toBe(16);
    await expect(p.write(bytes(1), false, never)).rejects.toBeInstanceOf(KernelError);
  });

  it("answers EAGAIN when non-blocking and keeps small writes atomic", async () => {
    const p = open(PIPE_BUF + 10);
    await expect(p.read(1, true, never)).rejects.toMatchObject({ errno: Errno.AGAIN });
    await p.write(bytes(20), true, never);
    await expect(p.write(bytes(PIPE_BUF), true, never)).rejects.toMatchObject({ errno: Errno.AGAIN });
    expect(p.size).toBe(20);
  });

  it("interrupts a blocked read with EINTR when the process is signalled", async () => {
    const p = open();
    const ac = new AbortController();
    const r = p.read(1, false, ac.signal);
    ac.abort();
    await expect(r).rejects.toMatchObject({ errno: Errno.INTR });
  });
});
