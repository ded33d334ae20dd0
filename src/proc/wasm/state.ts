/**
 * Per-process state shared by the import families: guest memory, the kernel link, argv/env, and
 * the preopen and dirfd rules of the ABI generations.
 *
 * Preopens. The 0.3.x ("v3") libc scans `fd_prestat_get` from `0x40000000 | 3` upward: fd
 * 0x40000003 is the one preopen, "/", and every other tagged fd is EBADF (which ends the scan).
 * Tagged fds are never kernel fds. The 0.0.x ("legacy") and plain WASI libcs scan from fd 3: fd 3
 * is "/" and fd 4 answers EBADF. For those, on the first `fd_prestat_get(3)` (before the program
 * can have opened anything) the shim parks a CLOEXEC directory fd for "/" at kernel fd 3, so the
 * kernel never hands fd 3 to one of the program's own opens (a directory walker doing
 * `path_filestat_get(3, name)` on its own fd 3 would otherwise be sent to the root). Path calls on
 * the preopen use `AT_ROOT`; reads, fstat and so on of fd 3 go to the kernel.
 *
 * Working directory. The v3 libc initialises its cwd from `PWD` (which the kernel keeps equal to
 * the process's cwd), so paths arrive joined with it. The legacy libc does not: its cwd is always
 * "/", and it strips the leading "/" before matching the "/" preopen, so `x` and `/x` both arrive
 * as (3, "x"). For legacy processes whose cwd is not "/", such a path is taken relative to the
 * cwd when that exists, else relative to "/" when that exists, else (to be created) relative to
 * the cwd: `grep pat file`, `rg pat` (".") and `tree` then work from the cwd. It costs one `lstat`
 * per path call (two when falling back) and misreads `/x` as `<cwd>/x` when both exist.
 */
import { AT_ROOT, Errno, FileTypeCode, O, Sys } from "../../kernel/abi.ts";
import type { SyscallArg, SyscallClient } from "../../kernel/channel/index.ts";
import { KernelLink } from "./kernel.ts";
import { GuestMemory } from "./memory.ts";
import type { WasmAbi, WasmJobPayload } from "./types.ts";

export const TAGGED_FD = 0x4000_0000;
export const PREOPEN_V3 = TAGGED_FD | 3;
export const PREOPEN_LEGACY = 3;

export class ProcState {
  readonly mem = new GuestMemory();
  readonly k: KernelLink;
  readonly abi: WasmAbi;
  readonly argv: readonly string[];
  readonly env: readonly string[];
  readonly pid: number;
  /** The fd the libc finds "/" at. */
  readonly preopen: number;
  /** Memory devices keep S_IFCHR in `host_fs` answers (the shell): see WasmJobPayload. */
  readonly trueDeviceTypes: boolean;
  /** Bytes of linear memory allowed (Infinity: none); see WasmJobPayload.memoryLimit. */
  readonly memoryLimit: number;
  /** Set once a short stderr write reported an allocation failure (see {@link noteStderr}). */
  allocFailed = false;
  private stderrTail = "";
  /** Creation mode announced by `host_fs.set_open_mode` for the next O_CREAT open. */
  openMode: number | null = null;
  private readonly ttys = new Map<number, boolean>();
  private readonly fdstats = new Map<number, number[]>();
  private ids: number[] | null = null;
  private rootParked = false;
  /** Legacy ABIs only: the cwd from PWD when it is not "/" (see the file comment). */
  private readonly legacyCwd: string | null;
  /** The program's last successful path stat, for {@link ProcState.recentStat}. */
  private lastStat: {
    dirfd: number;
    path: string;
    follow: number;
    values: SyscallArg[];
    calls: number;
  } | null = null;

  constructor(payload: WasmJobPayload, client: SyscallClient) {
    this.k = new KernelLink(client, (fd) => {
      const [errno, [type, flags]] = this.fdstat(fd);
      const kind = type === FileTypeCode.REGULAR_FILE || type === FileTypeCode.FIFO;
      return errno === 0 && kind && !(flags! & O.NONBLOCK);
    });
    this.abi = payload.abi;
    this.argv = payload.argv;
    this.env = payload.env;
    this.pid = payload.pid;
    this.trueDeviceTypes = payload.trueDeviceTypes === true;
    this.memoryLimit = payload.memoryLimit ?? Number.POSITIVE_INFINITY;
    this.preopen = payload.abi === "v3" ? PREOPEN_V3 : PREOPEN_LEGACY;
    const pwd = payload.env
      .find((e) => e.startsWith("PWD="))
      ?.slice(4)
      .replace(/\/+$/, "");
    this.legacyCwd = payload.abi !== "v3" && pwd?.startsWith("/") ? pwd : null;
    for (const hint of payload.fds ?? []) {
      this.fdstats.set(hint.fd, [...hint.fdstat]);
      this.ttys.set(hint.fd, hint.tty);
    }
  }

  /**
   * Short stderr writes are scanned for an allocator's failure report (Rust: "memory allocation
   * of N bytes failed"; C: "out of memory"), so an end that follows is attributed to the memory
   * limit. Only when a limit is set.
   */
  noteStderr(parts: readonly Uint8Array[]): void {
    if (this.allocFailed || this.memoryLimit === Number.POSITIVE_INFINITY) return;
    // Rust formats the report in several writes: keep the last line's worth.
    let tail = this.stderrTail;
    for (const part of parts)
      tail += Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString("latin1");
    this.stderrTail = tail.length > 256 ? tail.slice(-256) : tail;
    if (ALLOC_FAILURE.test(this.stderrTail)) this.allocFailed = true;
  }

  /** [kernel dirfd, path] for a WASI (dirfd, path) pair, or null for EBADF. */
  at(dirfd: number, path: string): [number, string] | null {
    if (dirfd === this.preopen) {
      return [AT_ROOT, this.legacyCwd !== null && !path.startsWith("/") ? this.legacyPath(path) : path];
    }
    return this.isTagged(dirfd) ? null : [dirfd, path];
  }

  private legacyPath(rel: string): string {
    const cwd = this.legacyCwd!;
    const inCwd = rel === "" || rel === "." ? cwd : `${cwd}/${rel}`;
    if (this.k.call(Sys.STAT, [AT_ROOT, inCwd, 0]).errno === 0) return inCwd;
    const inRoot = `/${rel}`;
    return this.k.call(Sys.STAT, [AT_ROOT, inRoot, 0]).errno === 0 ? inRoot : inCwd;
  }

  /**
   * Remembers a successful `path_filestat_get` as sent to the kernel ([dirfd, path], e.g.
   * [AT_ROOT, "tmp/x/a.txt"]) so the `host_fs` getters that follow it can be answered without
   * another syscall: see {@link ProcState.recentStat}. `values` null forgets.
   */
  noteStat(dirfd: number, path: string, follow: number, values: SyscallArg[] | null): void {
    this.lastStat = values ? { dirfd, path, follow: follow ? 1 : 0, values, calls: this.k.calls } : null;
  }

  /**
   * The stat of the file a `host_fs` getter names, when it is the file the program stat'ed just
   * before (no syscall since), else null. Two callers make such a getter call right after a stat:
   * - the v3 libc's `fstatat`/`faccessat` call `path_filestat_get` and then `path_mode` (and the
   *   rdev/owner getters) with the very same arguments;
   * - the patched Rust std (`fs::metadata`) and uu_stat call libc's `stat` and then `path_mode`
   *   with the path *as the program holds it*, on the preopen or on a literal fd 3: relative to
   *   the program's cwd ("a.txt") where libc sent it joined with that cwd ("tmp/x/a.txt").
   *   Resolved against "/" it would name another file (`stat -c %a etc` in a directory with its
   *   own `etc` printed the mode of /etc), or none.
   * So a relative `path` also matches a root-relative last stat of which it is a whole-component
   * suffix, and an absolute one matches the same path. Paths with ".." never match this way (the
   * libc may have resolved them lexically).
   */
  recentStat(dirfd: number, path: string, follow: number): SyscallArg[] | null {
    const last = this.lastStat;
    if (!last || last.calls !== this.k.calls || last.follow !== (follow ? 1 : 0)) return null;
    if (dirfd === last.dirfd && path === last.path) return last.values;
    if (last.dirfd !== AT_ROOT) return null;
    const norm = (v: string) =>
      v
        .replace(/\/{2,}/g, "/")
        .replace(/(^|\/)(\.\/)+/g, "$1")
        .replace(/^\//, "")
        .replace(/\/\.?$/, "");
    const target = norm(path);
    const stated = norm(last.path);
    if (target === "" || target === "." || target.split("/").includes("..")) return null;
    if (path.startsWith("/")) return target === stated ? last.values : null;
    return stated === target || stated.endsWith(`/${target}`) ? last.values : null;
  }

  /** A v3 hidden fd: never a kernel fd. */
  isTagged(fd: number): boolean {
    return this.abi === "v3" && (fd & TAGGED_FD) !== 0;
  }

  /** The kernel dirfd for a WASI dirfd (the preopen is AT_ROOT), or null for EBADF. */
  dirfd(fd: number): number | null {
    if (fd === this.preopen) return AT_ROOT;
    return this.isTagged(fd) ? null : fd;
  }

  /** Called when this process's fd table changes at `fd`: drops what was cached about it. */
  forget(fd: number): void {
    this.ttys.delete(fd);
    this.fdstats.delete(fd);
    this.k.out.forget(fd);
  }

  /**
   * The kernel's FDSTAT of `fd`: [filetype, fdflags, accessMode, cloexec], cached per fd. The v3
   * libc asks `fd_fdstat_get` before every single write, so this saves a syscall per write. The
   * entry is dropped whenever this process changes the fd (close, dup2 onto it, open, pipe, dup,
   * set_flags, set_cloexec). Not seen: another process changing O_NONBLOCK/O_APPEND on a shared
   * open file description.
   */
  fdstat(fd: number): [number, number[]] {
    const known = this.fdstats.get(fd);
    if (known) return [0, known];
    const { errno, values } = this.k.call(Sys.FDSTAT, [fd]);
    if (errno !== 0) return [errno, []];
    const stat = values.map(num);
    this.fdstats.set(fd, stat);
    return [0, stat];
  }

  /** [errno, isatty], asked once per fd. */
  isatty(fd: number): [number, boolean] {
    const known = this.ttys.get(fd);
    if (known !== undefined) return [0, known];
    if (this.isTagged(fd)) return [fd === this.preopen ? 0 : Errno.BADF, false];
    const { errno, values } = this.k.call(Sys.ISATTY, [fd]);
    if (errno !== 0) return [errno, false];
    const tty = values[0] === 1;
    this.ttys.set(fd, tty);
    return [0, tty];
  }

  /** [uid, euid, gid, egid], asked once. */
  identity(): [number, number[]] {
    if (this.ids) return [0, this.ids];
    const { errno, values } = this.k.call(Sys.GETIDS);
    if (errno !== 0) return [errno, []];
    this.ids = values.map(Number);
    return [0, this.ids];
  }

  /** Legacy ABIs: make kernel fd 3 a directory fd for "/" (see the file comment). */
  parkRoot(): void {
    if (this.rootParked) return;
    this.rootParked = true;
    const { errno, values } = this.k.call(Sys.OPEN, [AT_ROOT, "/", O.READ | O.DIRECTORY | O.CLOEXEC, 0]);
    if (errno !== 0) return;
    const fd = Number(values[0]);
    if (fd === PREOPEN_LEGACY) return;
    // fd 3 is already taken (inherited), or a stdio fd is closed: leave the table as it was.
    this.k.call(Sys.CLOSE, [fd]);
  }
}

const ALLOC_FAILURE = /memory allocation of \d+ bytes failed|out of memory|cannot allocate memory/i;

/** A kernel value as a number (channel values may be bigints). */
export function num(v: unknown): number {
  return typeof v === "bigint" ? Number(v) : Number(v ?? 0);
}

/** A kernel value as a bigint. */
export function big(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  const n = Number(v ?? 0);
  return Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n;
}

/** Milliseconds (possibly fractional) → WASI nanoseconds. */
export function msToNs(ms: unknown): bigint {
  const v = num(ms);
  if (!(v > 0)) return 0n;
  const whole = Math.floor(v);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((v - whole) * 1e6));
}
