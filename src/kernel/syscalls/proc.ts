/** Process syscalls: spawn (posix_spawn semantics), wait, signals, exec, identity of the process. */

import { Errno } from "../abi.ts";
import { FileDescription } from "../descriptions.ts";
import { kerr } from "../errors.ts";
import type { FdTable } from "../fd-table.ts";
import type { Kernel } from "../kernel.ts";
import { waitOrAbort } from "../pipe.ts";
import type { Process } from "../process.ts";
import type { WaitQueue } from "../wait-queue.ts";
import { absPath, bytes, type Handler, num, splitNul, str } from "./common.ts";

/** posix_spawn file actions as the 0.3.x libc encodes them (notes/wasm-commands.md). */
const ACTION = { CLOSE: 1, DUP2: 2, OPEN: 3, CHDIR: 4, FCHDIR: 5, CLOSEFROM: 6 } as const;
const HEADER = 24;

/** wasi-libc's O_* bits, which the OPEN action carries. */
const LIBC_O = {
  APPEND: 0x1,
  NONBLOCK: 0x4,
  CREAT: 0x1000,
  DIRECTORY: 0x2000,
  EXCL: 0x4000,
  TRUNC: 0x8000,
  NOFOLLOW: 0x01000000,
  RDONLY: 0x04000000,
  WRONLY: 0x10000000,
};

async function applyActions(
  k: Kernel,
  p: Process,
  fds: FdTable,
  cwd: string,
  actions: Uint8Array,
): Promise<string> {
  const view = new DataView(actions.buffer, actions.byteOffset, actions.byteLength);
  let at = 0;
  while (at + HEADER <= actions.length) {
    const cmd = view.getUint32(at, true);
    const fd = view.getInt32(at + 4, true);
    const src = view.getInt32(at + 8, true);
    const oflag = view.getInt32(at + 12, true);
    const mode = view.getUint32(at + 16, true);
    const len = view.getUint32(at + 20, true);
    if (at + HEADER + len > actions.length) throw kerr(Errno.INVAL, "truncated spawn action");
    const path = Buffer.from(actions.subarray(at + HEADER, at + HEADER + len))
      .toString("utf8")
      .replace(/\0+$/, "");
    at += HEADER + len;
    switch (cmd) {
      case ACTION.CLOSE:
        if (fds.has(fd)) fds.close(fd);
        break;
      case ACTION.DUP2:
        fds.dup2(src, fd);
        break;
      case ACTION.OPEN: {
        const abs = absPath({ ...p, cwd } as Process, -100, path);
        const write = (oflag & LIBC_O.WRONLY) !== 0;
        const read = (oflag & LIBC_O.RDONLY) !== 0 || !write;
        const file = await k.vfs.open(
          abs,
          {
            read,
            write,
            append: (oflag & LIBC_O.APPEND) !== 0,
            create: (oflag & LIBC_O.CREAT) !== 0,
            exclusive: (oflag & LIBC_O.EXCL) !== 0,
            truncate: (oflag & LIBC_O.TRUNC) !== 0,
            directory: (oflag & LIBC_O.DIRECTORY) !== 0,
            noFollow: (oflag & LIBC_O.NOFOLLOW) !== 0,
          },
          mode & ~p.umask & 0o7777,
          p.cred,
        );
        const access = (read ? 1 : 0) | (write ? 2 : 0);
        fds.set(fd, new FileDescription(file, access, oflag & LIBC_O.APPEND ? 4 : 0));
        break;
      }
      case ACTION.CHDIR:
        cwd = await k.vfs.realpath(absPath({ ...p, cwd } as Process, -100, path), p.cred);
        break;
      case ACTION.FCHDIR: {
        const d = fds.desc(fd);
        if (!(d instanceof FileDescription) || d.file.type !== "directory") throw kerr(Errno.NOTDIR);
        cwd = d.path;
        break;
      }
      case ACTION.CLOSEFROM:
        fds.closeFrom(fd);
        break;
      default:
        throw kerr(Errno.INVAL, `unknown spawn action ${cmd}`);
    }
  }
  return cwd;
}

export const spawn: Handler = async (k, p, args) => {
  const file = str(args, 0);
  const argv = splitNul(bytes(args, 1));
  const env = splitNul(bytes(args, 2));
  const cwdArg = str(args, 3);
  const actions = bytes(args, 4);
  const pgroup = args.length > 5 ? num(args, 5) : -1;
  const fds = p.fds.clone();
  let cwd = cwdArg ? absPath(p, -100, cwdArg) : p.cwd;
  try {
    cwd = await applyActions(k, p, fds, cwd, actions);
    fds.closeOnExec();
  } catch (err) {
    fds.closeAll();
    throw err;
  }
  const child = await k.spawn({
    file,
    argv: argv.length ? argv : [file],
    env,
    cwd,
    cred: p.cred,
    fds,
    parent: p,
    pgroup,
  });
  return [child.pid];
};

export const waitpid: Handler = async (k, p, args) => {
  const pid = num(args, 0) | 0;
  const options = num(args, 1);
  const nohang = (options & 1) !== 0;
  // WNOHANG_WAIT (2): a polling caller may wait up to args[2] ms for a change before "none yet",
  // so a shell that polls in a loop learns of an exit at once instead of burning CPU.
  let graceMs = options & 2 && args.length > 2 ? Math.min(num(args, 2), 1000) : 0;
  const matches = (c: Process) =>
    pid === -1 ? true : pid > 0 ? c.pid === pid : pid === 0 ? c.pgid === p.pgid : c.pgid === -pid;
  for (;;) {
    let any = false;
    for (const c of p.children) {
      if (!matches(c)) continue;
      any = true;
      if (c.state === "zombie") {
        const status = c.status!;
        k.reap(c);
        return [c.pid, status.exitCode, status.signal ?? 0];
      }
    }
    if (!any) throw kerr(Errno.CHILD);
    if (nohang && graceMs <= 0) return [0, 0, 0];
    if (nohang) {
      await waitFor(p.childEvents, p.signal, graceMs);
      graceMs = 0;
      continue;
    }
    await waitOrAbort(p.childEvents, p.signal);
  }
};

export const kill: Handler = (k, p, args) => {
  k.kill(p, num(args, 0) | 0, num(args, 1));
};

export const getpid: Handler = (_k, p) => [p.pid, p.ppid, p.pgid];

export const umask: Handler = (_k, p, args) => {
  const old = p.umask;
  if (num(args, 1)) p.umask = num(args, 0) & 0o777;
  return [old];
};

/**
 * (ms, wakeOnEvents): sleep. With wakeOnEvents the sleep ends early when a child changes state or a
 * pipe the process holds changes: polling loops (host_process.sleep_ms) then react at once, while a
 * real sleep (WASI poll_oneoff) sleeps its full time.
 */
export const sleep: Handler = async (_k, p, args) => {
  const ms = Math.max(0, num(args, 0));
  if (args.length > 1 && num(args, 1)) {
    const queues = [p.childEvents];
    for (const fd of p.fds.fds()) {
      const q = p.fds.desc(fd).readiness;
      if (q && !queues.includes(q)) queues.push(q);
    }
    await waitForAny(queues, p.signal, ms);
    return;
  }
  await waitForAny([], p.signal, ms);
};

function waitFor(queue: WaitQueue, signal: AbortSignal, ms: number): Promise<void> {
  return waitForAny([queue], signal, ms);
}

/** Resolve after `ms`, or sooner when any queue wakes; EINTR when `signal` aborts. */
function waitForAny(queues: WaitQueue[], signal: AbortSignal, ms: number): Promise<void> {
  if (signal.aborted) return Promise.reject(kerr(Errno.INTR));
  return new Promise<void>((resolve, reject) => {
    const cancels: Array<() => void> = [];
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      for (const c of cancels) c();
    };
    const onAbort = () => {
      done();
      reject(kerr(Errno.INTR));
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    for (const q of queues) {
      cancels.push(
        q.once(() => {
          done();
          resolve();
        }),
      );
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export const exit: Handler = () => {
  // The runner ends the job with this code itself; nothing to record here.
};

export const exec: Handler = async (k, p, args) => {
  const file = str(args, 0);
  const argv = splitNul(bytes(args, 1));
  const env = splitNul(bytes(args, 2));
  // Resolve now so a missing program fails the call instead of the process.
  const fullArgv = argv.length ? argv : [file];
  const program = await k.resolveProgram(file, fullArgv, env, p.cwd, p.cred);
  p.pendingExec = { program, argv: fullArgv, env };
};

const MASK_BITS = (1n << 64n) - 1n;

export const sigmask: Handler = (k, p, args) => {
  const how = num(args, 0);
  const set = BigInt(num(args, 1) >>> 0) | (BigInt(num(args, 2) >>> 0) << 32n);
  const old = p.sigmask;
  if (how === 0) p.sigmask = old | set;
  else if (how === 1) p.sigmask = old & ~set & MASK_BITS;
  else if (how === 2) p.sigmask = set;
  else if (how !== 3) throw kerr(Errno.INVAL);
  k.deliverPending(p);
  return [Number(old & 0xffffffffn), Number(old >> 32n)];
};

export const sigaction: Handler = (_k, p, args) => {
  const sig = num(args, 0);
  if (sig < 1 || sig > 64 || sig === 9 || sig === 19) throw kerr(Errno.INVAL);
  const previous = p.ignored.has(sig) ? 1 : 0;
  if (num(args, 1) === 1) p.ignored.add(sig);
  else p.ignored.delete(sig);
  return [previous];
};

export const getpgid: Handler = (k, p, args) => {
  const pid = num(args, 0);
  if (pid === 0) return [p.pgid];
  const t = k.processes.get(pid);
  if (!t) throw kerr(Errno.SRCH);
  return [t.pgid];
};

export const setpgid: Handler = (k, p, args) => {
  const pid = num(args, 0) || p.pid;
  const t = k.processes.get(pid);
  if (!t || (t !== p && t.ppid !== p.pid)) throw kerr(Errno.SRCH);
  t.pgid = num(args, 1) || t.pid;
};
