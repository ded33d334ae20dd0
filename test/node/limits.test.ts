import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIG } from "../../src/kernel/abi.ts";
import { PipeEnd } from "../../src/kernel/descriptions.ts";
import { Pipe } from "../../src/kernel/pipe.ts";
import { createNodeVm, type NodeVm } from "./harness.ts";

let vm: NodeVm;
beforeAll(async () => {
  vm = await createNodeVm({ memoryLimitBytes: 64 << 20 });
});
afterAll(() => vm.dispose());

const USER = { uid: 1000, gid: 1000 };

async function spawnNode(args: string[]) {
  const out = new Pipe();
  const fds = vm.kernel.newFdTable();
  fds.set(1, new PipeEnd(out, "write"));
  fds.set(2, new PipeEnd(out, "write"));
  const proc = await vm.kernel.spawn({
    file: "node",
    argv: ["node", ...args],
    env: ["PATH=/usr/bin:/bin"],
    cwd: "/workspace",
    cred: USER,
    fds,
  });
  const reader = new PipeEnd(out, "read");
  const chunks: Uint8Array[] = [];
  const drained = (async () => {
    const io = { signal: new AbortController().signal };
    for (;;) {
      const d = await reader.read(65536, io);
      if (d.length === 0) break;
      chunks.push(d);
    }
  })();
  return { proc, output: () => drained.then(() => Buffer.concat(chunks).toString()) };
}

describe("node limits", () => {
  it("kills a hot loop within 100 ms", async () => {
    const { proc } = await spawnNode(["-e", "console.log('spinning'); for (;;) {}"]);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    vm.kernel.kill(vm.kernel.init, proc.pid, SIG.KILL);
    const status = await proc.whenExited();
    const ms = performance.now() - t0;
    expect(status.signal).toBe(SIG.KILL);
    expect(ms).toBeLessThan(100);
  });

  it("a memory bomb ends with a clear out-of-memory error", async () => {
    const { proc, output } = await spawnNode([
      "-e",
      "const a = []; for (;;) a.push('x'.repeat(1 << 20) + a.length);",
    ]);
    const status = await proc.whenExited();
    expect(status.exitCode).toBe(134);
    expect(await output()).toMatch(/JavaScript heap out of memory \(node memory limit 64 MiB\)/);
  });

  it("deep recursion is a RangeError, not a crash", async () => {
    const r = await vm.node([
      "-e",
      "function f(n) { return f(n + 1) + 1; } try { f(0) } catch (e) { console.log('caught', e.message) } f(0)",
    ]);
    expect(r.stdout).toMatch(/^caught /);
    expect(r.stderr).toMatch(/RangeError: Maximum call stack size exceeded/);
    expect(r.exitCode).toBe(1);
  });

  it("the host survives an uncaught exception and the worker is reused", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await vm.node(["-e", "throw new Error('x')"]);
      expect(r.exitCode).toBe(1);
    }
    const r = await vm.node(["-p", "'still fine'"]);
    expect(r.stdout).toBe("still fine\n");
  });
});
