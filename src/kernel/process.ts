/** A process: identity, fd table, cwd, signal state, and how it ended. */

import type { Credentials } from "../fs/index.ts";
import { SIG } from "./abi.ts";
import type { FdTable } from "./fd-table.ts";
import type { Program } from "./programs.ts";
import { WaitQueue } from "./wait-queue.ts";

export type ProcessState = "running" | "zombie" | "reaped";

export interface ExitStatus {
  /** Exit code, or 128 + signal when killed by a signal (as the shell reports it). */
  exitCode: number;
  /** The terminating signal's number, if any. */
  signal: number | null;
}

/** Something that executes a process's program and can be stopped (a pooled worker, a host function). */
export interface Execution {
  /** Stop now (a hot loop included). */
  terminate(): void;
}

export interface ResourceUsage {
  syscalls: number;
  bytesRead: number;
  bytesWritten: number;
}

export class Process {
  readonly pid: number;
  ppid: number;
  pgid: number;
  argv: string[];
  env: string[];
  cwd: string;
  umask = 0o022;
  readonly cred: Credentials;
  fds: FdTable;
  state: ProcessState = "running";
  status: ExitStatus | null = null;
  readonly startTime = Date.now();
  endTime: number | null = null;
  readonly children = new Set<Process>();
  /** Woken when a child changes state (for waitpid). */
  readonly childEvents = new WaitQueue();
  /** Signal mask: bit (n - 1) blocks signal n. */
  sigmask = 0n;
  readonly ignored = new Set<number>();
  /** Signals raised while blocked, delivered when unblocked. */
  readonly pending = new Set<number>();
  readonly usage: ResourceUsage = { syscalls: 0, bytesRead: 0, bytesWritten: 0 };
  execution: Execution | null = null;
  /** Set by EXEC: the program to run next in this process once the current image stops. */
  pendingExec: { program: Program; argv: string[]; env: string[] } | null = null;
  private abort = new AbortController();
  private readonly exited: Promise<ExitStatus>;
  private resolveExit!: (s: ExitStatus) => void;

  constructor(init: {
    pid: number;
    ppid: number;
    pgid: number;
    argv: string[];
    env: string[];
    cwd: string;
    cred: Credentials;
    fds: FdTable;
    umask?: number;
  }) {
    this.pid = init.pid;
    this.ppid = init.ppid;
    this.pgid = init.pgid;
    this.argv = init.argv;
    this.env = init.env;
    this.cwd = init.cwd;
    this.cred = init.cred;
    this.fds = init.fds;
    if (init.umask !== undefined) this.umask = init.umask;
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  /** Aborted when a signal interrupts the process's blocking call or the process ends. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Interrupt the current blocking call (EINTR) and arm a fresh signal for the next. */
  interrupt(): void {
    this.abort.abort();
    this.abort = new AbortController();
  }

  get alive(): boolean {
    return this.state === "running";
  }

  get name(): string {
    return this.argv[0] ?? "?";
  }

  blocked(sig: number): boolean {
    return sig !== SIG.KILL && sig !== SIG.STOP && (this.sigmask & (1n << BigInt(sig - 1))) !== 0n;
  }

  whenExited(): Promise<ExitStatus> {
    return this.exited;
  }

  /** Record the end of the process (the kernel closes its fds and notifies the parent). */
  finish(status: ExitStatus): void {
    if (this.state !== "running") return;
    this.state = "zombie";
    this.status = status;
    this.endTime = Date.now();
    this.abort.abort();
    this.resolveExit(status);
  }

  getenv(name: string): string | undefined {
    const prefix = `${name}=`;
    for (let i = this.env.length - 1; i >= 0; i--) {
      const e = this.env[i]!;
      if (e.startsWith(prefix)) return e.slice(prefix.length);
    }
    return undefined;
  }
}

/** Environment entries with `name` set to `value` (replacing any earlier entry). */
export function setEnv(env: string[], name: string, value: string): string[] {
  const prefix = `${name}=`;
  return [...env.filter((e) => !e.startsWith(prefix)), `${prefix}${value}`];
}
