/**
 * The host-process-wide pool of warm worker threads that run processes. Each job runs in one
 * worker and reaches the kernel only through its synchronous syscall channel.
 */
export {
  configureSharedWorkerPool,
  type JobHandle,
  type PooledWorker,
  sharedWorkerPool,
  WorkerPool,
  type WorkerPoolOptions,
  type WorkerPoolStats,
} from "./pool.ts";
export { type JobKindOptions, jobKindModule, moduleUrl, registerJobKind } from "./registry.ts";
export type { Job, JobContext, JobExit, JobModule } from "./types.ts";
