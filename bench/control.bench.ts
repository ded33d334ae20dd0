/**
 * Control over runaway code: kill latency of a hot loop, event-loop lag while runaways spin, and
 * VM create/dispose churn. Run: `node --expose-gc bench/control.bench.ts` (`--quick`: fewer runs).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { AgentOS } from "../src/index.ts";
import { type BenchResult, printTable, summarize } from "./harness.ts";

const quick = process.argv.includes("--quick");
const results: BenchResult[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const vm = await AgentOS.create();
await vm.exec("echo warm");

// 1. killProcess → processExit for a hot loop (shell loop and a WASM command alternately).
const kills: number[] = [];
for (let i = 0; i < (quick ? 10 : 40); i++) {
  const { pid } = i % 2 ? await vm.spawn("yes", []) : await vm.spawn("sh", ["-c", "while true; do :; done"]);
  await sleep(50);
  const exited = new Promise<number>((resolve) =>
    vm.on("processExit", (e) => e.pid === pid && resolve(performance.now())),
  );
  const t0 = performance.now();
  vm.killProcess(pid, "SIGKILL");
  kills.push((await exited) - t0);
}
results.push(summarize("killProcess(SIGKILL) → processExit, hot loop", kills));

// 2. Event-loop lag while 2 runaways spin (a shell loop and `yes > /dev/null`), and a neighbour's echo.
const lag = monitorEventLoopDelay({ resolution: 1 });
const neighbour = await AgentOS.create();
await neighbour.exec("echo warm");
lag.enable();
const a = vm.exec("while true; do :; done", { timeout: 3000 });
const b = vm.exec("yes > /dev/null", { timeout: 3000 });
await sleep(200);
const echoes: number[] = [];
while (echoes.length < (quick ? 10 : 30)) {
  const t0 = performance.now();
  await neighbour.exec("echo ok");
  echoes.push(performance.now() - t0);
}
await Promise.all([a, b]);
lag.disable();
results.push({
  name: "event-loop lag during 2 runaways (3 s)",
  median: lag.percentile(50) / 1e6,
  p95: lag.percentile(99) / 1e6,
  min: lag.min / 1e6,
  n: lag.count,
  note: `p95 column = p99; max ${(lag.max / 1e6).toFixed(1)} ms`,
});
results.push(summarize("neighbour VM exec('echo ok') during 2 runaways", echoes));

// 3. Create/dispose 1 000 VMs (each runs one command), heap after GC before and after.
const gc = (globalThis as { gc?: () => void }).gc;
const heap = async () => {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(0);
  }
  return process.memoryUsage().heapUsed;
};
const cycles = quick ? 200 : 1000;
const before = await heap();
const t0 = performance.now();
for (let i = 0; i < cycles; i++) {
  const v = await AgentOS.create();
  await v.exec("echo hi");
  await v.dispose();
}
const perCycle = (performance.now() - t0) / cycles;
const after = await heap();
results.push({
  name: `create + exec + dispose × ${cycles}`,
  median: perCycle,
  p95: perCycle,
  min: perCycle,
  n: cycles,
  note: `heap ${(before / 1048576).toFixed(1)} → ${(after / 1048576).toFixed(1)} MiB (${((after - before) / cycles).toFixed(0)} B/cycle)${gc ? "" : ", no --expose-gc"}`,
});

await neighbour.dispose();
await vm.dispose();
printTable(results);
process.exit(0);
