/**
 * Open file descriptions: what a file descriptor refers to. Several fds (after dup, or across
 * processes after spawn) share one description and its offset and flags; the description is
 * released when its last reference goes.
 */

import type { OpenFile, VfsStat } from "../fs/index.ts";
import { Errno, FileTypeCode, O } from "./abi.ts";
import { kerr } from "./errors.ts";
import { type Pipe, waitOrAbort } from "./pipe.ts";
import type { WaitQueue } from "./wait-queue.ts";

export interface IoContext {
  /** Aborts when the calling process is signalled or ends: blocking calls fail with EINTR. */
  signal: AbortSignal;
}

export abstract class Description {
  private refs = 1;
  /** O.APPEND | O.NONBLOCK */
  flags: number;
  readonly access: number; // O.READ | O.WRITE

  constructor(access: number, flags: number) {
    this.access = access;
    this.flags = flags;
  }

  abstract readonly filetype: number;
  get isTty(): boolean {
    return false;
  }
  get nonblock(): boolean {
    return (this.flags & O.NONBLOCK) !== 0;
  }

  retain(): this {
    this.refs += 1;
    return this;
  }

  /** Drop one reference; the last one releases the underlying object. */
  release(): void {
    this.refs -= 1;
    if (this.refs === 0) this.destroy();
  }

  protected abstract destroy(): void;

  abstract read(max: number, ctx: IoContext): Promise<Uint8Array>;
  abstract write(data: Uint8Array, ctx: IoContext): Promise<number>;
  pread(_max: number, _offset: number): Promise<Uint8Array> {
    return Promise.reject(kerr(Errno.SPIPE));
  }
  pwrite(_data: Uint8Array, _offset: number): Promise<number> {
    return Promise.reject(kerr(Errno.SPIPE));
  }
  seek(_offset: number, _whence: 0 | 1 | 2): Promise<number> {
    return Promise.reject(kerr(Errno.SPIPE));
  }
  abstract stat(): Promise<VfsStat>;
  /** Ready for reading / writing without blocking (poll). */
  abstract readable(): boolean;
  abstract writable(): boolean;
  /** Where readiness changes are announced, if it can change. */
  get readiness(): WaitQueue | null {
    return null;
  }
  /** Bytes available to read now, for poll results. */
  available(): number {
    return 0;
  }
  /** The path the description was opened with, if any. */
  get path(): string | undefined {
    return undefined;
  }
}

const FILETYPE_BY_TYPE: Record<string, number> = {
  file: FileTypeCode.REGULAR_FILE,
  directory: FileTypeCode.DIRECTORY,
  symlink: FileTypeCode.SYMBOLIC_LINK,
  chardev: FileTypeCode.CHARACTER_DEVICE,
  fifo: FileTypeCode.FIFO,
  socket: FileTypeCode.SOCKET_STREAM,
};

export function filetypeOf(type: string): number {
  return FILETYPE_BY_TYPE[type] ?? FileTypeCode.UNKNOWN;
}

/** A file, directory or device of the VFS. */
export class FileDescription extends Description {
  readonly file: OpenFile;

  constructor(file: OpenFile, access: number, flags: number) {
    super(access, flags);
    this.file = file;
  }

  get filetype(): number {
    return filetypeOf(this.file.type);
  }

  override get path(): string {
    return this.file.path;
  }

  protected destroy(): void {
    this.file.close();
  }

  read(max: number): Promise<Uint8Array> {
    if (!(this.access & O.READ)) return Promise.reject(kerr(Errno.BADF));
    if (this.file.type === "directory") return Promise.reject(kerr(Errno.ISDIR));
    return this.file.read(max);
  }

  write(data: Uint8Array): Promise<number> {
    if (!(this.access & O.WRITE)) return Promise.reject(kerr(Errno.BADF));
    return this.file.write(data);
  }

  override pread(max: number, offset: number): Promise<Uint8Array> {
    if (!(this.access & O.READ)) return Promise.reject(kerr(Errno.BADF));
    return this.file.read(max, offset);
  }

  override pwrite(data: Uint8Array, offset: number): Promise<number> {
    if (!(this.access & O.WRITE)) return Promise.reject(kerr(Errno.BADF));
    return this.file.write(data, offset);
  }

  override seek(offset: number, whence: 0 | 1 | 2): Promise<number> {
    return this.file.seek(offset, whence);
  }

  stat(): Promise<VfsStat> {
    return this.file.stat();
  }

  readable(): boolean {
    return true;
  }

  writable(): boolean {
    return true;
  }
}

const PIPE_STAT_BASE = { dev: 0, nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0 };

let pipeIno = 1_000_000;

/** One end of a pipe. */
export class PipeEnd extends Description {
  readonly pipe: Pipe;
  readonly ino = pipeIno++;
  readonly filetype = FileTypeCode.FIFO;
  /** Set when a write fails with EPIPE, so the kernel can raise SIGPIPE. */

  constructor(pipe: Pipe, end: "read" | "write") {
    super(end === "read" ? O.READ : O.WRITE, 0);
    this.pipe = pipe;
    if (end === "read") pipe.readers += 1;
    else pipe.writers += 1;
  }

  protected destroy(): void {
    if (this.access & O.READ) this.pipe.closeReader();
    else this.pipe.closeWriter();
  }

  read(max: number, ctx: IoContext): Promise<Uint8Array> {
    if (!(this.access & O.READ)) return Promise.reject(kerr(Errno.BADF));
    return this.pipe.read(max, this.nonblock, ctx.signal);
  }

  write(data: Uint8Array, ctx: IoContext): Promise<number> {
    if (!(this.access & O.WRITE)) return Promise.reject(kerr(Errno.BADF));
    return this.pipe.write(data, this.nonblock, ctx.signal);
  }

  async stat(): Promise<VfsStat> {
    const t = Date.now();
    return {
      ...PIPE_STAT_BASE,
      type: "fifo",
      ino: this.ino,
      mode: 0o010600,
      size: this.pipe.size,
      atimeMs: t,
      mtimeMs: t,
      ctimeMs: t,
      birthtimeMs: t,
    };
  }

  readable(): boolean {
    return this.pipe.readable;
  }

  writable(): boolean {
    return this.pipe.writable;
  }

  override get readiness(): WaitQueue {
    return this.pipe.changed;
  }

  override available(): number {
    return this.pipe.size;
  }
}

/** Wait until `pred()` holds, re-checking whenever `queue` wakes. */
export async function waitUntil(pred: () => boolean, queue: WaitQueue, signal: AbortSignal): Promise<void> {
  while (!pred()) await waitOrAbort(queue, signal);
}
