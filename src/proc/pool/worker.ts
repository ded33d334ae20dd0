/**
 * Entry point of a pool worker. Loaded by Node itself (also under vitest), so it and everything it
 * imports must be erasable TypeScript with explicit `.ts` import paths.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { SyscallClient } from "../../kernel/channel/index.ts";
import type { HostToWorker, JobModule, WorkerInit, WorkerToHost } from "./types.ts";

const init = workerData as WorkerInit;

// Guest code runs at a lower priority than the host thread, so a runaway (or a hundred) cannot
// starve the host's event loop: on Linux a thread's own id (from /proc/thread-self) is a valid
// target for setpriority(2), and raising one's niceness needs no privilege.
if (init.nice) {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, init.nice);
  } catch {
    // Not Linux, or no /proc: the worker keeps the host's priority.
  }
}
const port = parentPort!;
const syscall = new SyscallClient(init.channel);
const modules = new Map<string, Promise<JobModule>>();

function load(url: string): Promise<JobModule> {
  let module = modules.get(url);
  if (!module) {
    module = import(url).then((m: Partial<JobModule>) => {
      if (typeof m.runJob !== "function") throw new TypeError(`${url} does not export runJob()`);
      return m as JobModule;
    });
    modules.set(url, module);
  }
  return module;
}

function post(message: WorkerToHost): void {
  port.postMessage(message);
}

/** What a job could leave behind that would leak into the next one. */
function footprint(): string {
  return `${process.getActiveResourcesInfo().sort().join()}|${Object.getOwnPropertyNames(globalThis).length}`;
}

async function run(message: HostToWorker): Promise<void> {
  try {
    const module = await load(message.module);
    const before = footprint();
    const code = await module.runJob(message.payload, { kind: message.kind, syscall });
    if (!Number.isInteger(code))
      throw new TypeError(`job "${message.kind}" returned ${String(code)}, not an exit code`);
    post({ type: "exit", code, reusable: footprint() === before });
  } catch (error) {
    try {
      post({ type: "error", error });
    } catch {
      post({ type: "error", error: new Error(String(error)) });
    }
  }
}

port.on("message", (message: HostToWorker) => void run(message));
await Promise.all(init.preload.map(load));
post({ type: "ready" });
