/**
 * agentos-vm: a whole Unix-like machine for coding agents, inside the host Node process.
 *
 * ```ts
 * const vm = await AgentOS.create();
 * await vm.writeFile("/home/agentos/hello.txt", "hi\n");
 * ```
 */

export type {
  CreateSessionOptions,
  ModelSpec,
  PermissionPolicy,
  PermissionRequest,
  PermissionResponse,
  PromptResult,
  SessionEventPayload,
  SessionEventRecord,
  SessionInfo,
  SessionManagerOptions,
} from "./agents/index.ts";
export { SessionError } from "./agents/index.ts";
export {
  type Errno,
  type FileType,
  FsError,
  type FsLimits,
  isFsError,
  type MountPlugin,
  type MountSpec,
  type MountStat,
  type NodeFsFacade,
  SnapshotError,
  type SnapshotErrorCode,
  type VfsStat,
  type WatchEvent,
} from "./fs/index.ts";
export {
  type HostDirMountOptions,
  hostDirMount,
  type MemoryMountOptions,
  memoryMount,
} from "./fs/mounts/index.ts";
export {
  DEFAULT_EXEC_LIMITS,
  DEFAULT_FS_LIMITS,
  DEFAULT_SPAWN_LIMITS,
  type LimitCode,
  LimitError,
  type LimitEvent,
  type LimitWarning,
  type ProcessLimits,
} from "./kernel/limits.ts";
export type { HostCommand, HostCommandContext } from "./kernel/programs.ts";
export type { NetworkPolicy } from "./net/index.ts";
export type {
  ExecOptions,
  ExecResult,
  ProcessExitEvent,
  ProcessInfo,
  ProcessOutputEvent,
  ProcessTreeNode,
  SignalName,
  SpawnOptions,
} from "./proc/host-processes.ts";
export type { ShellDataEvent, ShellExitEvent, ShellInfo, ShellOptions } from "./proc/shells.ts";
export {
  AgentOS,
  type AgentOSEvents,
  type AgentOSOptions,
  type BatchResult,
  type ReadBatchResult,
  type ReaddirRecursiveOptions,
  type RecursiveEntry,
  type RestoreOptions,
  type SnapshotOptions,
  type WriteFileOptions,
} from "./vm.ts";
