/**
 * Test fixture: a worker that connects to a syscall channel and makes the calls it is told to,
 * posting back the results. Loaded by Node directly (not Vite), so erasable TypeScript only.
 */
import { parentPort, workerData } from "node:worker_threads";
import { SyscallClient } from "../client.ts";
import type { SyscallArg, SyscallResult } from "../codec.ts";
import type { ChannelEndpoint } from "../host.ts";

export interface CallBatch {
  calls: { op: number; args: SyscallArg[] }[];
  /** Run the whole batch this many times; only the last round's results are posted. Default 1. */
  repeat?: number;
}

const client = new SyscallClient((workerData as { channel: ChannelEndpoint }).channel);
parentPort!.on("message", (batch: CallBatch) => {
  let results: SyscallResult[] = [];
  try {
    for (let round = 0; round < (batch.repeat ?? 1); round++) {
      results = batch.calls.map(({ op, args }) => client.call(op, args));
    }
    parentPort!.postMessage({ results });
  } catch (error) {
    parentPort!.postMessage({ error });
  }
});
