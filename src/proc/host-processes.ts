/**
 * Processes as the host sees them: `exec`/`spawn` with stdio connected to host-held pipe ends,
 * output streamed as events while it is produced, stdin written by the host, kill/wait/list.
 */

import type { EventEmitter } from "node:events";
import { VM_USER } from "../fs/index.ts";
import { SIG } from "../kernel/abi.ts";
import { type Description, FileDescription, PipeEnd } from "../kernel/descriptions.ts";
import { KernelError } from "../kernel/errors.ts";
import type { Kernel } from "../kernel/kernel.ts";
import {
  type Job,
  type LimitCode,
  type LimitEvent,
  type LimitWarning,
  type ProcessLimits,
  resolveLimits,
  WARNING_FRACTION,
} from "../kernel/limits.ts";
import { Pipe } from "../kernel/pipe.ts";
import type { Process } from "../kernel/process.ts";

export type SignalName = keyof typeof SIGNALS;

export const SIGNALS = {
  SIGHUP: SIG.HUP,
  SIGINT: SIG.INT,
  SIGQUIT: SIG.QUIT,
  SIGKILL: SIG.KILL,
  SIGUSR1: SIG.USR1,
  SIGUSR2: SIG.USR2,
  SIGPIPE: SIG.PIPE,
  SIGALRM: SIG.ALRM,
  SIGTERM: SIG.TERM,
  SIGCHLD: SIG.CHLD,
  SIGCONT: SIG.CONT,
  SIGSTOP: SIG.STOP,
  SIGTSTP: SIG.TSTP,
  SIGWINCH: SIG.WINCH,
} as const;

export function signalName(sig: number): string {
  for (const [name, n] of Object.entries(SIGNALS)) if (n === sig) return name;
  return `SIG${sig}`;
}

function signalNumber(sig: SignalName | number): number {
  if (typeof sig === "number") return sig;
  const n = SIGNALS[sig];
  if (n === undefined) throw new TypeError(`unknown signal ${sig}`);
  return n;
}

export interface ProcessOutputEvent {
  pid: number;
  stream: "stdout" | "stderr";
  data: Uint8Array;
}

export interface ProcessExitEvent {
  pid: number;
  exitCode: number;
  /** The signal that ended the process, e.g. "SIGKILL". */
  signal?: string;
  /** The limit that killed the command (or the first one a program of it ran into). */
  limit?: LimitCode;
}

export interface ProcessEvents {
  processOutput: [ProcessOutputEvent];
  processExit: [ProcessExitEvent];
  /** A command reached 80 % of a limit. */
  limitWarning: [LimitWarning];
  /** A command hit a limit (`hard`: it was killed). */
  limitExceeded: [LimitEvent];
}

export interface SpawnOptions {
  cwd?: string;
  /** Added to the VM's default environment (the host's environment is never inherited). */
  env?: Record<string, string>;
  /** Data for stdin, then end of input. Without it (and without `stdin: "pipe"`), stdin is /dev/null. */
  stdin?: string | Uint8Array | "pipe";
  /** Limits for this command, over the VM's (see docs/limits.md). */
  limits?: ProcessLimits;
  /** Called at 80 % of a limit of this command (the VM's `limitWarning` event fires too). */
  onLimitWarning?: (warning: LimitWarning) => void;
}

export interface ExecOptions extends Omit<SpawnOptions, "stdin"> {
  stdin?: string | Uint8Array;
  /** Kill the command (all its processes) after this many milliseconds: `limits.wallTimeMs`. */
  timeout?: number;
  /** Kill the command when this aborts. */
  signal?: AbortSignal;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Set when a signal ended the command, e.g. "SIGKILL". */
  signal?: string;
  /** True when `timeout` (the wall-time limit) expired and the command was killed. */
  timedOut?: boolean;
  /**
   * The limit that killed the command (exit 137, SIGKILL), e.g. "LIMIT_CPU_TIME"; or, when none
   * did, the first soft limit a program of it ran into ("LIMIT_FDS", "ENOSPC", "LIMIT_PROCESSES").
   */
  limit?: LimitCode;
  /** True when output beyond `limits.outputBytes` was dropped. */
  outputTruncated?: boolean;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  command: string;
  argv: string[];
  cwd: string;
  state: "running" | "exited";
  startTime: number;
  exitCode?: number;
}

export interface ProcessTreeNode extends ProcessInfo {
  children: ProcessTreeNode[];
}

interface HostHandle {
  proc: Process;
  job: Job;
  truncated: boolean;
  stdin: PipeEnd | null;
  drained: Promise<void>;
  chunks: { stdout: Uint8Array[]; stderr: Uint8Array[] };
  collect: boolean;
}

/** The host's never-interrupted I/O context. */
const HOST_IO = { signal: new AbortController().signal };

export class ProcessManager {
  private readonly kernel: Kernel;
  private readonly events: EventEmitter<ProcessEvents>;
  private readonly handles = new Map<number, HostHandle>();
  private readonly defaultEnv: () => Record<string, string>;

  constructor(kernel: Kernel, events: EventEmitter<ProcessEvents>, defaultEnv: () => Record<string, string>) {
    this.kernel = kernel;
    this.events = events;
    this.defaultEnv = defaultEnv;
    kernel.on("limitWarning", (w) => this.events.emit("limitWarning", w));
    kernel.on("limitExceeded", (e) => this.events.emit("limitExceeded", e));
    kernel.on("exit", (proc, status) => {
      const handle = this.handles.get(proc.pid);
      if (!handle) return;
      const ev: ProcessExitEvent = { pid: proc.pid, exitCode: status.exitCode };
      if (status.signal) ev.signal = signalName(status.signal);
      const limit = handle.job.reported;
      if (limit) ev.limit = limit;
      // Output drains first so a listener sees every byte before the exit.
      void this.handles.get(proc.pid)!.drained.then(() => this.events.emit("processExit", ev));
    });
  }

  private envList(extra: Record<string, string> | undefined): string[] {
    const env = { ...this.defaultEnv(), ...extra };
    return Object.entries(env).map(([k, v]) => `${k}=${v}`);
  }

  private async start(
    file: string,
    argv: string[],
    options: SpawnOptions,
    collect: boolean,
    extra: ProcessLimits = {},
  ): Promise<HostHandle> {
    const k = this.kernel;
    const cwd = options.cwd ?? VM_USER.home;
    const limits = resolveLimits(
      collect ? k.commandLimits.exec : k.commandLimits.spawn,
      options.limits,
      extra,
    );
    const job = k.createJob(limits);
    const onWarning = options.onLimitWarning;
    if (onWarning) {
      const listener = (w: LimitWarning) => {
        if (w.pid === job.leader) onWarning(w);
      };
      k.on("limitWarning", listener);
      job.onEnd(() => k.off("limitWarning", listener));
    }
    const fds = k.newFdTable(job);
    const outPipe = new Pipe(limits.pipeBytes);
    const errPipe = new Pipe(limits.pipeBytes);
    let stdinEnd: PipeEnd | null = null;
    let stdinDesc: Description;
    if (options.stdin === undefined) {
      stdinDesc = new FileDescription(await k.vfs.open("/dev/null", { read: true }), 1, 0);
    } else {
      const inPipe = new Pipe(limits.pipeBytes);
      stdinDesc = new PipeEnd(inPipe, "read");
      stdinEnd = new PipeEnd(inPipe, "write");
    }
    fds.set(0, stdinDesc);
    fds.set(1, new PipeEnd(outPipe, "write"));
    fds.set(2, new PipeEnd(errPipe, "write"));
    const outRead = new PipeEnd(outPipe, "read");
    const errRead = new PipeEnd(errPipe, "read");
    let proc: Process;
    try {
      proc = await k.spawn({
        file,
        argv,
        env: this.envList(options.env),
        cwd,
        cred: { uid: VM_USER.uid, gid: VM_USER.gid },
        fds,
        pgroup: 0,
        job,
      });
    } catch (err) {
      job.end();
      outRead.release();
      errRead.release();
      stdinEnd?.release();
      throw err;
    }
    const handle: HostHandle = {
      proc,
      job,
      truncated: false,
      stdin: stdinEnd,
      drained: Promise.resolve(),
      chunks: { stdout: [], stderr: [] },
      collect,
    };
    handle.drained = Promise.all([
      this.drain(handle, outRead, "stdout"),
      this.drain(handle, errRead, "stderr"),
    ]).then(() => undefined);
    this.handles.set(proc.pid, handle);
    if (stdinEnd && options.stdin !== "pipe" && options.stdin !== undefined) {
      const data =
        typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin;
      void this.feed(handle, data);
    }
    return handle;
  }

  private async feed(handle: HostHandle, data: Uint8Array): Promise<void> {
    try {
      if (data.length) await handle.stdin!.write(data, HOST_IO);
    } catch {
      // The process closed its stdin early (EPIPE): the rest of the input is simply not wanted.
    }
    this.closeStdin(handle.proc.pid);
  }

  private async drain(handle: HostHandle, end: PipeEnd, stream: "stdout" | "stderr"): Promise<void> {
    try {
      for (;;) {
        let data = await end.read(65536, HOST_IO);
        if (data.length === 0) break;
        if (handle.truncated) continue; // over the limit: drain (the command is being killed)
        const job = handle.job;
        const max = job.limits.outputBytes;
        const before = job.outputBytes;
        job.outputBytes += data.length;
        if (job.outputBytes > max) {
          data = data.subarray(0, Math.max(0, max - before));
          handle.truncated = true;
          job.exceed("LIMIT_OUTPUT", job.outputBytes, max);
        } else if (job.outputBytes >= max * WARNING_FRACTION) {
          job.warn("LIMIT_OUTPUT", job.outputBytes, max);
        }
        if (data.length === 0) continue;
        if (handle.collect) handle.chunks[stream].push(data);
        this.events.emit("processOutput", { pid: handle.proc.pid, stream, data });
      }
    } finally {
      end.release();
    }
  }

  /** Run `command` with `sh -c` and collect its output. */
  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const extra: ProcessLimits = options.timeout !== undefined ? { wallTimeMs: options.timeout } : {};
    const handle = await this.start("/bin/sh", ["sh", "-c", command], options, true, extra);
    const pid = handle.proc.pid;
    const killGroup = () => {
      for (const p of [...handle.job.members]) this.kernel.terminate(p, SIG.KILL);
      try {
        this.kernel.kill(this.kernel.init, -handle.proc.pgid, SIG.KILL);
      } catch {
        // Already gone.
      }
    };
    const onAbort = () => killGroup();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) killGroup();
    try {
      const status = await handle.proc.whenExited();
      // The shell's children may still hold the pipes; exec's contract ends at the shell's exit
      // plus whatever its descendants write before they close the pipes.
      await handle.drained;
      const result: ExecResult = {
        stdout: decode(handle.chunks.stdout),
        stderr: decode(handle.chunks.stderr),
        exitCode: status.exitCode,
      };
      if (status.signal) result.signal = signalName(status.signal);
      const limit = handle.job.reported;
      if (limit) result.limit = limit;
      if (handle.job.hit === "LIMIT_WALL_TIME") result.timedOut = true;
      if (handle.truncated) result.outputTruncated = true;
      return result;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      this.handles.delete(pid);
    }
  }

  /** Start a process; its output arrives as `processOutput` events. */
  async spawn(command: string, args: string[] = [], options: SpawnOptions = {}): Promise<{ pid: number }> {
    const handle = await this.start(command, [command.split("/").pop() || command, ...args], options, false);
    void handle.proc.whenExited().then(() => handle.drained.then(() => this.handles.delete(handle.proc.pid)));
    return { pid: handle.proc.pid };
  }

  private handle(pid: number): HostHandle {
    const h = this.handles.get(pid);
    if (!h) throw new KernelError(71, `no process ${pid} started by this host`);
    return h;
  }

  async writeStdin(pid: number, data: string | Uint8Array): Promise<void> {
    const h = this.handle(pid);
    if (!h.stdin)
      throw new KernelError(8, `process ${pid} has no writable stdin (spawn it with stdin: "pipe")`);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    await h.stdin.write(bytes, HOST_IO);
  }

  closeStdin(pid: number): void {
    const h = this.handles.get(pid);
    if (h?.stdin) {
      h.stdin.release();
      h.stdin = null;
    }
  }

  async wait(pid: number): Promise<{ exitCode: number; signal?: string; limit?: LimitCode }> {
    const handle = this.handles.get(pid);
    const proc = this.kernel.processes.get(pid) ?? handle?.proc;
    if (!proc) throw new KernelError(71, `no such process ${pid}`);
    const status = await proc.whenExited();
    await handle?.drained;
    const out: { exitCode: number; signal?: string; limit?: LimitCode } = { exitCode: status.exitCode };
    if (status.signal) out.signal = signalName(status.signal);
    const limit = (handle?.job ?? this.kernel.jobOf(proc))?.reported;
    if (limit) out.limit = limit;
    return out;
  }

  kill(pid: number, sig: SignalName | number = "SIGTERM"): void {
    this.kernel.kill(this.kernel.init, pid, signalNumber(sig));
  }

  /**
   * SIGTERM, then SIGKILL if the process is still alive after `graceMs` (a process that ignores or
   * blocks SIGTERM: `trap '' TERM`). A negative pid addresses a process group.
   */
  async stop(pid: number, graceMs = 2000): Promise<void> {
    const targets =
      pid > 0
        ? [this.kernel.processes.get(pid)].filter((p): p is Process => p?.alive === true)
        : [...this.kernel.processes.values()].filter((p) => p.alive && p.pid !== 1 && p.pgid === -pid);
    if (targets.length === 0) return;
    for (const p of targets) this.kernel.signal(p, SIG.TERM);
    const timer = setTimeout(() => {
      for (const p of targets) this.kernel.signal(p, SIG.KILL);
    }, graceMs);
    await Promise.all(targets.map((p) => p.whenExited()));
    clearTimeout(timer);
  }

  list(): ProcessInfo[] {
    const out: ProcessInfo[] = [];
    for (const p of this.kernel.processes.values()) {
      if (p.pid === 1) continue;
      const info: ProcessInfo = {
        pid: p.pid,
        ppid: p.ppid,
        pgid: p.pgid,
        command: p.argv[0] ?? "",
        argv: [...p.argv],
        cwd: p.cwd,
        state: p.alive ? "running" : "exited",
        startTime: p.startTime,
      };
      if (p.status) info.exitCode = p.status.exitCode;
      out.push(info);
    }
    return out.sort((a, b) => a.pid - b.pid);
  }

  tree(): ProcessTreeNode[] {
    const nodes = new Map<number, ProcessTreeNode>();
    for (const info of this.list()) nodes.set(info.pid, { ...info, children: [] });
    const roots: ProcessTreeNode[] = [];
    for (const n of nodes.values()) {
      const parent = nodes.get(n.ppid);
      if (parent) parent.children.push(n);
      else roots.push(n);
    }
    return roots;
  }
}

function decode(chunks: Uint8Array[]): string {
  return Buffer.concat(chunks).toString("utf8");
}
