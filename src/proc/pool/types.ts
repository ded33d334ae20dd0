import type { TransferListItem } from "node:worker_threads";
import type { ChannelEndpoint, SyscallClient } from "../../kernel/channel/index.ts";

/** What a job module sees: its kind and the blocking syscall client to the kernel. */
export interface JobContext {
  readonly kind: string;
  readonly syscall: SyscallClient;
}

/**
 * A job kind's module (e.g. the WASM runner), imported lazily inside the worker. It runs one
 * job and resolves to an exit code. It must leave no global state behind: no timers or handles
 * still open and no new globals, or the pool retires the worker instead of reusing it. Module-level
 * caches (a compiled engine, a loaded library) are fine and are the point of reuse.
 */
export interface JobModule {
  runJob(payload: unknown, context: JobContext): number | Promise<number>;
}

export interface Job {
  kind: string;
  /** Structured-cloned into the worker; may hold `WebAssembly.Module`s and SharedArrayBuffers. */
  payload: unknown;
  /** Moved, not copied (ArrayBuffers, MessagePorts). */
  transfer?: TransferListItem[];
}

/** How a job ended: it returned an exit code, it failed (threw, crashed, ran out of memory), or it was terminated. */
export type JobExit =
  | { type: "exit"; code: number }
  | { type: "error"; error: Error }
  | { type: "terminated" };

/** `workerData` of a pool worker. */
export interface WorkerInit {
  channel: ChannelEndpoint;
  /** Module URLs to import before reporting ready. */
  preload: string[];
  /** Scheduling niceness of the worker's thread (Linux; ignored where unsupported). */
  nice?: number;
}

export type HostToWorker = { type: "run"; kind: string; module: string; payload: unknown };

export type WorkerToHost =
  | { type: "ready" }
  | { type: "exit"; code: number; reusable: boolean }
  | { type: "error"; error: unknown };
