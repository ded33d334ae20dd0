/**
 * Agent session benchmarks (issue: sessions): the overhead a "pi" session adds to each tool call,
 * with the scripted model (so no network): one model turn per call, Pi's agent loop, the ACP event
 * mapping and transcript, and the VM operation itself. "Overhead" subtracts the same operation
 * called directly on the VM. Target: ≤ 2 ms per tool call beyond the command itself.
 * Run: node bench/sessions.bench.ts [--quick]
 */

import { SessionManager, type SessionManagerOptions } from "../src/agents/index.ts";
import { reply, type ScriptStep, scriptedModel } from "../src/testing/index.ts";
import { AgentOS } from "../src/vm.ts";
import { type BenchResult, bench, printTable, summarize } from "./harness.ts";

const quick = process.argv.includes("--quick");
const CALLS = quick ? 10 : 40;
const ROUNDS = quick ? 3 : 10;
const results: BenchResult[] = [];

const vm = await AgentOS.create();
await vm.writeFile("/workspace/small.txt", "hello\n".repeat(20));

let t = performance.now();
{
  const m = scriptedModel(["hi"]);
  const s = new SessionManager(vm, () => true);
  await s.sendPrompt(await s.createSession("pi", { model: m.model }), "hi");
  m.dispose();
}
results.push({
  name: "first session of the process (imports Pi) + prompt",
  median: performance.now() - t,
  p95: 0,
  min: 0,
  n: 1,
});

t = performance.now();
const fresh = new SessionManager(vm, () => true);
const warmModel = scriptedModel([]);
for (let i = 0; i < 20; i++) await fresh.createSession("pi", { model: warmModel.model });
results.push({ name: "createSession (warm)", median: (performance.now() - t) / 20, p95: 0, min: 0, n: 20 });
warmModel.dispose();

/** ms per tool call for a prompt that makes `CALLS` calls of `step`, one per model turn. */
async function perCall(
  name: string,
  step: ScriptStep,
  options: SessionManagerOptions = {},
): Promise<BenchResult> {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS + 1; round++) {
    const steps: ScriptStep[] = Array.from({ length: CALLS }, () => step);
    steps.push("done");
    const m = scriptedModel(steps);
    const sessions = new SessionManager(vm, () => true, options);
    const id = await sessions.createSession("pi", { model: m.model });
    const started = performance.now();
    await sessions.sendPrompt(id, "go");
    const ms = (performance.now() - started) / CALLS;
    if (round > 0) samples.push(ms);
    m.dispose();
  }
  return summarize(name, samples);
}

const exec = await bench("vm.exec('true') (direct)", () => vm.exec("true"), {
  iterations: quick ? 30 : 100,
  warmup: 10,
});
const read = await bench("vm.readFile (direct)", () => vm.readFile("/workspace/small.txt"), {
  iterations: 200,
  warmup: 20,
});
results.push(exec, read);

const bashCall = await perCall(
  "bash tool call 'true' (model turn + tool)",
  reply.tool("bash", { command: "true" }),
);
bashCall.note = `overhead ≈ ${(bashCall.median - exec.median).toFixed(2)} ms`;
const readCall = await perCall(
  "read tool call (model turn + tool)",
  reply.tool("read", { path: "small.txt" }),
);
readCall.note = `overhead ≈ ${(readCall.median - read.median).toFixed(2)} ms`;
const approved = await perCall(
  "read tool call, policy ask + hook",
  reply.tool("read", { path: "small.txt" }),
  {
    permissions: "ask",
    onPermissionRequest: () => "once",
  },
);
approved.note = `overhead ≈ ${(approved.median - read.median).toFixed(2)} ms`;
results.push(bashCall, readCall, approved);

const section = new SessionManager(vm, () => true);
{
  const steps: ScriptStep[] = Array.from({ length: 200 }, () => reply.tool("read", { path: "small.txt" }));
  steps.push("done");
  const m = scriptedModel(steps);
  await section.sendPrompt(await section.createSession("pi", { model: m.model }), "go");
  m.dispose();
}
const bytes = section.toSnapshotSection();
const snap = await bench("toSnapshotSection (200 tool calls)", () => section.toSnapshotSection(), {
  iterations: 50,
});
snap.note = `${(bytes.length / 1024).toFixed(0)} KiB`;
results.push(
  snap,
  await bench("fromSnapshotSection (same)", () => SessionManager.fromSnapshotSection(bytes, vm, () => true), {
    iterations: 50,
  }),
);

printTable(results);
await vm.dispose();
