/**
 * Interactive shells for the host: each runs on its own pseudo-terminal (`src/kernel/pty.ts`). The
 * host types into the pty's master side (`write`), receives everything the terminal would show as
 * `shellData` events, resizes the window and hangs up.
 */

import { VM_USER } from "../fs/index.ts";
import { SIG } from "../kernel/abi.ts";
import { KernelError } from "../kernel/errors.ts";
import type { Kernel } from "../kernel/kernel.ts";
import type { Process } from "../kernel/process.ts";
import { Pty } from "../kernel/pty.ts";
import { signalName } from "./host-processes.ts";

/** Programs treated as interactive shells (see `signalGroup`). */
const SHELL_NAMES = new Set(["bash", "sh"]);

export interface ShellOptions {
  /** Window size (default 80 × 24). */
  cols?: number;
  rows?: number;
  /** Added to the VM's default environment; `TERM` defaults to `xterm-256color`. */
  env?: Record<string, string>;
  /** Default: the user's home. */
  cwd?: string;
  /** The program to run instead of `/bin/bash -i` (looked up in PATH), with `args`. */
  command?: string;
  args?: string[];
  /**
   * Let the pty answer cursor-position queries (`ESC[6n`) itself (default true). Turn it off
   * when a real terminal emulator (xterm.js…) is attached to `shellData` and answers them.
   */
  cursorReports?: boolean;
}

export interface ShellDataEvent {
  shellId: string;
  /** What the terminal shows: program output and echo, CR/NL already mapped. */
  data: Uint8Array;
}

export interface ShellExitEvent {
  shellId: string;
  exitCode: number;
  signal?: string;
}

export interface ShellEvents {
  shellData: [ShellDataEvent];
  shellExit: [ShellExitEvent];
}

/**
 * Where shell events go: any `EventEmitter` whose event map includes `ShellEvents` (an AgentOS
 * VM), typed structurally so a wider event map fits.
 */
export interface ShellEventSink {
  emit(event: "shellData", e: ShellDataEvent): boolean;
  emit(event: "shellExit", e: ShellExitEvent): boolean;
}

export interface ShellInfo {
  shellId: string;
  pid: number;
  pgid: number;
  cols: number;
  rows: number;
  /** The pty's foreground process group. */
  foregroundPgid: number;
  running: boolean;
}

interface ShellRecord {
  id: string;
  pty: Pty;
  proc: Process;
  exit: Promise<{ exitCode: number; signal?: string }>;
  closing: boolean;
  /** The session leader is a shell (brush): it survives ^C, ^\\ and ^Z like bash does. */
  interactiveShell: boolean;
}

export class ShellManager {
  private readonly kernel: Kernel;
  private readonly events: ShellEventSink;
  private readonly defaultEnv: () => Record<string, string>;
  private readonly shells = new Map<string, ShellRecord>();
  private nextId = 1;

  constructor(kernel: Kernel, events: ShellEventSink, defaultEnv: () => Record<string, string>) {
    this.kernel = kernel;
    this.events = events;
    this.defaultEnv = defaultEnv;
  }

  /** Start an interactive shell on a new pty; its output arrives as `shellData` events. */
  async open(options: ShellOptions = {}): Promise<{ shellId: string; pid: number }> {
    const k = this.kernel;
    const shellId = `shell-${this.nextId++}`;
    const pty = new Pty({
      cols: options.cols ?? 80,
      rows: options.rows ?? 24,
      cursorReports: options.cursorReports ?? true,
      onOutput: (data) => this.events.emit("shellData", { shellId, data }),
      onSignal: (pgid, sig) => this.signalGroup(shellId, pgid, sig),
    });
    const env = { ...this.defaultEnv(), TERM: "xterm-256color", ...options.env };
    const file = options.command ?? "/bin/bash";
    const argv = options.command
      ? [options.command.split("/").pop() || options.command, ...(options.args ?? [])]
      : ["bash", "-i", ...(options.args ?? [])];
    const fds = k.newFdTable();
    const slave = pty.openSlave();
    fds.set(0, slave);
    fds.set(1, slave.retain());
    fds.set(2, slave.retain());
    let proc: Process;
    try {
      proc = await k.spawn({
        file,
        argv,
        env: Object.entries(env).map(([key, v]) => `${key}=${v}`),
        cwd: options.cwd ?? VM_USER.home,
        cred: { uid: VM_USER.uid, gid: VM_USER.gid },
        fds,
        pgroup: 0,
      });
    } catch (err) {
      pty.hangup();
      throw err;
    }
    // The session leader's group is in the foreground (tcsetpgrp); `setForeground` changes it.
    pty.foregroundPgid = proc.pgid;
    const record: ShellRecord = {
      id: shellId,
      pty,
      proc,
      closing: false,
      interactiveShell: SHELL_NAMES.has(argv[0]!),
      exit: proc.whenExited().then((status) => {
        // The session leader is gone: the terminal hangs up, its foreground group gets SIGHUP.
        pty.hangup();
        if (pty.foregroundPgid > 0 && pty.foregroundPgid !== proc.pgid) {
          try {
            k.kill(k.init, -pty.foregroundPgid, SIG.HUP);
          } catch {
            // Nobody left.
          }
        }
        const result: { exitCode: number; signal?: string } = { exitCode: status.exitCode };
        if (status.signal) result.signal = signalName(status.signal);
        this.events.emit("shellExit", { shellId, ...result });
        return result;
      }),
    };
    this.shells.set(shellId, record);
    return { shellId, pid: proc.pid };
  }

  /**
   * Terminal-generated signals for the foreground group. An interactive bash catches SIGINT and
   * ignores SIGQUIT and SIGTSTP, so ^C ends the command it runs and not the shell. WASM programs
   * cannot install handlers, so for a shell session leader the pty does what its handler would:
   * those three signals skip the shell process itself (its children, in its group, still get
   * them). Every other signal (SIGWINCH, SIGHUP…) reaches the whole group.
   */
  private signalGroup(shellId: string, pgid: number, sig: number): void {
    const k = this.kernel;
    const leader = this.shells.get(shellId);
    const spare =
      leader?.interactiveShell && (sig === SIG.INT || sig === SIG.QUIT || sig === SIG.TSTP)
        ? leader.proc
        : null;
    for (const p of k.processes.values()) {
      if (p.pid === k.init.pid || !p.alive || p.pgid !== pgid || p === spare) continue;
      k.signal(p, sig);
    }
  }

  private get(shellId: string): ShellRecord {
    const s = this.shells.get(shellId);
    if (!s) throw new KernelError(8, `no shell ${shellId}`);
    return s;
  }

  /** Type into the terminal (through its line discipline: echo, ^C, ^D, editing…). */
  write(shellId: string, data: string | Uint8Array): void {
    this.get(shellId).pty.write(data);
  }

  /** Change the window size: programs see it through `TTY_SIZE`, and get SIGWINCH. */
  resize(shellId: string, cols: number, rows: number): void {
    this.get(shellId).pty.resize(cols, rows);
  }

  /** Make `pgid` the terminal's foreground process group (tcsetpgrp). */
  setForeground(shellId: string, pgid: number): void {
    this.get(shellId).pty.foregroundPgid = pgid;
  }

  /** The pty itself, for subsystems and tests. */
  pty(shellId: string): Pty {
    return this.get(shellId).pty;
  }

  /** Resolves when the shell process ends. */
  wait(shellId: string): Promise<{ exitCode: number; signal?: string }> {
    return this.get(shellId).exit;
  }

  /**
   * Hang up: SIGHUP to the shell's process group and the foreground group, end of file on the
   * terminal, then SIGKILL to whatever is left of them after `graceMs`. Resolves when the shell
   * has exited; the shell is then forgotten.
   */
  async close(shellId: string, graceMs = 1000): Promise<void> {
    const s = this.shells.get(shellId);
    if (!s) return;
    if (!s.closing) {
      s.closing = true;
      const groups = new Set([s.proc.pgid, s.pty.foregroundPgid].filter((g) => g > 0));
      const signalAll = (sig: number) => {
        for (const g of groups) {
          try {
            this.kernel.kill(this.kernel.init, -g, sig);
          } catch {
            // Already gone.
          }
        }
      };
      if (s.proc.alive) signalAll(SIG.HUP);
      s.pty.hangup();
      const timer = setTimeout(() => signalAll(SIG.KILL), graceMs);
      try {
        await s.exit;
      } finally {
        clearTimeout(timer);
      }
    }
    await s.exit;
    this.shells.delete(shellId);
  }

  list(): ShellInfo[] {
    return [...this.shells.values()].map((s) => ({
      shellId: s.id,
      pid: s.proc.pid,
      pgid: s.proc.pgid,
      cols: s.pty.cols,
      rows: s.pty.rows,
      foregroundPgid: s.pty.foregroundPgid,
      running: s.proc.alive,
    }));
  }

  /** Hang up every shell (VM disposal; the kernel kills the processes). */
  dispose(): void {
    for (const s of this.shells.values()) s.pty.hangup();
    this.shells.clear();
  }
}
