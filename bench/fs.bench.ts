/**
 * Filesystem benchmarks: VM boot on the shared base image, creating many files, reading them back,
 * fork, snapshot and restore, against memfs as a peer (an in-memory Node-fs implementation).
 * Run: node bench/fs.bench.ts
 */

import { Volume } from "memfs";
import { AgentOS } from "../src/index.ts";
import { bench, printTable } from "./harness.ts";

const N = 10_000;
const payload = "x".repeat(100);

async function filledVm(): Promise<AgentOS> {
  const vm = await AgentOS.create();
  await vm.mkdir("/data");
  for (let i = 0; i < N; i++) await vm.writeFile(`/data/f${i}`, payload);
  return vm;
}

const results = [];
await AgentOS.create(); // build the base image once, as every later VM of the process shares it
results.push(await bench("AgentOS.create() (filesystem only)", () => AgentOS.create(), { iterations: 200 }));
results.push(await bench(`write ${N} files of 100 B`, filledVm, { iterations: 10, warmup: 2 }));
results.push(
  await bench(
    `memfs: write ${N} files of 100 B`,
    async () => {
      const vol = new Volume();
      vol.mkdirSync("/data");
      for (let i = 0; i < N; i++) await vol.promises.writeFile(`/data/f${i}`, payload);
    },
    { iterations: 10, warmup: 2 },
  ),
);
const vm = await filledVm();
results.push(
  await bench(
    `read ${N} files`,
    async () => {
      for (let i = 0; i < N; i++) await vm.readFile(`/data/f${i}`);
    },
    { iterations: 10, warmup: 2 },
  ),
);
results.push(await bench(`fork a VM holding ${N} files`, () => vm.fork(), { iterations: 200 }));
let snap: Uint8Array = new Uint8Array();
results.push(
  await bench(
    `snapshot ${N} files`,
    async () => {
      snap = await vm.snapshot();
    },
    { iterations: 10, warmup: 2 },
  ),
);
results[results.length - 1]!.note = `${(snap.length / 1024).toFixed(0)} KiB`;
// Restoring the same bytes twice reuses the already-decoded (immutable) layer, so each timed
// restore gets snapshots of its own.
const fresh: Uint8Array[] = [];
for (let i = 0; i < 12; i++) fresh.push(await vm.snapshot());
results.push(
  await bench(`restore ${N} files`, () => AgentOS.restore(fresh.pop()!), { iterations: 10, warmup: 2 }),
);
const heapBefore = process.memoryUsage().heapUsed;
const vms = [];
for (let i = 0; i < 1000; i++) vms.push(await AgentOS.create());
const perVm = (process.memoryUsage().heapUsed - heapBefore) / 1000;
results.push({
  name: "heap per idle VM (1000 VMs)",
  median: 0,
  p95: 0,
  min: 0,
  n: 1000,
  note: `${(perVm / 1024).toFixed(1)} KiB`,
});
printTable(results);
process.exit(0);
