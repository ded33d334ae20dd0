/**
 * Write-combining for a process's output to pipes and regular files.
 *
 * Rust's stdout is line-buffered even when it is not a terminal, so `seq 1 100000` makes 100 000
 * `fd_write` calls; each is a ~20 µs round trip to the kernel. This class gathers such writes in
 * one buffer and sends them as one `Sys.WRITE`.
 *
 * Why the process's POSIX-visible behaviour is kept:
 * - There is ONE buffer, owned by one fd at a time. A write to another fd flushes it first, so the
 *   bytes of all writes reach the kernel in the order the program issued them (also when fds 1
 *   and 2 are the same pipe).
 * - The kernel link ({@link KernelLink}) flushes before EVERY other syscall: reads, opens, seeks,
 *   closes, dup2, spawn, waitpid, poll, sleep, exit… So no effect of this process can be observed
 *   between a buffered write and its delivery: a child spawned after `echo a` sees `a` already in
 *   the pipe, a read of a file we wrote sees our bytes, `lseek`/`fstat` see the final size.
 * - Only fds the kernel reports as regular files or pipes, and not O_NONBLOCK, are combined (never
 *   ttys, sockets or character devices, so interactive output is never delayed; never non-blocking
 *   fds, whose EAGAIN must reach the writer at once). The first write to an fd goes
 *   straight through (a one-line `echo` costs one syscall, no probe); from the second write on, the
 *   fd's type is asked once (`Sys.FDSTAT`, shared with `fd_fdstat_get`'s cache) and kept until
 *   this process changes that fd.
 * - Delay is bounded: the buffer is flushed when it reaches 64 KiB, when 2 ms have passed since its
 *   first byte (checked on each write), before any other syscall, and when the process exits.
 * - A failed flush (EPIPE, ENOSPC…) is reported by the next write to that fd, as a deferred
 *   write error. (With SIGPIPE's default action the kernel ends the process at the flush anyway.)
 * What is not kept: a process killed (SIGKILL, terminate) or stuck in a long computation without
 * syscalls may lose or hold back up to 2 ms / 64 KiB of output, as with stdio full buffering.
 */

import { Sys } from "../../kernel/abi.ts";
import type { SyscallClient } from "../../kernel/channel/index.ts";

const CAPACITY = 64 * 1024;
const MAX_AGE_MS = 2;

/** What we know about an fd for combining: written once, combinable, or not. */
const ONCE = 1;
const COMBINE = 2;
const DIRECT = 3;

export class OutputCombiner {
  private readonly client: SyscallClient;
  private readonly combinable: (fd: number) => boolean;
  private readonly buffer = new Uint8Array(CAPACITY);
  private fd = -1;
  private size = 0;
  private since = 0;
  private readonly kinds = new Map<number, number>();
  private readonly errors = new Map<number, number>();
  /** Kernel WRITE calls made (for measurement). */
  writes = 0;

  /** `combinable(fd)`: whether writes to the fd may be combined (asked once per fd, see above). */
  constructor(client: SyscallClient, combinable: (fd: number) => boolean) {
    this.client = client;
    this.combinable = combinable;
  }

  get pending(): boolean {
    return this.size > 0;
  }

  /** The fd now refers to something else (closed, dup2'd onto, newly opened): forget its type. */
  forget(fd: number): void {
    this.kinds.delete(fd);
    this.errors.delete(fd);
  }

  /**
   * Writes the concatenation of `parts` (views into guest memory, copied here) to `fd`.
   * Returns [errno, bytes written].
   */
  write(fd: number, parts: readonly Uint8Array[], total: number): [number, number] {
    const deferred = this.errors.get(fd);
    if (deferred !== undefined) {
      this.errors.delete(fd);
      return [deferred, 0];
    }
    let kind = this.kinds.get(fd);
    if (kind === ONCE) kind = this.probe(fd);
    if (kind !== COMBINE || total >= CAPACITY) {
      if (kind === undefined) this.kinds.set(fd, ONCE);
      if (this.size > 0) this.flush();
      return this.direct(fd, parts, total);
    }
    if (this.size > 0 && (this.fd !== fd || this.size + total > CAPACITY)) this.flush();
    if (this.size === 0) {
      this.fd = fd;
      this.since = performance.now();
    }
    for (const part of parts) {
      this.buffer.set(part, this.size);
      this.size += part.byteLength;
    }
    if (this.size >= CAPACITY || performance.now() - this.since >= MAX_AGE_MS) this.flush();
    return [0, total];
  }

  /** Sends the buffer to the kernel (looping over short writes). A failure is kept for the next write. */
  flush(): void {
    if (this.size === 0) return;
    const fd = this.fd;
    let data = this.buffer.subarray(0, this.size);
    this.size = 0;
    while (data.byteLength > 0) {
      this.writes++;
      const { errno, values } = this.client.call(Sys.WRITE, [fd, data]);
      if (errno !== 0) {
        this.errors.set(fd, errno);
        return;
      }
      const n = Number(values[0]);
      if (!(n > 0)) return;
      data = data.subarray(n);
    }
  }

  private direct(fd: number, parts: readonly Uint8Array[], total: number): [number, number] {
    let data: Uint8Array;
    if (parts.length === 1) data = parts[0]!;
    else {
      data = new Uint8Array(total);
      let at = 0;
      for (const part of parts) {
        data.set(part, at);
        at += part.byteLength;
      }
    }
    this.writes++;
    const { errno, values } = this.client.call(Sys.WRITE, [fd, data]);
    return errno === 0 ? [0, Number(values[0])] : [errno, 0];
  }

  private probe(fd: number): number {
    const kind = this.combinable(fd) ? COMBINE : DIRECT;
    this.kinds.set(fd, kind);
    return kind;
  }
}
