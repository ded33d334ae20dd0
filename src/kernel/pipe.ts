/**
 * An anonymous pipe: a bounded byte buffer with blocking reads and writes (POSIX pipe(7)).
 * Readers get EOF once every write end is closed; writers get EPIPE once every read end is closed.
 * A blocking write returns when all of its bytes are in the buffer, so a fast producer is paced by
 * its consumer and memory stays bounded by the capacity, never by the amount of data.
 */

import { Errno } from "./abi.ts";
import { kerr } from "./errors.ts";
import { WaitQueue } from "./wait-queue.ts";

/** Writes of up to PIPE_BUF bytes are atomic (never interleaved with other writers'). */
export const PIPE_BUF = 4096;
export const DEFAULT_PIPE_CAPACITY = 64 * 1024;

export class Pipe {
  readonly capacity: number;
  private chunks: Uint8Array[] = [];
  private head = 0; // offset into chunks[0]
  size = 0;
  readers = 0;
  writers = 0;
  /** Woken whenever data, space, or the set of ends changes. */
  readonly changed = new WaitQueue();

  constructor(capacity = DEFAULT_PIPE_CAPACITY) {
    this.capacity = capacity;
  }

  get readable(): boolean {
    return this.size > 0 || this.writers === 0;
  }

  get writable(): boolean {
    return this.size < this.capacity || this.readers === 0;
  }

  /** Read up to `max` bytes; empty result means end of file. */
  async read(max: number, nonblock: boolean, signal: AbortSignal): Promise<Uint8Array> {
    while (this.size === 0) {
      if (this.writers === 0) return new Uint8Array(0);
      if (nonblock) throw kerr(Errno.AGAIN);
      await waitOrAbort(this.changed, signal);
    }
    return this.take(max);
  }

  private take(max: number): Uint8Array {
    const n = Math.min(max, this.size);
    const first = this.chunks[0]!;
    let out: Uint8Array;
    if (first.length - this.head >= n) {
      out = first.slice(this.head, this.head + n);
      this.head += n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
    } else {
      out = new Uint8Array(n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[0]!;
        const take = Math.min(c.length - this.head, n - filled);
        out.set(c.subarray(this.head, this.head + take), filled);
        filled += take;
        this.head += take;
        if (this.head === c.length) {
          this.chunks.shift();
          this.head = 0;
        }
      }
    }
    this.size -= n;
    this.changed.wake();
    return out;
  }

  /**
   * Write all of `data`, waiting for space as needed. Throws EPIPE when no reader is left (the
   * caller raises SIGPIPE), EAGAIN when non-blocking and nothing fits. A non-blocking write may be
   * partial; one of at most PIPE_BUF bytes is all-or-nothing.
   */
  async write(data: Uint8Array, nonblock: boolean, signal: AbortSignal): Promise<number> {
    let written = 0;
    while (written < data.length) {
      if (this.readers === 0) {
        if (written > 0) return written;
        throw kerr(Errno.PIPE);
      }
      const space = this.capacity - this.size;
      const remaining = data.length - written;
      // Small writes go in whole or not at all; the rule cannot apply beyond the pipe's capacity.
      const atomic = written === 0 && data.length <= Math.min(PIPE_BUF, this.capacity);
      if (space === 0 || (atomic && space < remaining)) {
        if (nonblock) {
          if (written > 0) return written;
          throw kerr(Errno.AGAIN);
        }
        await waitOrAbort(this.changed, signal);
        continue;
      }
      const n = Math.min(space, remaining);
      // Copy: the caller's buffer may be reused as soon as we return.
      this.chunks.push(data.slice(written, written + n));
      this.size += n;
      written += n;
      this.changed.wake();
    }
    return written;
  }

  closeReader(): void {
    this.readers -= 1;
    if (this.readers === 0) {
      // Nobody will read what is buffered: drop it so memory is released at once.
      this.chunks = [];
      this.head = 0;
      this.size = 0;
    }
    this.changed.wake();
  }

  closeWriter(): void {
    this.writers -= 1;
    this.changed.wake();
  }
}

/** Wait for the next wake-up, or fail with EINTR when `signal` aborts (the process was signalled). */
export function waitOrAbort(queue: WaitQueue, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(kerr(Errno.INTR));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel();
      reject(kerr(Errno.INTR));
    };
    const cancel = queue.once(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
