/**
 * agentos-vm: a whole Unix-like machine for coding agents, inside the host Node process.
 *
 * ```ts
 * const vm = await AgentOS.create();
 * await vm.writeFile("/home/agentos/hello.txt", "hi\n");
 * ```
 */

export {
  type Errno,
  type FileType,
  FsError,
  type FsLimits,
  isFsError,
  type MountPlugin,
  type MountSpec,
  type MountStat,
  SnapshotError,
  type SnapshotErrorCode,
  type VfsStat,
  type WatchEvent,
} from "./fs/index.ts";
export {
  AgentOS,
  type AgentOSOptions,
  type BatchResult,
  type ReadBatchResult,
  type ReaddirRecursiveOptions,
  type RecursiveEntry,
  type RestoreOptions,
  type SnapshotOptions,
  type WriteFileOptions,
} from "./vm.ts";
