/** Public and cross-subsystem filesystem types. */

export type MaybePromise<T> = T | Promise<T>;

export type FileType = "file" | "directory" | "symlink" | "chardev" | "fifo" | "socket";

/** POSIX st_mode type bits. */
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_IFSOCK = 0o140000;

export function typeBits(type: FileType): number {
  switch (type) {
    case "file":
      return S_IFREG;
    case "directory":
      return S_IFDIR;
    case "symlink":
      return S_IFLNK;
    case "chardev":
      return S_IFCHR;
    case "fifo":
      return S_IFIFO;
    case "socket":
      return S_IFSOCK;
  }
}

export function typeFromMode(mode: number): FileType {
  switch (mode & S_IFMT) {
    case S_IFDIR:
      return "directory";
    case S_IFLNK:
      return "symlink";
    case S_IFCHR:
      return "chardev";
    case S_IFIFO:
      return "fifo";
    case S_IFSOCK:
      return "socket";
    default:
      return "file";
  }
}

/** What `stat`/`lstat` report. `mode` holds type bits and permission bits, as in POSIX. */
export interface VfsStat {
  type: FileType;
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
}

export interface DirEntry {
  name: string;
  type: FileType;
  ino: number;
}

/** A readdir entry with the cookie that resumes the listing just after it. */
export interface DirEntryWithCookie extends DirEntry {
  cookie: number;
}

/** How a file is opened. The kernel translates WASI oflags/fdflags, the facade Node's flag strings. */
export interface OpenFlags {
  read?: boolean;
  write?: boolean;
  append?: boolean;
  create?: boolean;
  exclusive?: boolean;
  truncate?: boolean;
  /** Fail with ENOTDIR unless the target is a directory. */
  directory?: boolean;
  /** Do not follow a symlink in the last component (O_NOFOLLOW): ELOOP if it is one. */
  noFollow?: boolean;
}

export interface Identity {
  uid: number;
  gid: number;
}

/**
 * A mounted filesystem supplied by the user (or built in). Paths are absolute within the mount,
 * normalised, and never contain `.`/`..` or symlinks: the VFS resolves those itself in the VM's
 * namespace, so a plugin only ever sees names inside its own tree. Any method may be async.
 * Optional methods that are missing answer ENOTSUP (or EROFS when the mount is read-only).
 */
export interface MountPlugin {
  /** Shown by `mount`/`df` and in errors. */
  readonly name?: string;
  readonly readOnly?: boolean;
  /** Stat without following a symlink in the last component. ENOENT if absent. */
  lstat(path: string): MaybePromise<MountStat>;
  readdir(path: string): MaybePromise<Array<{ name: string; type: FileType }>>;
  /** Read up to `length` bytes at `position`; fewer at end of file. */
  read(path: string, position: number, length: number): MaybePromise<Uint8Array>;
  write?(path: string, position: number, data: Uint8Array): MaybePromise<void>;
  /** Create an empty regular file; EEXIST if something is there. */
  create?(path: string, mode: number): MaybePromise<void>;
  truncate?(path: string, size: number): MaybePromise<void>;
  mkdir?(path: string, mode: number): MaybePromise<void>;
  rmdir?(path: string): MaybePromise<void>;
  unlink?(path: string): MaybePromise<void>;
  rename?(from: string, to: string): MaybePromise<void>;
  readlink?(path: string): MaybePromise<string>;
  symlink?(target: string, path: string): MaybePromise<void>;
  link?(existing: string, path: string): MaybePromise<void>;
  chmod?(path: string, mode: number): MaybePromise<void>;
  utimes?(path: string, atimeMs: number, mtimeMs: number): MaybePromise<void>;
  /** Called once when the VM is disposed. */
  close?(): MaybePromise<void>;
}

/** What a plugin's lstat returns; missing fields get sensible defaults. */
export interface MountStat {
  type: FileType;
  size: number;
  /** Permission bits (type bits are ignored). */
  mode?: number;
  ino?: number;
  nlink?: number;
  uid?: number;
  gid?: number;
  atimeMs?: number;
  mtimeMs?: number;
  ctimeMs?: number;
  birthtimeMs?: number;
}

export interface MountSpec {
  path: string;
  plugin: MountPlugin;
  /** Owner every file of the mount appears to have. Default: the VM's user (agentos, 1000:1000). */
  owner?: Identity;
}

export type WatchEventType = "create" | "modify" | "delete" | "rename";

export interface WatchEvent {
  type: WatchEventType;
  /** Absolute path inside the VM. For `rename`, the new path. */
  path: string;
  /** For `rename`: the old path. */
  oldPath?: string;
  fileType?: FileType;
}
