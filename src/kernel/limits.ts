/**
 * Resource limits: what a command (an `exec` or `spawn` and every process it starts) may use, the
 * typed error naming a limit, and the per-command accounting ("jobs", a cgroup in miniature).
 *
 * Hard limits end the whole command with SIGKILL (exit status 137) and name themselves in the
 * result: wall time, CPU time, memory per process, output bytes, process count. Soft limits answer
 * the program with an errno it can handle and are recorded on the command: open fds (EMFILE),
 * filesystem bytes/inodes (ENOSPC, EFBIG). Either way a warning is raised once per limit and
 * command at {@link WARNING_FRACTION} of it.
 */

import { Errno } from "./abi.ts";
import { KernelError } from "./errors.ts";
import type { Process } from "./process.ts";

export type LimitCode =
  | "LIMIT_WALL_TIME"
  | "LIMIT_CPU_TIME"
  | "LIMIT_MEMORY"
  | "LIMIT_OUTPUT"
  | "LIMIT_PROCESSES"
  | "LIMIT_FDS"
  | "ENOSPC";

/** Process limits. Every field is optional; `Infinity` lifts one. */
export interface ProcessLimits {
  /** Wall-clock time of a command, ms (exec's `timeout` sets it too). */
  wallTimeMs?: number;
  /** CPU time of a command, ms: time its processes spent running guest code, summed. Approximate. */
  cpuTimeMs?: number;
  /** WASM linear memory of each process, bytes (rounded down to 64 KiB pages). */
  memoryBytes?: number;
  /** stdout + stderr bytes a command may send to the host. */
  outputBytes?: number;
  /** Processes alive at once: per VM (VM option) or per command (exec/spawn option). EAGAIN beyond. */
  maxProcesses?: number;
  /** Open fds per process. EMFILE beyond. */
  maxOpenFiles?: number;
  /** Capacity of each pipe, bytes. */
  pipeBytes?: number;
}

export type ResolvedLimits = Required<ProcessLimits>;

const MiB = 1024 * 1024;

/** Defaults for `exec` (untrusted code, run to completion). */
export const DEFAULT_EXEC_LIMITS: ResolvedLimits = {
  wallTimeMs: 10 * 60_000,
  cpuTimeMs: 5 * 60_000,
  memoryBytes: 512 * MiB,
  outputBytes: 64 * MiB,
  maxProcesses: 64,
  maxOpenFiles: 1024,
  pipeBytes: 64 * 1024,
};

/** Defaults for `spawn` (long-running services are what it is for: no wall time, no output cap). */
export const DEFAULT_SPAWN_LIMITS: ResolvedLimits = {
  ...DEFAULT_EXEC_LIMITS,
  wallTimeMs: Number.POSITIVE_INFINITY,
  cpuTimeMs: Number.POSITIVE_INFINITY,
  outputBytes: Number.POSITIVE_INFINITY,
};

/** Filesystem defaults (the VFS enforces them: ENOSPC / EFBIG). */
export const DEFAULT_FS_LIMITS = {
  maxBytes: 1024 * MiB,
  maxInodes: 1_000_000,
  maxFileSize: 1024 * MiB,
} as const;

/** VM-wide defaults: most processes alive at once in the VM, fds per process, pipe capacity. */
export const DEFAULT_VM_LIMITS = {
  maxProcesses: DEFAULT_EXEC_LIMITS.maxProcesses,
  maxOpenFiles: DEFAULT_EXEC_LIMITS.maxOpenFiles,
  pipeBytes: DEFAULT_EXEC_LIMITS.pipeBytes,
} as const;

/** A warning is raised when a command has used this fraction of a limit. */
export const WARNING_FRACTION = 0.8;

/** A limit was hit. `code` names it; `errno` is what a program would see (EAGAIN, EMFILE, ENOSPC…). */
export class LimitError extends KernelError {
  readonly code: LimitCode;
  /** The limit's value (ms, bytes or a count). */
  readonly limit: number;
  constructor(code: LimitCode, limit: number, message?: string) {
    super(ERRNO_OF[code], message ?? `${describe(code)} limit ${limit} exceeded (${code})`);
    this.name = "LimitError";
    this.code = code;
    this.limit = limit;
  }
}

/** WASI's ETIMEDOUT (not in the kernel's Errno table: no syscall answers it). */
const ETIMEDOUT = 73;

const ERRNO_OF: Record<LimitCode, number> = {
  LIMIT_WALL_TIME: ETIMEDOUT,
  LIMIT_CPU_TIME: ETIMEDOUT,
  LIMIT_MEMORY: Errno.NOMEM,
  LIMIT_OUTPUT: Errno.FBIG,
  LIMIT_PROCESSES: Errno.AGAIN,
  LIMIT_FDS: Errno.MFILE,
  ENOSPC: Errno.NOSPC,
};

function describe(code: LimitCode): string {
  switch (code) {
    case "LIMIT_WALL_TIME":
      return "wall-time";
    case "LIMIT_CPU_TIME":
      return "CPU-time";
    case "LIMIT_MEMORY":
      return "memory";
    case "LIMIT_OUTPUT":
      return "output";
    case "LIMIT_PROCESSES":
      return "process";
    case "LIMIT_FDS":
      return "open-file";
    default:
      return "filesystem";
  }
}

/** Raised at {@link WARNING_FRACTION} of a limit (once per limit and command). */
export interface LimitWarning {
  code: LimitCode;
  /** The pid that started the command (its shell), or the process concerned. */
  pid: number;
  used: number;
  limit: number;
}

/** A limit was hit: the command was killed (`hard`) or a program got an errno. */
export interface LimitEvent extends LimitWarning {
  hard: boolean;
}

export function resolveLimits(
  base: ResolvedLimits,
  ...overrides: (ProcessLimits | undefined)[]
): ResolvedLimits {
  const out = { ...base };
  for (const o of overrides) {
    if (!o) continue;
    for (const [k, v] of Object.entries(o) as [keyof ProcessLimits, number | undefined][]) {
      // Other keys (the VM's filesystem limits share the `limits` option) are not ours.
      if (v === undefined || !Object.hasOwn(base, k)) continue;
      if (typeof v !== "number" || Number.isNaN(v) || v < 0) {
        throw new TypeError(
          `limits.${k} must be a non-negative number (Infinity for none), got ${String(v)}`,
        );
      }
      out[k] = v;
    }
  }
  return out;
}

interface Account {
  /** CPU ms used by finished images and closed runs. */
  usedMs: number;
  /** When the process last started running guest code (not blocked in a syscall), or null. */
  since: number | null;
}

export interface JobHooks {
  /** Kill one process (SIGKILL): the job is over. */
  kill(proc: Process): void;
  warn(w: LimitWarning): void;
  exceeded(e: LimitEvent): void;
}

/**
 * The resource container of one command: its processes (the one the host started and every
 * descendant), the limits they share, and what they have used.
 */
export class Job {
  readonly limits: ResolvedLimits;
  readonly members = new Set<Process>();
  readonly startTime = performance.now();
  /** The first limit that ended the command (hard), or null. */
  hit: LimitCode | null = null;
  /** Soft limits programs ran into (EMFILE, ENOSPC…), in order. */
  readonly softHits: LimitCode[] = [];
  outputBytes = 0;
  /** The pid the host started (reported in warnings). */
  leader = 0;
  private readonly hooks: JobHooks;
  private readonly warned = new Set<LimitCode>();
  private readonly accounts = new Map<Process, Account>();
  private finishedCpuMs = 0;
  private wallTimer: ReturnType<typeof setTimeout> | null = null;
  private ended = false;
  private readonly endHooks: (() => void)[] = [];

  constructor(limits: ResolvedLimits, hooks: JobHooks) {
    this.limits = limits;
    this.hooks = hooks;
    if (Number.isFinite(limits.wallTimeMs)) {
      const warnAt = limits.wallTimeMs * WARNING_FRACTION;
      this.wallTimer = setTimeout(() => {
        this.warn("LIMIT_WALL_TIME", warnAt, limits.wallTimeMs);
        this.wallTimer = setTimeout(
          () => this.exceed("LIMIT_WALL_TIME", limits.wallTimeMs, limits.wallTimeMs),
          limits.wallTimeMs - warnAt,
        );
        this.wallTimer.unref?.();
      }, warnAt);
      // The job's processes keep the host alive while they run; the timer alone must not.
      this.wallTimer.unref?.();
    }
  }

  get over(): boolean {
    return this.ended;
  }

  add(proc: Process): void {
    this.members.add(proc);
    if (Number.isFinite(this.limits.cpuTimeMs)) cpuWatch.add(this);
  }

  /** A process of the job began running guest code (its image started, a syscall returned). */
  running(proc: Process, now: number): void {
    let a = this.accounts.get(proc);
    if (!a) {
      a = { usedMs: 0, since: null };
      this.accounts.set(proc, a);
    }
    a.since = now;
  }

  /** A process of the job stopped running guest code (a syscall began, the image ended). */
  blocked(proc: Process, now: number): void {
    const a = this.accounts.get(proc);
    if (!a || a.since === null) return;
    a.usedMs += now - a.since;
    a.since = null;
  }

  /** CPU ms of the whole job so far. */
  cpuMs(now = performance.now()): number {
    let total = this.finishedCpuMs;
    for (const a of this.accounts.values()) total += a.usedMs + (a.since === null ? 0 : now - a.since);
    return total;
  }

  /** CPU ms of one process so far (0 when unknown). */
  processCpuMs(proc: Process, now = performance.now()): number {
    const a = this.accounts.get(proc);
    return a ? a.usedMs + (a.since === null ? 0 : now - a.since) : 0;
  }

  remove(proc: Process): void {
    if (!this.members.delete(proc)) return;
    const now = performance.now();
    this.blocked(proc, now);
    const a = this.accounts.get(proc);
    if (a) {
      this.finishedCpuMs += a.usedMs;
      this.accounts.delete(proc);
    }
    if (this.members.size === 0) this.end();
  }

  /** No process left (or the command is over): stop the clocks. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.wallTimer) clearTimeout(this.wallTimer);
    this.wallTimer = null;
    cpuWatch.delete(this);
    for (const hook of this.endHooks.splice(0)) hook();
  }

  /** Run `hook` when the job ends (at once if it has). */
  onEnd(hook: () => void): void {
    if (this.ended) hook();
    else this.endHooks.push(hook);
  }

  /** Periodic check (see {@link cpuWatch}). */
  checkCpu(now: number): void {
    const limit = this.limits.cpuTimeMs;
    const used = this.cpuMs(now);
    if (used >= limit) this.exceed("LIMIT_CPU_TIME", used, limit);
    else if (used >= limit * WARNING_FRACTION) this.warn("LIMIT_CPU_TIME", used, limit);
  }

  warn(code: LimitCode, used: number, limit: number): void {
    if (this.warned.has(code) || this.hit !== null) return;
    this.warned.add(code);
    try {
      this.hooks.warn({ code, pid: this.leader, used, limit });
    } catch (error) {
      console.error("agentos-vm: onLimitWarning threw:", error);
    }
  }

  /** A hard limit: kill every process of the job. Only the first limit hit is recorded. */
  exceed(code: LimitCode, used: number, limit: number): void {
    if (this.hit !== null) return;
    this.hit = code;
    this.warned.add(code);
    this.hooks.exceeded({ code, pid: this.leader, used, limit, hard: true });
    for (const p of [...this.members]) this.hooks.kill(p);
    this.end();
  }

  /** A soft limit a program ran into (it got EMFILE, ENOSPC…). */
  noteSoft(code: LimitCode, used: number, limit: number): void {
    if (this.softHits.includes(code)) return;
    this.softHits.push(code);
    this.warned.add(code);
    this.hooks.exceeded({ code, pid: this.leader, used, limit, hard: false });
  }

  /** The limit to report for the command: the one that killed it, else the first soft one hit. */
  get reported(): LimitCode | null {
    return this.hit ?? this.softHits[0] ?? null;
  }
}

/** One host-wide ticker checks the CPU time of running jobs (a hot loop makes no syscalls). */
export const CPU_CHECK_MS = 20;

const cpuWatch = (() => {
  const jobs = new Set<Job>();
  let timer: ReturnType<typeof setInterval> | null = null;
  const tick = () => {
    const now = performance.now();
    for (const job of jobs) job.checkCpu(now);
    if (jobs.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
  return {
    add(job: Job) {
      jobs.add(job);
      if (!timer) {
        timer = setInterval(tick, CPU_CHECK_MS);
        timer.unref?.();
      }
    },
    delete(job: Job) {
      jobs.delete(job);
    },
  };
})();
