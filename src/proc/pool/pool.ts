import { type ResourceLimits, Worker } from "node:worker_threads";
import {
  SyscallChannel,
  type SyscallChannelOptions,
  type SyscallHandler,
} from "../../kernel/channel/index.ts";
import { workerModuleUrl } from "./js-mirror.ts";
import { jobKindModule, moduleUrl, preloadedModules } from "./registry.ts";
import type { HostToWorker, Job, JobExit, WorkerInit, WorkerToHost } from "./types.ts";

const WORKER_URL = moduleUrl("./worker.ts", import.meta.url);

/** V8 heap of each worker: the runner's own objects and syscall buffers, not guest memory. */
export const DEFAULT_WORKER_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 256 };
const DEFAULT_NICE = 10;
/** Startup failures in a row after which the pool stops respawning and fails `acquire()`. */
const MAX_STARTUP_FAILURES = 3;
/** Workers constructed per event-loop turn at most (see WorkerPool.refill). */
const STARTS_PER_TURN = 1;
/**
 * Workers starting at once at most. A worker's bootstrap (~30 ms of CPU) runs before it can lower
 * its priority: a burst of them (a fork bomb) would otherwise starve the host thread.
 */
const MAX_STARTING = 2;

export interface WorkerPoolOptions {
  /** Warm idle workers kept ready ahead of demand, refilled in the background. Default 2. */
  spares?: number;
  /** Most idle workers kept (workers coming back from jobs beyond this are terminated). Default max(spares, 4). */
  maxIdle?: number;
  /** Return workers to the pool after a clean job (see JobModule for what "clean" means). Default true. */
  reuse?: boolean;
  /** Data area of each worker's syscall channel. Default 1 MiB + 4 KiB. */
  channelBytes?: number;
  /**
   * Per-worker V8 heap limits: exceeding them fails the job with ERR_WORKER_OUT_OF_MEMORY.
   * Default {@link DEFAULT_WORKER_RESOURCE_LIMITS} (WASM linear memory is not V8 heap: the memory
   * limit of processes is enforced by the runner).
   */
  resourceLimits?: ResourceLimits;
  /**
   * Niceness of worker threads (Linux): guest code yields the CPU to the host thread, which keeps
   * the event loop responsive while runaways spin. Default 10; 0 keeps the host's priority.
   */
  nice?: number;
  onHandlerError?: SyscallChannelOptions["onHandlerError"];
}

/** A warm worker taken from the pool; it runs one job (or is released unused). */
export interface PooledWorker {
  readonly threadId: number;
  /** Starts `job`; syscalls from it go to `handler`. Throws if the kind is unknown or the payload cannot be cloned. */
  run(job: Job, handler: SyscallHandler): JobHandle;
  /** Gives the worker back without running anything. */
  release(): void;
}

export interface JobHandle {
  /** Settles when the job ends; never rejects. `terminated` settles once the thread has stopped. */
  readonly exit: Promise<JobExit>;
  /** Stops the job now, even in a hot JS or WASM loop (a few ms); the pool replaces the worker. */
  terminate(): Promise<void>;
}

export interface WorkerPoolStats {
  idle: number;
  starting: number;
  busy: number;
}

type SlotState = "starting" | "idle" | "acquired" | "running" | "dead";

interface PoolEvents {
  ready(slot: WorkerSlot): void;
  jobEnded(slot: WorkerSlot, reusable: boolean): void;
  released(slot: WorkerSlot): void;
  died(slot: WorkerSlot, wasStarting: boolean, error: Error | null): void;
}

interface RunningJob {
  resolve(exit: JobExit): void;
  terminating: boolean;
}

/** One worker thread and its syscall channel, through its whole life. */
class WorkerSlot implements PooledWorker {
  state: SlotState = "starting";
  /** kill() was called: the thread is on its way out and must stay ref'd until it is gone. */
  stopping = false;
  readonly worker: Worker;
  readonly channel: SyscallChannel;
  readonly threadId: number;
  private readonly events: PoolEvents;
  private job: RunningJob | null = null;
  private error: Error | null = null;

  constructor(events: PoolEvents, options: WorkerPoolOptions) {
    this.events = events;
    this.channel = new SyscallChannel(null, {
      dataBytes: options.channelBytes,
      onHandlerError: options.onHandlerError,
    });
    const preload = preloadedModules().map((m) => workerModuleUrl(new URL(m)).href);
    const init: WorkerInit = { channel: this.channel.endpoint, preload, nice: options.nice ?? DEFAULT_NICE };
    this.worker = new Worker(workerModuleUrl(WORKER_URL), {
      workerData: init,
      transferList: [this.channel.endpoint.port],
      resourceLimits: options.resourceLimits ?? DEFAULT_WORKER_RESOURCE_LIMITS,
    });
    this.threadId = this.worker.threadId;
    this.worker.unref();
    this.worker.on("message", (message: WorkerToHost) => this.onMessage(message));
    this.worker.on("error", (error) => {
      this.error = error;
    });
    this.worker.on("exit", (code) => this.onExit(code));
  }

  run(job: Job, handler: SyscallHandler): JobHandle {
    if (this.state !== "acquired") throw new Error(`PooledWorker.run: worker is ${this.state}, not acquired`);
    const kindModule = jobKindModule(job.kind);
    if (kindModule === undefined) throw new Error(`PooledWorker.run: unknown job kind "${job.kind}"`);
    const module = workerModuleUrl(new URL(kindModule)).href;
    const message: HostToWorker = { type: "run", kind: job.kind, module, payload: job.payload };
    this.channel.setHandler(handler);
    try {
      this.worker.postMessage(message, job.transfer);
    } catch (error) {
      this.channel.setHandler(null); // DataCloneError: nothing started, the worker stays acquired
      throw error;
    }
    this.state = "running";
    this.worker.ref();
    let running!: RunningJob;
    const exit = new Promise<JobExit>((resolve) => {
      running = { resolve, terminating: false };
    });
    this.job = running;
    return {
      exit,
      terminate: async () => {
        if (this.job !== running) return; // already over: the worker may be serving someone else
        await this.kill();
      },
    };
  }

  release(): void {
    if (this.state !== "acquired")
      throw new Error(`PooledWorker.release: worker is ${this.state}, not acquired`);
    this.events.released(this);
  }

  /** Stops the thread; a job it was running ends as `terminated`. */
  kill(): Promise<number> {
    if (this.job !== null) this.job.terminating = true;
    this.stopping = true;
    this.channel.close();
    this.worker.ref(); // an unref'd worker's terminate() promise would not keep an awaiting caller alive
    return this.worker.terminate();
  }

  private onMessage(message: WorkerToHost): void {
    if (message.type === "ready") {
      if (this.state === "starting" && !this.stopping) this.events.ready(this);
      return;
    }
    const job = this.job;
    if (job === null || job.terminating) return;
    this.job = null;
    this.channel.setHandler(null);
    this.worker.unref();
    if (message.type === "exit") {
      job.resolve({ type: "exit", code: message.code });
      this.events.jobEnded(this, message.reusable);
    } else {
      job.resolve({ type: "error", error: toError(message.error) });
      this.events.jobEnded(this, false);
    }
  }

  private onExit(code: number): void {
    // A worker we stopped ourselves while it started (trimmed, shut down) did not fail to start.
    const wasStarting = this.state === "starting" && !this.stopping;
    this.state = "dead";
    this.channel.close();
    const job = this.job;
    this.job = null;
    if (job !== null) {
      job.resolve(
        job.terminating
          ? { type: "terminated" }
          : { type: "error", error: this.error ?? new Error(`worker exited with code ${code}`) },
      );
    }
    this.events.died(this, wasStarting, this.error);
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * A pool of warm worker threads, one per running process. Idle and starting workers do not keep
 * the event loop alive; a worker running a job does (unless a caller is waiting for a starting
 * worker, which then does too).
 */
export class WorkerPool {
  private readonly options: WorkerPoolOptions;
  private readonly spares: number;
  private readonly maxIdle: number;
  private readonly idle: WorkerSlot[] = [];
  private readonly starting = new Set<WorkerSlot>();
  private readonly all = new Set<WorkerSlot>();
  private readonly waiters: { resolve(w: PooledWorker): void; reject(e: Error): void }[] = [];
  private readonly warmWaiters: (() => void)[] = [];
  private readonly events: PoolEvents;
  private startupFailures = 0;
  private shutDown = false;
  private refillScheduled = false;

  constructor(options: WorkerPoolOptions = {}) {
    this.options = options;
    this.spares = options.spares ?? 2;
    this.maxIdle = Math.max(this.spares, options.maxIdle ?? 4);
    this.events = {
      ready: (slot) => this.onReady(slot),
      jobEnded: (slot, reusable) => this.onJobEnded(slot, reusable),
      released: (slot) => this.offer(slot),
      died: (slot, wasStarting, error) => this.onDied(slot, wasStarting, error),
    };
    this.refill();
  }

  /** A warm worker: immediately when one is spare, else as soon as one has started. */
  acquire(): Promise<PooledWorker> {
    if (this.shutDown) return Promise.reject(new Error("WorkerPool: shut down"));
    const slot = this.idle.pop();
    if (slot !== undefined) {
      slot.state = "acquired";
      // Constructing a Worker blocks this thread 0.5–3 ms: let the caller start its job first.
      setImmediate(() => this.refill());
      return Promise.resolve(slot);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.refill();
    });
  }

  /** Resolves once `spares` workers are idle and warm (or the pool is shut down, or workers fail to start). */
  whenWarm(): Promise<void> {
    if (this.shutDown || this.idle.length >= this.spares) return Promise.resolve();
    return new Promise((resolve) => {
      this.warmWaiters.push(resolve);
      this.updateRefs();
    });
  }

  stats(): WorkerPoolStats {
    const idle = this.idle.length;
    const starting = this.starting.size;
    return { idle, starting, busy: this.all.size - idle - starting };
  }

  get closed(): boolean {
    return this.shutDown;
  }

  /** Terminates every worker, running jobs included (they end as `terminated`). For tests and host exit. */
  async shutdown(): Promise<void> {
    this.shutDown = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error("WorkerPool: shut down"));
    for (const resolve of this.warmWaiters.splice(0)) resolve();
    await Promise.all([...this.all].map((slot) => slot.kill()));
  }

  /**
   * Starts the workers that are missing, at most {@link STARTS_PER_TURN} per event-loop turn:
   * constructing a Worker blocks this thread 0.5–3 ms, and a burst of demand (a fork bomb, a wide
   * pipeline) must not stall the host's event loop (and every other VM) for tens of ms.
   */
  private refill(): void {
    let started = 0;
    while (!this.shutDown && this.idle.length + this.starting.size < this.spares + this.waiters.length) {
      if (this.starting.size >= MAX_STARTING) break; // refilled again when one is ready or dies
      if (started === STARTS_PER_TURN) {
        if (!this.refillScheduled) {
          this.refillScheduled = true;
          setImmediate(() => {
            this.refillScheduled = false;
            this.refill();
          });
        }
        break;
      }
      const slot = new WorkerSlot(this.events, this.options);
      this.starting.add(slot);
      this.all.add(slot);
      started++;
    }
    this.updateRefs();
  }

  /** Someone awaiting a starting worker (acquire, whenWarm) must keep the process alive until it arrives. */
  private updateRefs(): void {
    const awaited = this.waiters.length > 0 || this.warmWaiters.length > 0;
    for (const slot of this.starting) {
      if (awaited || slot.stopping) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  private onReady(slot: WorkerSlot): void {
    this.starting.delete(slot);
    this.startupFailures = 0;
    slot.worker.unref();
    this.offer(slot);
  }

  /** Hands a ready worker to the oldest waiter, else keeps it idle (or retires it if there are enough). */
  private offer(slot: WorkerSlot): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      slot.state = "acquired";
      waiter.resolve(slot);
    } else if (!this.shutDown && this.idle.length < this.maxIdle) {
      slot.state = "idle";
      this.idle.push(slot);
      if (this.idle.length >= this.spares) for (const resolve of this.warmWaiters.splice(0)) resolve();
    } else {
      void slot.kill();
    }
    this.refill();
  }

  private onJobEnded(slot: WorkerSlot, reusable: boolean): void {
    if (reusable && this.options.reuse !== false && !this.shutDown) this.offer(slot);
    else void slot.kill();
  }

  private onDied(slot: WorkerSlot, wasStarting: boolean, error: Error | null): void {
    this.all.delete(slot);
    this.starting.delete(slot);
    const index = this.idle.indexOf(slot);
    if (index >= 0) this.idle.splice(index, 1);
    if (wasStarting && !this.shutDown && ++this.startupFailures >= MAX_STARTUP_FAILURES) {
      // Workers that cannot even start (a broken preload module…) would fail forever: stop retrying
      // until someone asks again.
      this.startupFailures = 0;
      const reason = new Error("WorkerPool: workers fail to start", { cause: error ?? undefined });
      for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
      for (const resolve of this.warmWaiters.splice(0)) resolve();
      return;
    }
    this.refill();
  }
}

let shared: WorkerPool | null = null;
let sharedOptions: WorkerPoolOptions = {};

/** The host-process-wide pool every VM uses (created on first use). */
export function sharedWorkerPool(): WorkerPool {
  if (shared === null || shared.closed) shared = new WorkerPool(sharedOptions);
  return shared;
}

/**
 * Size the shared pool (spares kept warm, idle workers kept, per-worker heap limits). Must come
 * before the first process runs: a pool in use is not resized under running processes.
 */
export function configureSharedWorkerPool(options: WorkerPoolOptions): void {
  if (shared !== null && !shared.closed) {
    throw Object.assign(
      new Error("the shared worker pool is already in use: configure it before the first process runs"),
      {
        code: "EBUSY",
      },
    );
  }
  sharedOptions = { ...options };
}
