/**
 * `host_process`: posix_spawn, waitpid, signal masks, pipes, dup, exec, kill, umask, sleep.
 *
 * Legacy (0.0.x) calls, not imported by any pinned binary but kept for user software:
 * - `proc_spawn(argv, argv_len, envp, envp_len, stdin_fd, stdout_fd, stderr_fd, cwd, cwd_len, *pid)`:
 *   the program is argv[0]; each stdio fd that differs from its slot becomes a dup2 spawn action
 *   (-1 = inherit, as the 0.0.x host runner did).
 * - `proc_waitpid(pid, options, *status[, *pid_out])`: `*status` is a SHELL-STYLE exit status,
 *   not a POSIX wait status: the exit code, or 128 + signal for a signalled child (the convention
 *   of agentOS's `WaitStatus::shell_exit_code`, "used by the legacy wasi-spawn API"). The 4th
 *   argument (the reaped pid) exists in later 0.0.x builds; it is written when present.
 */
import { Sys } from "../../../kernel/abi.ts";
import { num, type ProcState } from "../state.ts";
import { ProcExit } from "../types.ts";

/**
 * WNOHANG polling backoff. The pinned brush (coreutils 0.3.4) waits for children by calling
 * `proc_waitpid_v2(pid, WNOHANG)` in a loop with no pause (its tokio patch predates the 1 ms
 * `sleep_ms` backoff of later builds): ~50 000 syscalls a second while a child runs. After
 * {@link FREE_POLLS} consecutive "not yet" answers, each further poll asks the kernel to wait up
 * to {@link POLL_GRACE_MS} for a change (WAITPID option 2): the loop stops burning a core, and an
 * exit is still seen the moment it happens.
 */
const FREE_POLLS = 3;
/** sleep_ms calls this short are polling naps (tokio's wasi patch uses 1 ms), woken by events. */
const POLL_NAP_MS = 2;
const POLL_GRACE_MS = 2;
const WNOHANG_WAIT = 2;

/** musl's POSIX_SPAWN_SETPGROUP attribute flag. */
const POSIX_SPAWN_SETPGROUP = 2;
const SPAWN_ACTION_DUP2 = 2;
const SPAWN_ACTION_BYTES = 24;

/** dup2 spawn actions putting `fds[i]` at fd i (skipping -1 and fds already in place). */
export function stdioActions(fds: readonly number[]): Uint8Array {
  const moves = fds
    .map((src, target) => [src, target] as const)
    .filter(([src, t]) => src !== -1 && src !== t);
  const bytes = new Uint8Array(moves.length * SPAWN_ACTION_BYTES);
  const dv = new DataView(bytes.buffer);
  moves.forEach(([src, target], i) => {
    dv.setUint32(i * SPAWN_ACTION_BYTES, SPAWN_ACTION_DUP2, true);
    dv.setInt32(i * SPAWN_ACTION_BYTES + 4, target, true);
    dv.setInt32(i * SPAWN_ACTION_BYTES + 8, src, true);
  });
  return bytes;
}

export function hostProcessImports(p: ProcState) {
  const { mem, k } = p;
  let misses = 0;

  /** WAITPID with the WNOHANG backoff: [errno, pid, exitCode, signal]. */
  function waitpid(pid: number, options: number): [number, number, number, number] {
    const nohang = options & 1;
    const patient = nohang && misses >= FREE_POLLS;
    const { errno, values } = k.call(
      Sys.WAITPID,
      patient ? [pid, nohang | WNOHANG_WAIT, POLL_GRACE_MS] : [pid, nohang],
    );
    if (errno !== 0) return [errno, 0, 0, 0];
    const [child, code, signal] = [num(values[0]), num(values[1]), num(values[2])];
    misses = nohang && child === 0 ? misses + 1 : 0;
    return [0, child, code, signal];
  }

  /** Calls `op` and writes its numeric results to the given u32 pointers. */
  function out(op: number, args: (number | Uint8Array | string)[], ...ptrs: number[]): number {
    const { errno, values } = k.call(op, args);
    if (errno !== 0) return errno;
    ptrs.forEach((ptr, i) => {
      mem.setU32(ptr, num(values[i]));
    });
    return 0;
  }

  function spawn(
    file: string,
    argv: Uint8Array,
    envp: Uint8Array,
    cwd: string,
    actions: Uint8Array,
    pgroup: number,
    pidPtr: number,
  ) {
    const { errno, values } = k.call(Sys.SPAWN, [file, argv, envp, cwd, actions, pgroup]);
    if (errno !== 0) return errno;
    mem.setU32(pidPtr, num(values[0]));
    return 0;
  }

  return {
    proc_spawn_v3(...a: number[]): number {
      const [exec, execLen, argv, argvLen, envp, envpLen, actions, actionsLen, cwd, cwdLen, attrFlags] = a;
      // a[11..14]: default-signal set and signal mask for the child: the kernel's SPAWN has no
      // arguments for them (the child inherits the mask); a[15]: process group.
      const pgroup = attrFlags! & POSIX_SPAWN_SETPGROUP ? a[15]! : -1;
      return spawn(
        mem.string(exec!, execLen!),
        mem.copy(argv!, argvLen!),
        mem.copy(envp!, envpLen!),
        mem.string(cwd!, cwdLen!),
        mem.copy(actions!, actionsLen!),
        pgroup,
        a[16]!,
      );
    },
    proc_spawn(...a: number[]): number {
      const [argv, argvLen, envp, envpLen, stdin, stdout, stderr, cwd, cwdLen, pidPtr] = a;
      const argvBytes = mem.copy(argv!, argvLen!);
      const end = argvBytes.indexOf(0);
      const file = Buffer.from(argvBytes.subarray(0, end < 0 ? argvBytes.byteLength : end)).toString("utf8");
      const actions = stdioActions([stdin!, stdout!, stderr!]);
      return spawn(
        file,
        argvBytes,
        mem.copy(envp!, envpLen!),
        mem.string(cwd!, cwdLen!),
        actions,
        -1,
        pidPtr!,
      );
    },
    proc_waitpid_v2(pid: number, options: number, code: number, sig: number, pidOut: number, core: number) {
      const [errno, child, exitCode, signal] = waitpid(pid, options);
      if (errno !== 0) return errno;
      mem.setU32(code, exitCode);
      mem.setU32(sig, signal);
      mem.setU32(pidOut, child);
      mem.setU32(core, 0);
      return 0;
    },
    proc_waitpid(pid: number, options: number, status: number, pidOut?: number): number {
      const [errno, child, exitCode, signal] = waitpid(pid, options);
      if (errno !== 0) return errno;
      mem.setU32(status, signal ? 128 + signal : exitCode);
      if (pidOut !== undefined) mem.setU32(pidOut, child);
      return 0;
    },
    proc_signal_mask_v2(how: number, lo: number, hi: number, oldLo: number, oldHi: number): number {
      return out(Sys.SIGMASK, [how, lo >>> 0, hi >>> 0], oldLo, oldHi);
    },
    fd_pipe(readPtr: number, writePtr: number): number {
      const { errno, values } = k.call(Sys.PIPE);
      if (errno !== 0) return errno;
      const [r, w] = [num(values[0]), num(values[1])];
      p.forget(r);
      p.forget(w);
      mem.setU32(readPtr, r);
      mem.setU32(writePtr, w);
      return 0;
    },
    fd_dup(fd: number, newPtr: number): number {
      const { errno, values } = k.call(Sys.DUP, [fd]);
      if (errno !== 0) return errno;
      p.forget(num(values[0]));
      mem.setU32(newPtr, num(values[0]));
      return 0;
    },
    fd_dup2(fd: number, target: number): number {
      const errno = k.call(Sys.DUP2, [fd, target]).errno;
      p.forget(target);
      return errno;
    },
    fd_setfd(fd: number, flags: number): number {
      p.forget(fd);
      return k.call(Sys.SET_CLOEXEC, [fd, flags & 1]).errno;
    },
    proc_exec(...a: number[]): number {
      const [exec, execLen, argv, argvLen, envp, envpLen, fdsPtr, fdsLen] = a;
      const file = mem.string(exec!, execLen!);
      const argvBytes = mem.copy(argv!, argvLen!);
      const envpBytes = mem.copy(envp!, envpLen!);
      // Descriptors the libc knows to be close-on-exec: mark them so the kernel's exec closes them.
      for (let i = 0; i < fdsLen! >>> 0; i++) k.call(Sys.SET_CLOEXEC, [mem.u32(fdsPtr! + i * 4), 1]);
      const { errno } = k.call(Sys.EXEC, [file, argvBytes, envpBytes]);
      if (errno !== 0) return errno;
      // The kernel recorded the new image and starts it itself: run no more of this one.
      throw new ProcExit(0, true);
    },
    proc_kill(pid: number, signal: number): number {
      return k.call(Sys.KILL, [pid, signal]).errno;
    },
    proc_getpid(ptr: number): number {
      mem.setU32(ptr, p.pid);
      return 0;
    },
    proc_getppid(ptr: number): number {
      const { errno, values } = k.call(Sys.GETPID);
      if (errno !== 0) return errno;
      mem.setU32(ptr, num(values[1]));
      return 0;
    },
    proc_getpgid(pid: number, ptr: number): number {
      return out(Sys.GETPGID, [pid], ptr);
    },
    proc_setpgid(pid: number, pgid: number): number {
      return k.call(Sys.SETPGID, [pid, pgid]).errno;
    },
    umask(mask: number, set: number, prevPtr: number): number {
      return out(Sys.UMASK, [mask & 0o777, set ? 1 : 0], prevPtr);
    },
    sleep_ms(ms: number): number {
      // Two users: tokio's polling loops (1 ms naps between child/pipe checks), which should wake
      // the moment something changes, and uutils `sleep`, which must sleep its full time.
      const nap = ms >>> 0 <= POLL_NAP_MS;
      return k.call(Sys.SLEEP, [ms >>> 0, nap ? 1 : 0]).errno;
    },
  };
}
