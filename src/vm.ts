/**
 * `AgentOS`: one VM. This file is the public facade; it owns the VM's filesystem (and, with later
 * subsystems, its kernel and sessions) and translates the friendly host API into VFS operations.
 */

import { EventEmitter } from "node:events";
import {
  type CreateSessionOptions,
  type ModelSpec,
  type PermissionRequest,
  type PermissionResponse,
  type PromptResult,
  SESSIONS_SECTION_TAG,
  type SessionEventPayload,
  type SessionEventRecord,
  type SessionInfo,
  SessionManager,
  type SessionManagerOptions,
} from "./agents/index.ts";
import {
  buildBaseImage,
  type Credentials,
  createNodeFs,
  decodeContainer,
  decodeLayer,
  encodeContainer,
  encodeLayers,
  type FileType,
  FsError,
  type FsLimits,
  findLayer,
  HOSTNAME,
  joinPath,
  type Layer,
  type MountSpec,
  type NodeFsFacade,
  type NodeFsOptions,
  readLayerHeader,
  registerLayer,
  type Section,
  SnapshotError,
  Vfs,
  type VfsStat,
  VM_USER,
  type WatchEvent,
} from "./fs/index.ts";
import { Kernel } from "./kernel/kernel.ts";
import { DEFAULT_FS_LIMITS, type LimitCode, type LimitWarning, type ProcessLimits } from "./kernel/limits.ts";
import { commandMarker, type HostCommand, hostCommandMarker } from "./kernel/programs.ts";
import { type NetworkPolicy, setNetworkPolicy, vmFetch } from "./net/index.ts";
import { BUILTIN_NAMES } from "./proc/builtins/index.ts";
import {
  type ExecOptions,
  type ExecResult,
  type ProcessEvents,
  type ProcessInfo,
  ProcessManager,
  type ProcessTreeNode,
  type SignalName,
  type SpawnOptions,
} from "./proc/host-processes.ts";
import { configureSharedWorkerPool, sharedWorkerPool, type WorkerPoolOptions } from "./proc/pool/index.ts";
import { createProgramRunner, NODE_COMMAND } from "./proc/runners.ts";
import { type ShellEvents, ShellManager, type ShellOptions } from "./proc/shells.ts";
import {
  type CommandRecord,
  type CommandSource,
  commandsFromSoftware,
  loadCommandSet,
} from "./proc/software/index.ts";

export interface AgentOSOptions {
  /** Plugins mounted into the VM's namespace (see docs/filesystem.md). */
  mounts?: MountSpec[];
  /** Filesystem limits: total bytes, inode count, largest file. */
  /** Filesystem limits (maxBytes, maxInodes, maxFileSize) and process limits: docs/limits.md. */
  limits?: FsLimits & ProcessLimits;
  /** Called at 80 % of any limit (also the `limitWarning` event). */
  onLimitWarning?: (warning: LimitWarning) => void;
  /** Host commands: JS functions callable as `/usr/local/bin/<name>` inside the VM. */
  hostCommands?: Record<string, HostCommand>;
  /**
   * More commands: `.aospkg` packages (`{ kind: "aospkg", bytes }`) or single WASI command modules
   * (`{ kind: "wasm", name, bytes }`), installed as `/usr/local/bin/<name>`. A name shadows a built-in
   * command of the same name, as /usr/local/bin comes first in PATH.
   */
  software?: CommandSource[];
  /** Environment added to every process's default environment. */
  env?: Record<string, string>;
  /**
   * Egress for processes' HTTP clients (`fetch`, `http.request` in `node`): denied by default.
   * `allow`: host patterns ("api.example.com", "*.example.com", "127.0.0.1:8080", "*"); `headers`:
   * per-pattern headers the host adds (credentials never enter the VM). See docs/node-compat.md.
   */
  network?: NetworkPolicy;
  /** Agent sessions: approval policy, `onPermissionRequest`, timeouts, extra runtimes (docs/agents.md). */
  sessions?: SessionManagerOptions;
}

export interface SnapshotOptions {
  /**
   * What the snapshot is a delta against: `"base"` (default) the shared base image, which every
   * process of the same agentos-vm version has; `"none"` a self-contained snapshot; or the id of a
   * layer (`vm.layerId` after a restore) for an incremental snapshot.
   */
  against?: "base" | "none" | string;
}

export interface RestoreOptions extends AgentOSOptions {}

export interface ReaddirRecursiveOptions {
  /** Depth below `path` to descend; 0 lists only `path`'s entries. Unlimited by default. */
  maxDepth?: number;
  /** Entry names (exact) or patterns (tested against the path relative to `path`) to skip. */
  exclude?: Array<string | RegExp>;
}

export interface RecursiveEntry {
  /** Absolute VM path. */
  path: string;
  type: FileType;
  size: number;
}

export interface WriteFileOptions {
  /** Create missing parent directories. */
  createParents?: boolean;
  mode?: number;
}

export type BatchResult = { path: string; ok: true } | { path: string; ok: false; error: FsError };
export type ReadBatchResult =
  | { path: string; ok: true; content: Uint8Array }
  | { path: string; ok: false; error: FsError };

/** The host acts as the VM's user, with every permission: files it creates belong to `agentos`. */
const HOST: Credentials = { uid: VM_USER.uid, gid: VM_USER.gid, privileged: true };

let basePromise: Promise<Layer> | undefined;

/** The host-wide base image, built on first use and shared by every VM. */
function baseImage(): Promise<Layer> {
  basePromise ??= buildBaseImage({
    commands: [...loadCommandSet().keys()],
    builtins: [...BUILTIN_NAMES, NODE_COMMAND],
  }).then((layer) => {
    registerLayer(layer);
    return layer;
  });
  return basePromise;
}

export interface SessionEvents {
  sessionEvent: [SessionEventPayload];
  permissionRequest: [PermissionRequest];
}

/** Every event an AgentOS emits. */
export type AgentOSEvents = ProcessEvents & ShellEvents & SessionEvents;

export class AgentOS extends EventEmitter<AgentOSEvents> {
  /** The VM's filesystem; exposed for subsystems and advanced use. */
  readonly fs: Vfs;
  /** The VM's kernel: process table and syscalls. */
  readonly kernel: Kernel;
  private readonly processes: ProcessManager;
  private readonly shells: ShellManager;
  private readonly sessions: SessionManager;
  private readonly extraCommands: Map<string, CommandRecord>;
  private readonly base: Layer;
  private readonly options: AgentOSOptions;
  private disposed = false;

  /** `sessions`: a sessions snapshot section (restore) or the manager of the VM being forked. */
  private constructor(
    lower: Layer,
    base: Layer,
    options: AgentOSOptions,
    sessions?: Uint8Array | SessionManager,
  ) {
    super();
    this.fs = new Vfs(lower, {
      mounts: options.mounts,
      limits: { ...DEFAULT_FS_LIMITS, ...options.limits },
      mountOwner: { uid: VM_USER.uid, gid: VM_USER.gid },
    });
    this.base = base;
    this.options = options;
    const hostCommands = new Map(Object.entries(options.hostCommands ?? {}));
    this.extraCommands = commandsFromSoftware(options.software ?? []);
    const commands: ReadonlyMap<string, CommandRecord> = this.extraCommands.size
      ? new Map([...loadCommandSet(), ...this.extraCommands])
      : loadCommandSet();
    this.kernel = new Kernel({
      vfs: this.fs,
      sources: { commands, hostCommands },
      wasmRunner: createProgramRunner(sharedWorkerPool()),
      hostname: HOSTNAME,
      limits: options.limits,
    });
    setNetworkPolicy(this.kernel, options.network);
    // EventEmitter's event maps are invariant: each manager sees this VM as the emitter of its own events.
    const events = this as unknown as EventEmitter<ProcessEvents>;
    this.processes = new ProcessManager(this.kernel, events, () => this.defaultEnv());
    this.shells = new ShellManager(this.kernel, this, () => this.defaultEnv());
    if (options.onLimitWarning) this.on("limitWarning", options.onLimitWarning);
    const emit = (event: keyof SessionEvents, payload: unknown) => this.emit(event, payload as never);
    this.sessions =
      sessions instanceof SessionManager
        ? sessions.cloneFor(this, emit)
        : SessionManager.fromSnapshotSection(sessions, this, emit, options.sessions);
  }

  /** The environment every process starts with (never the host's). */
  defaultEnv(): Record<string, string> {
    return {
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HOME: VM_USER.home,
      USER: VM_USER.name,
      LOGNAME: VM_USER.name,
      SHELL: VM_USER.shell,
      HOSTNAME,
      TERM: "dumb",
      LANG: "C.UTF-8",
      ...this.options.env,
    };
  }

  /**
   * Size the worker pool all VMs of this process share: `spares` warm workers kept ready (default
   * 2), `maxIdle` idle workers kept after use (default 4), per-worker `resourceLimits`. Call it
   * before the first process runs.
   */
  static configureWorkerPool(
    options: Pick<WorkerPoolOptions, "spares" | "maxIdle" | "resourceLimits" | "nice">,
  ): void {
    configureSharedWorkerPool(options);
  }

  /** Boot a VM on the shared base image. */
  static async create(options: AgentOSOptions = {}): Promise<AgentOS> {
    const base = await baseImage();
    const vm = new AgentOS(base, base, options);
    await vm.ensureMountPoints();
    await vm.installHostCommands();
    return vm;
  }

  /** Rebuild a VM from `snapshot()` bytes. Throws a `SnapshotError` and builds nothing if they are bad. */
  static async restore(bytes: Uint8Array, options: RestoreOptions = {}): Promise<AgentOS> {
    const sections = decodeContainer(bytes);
    const header = readLayerHeader(sections);
    const base = await baseImage();
    let parent: Layer | null = null;
    if (header.parentId !== null) {
      parent = header.parentId === base.id ? base : (findLayer(header.parentId) ?? null);
      if (!parent) {
        throw new SnapshotError(
          "ESNAPSHOT_BASE_MISSING",
          `the snapshot is a delta against layer ${header.parentId}, which this process does not have` +
            " (take a self-contained snapshot with { against: 'none' } to move VMs between versions)",
        );
      }
    }
    const existing = findLayer(header.layerId);
    const layer = existing ?? decodeLayer(sections, parent, header);
    if (!existing) registerLayer(layer);
    const vm = new AgentOS(layer, base, options, sections.get(SESSIONS_SECTION_TAG));
    await vm.ensureMountPoints();
    await vm.installHostCommands();
    return vm;
  }

  /** The id of the frozen layer this VM's writable layer sits on. */
  get layerId(): string {
    return this.fs.inodes.upper.parent!.id;
  }

  private assertLive(): void {
    if (this.disposed) throw new FsError("EBADF", { syscall: "vm", detail: "the VM has been disposed" });
  }

  /** Place the `software` and `hostCommands` entries in /usr/local/bin. */
  private async installHostCommands(): Promise<void> {
    const install = async (name: string, marker: string, option: string) => {
      if (!/^[A-Za-z0-9._+-]+$/.test(name)) {
        throw new FsError("EINVAL", { syscall: option, path: name, detail: "invalid command name" });
      }
      await this.fs.writeFile(`/usr/local/bin/${name}`, marker, { mode: 0o755 }, HOST);
    };
    for (const name of this.extraCommands.keys()) await install(name, commandMarker(name), "software");
    for (const name of Object.keys(this.options.hostCommands ?? {})) {
      await install(name, hostCommandMarker(name), "hostCommands");
    }
  }

  private async ensureMountPoints(): Promise<void> {
    for (const point of this.fs.mountPoints()) {
      // The directory a plugin is mounted on must exist in the tree so listings show it.
      const parent = point.slice(0, point.lastIndexOf("/")) || "/";
      await this.fs.mkdir(parent, { recursive: true, mode: 0o755 }, HOST);
      const name = point.slice(parent === "/" ? 1 : parent.length + 1);
      if (this.fs.inodes.lookup(await this.inoOf(parent), name) === undefined) {
        await this.mkdirUnderMount(parent, name);
      }
    }
  }

  private async inoOf(path: string): Promise<number> {
    return (await this.fs.stat(path, HOST)).ino;
  }

  private async mkdirUnderMount(parent: string, name: string): Promise<void> {
    // mkdir through the VFS would resolve into the mount itself; create the tree entry directly.
    const parentIno = await this.inoOf(parent);
    const ino = this.fs.inodes.allocIno();
    const t = Date.now();
    this.fs.inodes.insert(ino, {
      kind: "dir",
      mode: 0o040755,
      uid: 0,
      gid: 0,
      nlink: 2,
      atimeMs: t,
      mtimeMs: t,
      ctimeMs: t,
      birthtimeMs: t,
      entries: new Map(),
      opaque: true,
      parent: parentIno,
    });
    this.fs.inodes.setEntry(parentIno, name, ino);
  }

  // ------------------------------------------------------------------ files

  async readFile(path: string): Promise<Uint8Array>;
  async readFile(path: string, options: { encoding: "utf8" | "utf-8" }): Promise<string>;
  async readFile(path: string, options?: { encoding?: "utf8" | "utf-8" }): Promise<Uint8Array | string> {
    this.assertLive();
    const data = await this.fs.readFile(normalizeHostPath(path), HOST);
    return options?.encoding ? new TextDecoder().decode(data) : data;
  }

  async writeFile(path: string, content: string | Uint8Array, options: WriteFileOptions = {}): Promise<void> {
    this.assertLive();
    // As a shell with umask 022 would: files 0644, created parent directories 0755.
    await this.fs.writeFile(
      normalizeHostPath(path),
      content,
      { mode: 0o644, dirMode: 0o755, ...options },
      HOST,
    );
  }

  /** Read several files; each result says whether that file was read. */
  async readFiles(paths: string[]): Promise<ReadBatchResult[]> {
    const out: ReadBatchResult[] = [];
    for (const path of paths) {
      try {
        out.push({ path, ok: true, content: await this.readFile(path) });
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        out.push({ path, ok: false, error });
      }
    }
    return out;
  }

  /** Write several files; each result says whether that file was written. */
  async writeFiles(
    files: Array<{ path: string; content: string | Uint8Array }>,
    options: WriteFileOptions = {},
  ): Promise<BatchResult[]> {
    const out: BatchResult[] = [];
    for (const { path, content } of files) {
      try {
        await this.writeFile(path, content, options);
        out.push({ path, ok: true });
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        out.push({ path, ok: false, error });
      }
    }
    return out;
  }

  async mkdir(path: string, options: { recursive?: boolean; mode?: number } = {}): Promise<void> {
    this.assertLive();
    await this.fs.mkdir(
      normalizeHostPath(path),
      { mode: options.mode ?? 0o755, recursive: options.recursive },
      HOST,
    );
  }

  /** Entry names of a directory, sorted. */
  async readdir(path: string): Promise<string[]> {
    this.assertLive();
    const entries = await this.fs.readdir(normalizeHostPath(path), HOST);
    return entries.map((e) => e.name).sort();
  }

  /** Every entry below `path` (depth-first, sorted by name), not following symlinks. */
  async readdirRecursive(path: string, options: ReaddirRecursiveOptions = {}): Promise<RecursiveEntry[]> {
    this.assertLive();
    const root = normalizeHostPath(path);
    const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
    const exclude = options.exclude ?? [];
    const skip = (name: string, rel: string) =>
      exclude.some((p) => (typeof p === "string" ? p === name : p.test(rel)));
    const out: RecursiveEntry[] = [];
    const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
      const entries = (await this.fs.readdir(dir, HOST)).sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const e of entries) {
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        if (skip(e.name, childRel)) continue;
        const abs = joinPath(dir, e.name);
        const st = await this.fs.lstat(abs, HOST);
        out.push({ path: abs, type: st.type, size: st.size });
        if (st.type === "directory" && depth < maxDepth) await walk(abs, childRel, depth + 1);
      }
    };
    await walk(root, "", 0);
    return out;
  }

  async stat(path: string): Promise<VfsStat> {
    this.assertLive();
    return this.fs.stat(normalizeHostPath(path), HOST);
  }

  async lstat(path: string): Promise<VfsStat> {
    this.assertLive();
    return this.fs.lstat(normalizeHostPath(path), HOST);
  }

  async exists(path: string): Promise<boolean> {
    this.assertLive();
    return this.fs.exists(normalizeHostPath(path), HOST);
  }

  async symlink(target: string, path: string): Promise<void> {
    this.assertLive();
    await this.fs.symlink(target, normalizeHostPath(path), HOST);
  }

  async readlink(path: string): Promise<string> {
    this.assertLive();
    return this.fs.readlink(normalizeHostPath(path), HOST);
  }

  /** Rename, replacing an existing destination as rename(2) does; across mounts, copy then delete. */
  async move(from: string, to: string): Promise<void> {
    this.assertLive();
    const src = normalizeHostPath(from);
    const dst = normalizeHostPath(to);
    try {
      await this.fs.rename(src, dst, HOST);
    } catch (err) {
      if (!(err instanceof FsError) || err.code !== "EXDEV") throw err;
      await this.copyTree(src, dst);
      await this.delete(src, { recursive: true });
    }
  }

  private async copyTree(src: string, dst: string): Promise<void> {
    const st = await this.fs.lstat(src, HOST);
    if (st.type === "directory") {
      await this.fs.mkdir(dst, { mode: st.mode & 0o7777 }, HOST);
      for (const e of await this.fs.readdir(src, HOST))
        await this.copyTree(joinPath(src, e.name), joinPath(dst, e.name));
    } else if (st.type === "symlink") {
      await this.fs.symlink(await this.fs.readlink(src, HOST), dst, HOST);
    } else {
      await this.fs.writeFile(dst, await this.fs.readFile(src, HOST), { mode: st.mode & 0o7777 }, HOST);
    }
  }

  /** Remove a file, symlink or (empty, or with `recursive`) directory. */
  async delete(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    this.assertLive();
    const abs = normalizeHostPath(path);
    const st = await this.fs.lstat(abs, HOST);
    if (st.type !== "directory") return this.fs.unlink(abs, HOST);
    if (options.recursive) {
      for (const e of await this.fs.readdir(abs, HOST)) await this.delete(joinPath(abs, e.name), options);
    }
    await this.fs.rmdir(abs, HOST);
  }

  /** Watch a path for changes made by anyone (host API or processes). Returns an unsubscribe function. */
  watch(path: string, options: { recursive?: boolean }, listener: (event: WatchEvent) => void): () => void {
    this.assertLive();
    return this.fs.watch(normalizeHostPath(path), !!options.recursive, listener);
  }

  /**
   * A Node-`fs`-compatible view of the VM's filesystem (`promises`, callbacks, `constants`) for
   * code written against `node:fs`, e.g. `git.init({ fs: vm.nodeFs(), dir: "/repo" })`. It acts
   * as the host API does (as `agentos`, with every permission); relative paths start at `cwd`.
   */
  nodeFs(options: NodeFsOptions = {}): NodeFsFacade {
    this.assertLive();
    return createNodeFs(this.fs, { cred: HOST, ...options });
  }

  // ------------------------------------------------------------------ snapshots and forks

  /** Serialise the VM to bytes (see docs/snapshots.md). */
  async snapshot(options: SnapshotOptions = {}): Promise<Uint8Array> {
    this.assertLive();
    const against = options.against ?? "base";
    let stop: Layer | null = null;
    if (against === "base") stop = this.base;
    else if (against !== "none") {
      stop = [...this.fs.inodes.upper.chain()].find((l) => l.id === against) ?? null;
      if (!stop) throw new SnapshotError("ESNAPSHOT_BASE_MISSING", `layer ${against} is not below this VM`);
    }
    const layerId = `snap-${crypto.randomUUID()}`;
    const sections: Section[] = [
      {
        tag: "META",
        data: new TextEncoder().encode(JSON.stringify({ kind: "agentos-vm", createdAt: Date.now() })),
      },
      ...encodeLayers(this.fs.inodes, stop, layerId),
      { tag: SESSIONS_SECTION_TAG, data: this.sessions.toSnapshotSection() },
    ];
    return encodeContainer(sections);
  }

  /**
   * A new VM that sees exactly this VM's files and diverges from here on, in O(1): the current
   * writable layer is frozen and shared, and each VM continues on a fresh layer of its own.
   */
  async fork(options: AgentOSOptions = {}): Promise<AgentOS> {
    this.assertLive();
    const frozen = this.fs.freeze();
    registerLayer(frozen);
    const vm = new AgentOS(
      frozen,
      this.base,
      { ...this.options, ...options, mounts: options.mounts ?? [] },
      this.sessions,
    );
    await vm.ensureMountPoints();
    await vm.installHostCommands();
    return vm;
  }

  // ------------------------------------------------------------------ processes

  /** Run `command` with `sh -c` in the VM; resolves when it ends, with its output. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    this.assertLive();
    return this.processes.exec(command, options);
  }

  /** Start `command` with `args`; output arrives as `processOutput` events, the end as `processExit`. */
  spawn(command: string, args?: string[], options?: SpawnOptions): Promise<{ pid: number }> {
    this.assertLive();
    return this.processes.spawn(command, args, options);
  }

  writeProcessStdin(pid: number, data: string | Uint8Array): Promise<void> {
    return this.processes.writeStdin(pid, data);
  }

  closeProcessStdin(pid: number): void {
    this.processes.closeStdin(pid);
  }

  waitProcess(pid: number): Promise<{ exitCode: number; signal?: string; limit?: LimitCode }> {
    return this.processes.wait(pid);
  }

  /** Send a signal (default SIGTERM). A negative pid signals a process group. */
  killProcess(pid: number, signal?: SignalName | number): void {
    this.processes.kill(pid, signal);
  }

  /** SIGTERM, then SIGKILL after `graceMs` if it is still running. */
  stopProcess(pid: number, graceMs?: number): Promise<void> {
    return this.processes.stop(pid, graceMs);
  }

  listProcesses(): ProcessInfo[] {
    return this.processes.list();
  }

  processTree(): ProcessTreeNode[] {
    return this.processes.tree();
  }

  /** Send `request` to the server a process in the VM listens on at `port` (e.g. node's http.createServer). */
  vmFetch(port: number, request: Request): Promise<Response> {
    this.assertLive();
    return vmFetch(this.kernel, port, request);
  }

  // ------------------------------------------------------------------ interactive shells

  /** An interactive shell (brush) on a pty; its output arrives as `shellData` events. */
  openShell(options?: ShellOptions): Promise<{ shellId: string; pid: number }> {
    this.assertLive();
    return this.shells.open(options);
  }

  writeShell(shellId: string, data: string | Uint8Array): void {
    this.shells.write(shellId, data);
  }

  /** Resize the terminal (SIGWINCH to its foreground process group). */
  resizeShell(shellId: string, cols: number, rows: number): void {
    this.shells.resize(shellId, cols, rows);
  }

  /** SIGHUP the shell's processes, SIGKILL after `graceMs`. */
  closeShell(shellId: string, graceMs?: number): Promise<void> {
    return this.shells.close(shellId, graceMs);
  }

  waitShell(shellId: string): Promise<{ exitCode: number; signal?: string }> {
    return this.shells.wait(shellId);
  }

  // ------------------------------------------------------------------ agent sessions

  /** Start an agent session ("pi" in-process, "claude" or "acp" over ACP); see docs/agents.md. */
  createSession(agentType: string, options?: CreateSessionOptions): Promise<string> {
    this.assertLive();
    return this.sessions.createSession(agentType, options);
  }

  /** Send a prompt; resolves when the agent's turn ends. Events stream as `sessionEvent`. */
  sendPrompt(sessionId: string, text: string): Promise<PromptResult> {
    this.assertLive();
    return this.sessions.sendPrompt(sessionId, text);
  }

  cancelPrompt(sessionId: string): void {
    this.sessions.cancelPrompt(sessionId);
  }

  closeSession(sessionId: string): void {
    this.sessions.closeSession(sessionId);
  }

  destroySession(sessionId: string): void {
    this.sessions.destroySession(sessionId);
  }

  listSessions(): SessionInfo[] {
    return this.sessions.listSessions();
  }

  getSessionEvents(sessionId: string, options?: { since?: number }): SessionEventRecord[] {
    return this.sessions.getSessionEvents(sessionId, options);
  }

  setModel(sessionId: string, model: ModelSpec): ReturnType<SessionManager["setModel"]> {
    return this.sessions.setModel(sessionId, model);
  }

  /** Answer a `permissionRequest`: "once", "always" or "reject". */
  respondPermission(
    sessionId: string,
    permissionId: string,
    response: PermissionResponse,
  ): ReturnType<SessionManager["respondPermission"]> {
    return this.sessions.respondPermission(sessionId, permissionId, response);
  }

  /** Release everything the VM owns: sessions are closed, processes killed. Further calls fail with EBADF. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.sessions.dispose();
    this.shells.dispose();
    this.kernel.dispose();
    await this.fs.dispose();
  }
}

function normalizeHostPath(path: string): string {
  if (typeof path !== "string")
    throw new FsError("EINVAL", { syscall: "path", detail: "path must be a string" });
  if (!path.startsWith("/")) {
    throw new FsError("EINVAL", { syscall: "path", path, detail: "host API paths must be absolute" });
  }
  // Keep a trailing slash: it means "must be a directory".
  const trailing = path.length > 1 && path.endsWith("/") ? "/" : "";
  return path.includes("\0") ? path : normalizePathKeepDots(path) + trailing;
}

/** Collapse `//` and `.` but keep `..` for the VFS, which resolves it symlink-aware. */
function normalizePathKeepDots(path: string): string {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  return parts.length ? `/${parts.join("/")}` : "/";
}
