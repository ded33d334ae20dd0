/**
 * The kernel of one VM: the process table, spawning and reaping, signals, and the syscall entry
 * point every process's runner calls. It lives on the host thread; processes run in pooled workers
 * (or, for host commands, as async functions) and reach it only through syscalls.
 */

import { EventEmitter } from "node:events";
import type { Credentials, Vfs } from "../fs/index.ts";
import { DEFAULT_IGNORED, Errno, SIG } from "./abi.ts";
import { fail, ok, type SyscallArg, type SyscallResult } from "./channel/index.ts";
import type { Description } from "./descriptions.ts";
import { errnoOf, kerr } from "./errors.ts";
import { FdTable } from "./fd-table.ts";
import { runHostCommand } from "./host-runner.ts";
import { type ExitStatus, Process, setEnv } from "./process.ts";
import {
  findExecutable,
  type HostCommand,
  loadProgram,
  type Program,
  type ProgramSources,
} from "./programs.ts";
import { SYSCALLS } from "./syscalls/table.ts";

export interface ProgramRunner {
  /** Start `program` as `proc`'s image; resolve with its exit code when it ends on its own. */
  start(
    kernel: Kernel,
    proc: Process,
    program: Program,
  ): { done: Promise<number | "terminated">; terminate(): void };
}

export interface KernelOptions {
  vfs: Vfs;
  sources: ProgramSources;
  /** Runs WASM programs (the worker pool); host commands run in-thread. */
  wasmRunner: ProgramRunner;
  hostname: string;
  /** Most processes alive at once in this VM (EAGAIN beyond). */
  maxProcesses?: number;
  maxFdsPerProcess?: number;
}

export interface SpawnSpec {
  file: string;
  argv: string[];
  env: string[];
  cwd: string;
  cred: Credentials;
  /** The child's fd table (the kernel owns it from here). */
  fds: FdTable;
  parent?: Process | null;
  /** -1 inherit the parent's group, 0 new group led by the child, > 0 join that group. */
  pgroup?: number;
}

export interface KernelEvents {
  exit: [proc: Process, status: ExitStatus];
}

export const INIT_PID = 1;

export class Kernel extends EventEmitter<KernelEvents> {
  readonly vfs: Vfs;
  readonly sources: ProgramSources;
  readonly hostname: string;
  readonly maxProcesses: number;
  readonly maxFds: number;
  readonly processes = new Map<number, Process>();
  readonly init: Process;
  private readonly wasmRunner: ProgramRunner;
  private nextPid = 2;
  private disposed = false;

  constructor(options: KernelOptions) {
    super();
    this.vfs = options.vfs;
    this.sources = options.sources;
    this.wasmRunner = options.wasmRunner;
    this.hostname = options.hostname;
    this.maxProcesses = options.maxProcesses ?? 512;
    this.maxFds = options.maxFdsPerProcess ?? 1024;
    // pid 1 stands for the host: it parents host-spawned processes and reaps orphans.
    this.init = new Process({
      pid: INIT_PID,
      ppid: 0,
      pgid: INIT_PID,
      argv: ["init"],
      env: [],
      cwd: "/",
      cred: { uid: 0, gid: 0, privileged: true },
      fds: new FdTable(this.maxFds),
    });
    this.processes.set(INIT_PID, this.init);
  }

  get liveCount(): number {
    let n = 0;
    for (const p of this.processes.values()) if (p.alive && p.pid !== INIT_PID) n++;
    return n;
  }

  /** Resolve and start a program. Fails (and closes `spec.fds`) if the program cannot run. */
  async spawn(spec: SpawnSpec): Promise<Process> {
    try {
      if (this.disposed) throw kerr(Errno.AGAIN, "the VM has been disposed");
      if (this.liveCount >= this.maxProcesses) {
        throw kerr(Errno.AGAIN, `process limit ${this.maxProcesses} reached (LIMIT_PROCESSES)`);
      }
      const path = await findExecutable(
        this.vfs,
        spec.file,
        envLookup(spec.env, "PATH"),
        spec.cwd,
        spec.cred,
      );
      const program = await this.loadProgram(path, spec.argv, spec.cred);
      const parent = spec.parent ?? this.init;
      const pid = this.nextPid++;
      const pgroup = spec.pgroup ?? -1;
      const pgid = pgroup === 0 ? pid : pgroup > 0 ? pgroup : parent.pid === INIT_PID ? pid : parent.pgid;
      const proc = new Process({
        pid,
        ppid: parent.pid,
        pgid,
        argv: spec.argv,
        env: setEnv(spec.env, "PWD", spec.cwd),
        cwd: spec.cwd,
        cred: spec.cred,
        fds: spec.fds,
        umask: parent.pid === INIT_PID ? 0o022 : parent.umask,
      });
      for (const s of parent.ignored) proc.ignored.add(s);
      proc.sigmask = parent.pid === INIT_PID ? 0n : parent.sigmask;
      this.processes.set(pid, proc);
      parent.children.add(proc);
      this.startImage(proc, program);
      return proc;
    } catch (err) {
      spec.fds.closeAll();
      throw err;
    }
  }

  loadProgram(path: string, argv: string[], cred: Credentials): Promise<Program> {
    return loadProgram(this.vfs, this.sources, path, argv, cred);
  }

  private startImage(proc: Process, program: Program): void {
    if (program.kind === "wasm") proc.argv = program.argv;
    const exec =
      program.kind === "host"
        ? runHostCommand(this, proc, program.fn, program.argv)
        : this.wasmRunner.start(this, proc, program);
    proc.execution = { terminate: exec.terminate };
    exec.done.then(
      (code) => this.imageEnded(proc, code),
      (err) => {
        console.error(`agentos-vm kernel: process ${proc.pid} (${proc.name}) failed to run:`, err);
        this.imageEnded(proc, 127);
      },
    );
  }

  private async imageEnded(proc: Process, code: number | "terminated"): Promise<void> {
    if (!proc.alive) return;
    const next = proc.pendingExec;
    if (next && code !== "terminated") {
      proc.pendingExec = null;
      try {
        const path = await findExecutable(
          this.vfs,
          next.file,
          envLookup(next.env, "PATH"),
          proc.cwd,
          proc.cred,
        );
        const program = await this.loadProgram(path, next.argv, proc.cred);
        proc.fds.closeOnExec();
        proc.argv = next.argv;
        proc.env = setEnv(next.env, "PWD", proc.cwd);
        this.startImage(proc, program);
        return;
      } catch {
        this.finish(proc, { exitCode: 127, signal: null });
        return;
      }
    }
    this.finish(
      proc,
      code === "terminated"
        ? { exitCode: 128 + SIG.KILL, signal: SIG.KILL }
        : { exitCode: code & 0xff, signal: null },
    );
  }

  /** Record a process's end: close its fds, hand its children to init, wake its parent. */
  private finish(proc: Process, status: ExitStatus): void {
    if (!proc.alive) return;
    proc.finish(status);
    proc.execution = null;
    proc.fds.closeAll();
    for (const child of proc.children) {
      child.ppid = INIT_PID;
      this.init.children.add(child);
      if (child.state === "zombie") this.reap(child);
    }
    proc.children.clear();
    const parent = this.processes.get(proc.ppid) ?? this.init;
    if (parent === this.init) this.reap(proc);
    else {
      parent.childEvents.wake();
      this.signal(parent, SIG.CHLD);
    }
    this.emit("exit", proc, status);
  }

  reap(proc: Process): void {
    if (proc.state !== "zombie") return;
    proc.state = "reaped";
    this.processes.delete(proc.pid);
    const parent = this.processes.get(proc.ppid);
    parent?.children.delete(proc);
    this.init.children.delete(proc);
  }

  /** Deliver a signal to one process (POSIX default actions; WASM guests cannot catch signals). */
  signal(proc: Process, sig: number): void {
    if (!proc.alive || sig === 0 || proc.pid === INIT_PID) return;
    if (sig !== SIG.KILL && (proc.ignored.has(sig) || DEFAULT_IGNORED.has(sig))) return;
    if (proc.blocked(sig)) {
      proc.pending.add(sig);
      return;
    }
    if (sig === SIG.STOP || sig === SIG.TSTP) return; // job control stops are not supported yet
    this.terminate(proc, sig);
  }

  /** Signals unblocked by a mask change are delivered now. */
  deliverPending(proc: Process): void {
    for (const sig of [...proc.pending]) {
      if (!proc.blocked(sig)) {
        proc.pending.delete(sig);
        this.signal(proc, sig);
      }
    }
  }

  terminate(proc: Process, sig: number): void {
    if (!proc.alive) return;
    const exec = proc.execution;
    proc.pendingExec = null;
    this.finish(proc, { exitCode: 128 + sig, signal: sig });
    exec?.terminate();
  }

  /** kill(2) addressing: pid > 0 one process, 0 the caller's group, -1 everyone, < -1 a group. */
  kill(caller: Process, pid: number, sig: number): void {
    if (sig < 0 || sig > 64) throw kerr(Errno.INVAL, `invalid signal ${sig}`);
    const targets: Process[] = [];
    if (pid > 0) {
      const p = this.processes.get(pid);
      if (p?.alive) targets.push(p);
    } else {
      const group = pid === 0 ? caller.pgid : -pid;
      for (const p of this.processes.values()) {
        if (p.pid === INIT_PID || !p.alive) continue;
        if (pid === -1 ? p !== caller : p.pgid === group) targets.push(p);
      }
    }
    if (targets.length === 0) throw kerr(Errno.SRCH, `no such process ${pid}`);
    for (const p of targets) this.signal(p, sig);
  }

  /** Handle one syscall from `proc`'s runner. Errors become WASI errnos here, once. */
  async syscall(proc: Process, op: number, args: SyscallArg[]): Promise<SyscallResult> {
    const handler = SYSCALLS[op];
    if (!handler) return fail(Errno.NOSYS);
    proc.usage.syscalls += 1;
    try {
      const values = await handler(this, proc, args);
      return ok(...(values ?? []));
    } catch (err) {
      return fail(errnoOf(err));
    }
  }

  /** The same handler, bound for a process's channel. */
  handlerFor(proc: Process): (op: number, args: SyscallArg[]) => Promise<SyscallResult> {
    return (op, args) => this.syscall(proc, op, args);
  }

  newFdTable(): FdTable {
    return new FdTable(this.maxFds);
  }

  /** Stop every process (VM disposal). */
  dispose(): void {
    this.disposed = true;
    for (const p of this.processes.values()) if (p.pid !== INIT_PID) this.terminate(p, SIG.KILL);
  }
}

export function envLookup(env: readonly string[], name: string): string | undefined {
  const prefix = `${name}=`;
  for (let i = env.length - 1; i >= 0; i--)
    if (env[i]!.startsWith(prefix)) return env[i]!.slice(prefix.length);
  return undefined;
}

export type { Description, HostCommand };
