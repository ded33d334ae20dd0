/** Write-combining (output.ts): what is combined, and that the order of effects is kept. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Errno } from "../../kernel/abi.ts";
import { harness } from "./testing/harness.ts";

/** fd_write of `text` to `fd` through one iovec in guest memory; returns the errno. */
function writer(h: ReturnType<typeof harness>) {
  return (fd: number, text: string): number | bigint => {
    const [ptr, len] = h.put(1024, text);
    new DataView(h.memory.buffer).setUint32(0, ptr, true);
    new DataView(h.memory.buffer).setUint32(4, len, true);
    return h.call("fd_write", fd, 0, 1, 16);
  };
}

// A still clock unless a test moves it: combining must not depend on how fast the test runs.
beforeEach(() => {
  vi.spyOn(performance, "now").mockReturnValue(1000);
});
afterEach(() => vi.restoreAllMocks());

describe("write-combining", () => {
  it("sends the first write at once, combines the next ones and flushes at exit", () => {
    const h = harness("v3");
    const write = writer(h);
    for (let i = 0; i < 100; i++) expect(write(1, `${i}\n`)).toBe(0);
    expect(h.kernel.trace).toEqual(["WRITE", "FDSTAT"]);
    h.p.k.out.flush();
    expect(h.kernel.trace).toEqual(["WRITE", "FDSTAT", "WRITE"]);
    expect(h.kernel.stdout).toBe(Array.from({ length: 100 }, (_, i) => `${i}\n`).join(""));
  });

  it("never combines writes to a terminal", () => {
    const h = harness("v3", { tty: true });
    const write = writer(h);
    for (let i = 0; i < 3; i++) write(1, "x\n");
    expect(h.kernel.trace).toEqual(["WRITE", "FDSTAT", "WRITE", "WRITE"]);
  });

  it("never combines writes to a non-blocking fd (EAGAIN must reach the writer)", () => {
    const h = harness("v3");
    const write = writer(h);
    expect(h.call("fd_fdstat_set_flags", 1, 4)).toBe(0);
    for (let i = 0; i < 3; i++) write(1, "x");
    expect(h.kernel.trace).toEqual(["FD_SET_FLAGS", "WRITE", "FDSTAT", "WRITE", "WRITE"]);
  });

  it("flushes before any other syscall, so other effects follow the output", () => {
    const h = harness("v3", { stdin: "in" });
    const write = writer(h);
    write(1, "a");
    write(1, "b");
    write(1, "c");
    h.call("fd_read", 0, 0, 0, 16); // any syscall
    expect(h.kernel.trace).toEqual(["WRITE", "FDSTAT", "WRITE", "READ"]);
    expect(h.kernel.writes).toEqual([
      [1, "a"],
      [1, "bc"],
    ]);
  });

  it("keeps the order of writes across fds (2>&1 into one pipe stays interleaved)", () => {
    const h = harness("v3");
    const write = writer(h);
    const script: [number, string][] = [
      [1, "o1"],
      [1, "o2"],
      [1, "o3"],
      [2, "e1"],
      [2, "e2"],
      [2, "e3"],
      [1, "o4"],
      [1, "o5"],
    ];
    for (const [fd, text] of script) write(fd, text);
    h.p.k.out.flush();
    expect(h.kernel.writes.map(([fd, text]) => `${fd}:${text}`).join(" ")).toBe(
      "1:o1 1:o2o3 2:e1 2:e2e3 1:o4o5",
    );
  });

  it("flushes at 64 KiB and sends bigger writes straight through", () => {
    const h = harness("v3");
    const write = writer(h);
    write(1, "first");
    for (let i = 0; i < 20; i++) write(1, "y".repeat(4000));
    expect(h.kernel.writes.map(([, t]) => t.length)).toEqual([5, 64_000]);
    write(1, "z".repeat(30_000));
    write(1, "z".repeat(70_000));
    expect(h.kernel.writes.map(([, t]) => t.length)).toEqual([5, 64_000, 46_000, 70_000]);
  });

  it("flushes when 2 ms have passed since the first buffered byte", () => {
    const h = harness("v3");
    const write = writer(h);
    let now = 1000;
    vi.spyOn(performance, "now").mockImplementation(() => now);
    write(1, "a");
    write(1, "b");
    now += 1;
    write(1, "c");
    expect(h.kernel.writes).toHaveLength(1);
    now += 1.5;
    write(1, "d");
    expect(h.kernel.writes).toEqual([
      [1, "a"],
      [1, "bcd"],
    ]);
  });

  it("reports a failed flush on the next write to that fd", () => {
    let broken = false;
    const h = harness("v3", {
      override: (op) => (op === 2 && broken ? { errno: Errno.PIPE, values: [] } : undefined),
    });
    const write = writer(h);
    write(1, "a");
    expect(write(1, "b")).toBe(0);
    broken = true;
    h.p.k.out.flush();
    expect(write(1, "c")).toBe(Errno.PIPE);
  });

  it("forgets what it knew about an fd when the process replaces it", () => {
    const h = harness("v3", { files: { "/f": "" }, tty: true });
    const write = writer(h);
    write(1, "a");
    write(1, "b"); // terminal: not combined
    h.call("fd_close", 1);
    const rights = 1n << 6n;
    h.call("path_open", 0x4000_0003, 1, ...h.put(2000, "f"), 0, rights, 0n, 0, 8);
    expect(h.u32(8)).toBe(1);
    write(1, "c");
    write(1, "d");
    write(1, "e");
    h.p.k.out.flush();
    expect(Buffer.from(h.kernel.nodes.get("/f")!.data).toString()).toBe("cde");
    expect(h.kernel.writes.slice(2)).toEqual([
      [1, "c"],
      [1, "de"],
    ]);
  });
});
