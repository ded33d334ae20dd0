/** grep as a process: killed mid-regex without blocking the host; throughput against the WASM grep. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIG } from "../../src/kernel/abi.ts";
import { type BuiltinVm, bootBuiltinVm } from "./harness.ts";

let vm: BuiltinVm;

beforeAll(async () => {
  vm = await bootBuiltinVm({ withWasm: true });
  await vm.pool.whenWarm();
});
afterAll(() => vm?.dispose());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("grep builtin as a process", () => {
  it("is killed within 100 ms in a pathological regex while the host stays responsive", async () => {
    await vm.vfs.writeFile("/work/aaa.txt", `${"a".repeat(64)}\n`);
    const { proc, result } = await vm.spawn(["grep", "-E", "(a*)*b", "aaa.txt"]);
    await sleep(50); // the worker is deep in backtracking by now
    let worst = 0;
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await sleep(5);
      worst = Math.max(worst, performance.now() - t - 5);
    }
    // A host blocked by the regex would stall for seconds; allow for parallel test files booting workers.
    expect(worst).toBeLessThan(250);
    expect(proc.alive).toBe(true);
    expect(vm.pool.stats().busy).toBeGreaterThan(0);
    const t0 = performance.now();
    vm.kernel.kill(vm.kernel.init, proc.pid, SIG.KILL);
    const status = await proc.whenExited();
    expect(status).toEqual({ exitCode: 128 + SIG.KILL, signal: SIG.KILL });
    while (vm.pool.stats().busy > 0) await sleep(1);
    const elapsed = performance.now() - t0;
    console.log(
      `killed after ${elapsed.toFixed(1)} ms; worst event-loop lag meanwhile ${worst.toFixed(1)} ms`,
    );
    expect(elapsed).toBeLessThan(100);
    expect((await result).stdout.byteLength).toBe(0);
  });

  it("runs egrep and fgrep, and warns about directory loops under -R", async () => {
    const stdin = "a|b\nab\nb\n";
    expect((await vm.run(["egrep", "a|b"], { stdin })).stdout.toString()).toBe("a|b\nab\nb\n");
    expect((await vm.run(["fgrep", "a|b"], { stdin })).stdout.toString()).toBe("a|b\n");
    expect((await vm.run(["egrep", "-F", "x"], { stdin })).code).toBe(2);
    await vm.writeTree("/work/loop", { "f.txt": "hit\n", up: { symlink: ".." } });
    const r = await vm.run(["grep", "-R", "hit", "loop"]);
    expect(r.stdout.toString()).toBe("loop/f.txt:hit\n");
    expect(r.stderr).toBe("grep: loop/up/loop: warning: recursive directory loop\n");
    expect(r.code).toBe(0);
  });

  it("searches 5 MB through a pipeline (cat | grep 7 | wc -l) like the WASM grep", async () => {
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const line = `${i} lorem ipsum dolor sit amet ${(i * 7919) % 100003}`;
      lines.push(line);
      size += line.length + 1;
    }
    const text = `${lines.join("\n")}\n`;
    const expected = lines.filter((l) => l.includes("7")).length;
    await vm.vfs.writeFile("/work/5mb.txt", text);
    const time = async (argvs: string[][]) => {
      const t = performance.now();
      const r = await vm.pipeline(argvs);
      return { ms: performance.now() - t, out: r.stdout.toString().trim(), codes: r.codes };
    };
    // Warm both paths once (module compilation, worker spares).
    await time([
      ["cat", "5mb.txt"],
      ["grep", "7"],
      ["wc", "-l"],
    ]);
    await time([
      ["cat", "5mb.txt"],
      ["/bin/grep", "7"],
      ["wc", "-l"],
    ]);
    const builtin = await time([
      ["cat", "5mb.txt"],
      ["grep", "7"],
      ["wc", "-l"],
    ]);
    const wasm = await time([
      ["cat", "5mb.txt"],
      ["/bin/grep", "7"],
      ["wc", "-l"],
    ]);
    const direct = await time([["grep", "-c", "7", "5mb.txt"]]);
    console.log(
      `cat 5mb | grep 7 | wc -l: builtin ${builtin.ms.toFixed(0)} ms, wasm ${wasm.ms.toFixed(0)} ms; ` +
        `grep -c 7 5mb: ${direct.ms.toFixed(0)} ms (${expected} matching lines of ${lines.length})`,
    );
    expect(builtin.out).toBe(String(expected));
    expect(wasm.out).toBe(String(expected));
    expect(direct.out).toBe(String(expected));
    expect(builtin.codes).toEqual([0, 0, 0]);
  });
});
