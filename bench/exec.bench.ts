/**
 * Process benchmarks (issue: the kernel): VM boot + first exec, warm exec, pipelines over real
 * data, and the raw syscall round trip. Run: node bench/exec.bench.ts [--quick]
 * Targets on a 2-core machine are in docs/benchmarks.md.
 */

import { AgentOS } from "../src/index.ts";
import { Sys } from "../src/kernel/abi.ts";
import { type BenchResult, bench, printTable } from "./harness.ts";

const quick = process.argv.includes("--quick");
const n = (full: number) => (quick ? Math.max(3, Math.ceil(full / 5)) : full);
const results: BenchResult[] = [];

// The first VM of a process also builds the base image and compiles the shell: report it apart.
let t = performance.now();
const first = await AgentOS.create();
await first.exec("echo hello");
results.push({
  name: "first VM of the process + exec (compiles sh)",
  median: performance.now() - t,
  p95: 0,
  min: 0,
  n: 1,
});

results.push(
  await bench(
    "VM create + first exec('echo hello')",
    async () => {
      const vm = await AgentOS.create();
      await vm.exec("echo hello");
      await vm.dispose();
    },
    { iterations: n(50), warmup: 5 },
  ),
);

const vm = await AgentOS.create();
results.push(
  await bench("warm exec('echo hello')", () => vm.exec("echo hello"), { iterations: n(200), warmup: 20 }),
);

const lines = Array.from({ length: 400_000 }, (_, i) => `line ${i} ${(i * 7919) % 100003}`).join("\n");
await vm.writeFile("/tmp/5mb.txt", lines.slice(0, 5 * 1024 * 1024));
const words = Array.from({ length: 100_000 }, (_, i) => `w${(i * 2654435761) % 50_000}`).join("\n");
await vm.writeFile("/tmp/100k.txt", `${words}\n`);

const check = async (cmd: string, expect?: string) => {
  const r = await vm.exec(cmd);
  if (r.exitCode !== 0 || (expect !== undefined && r.stdout.trim() !== expect)) {
    throw new Error(
      `${cmd}: exit ${r.exitCode}, stdout ${JSON.stringify(r.stdout.slice(0, 200))}, stderr ${r.stderr.slice(0, 200)}`,
    );
  }
};
results.push(
  await bench("cat 5MB | grep 7 | wc -l", () => check("cat /tmp/5mb.txt | grep 7 | wc -l"), {
    iterations: n(20),
    warmup: 2,
  }),
);
results.push(
  await bench("sort 100k lines | uniq | wc -l", () => check("sort /tmp/100k.txt | uniq | wc -l"), {
    iterations: n(10),
    warmup: 1,
  }),
);
results.push(
  await bench("yes | head -n 1000000 | wc -l", () => check("yes | head -n 1000000 | wc -l", "1000000"), {
    iterations: n(10),
    warmup: 1,
  }),
);

// Syscall round trip as a process sees it: GETPID from a host command is in-thread, so measure
// the channel with a WASM process issuing many cheap syscalls instead: `[ -e f ]` loops stat.
const proc = vm.kernel.processes;
void proc;
t = performance.now();
const loops = 2000;
await check(`i=0; while [ $i -lt ${loops} ]; do i=$((i+1)); done`);
const loopMs = performance.now() - t;
const counter = { n: 0 };
const orig = vm.kernel.syscall.bind(vm.kernel);
vm.kernel.syscall = (p, op, args) => {
  counter.n++;
  return orig(p, op, args);
};
t = performance.now();
await check("for f in $(seq 1 500); do [ -e /tmp/nope$f ]; done; true");
const statMs = performance.now() - t;
vm.kernel.syscall = orig;
results.push({
  name: "syscall round trip (stat from the shell)",
  median: statMs / Math.max(1, counter.n),
  p95: 0,
  min: 0,
  n: counter.n,
  note: `${counter.n} syscalls in ${statMs.toFixed(0)} ms; shell loop of ${loops}: ${loopMs.toFixed(0)} ms`,
});
void Sys;
printTable(results);
process.exit(0);
