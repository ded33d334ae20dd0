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
}

export interface ProcessEvents {
  processOutput: [ProcessOutputEvent];
  processExit: [ProcessExitEvent];
}

export interface SpawnOptions {
  cwd?: string;
  /** Added to the VM's default environment (the host's environment is never inherited). */
  env?: Record<string, string>;
  /** Data for stdin, then end of input. Without it (and without `stdin: "pipe"`), stdin is /dev/null. */
  stdin?: string | Uint8Array | "pipe";
}

export interface ExecOptions extends Omit<SpawnOptions, "stdin"> {
  stdin?: string | Uint8Array;
  /** Kill the command (its whole process group) after this many milliseconds. */
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
  /** True when `timeout` expired and the command was killed. */
  timedOut?: boolean;
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
    kernel.on("exit", (proc, status) => {
      if (!this.handles.has(proc.pid)) return;
      const ev: ProcessExitEvent = { pid: proc.pid, exitCode: status.exitCode };
      if (status.signal) ev.signal = signalName(status.signal);
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
  ): Promise<HostHandle> {
    const k = this.kernel;
    const cwd = options.cwd ?? VM_USER.home;
    const fds = k.newFdTable();
    const outPipe = new Pipe();
    const errPipe = new Pipe();
    let stdinEnd: PipeEnd | null = null;
    let stdinDesc: Description;
    if (options.stdin === undefined) {
      stdinDesc = new FileDescription(await k.vfs.open("/dev/null", { read: true }), 1, 0);
    } else {
      const inPipe = new Pipe();
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
      });
    } catch (err) {
      outRead.release();
      errRead.release();
      stdinEnd?.release();
      throw err;
    }
    const handle: HostHandle = {
      proc,
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
        const data = await end.read(65536, HOST_IO);
        if (data.length === 0) break;
        if (handle.collect) handle.chunks[stream].push(data);
        this.events.emit("processOutput", { pid: handle.proc.pid, stream, data });
      }
    } finally {
      end.release();
    }
  }

  /** Run `command` with `sh -c` and collect its output. */
  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const handle = await this.start("/bin/sh", ["sh", "-c", command], options, true);
    const pid = handle.proc.pid;
    let timedOut = false;
    const killGroup = () => {
      try {
        this.kernel.kill(this.kernel.init, -handle.proc.pgid, SIG.KILL);
      } catch {
        // Already gone.
      }
    };
    const timer =
      options.timeout !== undefined
        ? setTimeout(() => {
            timedOut = true;
            killGroup();
          }, options.timeout)
        : undefined;
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
      if (timedOut) result.timedOut = true;
      return result;
    } finally {
      if (timer) clearTimeout(timer);
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

  async wait(pid: number): Promise<{ exitCode: number; signal?: string }> {
    const proc = this.kernel.processes.get(pid) ?? this.handles.get(pid)?.proc;
    if (!proc) throw new KernelError(71, `no such process ${pid}`);
    const status = await proc.whenExited();
    await this.handles.get(pid)?.drained;
    return status.signal
      ? { exitCode: status.exitCode, signal: signalName(status.signal) }
      : { exitCode: status.exitCode };
  }

  kill(pid: number, sig: SignalName | number = "SIGTERM"): void {
    this.kernel.kill(this.kernel.init, pid, signalNumber(sig));
  }

  /** SIGTERM, then SIGKILL if the process is still alive after `graceMs`. */
  async stop(pid: number, graceMs = 2000): Promise<void> {
    const proc = this.kernel.processes.get(pid);
    if (!proc?.alive) return;
    this.kernel.signal(proc, SIG.TERM);
    const timer = setTimeout(() => this.kernel.signal(proc, SIG.KILL), graceMs);
    await proc.whenExited();
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
