/**
 * Runaway and hostile commands: each is contained by the right named limit, the host's event loop
 * stays responsive, and a neighbour VM keeps working. See docs/limits.md.
 *
 * Event-loop lag is asserted loosely (p99 under 50 ms; 2-core CI machines are noisy); the measured
 * numbers are printed. The fork bomb is the exception, see its test.
 */
import { execFileSync } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AgentOS } from "../../src/index.ts";
import { SIG } from "../../src/kernel/abi.ts";
import { LimitError, type LimitWarning } from "../../src/kernel/limits.ts";
import type { ExecResult } from "../../src/proc/host-processes.ts";

let vm: AgentOS;
let neighbour: AgentOS;

beforeAll(async () => {
  vm = await AgentOS.create({ limits: { maxBytes: 8 * 1024 * 1024 } });
  neighbour = await AgentOS.create();
  await vm.exec("echo warm");
  await neighbour.exec("echo warm");
});
afterAll(async () => {
  await vm?.dispose();
  await neighbour?.dispose();
});

interface Measured {
  result: ExecResult;
  ms: number;
  lagP99: number;
  lagMax: number;
  neighbourMs: number;
}

/** Runs a hostile command while measuring event-loop lag and a neighbour VM's `echo ok`. */
async function contained(command: string, options: Parameters<AgentOS["exec"]>[1] = {}): Promise<Measured> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  const run = vm.exec(command, options);
  await new Promise((r) => setTimeout(r, 100));
  const n0 = performance.now();
  const echo = await neighbour.exec("echo ok");
  const neighbourMs = performance.now() - n0;
  expect(echo.stdout).toBe("ok\n");
  const result = await run;
  const ms = performance.now() - t0;
  h.disable();
  const m = { result, ms, lagP99: h.percentile(99) / 1e6, lagMax: h.max / 1e6, neighbourMs };
  console.log(
    `${JSON.stringify(command)}: ${ms.toFixed(0)} ms, exit ${result.exitCode} ${result.signal ?? ""} ${result.limit ?? ""},` +
      ` lag p99 ${m.lagP99.toFixed(1)} ms max ${m.lagMax.toFixed(1)} ms, neighbour echo ${neighbourMs.toFixed(0)} ms`,
  );
  return m;
}

function expectKilledBy(m: Measured, limit: string): void {
  expect(m.result).toMatchObject({ exitCode: 137, signal: "SIGKILL", limit });
}

describe("hard limits kill the command and name the limit", () => {
  test("hot loop in the shell: CPU time", async () => {
    const warnings: LimitWarning[] = [];
    const m = await contained("while true; do :; done", {
      limits: { cpuTimeMs: 700 },
      onLimitWarning: (w) => warnings.push(w),
    });
    expectKilledBy(m, "LIMIT_CPU_TIME");
    expect(warnings.map((w) => w.code)).toEqual(["LIMIT_CPU_TIME"]);
    expect(m.ms).toBeLessThan(700 + 500);
    expect(m.lagP99).toBeLessThan(50);
  });

  test("hot loop in a WASM command: CPU time", async () => {
    const m = await contained("yes > /dev/null", { limits: { cpuTimeMs: 700 } });
    expectKilledBy(m, "LIMIT_CPU_TIME");
    expect(m.lagP99).toBeLessThan(50);
  });

  test("a sleeping command uses no CPU time; wall time ends it", async () => {
    // Sleeping 1.5 s under a 1 s CPU limit: only counted work (start-up, not the sleep) may count,
    // with room for a loaded 2-core machine where waiting for a core counts as CPU time.
    const ok = await vm.exec("sleep 1.5", { limits: { cpuTimeMs: 1000 } });
    expect(ok).toMatchObject({ exitCode: 0 });
    expect(ok.limit).toBeUndefined();
    const m = await contained("sleep 10", { limits: { wallTimeMs: 400 } });
    expectKilledBy(m, "LIMIT_WALL_TIME");
    expect(m.result.timedOut).toBe(true);
    expect(m.ms).toBeLessThan(1000);
  });

  test("exec timeout is the wall-time limit", async () => {
    const r = await vm.exec("while true; do :; done", { timeout: 300 });
    expect(r).toMatchObject({ exitCode: 137, signal: "SIGKILL", timedOut: true, limit: "LIMIT_WALL_TIME" });
  });

  test("memory bomb: a shell variable doubling forever", async () => {
    const m = await contained("x=a; while true; do x=$x$x; done", {
      limits: { memoryBytes: 64 * 1024 * 1024 },
    });
    expectKilledBy(m, "LIMIT_MEMORY");
    expect(m.lagP99).toBeLessThan(50);
  });

  test("memory bomb under the default limit (512 MiB)", async () => {
    const m = await contained("x=a; while true; do x=$x$x; done");
    expectKilledBy(m, "LIMIT_MEMORY");
  });

  test("output flood: yes", async () => {
    const warnings: string[] = [];
    const m = await contained("yes", {
      limits: { outputBytes: 4 * 1024 * 1024 },
      onLimitWarning: (w) => warnings.push(w.code),
    });
    expectKilledBy(m, "LIMIT_OUTPUT");
    expect(m.result.stdout.length).toBe(4 * 1024 * 1024);
    expect(m.result.outputTruncated).toBe(true);
    expect(warnings).toEqual(["LIMIT_OUTPUT"]);
    // The host itself does this work (draining 64 KiB chunks, joining 4 MiB): a short run whose
    // p99 is its worst sample, and other test files share the 2 cores. Loose bound.
    expect(m.lagP99).toBeLessThan(150);
  });

  test("fork bomb: the process limit", async () => {
    // `:(){ :|:& };:` itself: brush runs its builtin `:` before a function of that name, so it
    // ends at once. The same bomb under a real name does multiply.
    const literal = await vm.exec(":(){ :|:& };:");
    expect(literal.exitCode).toBe(0);
    const m = await contained("bomb(){ bomb|bomb& }; bomb", { limits: { maxProcesses: 32 } });
    expect(m.result.limit).toBe("LIMIT_PROCESSES");
    // Every process of the bomb is gone, and the VM works.
    await new Promise((r) => setTimeout(r, 100));
    expect(vm.kernel.liveCount).toBe(0);
    expect((await vm.exec("echo ok")).stdout).toBe("ok\n");
    // Known gap (docs/limits.md): creating and tearing down dozens of worker threads stalls the
    // host thread in V8/OS locks for tens of ms at a time; only a loose bound is asserted.
    expect(m.lagP99).toBeLessThan(400);
    expect(m.neighbourMs).toBeLessThan(3000);
  });
});

describe("soft limits answer an errno and are named", () => {
  test("disk fill: yes > f ends with ENOSPC", async () => {
    const warnings: string[] = [];
    const m = await contained("yes > /tmp/fill; echo status $?", {
      onLimitWarning: (w) => warnings.push(w.code),
    });
    expect(m.result.stderr).toMatch(/No space left on device/);
    expect(m.result.stdout).toBe("status 1\n");
    expect(m.result.limit).toBe("ENOSPC");
    expect(warnings).toContain("ENOSPC");
    await vm.exec("rm -f /tmp/fill");
  });

  test("fd exhaustion: EMFILE", async () => {
    const m = await contained(
      'i=3; while true; do eval "exec $i</dev/null" || break; i=$((i+1)); done; echo "at $i"',
      {
        limits: { maxOpenFiles: 64 },
      },
    );
    // brush panics on EMFILE (134) instead of reporting it; either way the limit is named.
    expect(m.result.limit).toBe("LIMIT_FDS");
  });

  test("the VM's process limit refuses a new command with a LimitError", async () => {
    const small = await AgentOS.create();
    try {
      const pids: number[] = [];
      const max = small.kernel.maxProcesses;
      for (let i = 0; i < max; i++) pids.push((await small.spawn("sleep", ["10"])).pid);
      const error = await small.exec("echo no").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LimitError);
      expect(error).toMatchObject({ code: "LIMIT_PROCESSES", limit: max });
    } finally {
      await small.dispose();
    }
  });
});

describe("crashes and signals", () => {
  test("deep recursion: a stack overflow ends the shell with 134", async () => {
    const m = await contained("f(){ f; }; f");
    expect(m.result.exitCode).toBe(134);
    expect(m.result.stderr).toMatch(/fatal/);
  });

  test("a process that ignores SIGTERM: stopProcess escalates to SIGKILL", async () => {
    const { pid } = await vm.spawn("sh", ["-c", "while true; do :; done"]);
    const exited = new Promise<{ exitCode: number; signal?: string }>((resolve) =>
      vm.on("processExit", (e) => e.pid === pid && resolve(e)),
    );
    // WASM programs cannot catch signals, but may ignore them (SIG_IGN), as brush's `trap '' TERM`
    // would: set that disposition as the kernel's sigaction does.
    vm.kernel.processes.get(pid)!.ignored.add(SIG.TERM);
    await new Promise((r) => setTimeout(r, 100));
    vm.killProcess(pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    expect(vm.kernel.processes.get(pid)?.alive).toBe(true);
    const t0 = performance.now();
    await vm.stopProcess(pid, 200);
    const ms = performance.now() - t0;
    expect(await exited).toMatchObject({ exitCode: 137, signal: "SIGKILL" });
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(200 + 100);
  });

  test("killing a hot loop stops it within 100 ms; its worker is replaced", async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { pid } = await vm.spawn(i % 2 ? "yes" : "sh", i % 2 ? [] : ["-c", "while true; do :; done"], {});
      await new Promise((r) => setTimeout(r, 150));
      const exited = new Promise<number>((resolve) =>
        vm.on("processExit", (e) => e.pid === pid && resolve(performance.now())),
      );
      const t0 = performance.now();
      vm.killProcess(pid, "SIGKILL");
      latencies.push((await exited) - t0);
    }
    console.log(`kill → processExit: ${latencies.map((l) => l.toFixed(1)).join(", ")} ms`);
    expect(Math.max(...latencies)).toBeLessThan(100);
    expect((await vm.exec("echo ok")).stdout).toBe("ok\n");
  });

  test("two runaways at once: the host stays responsive, a neighbour works", async () => {
    const a = vm.exec("while true; do :; done", { timeout: 1500 });
    const m = await contained("yes > /dev/null", { timeout: 1500 });
    expect((await a).limit).toBe("LIMIT_WALL_TIME");
    expectKilledBy(m, "LIMIT_WALL_TIME");
    // Loose bounds for CI (other test files share the 2 cores); bench/control.bench.ts reports
    // the quiet-machine figures (p99 7.5 ms).
    expect(m.lagP99).toBeLessThan(150);
    expect(m.neighbourMs).toBeLessThan(1500);
  });
});

describe("dispose", () => {
  test("kills everything the VM runs", async () => {
    const other = await AgentOS.create();
    const { pid } = await other.spawn("sh", ["-c", "while true; do :; done"]);
    const bg = other.exec("yes > /dev/null");
    await new Promise((r) => setTimeout(r, 100));
    expect(other.kernel.liveCount).toBeGreaterThanOrEqual(2); // the shells (and `yes`)
    await other.dispose();
    expect(other.kernel.liveCount).toBe(0);
    expect((await bg).exitCode).toBe(137);
    expect(pid).toBeGreaterThan(0);
  });

  test("repeated create/exec/dispose cycles do not grow the heap", { timeout: 60_000 }, () => {
    const script = fileURLToPath(new URL("./fixtures/dispose-cycles.ts", import.meta.url));
    const out = execFileSync(process.execPath, ["--expose-gc", script, "100"], { encoding: "utf8" });
    const m = JSON.parse(out.trim().split("\n").pop()!) as {
      warm: number;
      after: number;
      perCycleBytes: number;
    };
    console.log(
      `dispose cycles: heap ${(m.warm / 1048576).toFixed(1)} → ${(m.after / 1048576).toFixed(1)} MiB, ${m.perCycleBytes.toFixed(0)} B/cycle`,
    );
    // A leaked VM (its filesystem layer, kernel, fd tables) would cost well over 10 KB per cycle;
    // 100 cycles leave a few KB of noise per cycle.
    expect(m.perCycleBytes).toBeLessThan(10_000);
  });
});
