/** WASI preview1 numbers the shim needs (errno values are the kernel's own: `Errno` in abi.ts). */

export const WASI_RIGHTS = {
  FD_READ: 1n << 1n,
  FD_SEEK: 1n << 2n,
  FD_TELL: 1n << 5n,
  FD_WRITE: 1n << 6n,
  FD_READDIR: 1n << 14n,
  /** Every right defined by preview1 (bits 0..29). */
  ALL: (1n << 30n) - 1n,
} as const;

export const WASI_OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const WASI_FDFLAGS = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const WASI_LOOKUP_SYMLINK_FOLLOW = 1;
export const WASI_FSTFLAGS = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;
export const WASI_CLOCK = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;
export const WASI_EVENTTYPE = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;
export const WASI_SUBCLOCK_ABSTIME = 1;
export const WASI_EVENT_FD_READWRITE_HANGUP = 1;
export const WASI_PREOPENTYPE_DIR = 0;

/** Sizes of WASI structures in guest memory. */
export const FILESTAT_SIZE = 64;
export const DIRENT_SIZE = 24;
export const SUBSCRIPTION_SIZE = 48;
export const EVENT_SIZE = 32;
