/** Kernel errors carry a WASI errno; filesystem errors are translated here, once, at the boundary. */

import { FsError } from "../fs/index.ts";
import { Errno } from "./abi.ts";

export class KernelError extends Error {
  readonly errno: number;
  constructor(errno: number, message?: string) {
    super(message ?? `errno ${errno}`);
    this.name = "KernelError";
    this.errno = errno;
  }
}

export function kerr(errno: number, message?: string): KernelError {
  return new KernelError(errno, message);
}

const FROM_FS: Record<string, number> = {
  ENOENT: Errno.NOENT,
  EEXIST: Errno.EXIST,
  ENOTDIR: Errno.NOTDIR,
  EISDIR: Errno.ISDIR,
  ENOTEMPTY: Errno.NOTEMPTY,
  ELOOP: Errno.LOOP,
  EACCES: Errno.ACCES,
  EPERM: Errno.PERM,
  EROFS: Errno.ROFS,
  EINVAL: Errno.INVAL,
  EXDEV: Errno.XDEV,
  ENAMETOOLONG: Errno.NAMETOOLONG,
  ENOSPC: Errno.NOSPC,
  EBADF: Errno.BADF,
  EBUSY: Errno.BUSY,
  EMLINK: Errno.MLINK,
  EFBIG: Errno.FBIG,
  ENOSYS: Errno.NOSYS,
  ENOTSUP: Errno.NOTSUP,
  EIO: Errno.IO,
};

/** The WASI errno for anything a syscall handler threw. Unknown failures are EIO (and logged). */
export function errnoOf(err: unknown): number {
  if (err instanceof KernelError) return err.errno;
  if (err instanceof FsError) return FROM_FS[err.code] ?? Errno.IO;
  console.error("agentos-vm kernel: unexpected error in a syscall:", err);
  return Errno.IO;
}
