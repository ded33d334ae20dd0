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
import {
  DEFAULT_EXEC_LIMITS,
  DEFAULT_SPAWN_LIMITS,
  DEFAULT_VM_LIMITS,
  Job,
  LimitError,
  type LimitEvent,
  type LimitWarning,
  type ProcessLimits,
  type ResolvedLimits,
  resolveLimits,
  WARNING_FRACTION,
} from "./limits.ts";
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
  /** Most processes alive at once in this VM (EAGAIN beyond). Default `limits.maxProcesses`. */
  maxProcesses?: number;
  maxFdsPerProcess?: number;
  /**
   * The VM's limits (see limits.ts): `maxProcesses`, `maxOpenFiles`, `pipeBytes` apply VM-wide;
   * every field is also the default for the commands the host starts (`commandLimits`).
   */
  limits?: ProcessLimits;
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
  /** The command (resource container) the process belongs to; default: its parent's. */
  job?: Job | null;
}

export interface KernelEvents {
  exit: [proc: Process, status: ExitStatus];
  /** A command reached 80 % of a limit. */
  limitWarning: [warning: LimitWarning];
  /** A command hit a limit: killed (`hard`) or a program got EMFILE/ENOSPC/EAGAIN. */
  limitExceeded: [event: LimitEvent];
}

export const INIT_PID = 1;

export class Kernel extends EventEmitter<KernelEvents> {
  readonly vfs: Vfs;
  readonly sources: ProgramSources;
  readonly hostname: string;
  readonly maxProcesses: number;
  readonly maxFds: number;
  /** Capacity of pipes made by processes outside any command. */
  readonly pipeBytes: number;
  /** Limits of commands started by the host, before per-call overrides. */
  readonly commandLimits: { exec: ResolvedLimits; spawn: ResolvedLimits };
  readonly processes = new Map<number, Process>();
  readonly init: Process;
  private readonly wasmRunner: ProgramRunner;
  private readonly jobs = new WeakMap<Process, Job>();
  private readonly vmWarned = new Set<string>();
  private nextPid = 2;
  private disposed = false;

  constructor(options: KernelOptions) {
    super();
    this.vfs = options.vfs;
    this.sources = options.sources;
    this.wasmRunner = options.wasmRunner;
    this.hostname = options.hostname;
    const vmLimits = resolveLimits({ ...DEFAULT_EXEC_LIMITS, ...DEFAULT_VM_LIMITS }, options.limits);
    this.maxProcesses = options.maxProcesses ?? vmLimits.maxProcesses;
    this.maxFds = options.maxFdsPerProcess ?? vmLimits.maxOpenFiles;
    this.pipeBytes = vmLimits.pipeBytes;
    const vm = { ...options.limits, maxProcesses: this.maxProcesses, maxOpenFiles: this.maxFds };
    this.commandLimits = {
      exec: resolveLimits(DEFAULT_EXEC_LIMITS, vm),
      spawn: resolveLimits(DEFAULT_SPAWN_LIMITS, vm),
    };
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
      const job =
        spec.job !== undefined ? spec.job : spec.parent ? (this.jobs.get(spec.parent) ?? null) : null;
      this.checkProcessLimits(job);
      const program = await this.resolveProgram(spec.file, spec.argv, spec.env, spec.cwd, spec.cred);
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
      if (job) {
        if (job.members.size === 0 && job.leader === 0) job.leader = pid;
        this.jobs.set(proc, job);
        job.add(proc);
      }
      this.startImage(proc, program);
      return proc;
    } catch (err) {
      spec.fds.closeAll();
      throw err;
    }
  }

  /**
   * EAGAIN when the VM or the command already runs as many processes as it may. A command that
   * tries is killed (LIMIT_PROCESSES): it is almost always a fork bomb, which would otherwise keep
   * the table full forever.
   */
  private checkProcessLimits(job: Job | null): void {
    const live = this.liveCount;
    const inJob = job ? job.members.size : 0;
    const jobMax = job ? job.limits.maxProcesses : Number.POSITIVE_INFINITY;
    if (live >= this.maxProcesses || inJob >= jobMax) {
      const [used, limit] = live >= this.maxProcesses ? [live, this.maxProcesses] : [inJob, jobMax];
      const error = new LimitError(
        "LIMIT_PROCESSES",
        limit,
        `process limit ${limit} reached (LIMIT_PROCESSES)`,
      );
      if (job) job.exceed("LIMIT_PROCESSES", used + 1, limit);
      else
        this.emit("limitExceeded", { code: "LIMIT_PROCESSES", pid: 0, used: used + 1, limit, hard: false });
      throw error;
    }
    if (job) {
      if (live + 1 >= this.maxProcesses * WARNING_FRACTION)
        job.warn("LIMIT_PROCESSES", live + 1, this.maxProcesses);
      else if (inJob + 1 >= jobMax * WARNING_FRACTION) job.warn("LIMIT_PROCESSES", inJob + 1, jobMax);
    }
  }

  /** A new resource container for a command the host starts (exec/spawn). */
  createJob(limits: ResolvedLimits): Job {
    return new Job(limits, {
      kill: (p) => this.terminate(p, SIG.KILL),
      warn: (w) => this.emit("limitWarning", w),
      exceeded: (e) => this.emit("limitExceeded", e),
    });
  }

  /** The command `proc` belongs to, if the host started it (or an ancestor). */
  jobOf(proc: Process): Job | null {
    return this.jobs.get(proc) ?? null;
  }

  /** Capacity of a pipe made by `proc`. */
  pipeBytesFor(proc: Process): number {
    return this.jobs.get(proc)?.limits.pipeBytes ?? this.pipeBytes;
  }

  /** Bytes of WASM linear memory `proc` may use (Infinity: no limit). */
  memoryLimitFor(proc: Process): number {
    return this.jobs.get(proc)?.limits.memoryBytes ?? Number.POSITIVE_INFINITY;
  }

  /** A runner found `proc` over a hard limit: its command is killed, naming the limit. */
  limitExceeded(proc: Process, code: "LIMIT_MEMORY" | "LIMIT_CPU_TIME", used: number, limit: number): void {
    const job = this.jobs.get(proc);
    if (job) job.exceed(code, used, limit);
    else {
      this.emit("limitExceeded", { code, pid: proc.pid, used, limit, hard: true });
      this.terminate(proc, SIG.KILL);
    }
  }

  /** What running `file` means, as execvp: PATH search (from `env`), permission, format. */
  async resolveProgram(
    file: string,
    argv: string[],
    env: string[],
    cwd: string,
    cred: Credentials,
  ): Promise<Program> {
    const path = await findExecutable(this.vfs, file, envLookup(env, "PATH"), cwd, cred);
    return loadProgram(this.vfs, this.sources, path, argv, cred);
  }

  private startImage(proc: Process, program: Program): void {
    if (program.kind !== "host") proc.argv = program.argv;
    const exec =
      program.kind === "host"
        ? runHostCommand(this, proc, program.fn, program.argv)
        : this.wasmRunner.start(this, proc, program);
    proc.execution = { terminate: exec.terminate };
    // CPU time is counted while a WASM image runs guest code (host commands run on the host).
    if (program.kind !== "host") this.jobs.get(proc)?.running(proc, performance.now());
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
      // EXEC resolved the program already: a missing one failed the call, not the process.
      proc.pendingExec = null;
      proc.fds.closeOnExec();
      proc.argv = next.argv;
      proc.env = setEnv(next.env, "PWD", proc.cwd);
      this.startImage(proc, next.program);
      return;
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
    this.jobs.get(proc)?.remove(proc);
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
    const job = this.jobs.get(proc);
    if (job) job.blocked(proc, performance.now());
    try {
      const values = await handler(this, proc, args);
      if (job) this.checkSoftLimits(job, proc);
      return ok(...(values ?? []));
    } catch (err) {
      const errno = errnoOf(err);
      if (job) this.noteErrno(job, proc, errno);
      return fail(errno);
    } finally {
      if (job && proc.alive) job.running(proc, performance.now());
    }
  }

  /** Warnings at 80 % of the fd and filesystem limits. Cheap: a few property reads. */
  private checkSoftLimits(job: Job, proc: Process): void {
    const fds = proc.fds.size;
    if (fds >= proc.fds.maxFds * WARNING_FRACTION) job.warn("LIMIT_FDS", fds, proc.fds.maxFds);
    const { maxBytes, maxInodes } = this.vfs.limits;
    const usage = this.vfs.inodes.usage;
    if (maxBytes !== undefined && usage.bytes >= maxBytes * WARNING_FRACTION) {
      this.warnVm(job, "bytes", usage.bytes, maxBytes);
    } else if (maxInodes !== undefined && usage.inodes >= maxInodes * WARNING_FRACTION) {
      this.warnVm(job, "inodes", usage.inodes, maxInodes);
    }
  }

  /** The filesystem is the VM's: its warning is raised once per VM. */
  private warnVm(job: Job, key: string, used: number, limit: number): void {
    if (this.vmWarned.has(key)) return;
    this.vmWarned.add(key);
    job.warn("ENOSPC", used, limit);
  }

  private noteErrno(job: Job, proc: Process, errno: number): void {
    if (errno === Errno.MFILE) job.noteSoft("LIMIT_FDS", proc.fds.size, proc.fds.maxFds);
    else if (errno === Errno.NOSPC || errno === Errno.FBIG) {
      const { maxBytes } = this.vfs.limits;
      job.noteSoft("ENOSPC", this.vfs.inodes.usage.bytes, maxBytes ?? Number.POSITIVE_INFINITY);
    }
  }

  /** The same handler, bound for a process's channel. */
  handlerFor(proc: Process): (op: number, args: SyscallArg[]) => Promise<SyscallResult> {
    return (op, args) => this.syscall(proc, op, args);
  }

  newFdTable(job?: Job | null): FdTable {
    return new FdTable(job ? job.limits.maxOpenFiles : this.maxFds);
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
