/**
 * The worker-side runtime of builtin programs (JavaScript commands such as `grep` that run as
 * processes in pooled workers). Everything goes through the kernel's blocking syscalls, as for a
 * WASM command: paths are resolved by the kernel against the process's cwd (AT_FDCWD), so a
 * builtin sees exactly the filesystem, permissions and fds of its process.
 *
 * Output to fd 1 is buffered (64 KiB, like stdio's full buffering) and flushed when full, before a
 * write to another fd (so stdout/stderr keep their relative order), before a read from something
 * that is not a regular file (a pipe or a tty may block: what we have produced so far must reach
 * the reader first), on `flush()`, and when the program returns. Runs inside a worker: erasable
 * TypeScript only.
 */
import { AT_FDCWD, Errno, FileTypeCode, O, Sys } from "../../kernel/abi.ts";
import type { SyscallArg, SyscallClient } from "../../kernel/channel/index.ts";

/** What the runner posts to the worker (structured-cloned). */
export interface BuiltinJobPayload {
  /** The builtin to run (`grep`, `egrep`…). */
  name: string;
  argv: string[];
  env: string[];
  pid: number;
}

/** strerror() texts, as GNU tools print them after `prog: path: `. */
const MESSAGES: Record<number, [string, string]> = {
  [Errno.TOOBIG]: ["E2BIG", "Argument list too long"],
  [Errno.ACCES]: ["EACCES", "Permission denied"],
  [Errno.AGAIN]: ["EAGAIN", "Resource temporarily unavailable"],
  [Errno.BADF]: ["EBADF", "Bad file descriptor"],
  [Errno.BUSY]: ["EBUSY", "Device or resource busy"],
  [Errno.EXIST]: ["EEXIST", "File exists"],
  [Errno.FBIG]: ["EFBIG", "File too large"],
  [Errno.INTR]: ["EINTR", "Interrupted system call"],
  [Errno.INVAL]: ["EINVAL", "Invalid argument"],
  [Errno.IO]: ["EIO", "Input/output error"],
  [Errno.ISDIR]: ["EISDIR", "Is a directory"],
  [Errno.LOOP]: ["ELOOP", "Too many levels of symbolic links"],
  [Errno.MFILE]: ["EMFILE", "Too many open files"],
  [Errno.NAMETOOLONG]: ["ENAMETOOLONG", "File name too long"],
  [Errno.NOENT]: ["ENOENT", "No such file or directory"],
  [Errno.NOMEM]: ["ENOMEM", "Cannot allocate memory"],
  [Errno.NOSPC]: ["ENOSPC", "No space left on device"],
  [Errno.NOSYS]: ["ENOSYS", "Function not implemented"],
  [Errno.NOTDIR]: ["ENOTDIR", "Not a directory"],
  [Errno.NOTSUP]: ["ENOTSUP", "Operation not supported"],
  [Errno.PERM]: ["EPERM", "Operation not permitted"],
  [Errno.PIPE]: ["EPIPE", "Broken pipe"],
  [Errno.ROFS]: ["EROFS", "Read-only file system"],
  [Errno.SPIPE]: ["ESPIPE", "Illegal seek"],
};

/** `ENOENT` for Errno.NOENT… */
export function errnoName(errno: number): string {
  return MESSAGES[errno]?.[0] ?? `E${errno}`;
}

/** `No such file or directory` for Errno.NOENT… */
export function errnoMessage(errno: number): string {
  return MESSAGES[errno]?.[1] ?? `Unknown error ${errno}`;
}

/** A failed syscall. `message` is the strerror() text. */
export class SysError extends Error {
  readonly errno: number;
  readonly code: string;
  /** The operation that failed: "read", "write" or another syscall's family. */
  readonly op: string;
  constructor(errno: number, op = "call") {
    super(errnoMessage(errno));
    this.name = "SysError";
    this.errno = errno;
    this.code = errnoName(errno);
    this.op = op;
  }
}

/** Thrown by {@link Runtime.exit} to end the program from anywhere with a status. */
export class ExitRequest {
  readonly code: number;
  constructor(code: number) {
    this.code = code;
  }
}

export interface StatInfo {
  /** A `FileTypeCode`. */
  type: number;
  mode: number;
  ino: number;
  size: number;
  dev: number;
}

export interface DirEntry {
  name: string;
  /** A `FileTypeCode` (SYMBOLIC_LINK for links: not followed). */
  type: number;
  ino: number;
}

export { FileTypeCode, O };

const OUT_CAPACITY = 64 * 1024;
const READDIR_BATCH = 256;

export class Runtime {
  readonly argv: string[];
  readonly env: ReadonlyMap<string, string>;
  readonly pid: number;
  private readonly client: SyscallClient;
  private readonly out = Buffer.allocUnsafe(OUT_CAPACITY);
  private outSize = 0;
  /** fd → whether reads from it may block (not a regular file): checked once per fd. */
  private readonly mayBlock = new Map<number, boolean>();
  /** Flush stdout after every `endRecord()` (grep --line-buffered). */
  lineBuffered = false;

  constructor(client: SyscallClient, payload: BuiltinJobPayload) {
    this.client = client;
    this.argv = payload.argv;
    this.pid = payload.pid;
    const env = new Map<string, string>();
    for (const entry of payload.env) {
      const eq = entry.indexOf("=");
      if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
    this.env = env;
  }

  /** The working directory, as the kernel set `PWD` at spawn (paths are resolved by the kernel anyway). */
  get cwd(): string {
    return this.env.get("PWD") ?? "/";
  }

  /** One syscall; throws {@link SysError} on failure. (Buffered stdout is not flushed first.) */
  call(op: number, args: readonly SyscallArg[]): SyscallArg[] {
    const { errno, values } = this.client.call(op, args);
    if (errno !== 0) throw new SysError(errno);
    return values as SyscallArg[];
  }

  /** Up to `max` bytes; an empty result is end of file. */
  read(fd: number, max: number): Buffer {
    if (this.outSize > 0 && this.readMayBlock(fd)) this.flush();
    const { errno, values } = this.client.call(Sys.READ, [fd, max]);
    if (errno !== 0) throw new SysError(errno, "read");
    const data = values[0] as Uint8Array;
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  private readMayBlock(fd: number): boolean {
    let blocks = this.mayBlock.get(fd);
    if (blocks === undefined) {
      const { errno, values } = this.client.call(Sys.FDSTAT, [fd]);
      blocks = errno !== 0 || values[0] !== FileTypeCode.REGULAR_FILE;
      this.mayBlock.set(fd, blocks);
    }
    return blocks;
  }

  /** Write to `fd`: stdout is buffered, other fds are written at once (after flushing stdout). */
  write(fd: number, data: Uint8Array | string): void {
    if (fd !== 1) {
      this.flush();
      this.writeAll(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
      return;
    }
    if (typeof data === "string") {
      // Worst case 3 bytes per UTF-16 unit.
      if (data.length * 3 > OUT_CAPACITY - this.outSize) {
        this.flush();
        if (data.length * 3 > OUT_CAPACITY) {
          this.writeAll(1, Buffer.from(data, "utf8"));
          return;
        }
      }
      this.outSize += this.out.write(data, this.outSize, "utf8");
      return;
    }
    const n = data.byteLength;
    if (n > OUT_CAPACITY - this.outSize) {
      this.flush();
      if (n >= OUT_CAPACITY) {
        this.writeAll(1, data);
        return;
      }
    }
    this.out.set(data, this.outSize);
    this.outSize += n;
  }

  /** One byte to stdout (a record terminator). */
  writeByte(byte: number): void {
    if (this.outSize >= OUT_CAPACITY) this.flush();
    this.out[this.outSize++] = byte;
  }

  /** A record (a line) is complete on stdout: flush it if line-buffered. */
  endRecord(): void {
    if (this.lineBuffered) this.flush();
  }

  /** Send buffered stdout to the kernel. Throws SysError (e.g. ENOSPC) if that fails. */
  flush(): void {
    if (this.outSize === 0) return;
    const data = this.out.subarray(0, this.outSize);
    this.outSize = 0;
    // The kernel copies the bytes before answering, so the buffer is free again afterwards.
    this.writeAll(1, data);
  }

  private writeAll(fd: number, data: Uint8Array): void {
    let rest = data;
    while (rest.byteLength > 0) {
      const { errno, values } = this.client.call(Sys.WRITE, [fd, rest]);
      if (errno !== 0) throw new SysError(errno, "write");
      const n = Number(values[0]);
      if (!(n > 0)) throw new SysError(Errno.IO, "write");
      rest = rest.subarray(n);
    }
  }

  /** `prog: message` on stderr (stdout flushed first). Never throws. */
  error(message: string): void {
    try {
      this.write(2, `${message}\n`);
    } catch {
      // stderr is gone: nothing more we can say
    }
  }

  open(path: string, flags: number = O.READ): number {
    return Number(this.call(Sys.OPEN, [AT_FDCWD, path, flags, 0])[0]);
  }

  close(fd: number): void {
    this.mayBlock.delete(fd);
    const { errno } = this.client.call(Sys.CLOSE, [fd]);
    if (errno !== 0) throw new SysError(errno);
  }

  stat(path: string, follow = true): StatInfo {
    return statInfo(this.call(Sys.STAT, [AT_FDCWD, path, follow ? 1 : 0]));
  }

  fstat(fd: number): StatInfo {
    return statInfo(this.call(Sys.FSTAT, [fd]));
  }

  /** The entries of a directory, without "." and "..", in the kernel's order. */
  readdir(path: string): DirEntry[] {
    const fd = this.open(path, O.READ | O.DIRECTORY);
    const entries: DirEntry[] = [];
    try {
      let cookie = 0;
      for (;;) {
        const bytes = this.call(Sys.READDIR, [fd, cookie, READDIR_BATCH])[0] as Uint8Array;
        if (bytes.byteLength === 0) break;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        let at = 0;
        while (at + 21 <= bytes.byteLength) {
          cookie = Number(view.getBigUint64(at, true));
          const ino = Number(view.getBigUint64(at + 8, true));
          const type = bytes[at + 16]!;
          const len = view.getUint32(at + 17, true);
          const name = Buffer.from(bytes.buffer, bytes.byteOffset + at + 21, len).toString("utf8");
          at += 21 + len;
          if (name !== "." && name !== "..") entries.push({ name, type, ino });
        }
      }
    } finally {
      try {
        this.close(fd);
      } catch {
        // nothing to do
      }
    }
    return entries;
  }

  /** End the program now with `code` (stdout is flushed by the runner). */
  exit(code: number): never {
    throw new ExitRequest(code);
  }
}

function statInfo(values: SyscallArg[]): StatInfo {
  return {
    type: Number(values[0]),
    mode: Number(values[1]),
    ino: Number(values[2]),
    size: Number(values[4]),
    dev: Number(values[11]),
  };
}
