/**
 * Node-shaped errors. The VFS already throws `FsError`s with Node's `code`/`syscall`/message
 * format; this adds what Node's own fs errors carry besides: a negative Linux `errno`, the path
 * *as the caller wrote it* (not the absolute VM path), and no path at all for fd operations.
 * Argument errors are the `TypeError`s with `ERR_*` codes that Node throws.
 */

import { type Errno, FsError, type FsErrorDetails } from "../errors.ts";

/** Linux errno numbers; Node reports them negated (libuv's `UV_E*`). */
export const ERRNO: Record<Errno, number> = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  EFBIG: 27,
  ENOSPC: 28,
  EROFS: 30,
  EMLINK: 31,
  ENAMETOOLONG: 36,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  ELOOP: 40,
  ENOTSUP: 95,
};

/** Syscalls on a file descriptor: Node's errors for these name no path. */
const FD_SYSCALLS = new Set(["read", "write", "fstat", "ftruncate", "fsync", "fdatasync", "close", "lseek"]);

/** An `FsError` as Node's `fs` would throw it: `errno` is set and `name` is plain "Error". */
export class NodeFsError extends FsError {
  readonly errno: number;

  constructor(code: Errno, details: FsErrorDetails) {
    super(code, details);
    this.name = "Error";
    this.errno = -ERRNO[code];
  }
}

/**
 * Re-issue a VFS error for the caller: `path`/`dest` become the caller's spelling and `syscall`
 * may be overridden (e.g. copyFile reports `copyfile`). Anything that is not an `FsError` is
 * returned unchanged, as is an error already converted by a nested call.
 */
export function toNodeError(err: unknown, path?: string, dest?: string, syscall?: string): unknown {
  if (!(err instanceof FsError) || err instanceof NodeFsError) return err;
  const sc = syscall ?? err.syscall;
  const fdOp = FD_SYSCALLS.has(sc);
  // The VFS appends limit details ("inode limit 10 reached") in parentheses; keep them.
  const detail = / \(([^()]*)\)$/.exec(err.message)?.[1];
  return new NodeFsError(err.code, {
    syscall: sc,
    path: fdOp ? undefined : path,
    dest: fdOp ? undefined : dest,
    detail,
  });
}

/** Run a VFS call, converting its errors with `toNodeError`. */
export async function call<T>(
  fn: () => Promise<T>,
  path?: string,
  dest?: string,
  syscall?: string,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toNodeError(err, path, dest, syscall);
  }
}

function coded<E extends Error>(err: E, code: string, extra: Record<string, unknown> = {}): E {
  return Object.assign(err, { code }, extra);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "string") return `'${value.replace(/\0/g, "\\x00")}'`;
  if (typeof value === "function") return `function ${value.name}`;
  if (typeof value === "object") return `an instance of ${value.constructor?.name ?? "Object"}`;
  return `type ${typeof value} (${String(value)})`;
}

export function invalidArgType(name: string, expected: string, actual: unknown): TypeError {
  return coded(
    new TypeError(`The "${name}" argument must be ${expected}. Received ${describe(actual)}`),
    "ERR_INVALID_ARG_TYPE",
  );
}

export function invalidArgValue(name: string, value: unknown, reason = "is invalid"): TypeError {
  return coded(
    new TypeError(`The argument '${name}' ${reason}. Received ${describe(value)}`),
    "ERR_INVALID_ARG_VALUE",
  );
}

export function outOfRange(name: string, range: string, value: unknown): RangeError {
  return coded(
    new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${String(value)}`),
    "ERR_OUT_OF_RANGE",
  );
}

/** What a `FileHandle` throws once closed (Node: code EBADF, no errno, message "file closed"). */
export function fileClosed(syscall: string): Error {
  return coded(new Error("file closed"), "EBADF", { syscall });
}

/** `rm` on a directory without `recursive`: Node's `ERR_FS_EISDIR` SystemError (positive errno). */
export function rmIsDirectory(path: string): Error {
  const err = coded(
    new Error(`Path is a directory: rm returned EISDIR (is a directory) ${path}`),
    "ERR_FS_EISDIR",
    {
      info: { code: "EISDIR", message: "is a directory", path, syscall: "rm", errno: ERRNO.EISDIR },
      errno: ERRNO.EISDIR,
      syscall: "rm",
      path,
    },
  );
  err.name = "SystemError";
  return err;
}
