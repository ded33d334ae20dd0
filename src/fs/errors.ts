/**
 * Filesystem errors carry POSIX errno names as `code`, like Node's `fs` errors, so code written
 * against Node (isomorphic-git, user scripts) can test `err.code === "ENOENT"` unchanged. The kernel
 * translates them to WASI errno numbers once, at the syscall boundary.
 */

export const ERRNO_MESSAGES = {
  ENOENT: "no such file or directory",
  EEXIST: "file already exists",
  ENOTDIR: "not a directory",
  EISDIR: "illegal operation on a directory",
  ENOTEMPTY: "directory not empty",
  ELOOP: "too many symbolic links encountered",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EINVAL: "invalid argument",
  EXDEV: "cross-device link not permitted",
  ENAMETOOLONG: "name too long",
  ENOSPC: "no space left on device",
  EBADF: "bad file descriptor",
  EBUSY: "resource busy or locked",
  EMLINK: "too many links",
  EFBIG: "file too large",
  ENOSYS: "function not implemented",
  ENOTSUP: "operation not supported",
  EIO: "i/o error",
} as const;

export type Errno = keyof typeof ERRNO_MESSAGES;

export interface FsErrorDetails {
  syscall: string;
  path?: string | undefined;
  dest?: string | undefined;
  /** Extra human detail appended to the message, e.g. which limit was hit. */
  detail?: string | undefined;
}

/** A typed filesystem error: `code` is the errno name, `path` (and `dest`) name what was involved. */
export class FsError extends Error {
  readonly code: Errno;
  readonly syscall: string;
  readonly path: string | undefined;
  readonly dest: string | undefined;

  constructor(code: Errno, details: FsErrorDetails) {
    let message = `${code}: ${ERRNO_MESSAGES[code]}, ${details.syscall}`;
    if (details.path !== undefined) message += ` '${details.path}'`;
    if (details.dest !== undefined) message += ` -> '${details.dest}'`;
    if (details.detail) message += ` (${details.detail})`;
    super(message);
    this.name = "FsError";
    this.code = code;
    this.syscall = details.syscall;
    this.path = details.path;
    this.dest = details.dest;
  }
}

export function fsError(code: Errno, syscall: string, path?: string, dest?: string): FsError {
  return new FsError(code, { syscall, path, dest });
}

export function isFsError(e: unknown, code?: Errno): e is FsError {
  return e instanceof FsError && (code === undefined || e.code === code);
}
