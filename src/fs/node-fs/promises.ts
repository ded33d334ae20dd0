/**
 * The `fs.promises` look-alike. Each function validates its arguments as Node does, maps the
 * caller's path to an absolute VM path, calls the VFS as `ctx.cred`, and re-issues errors with the
 * caller's spelling of the path (see errors.ts).
 */

import { randomBytes } from "node:crypto";
import { fsError, isFsError } from "../errors.ts";
import type { OpenFile } from "../vfs.ts";
import { constants, openFlags } from "./constants.ts";
import {
  callerSpelling,
  childPath,
  decode,
  encodingOf,
  modeArg,
  type NodeFsContext,
  type PathLike,
  pathArg,
  timeArg,
  toBytes,
  vmPath,
} from "./context.ts";
import { call, invalidArgType, rmIsDirectory } from "./errors.ts";
import { FileHandle } from "./file-handle.ts";
import { Dirent, Stats } from "./stats.ts";

type Encoding = BufferEncoding | "buffer" | null;
export type EncodingOptions = BufferEncoding | { encoding?: Encoding } | null;
export interface ReadFileOptions {
  encoding?: Encoding;
  flag?: string | number;
}
export interface WriteFileOptions {
  encoding?: BufferEncoding | null;
  mode?: number | string;
  flag?: string | number;
}
export interface MkdirOptions {
  recursive?: boolean;
  mode?: number | string;
}
export interface ReaddirOptions {
  encoding?: Encoding;
  withFileTypes?: boolean;
  recursive?: boolean;
}
export interface RmOptions {
  recursive?: boolean;
  force?: boolean;
  maxRetries?: number;
  retryDelay?: number;
}
export type Data = string | ArrayBufferView;
export type Time = number | string | Date;

export function createPromises(ctx: NodeFsContext) {
  const { vfs, cred, umask } = ctx;
  /** The caller's spelling and the absolute VM path. */
  const at = (value: unknown, name?: string): [string, string] => {
    const path = pathArg(value, name);
    return [path, vmPath(ctx, path)];
  };

  /** Open, run `fn`, always close: the shape of every whole-file operation. */
  async function withFile<T>(
    path: string,
    abs: string,
    flag: string | number | undefined,
    fallback: string,
    mode: number,
    fn: (file: OpenFile) => Promise<T>,
  ): Promise<T> {
    const file = await call(() => vfs.open(abs, openFlags(flag, fallback), mode & ~umask, cred), path);
    try {
      return await call(() => fn(file), path);
    } finally {
      file.close();
    }
  }

  async function readFile(
    path: PathLike | FileHandle,
    options?: { encoding?: null; flag?: string | number } | null,
  ): Promise<Buffer>;
  async function readFile(
    path: PathLike | FileHandle,
    options: BufferEncoding | { encoding: BufferEncoding; flag?: string | number },
  ): Promise<string>;
  async function readFile(
    path: PathLike | FileHandle,
    options?: BufferEncoding | ReadFileOptions | null,
  ): Promise<string | Buffer>;
  async function readFile(path: PathLike | FileHandle, options?: BufferEncoding | ReadFileOptions | null) {
    if (path instanceof FileHandle) return path.readFile(options as BufferEncoding);
    const [p, abs] = at(path);
    const flag = typeof options === "object" ? options?.flag : undefined;
    const bytes =
      flag === undefined || flag === "r"
        ? await call(() => vfs.readFile(abs, cred), p)
        : await withFile(p, abs, flag, "r", 0o666, (f) => f.readAll());
    return decode(bytes, encodingOf(options));
  }

  async function writeFile(
    path: PathLike | FileHandle,
    data: Data,
    options?: BufferEncoding | WriteFileOptions | null,
    defaultFlag = "w",
  ): Promise<void> {
    if (path instanceof FileHandle) return path.writeFile(data, options);
    const [p, abs] = at(path);
    const opts = typeof options === "object" ? (options ?? {}) : {};
    const bytes = toBytes(data, encodingOf(options) as BufferEncoding | null | undefined);
    await withFile(p, abs, opts.flag, defaultFlag, modeArg(opts.mode, 0o666), (f) => f.write(bytes));
  }

  async function appendFile(
    path: PathLike | FileHandle,
    data: Data,
    options?: BufferEncoding | WriteFileOptions | null,
  ): Promise<void> {
    return writeFile(path, data, options, "a");
  }

  /** Returns the first directory created (in the caller's spelling) when `recursive`. */
  async function mkdir(
    path: PathLike,
    options?: number | string | MkdirOptions | null,
  ): Promise<string | undefined> {
    const [p, abs] = at(path);
    const opts = typeof options === "object" ? (options ?? {}) : { mode: options };
    const mode = modeArg(opts.mode, 0o777) & ~umask;
    const first = await call(() => vfs.mkdir(abs, { mode, recursive: !!opts.recursive }, cred), p);
    return first === undefined ? undefined : callerSpelling(ctx, p, first);
  }

  async function mkdtemp(prefix: string, options?: EncodingOptions): Promise<string> {
    if (typeof prefix !== "string") throw invalidArgType("prefix", "of type string", prefix);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (;;) {
      const path = prefix + [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join("");
      try {
        await call(() => vfs.mkdir(vmPath(ctx, path), { mode: 0o700 }, cred), path, undefined, "mkdtemp");
        return decode(Buffer.from(path), encodingOf(options) ?? "utf8") as string;
      } catch (err) {
        if (!isFsError(err, "EEXIST")) throw err;
      }
    }
  }

  async function readdir(
    path: PathLike,
    options?: BufferEncoding | (ReaddirOptions & { withFileTypes?: false }) | null,
  ): Promise<string[]>;
  async function readdir(
    path: PathLike,
    options: ReaddirOptions & { withFileTypes: true },
  ): Promise<Dirent[]>;
  async function readdir(
    path: PathLike,
    options?: BufferEncoding | ReaddirOptions | null,
  ): Promise<string[] | Dirent[]>;
  async function readdir(path: PathLike, options?: BufferEncoding | ReaddirOptions | null) {
    const [p, abs] = at(path);
    const opts = typeof options === "object" ? (options ?? {}) : {};
    const dirents: Dirent[] = [];
    const names: string[] = [];
    // Breadth-first like Node's recursive readdir: a directory's entries, then its subdirectories'.
    const queue: Array<[abs: string, shown: string, rel: string]> = [[abs, p, ""]];
    for (let dir = queue.shift(); dir; dir = queue.shift()) {
      const [dirAbs, shown, rel] = dir;
      const entries = await call(() => vfs.readdir(dirAbs, cred), shown, undefined, "scandir");
      for (const e of entries) {
        const name = rel ? `${rel}/${e.name}` : e.name;
        dirents.push(new Dirent(e.name, e.type, shown));
        names.push(name);
        if (opts.recursive && e.type === "directory") {
          queue.push([`${dirAbs}/${e.name}`, childPath(shown, e.name), name]);
        }
      }
    }
    if (opts.withFileTypes) return dirents;
    const encoding = encodingOf(options);
    return encoding && encoding !== "utf8" ? names.map((n) => decode(Buffer.from(n), encoding)) : names;
  }

  async function stat(path: PathLike): Promise<Stats> {
    const [p, abs] = at(path);
    return new Stats(await call(() => vfs.stat(abs, cred), p));
  }

  async function lstat(path: PathLike): Promise<Stats> {
    const [p, abs] = at(path);
    return new Stats(await call(() => vfs.lstat(abs, cred), p));
  }

  async function unlink(path: PathLike): Promise<void> {
    const [p, abs] = at(path);
    await call(() => vfs.unlink(abs, cred), p);
  }

  async function rmdir(path: PathLike): Promise<void> {
    const [p, abs] = at(path);
    await call(() => vfs.rmdir(abs, cred), p);
  }

  /** Remove `abs` and everything below it, never following symlinks. */
  async function removeTree(abs: string, shown: string): Promise<void> {
    const st = await call(() => vfs.lstat(abs, cred), shown);
    if (st.type !== "directory") return call(() => vfs.unlink(abs, cred), shown);
    for (const e of await call(() => vfs.readdir(abs, cred), shown)) {
      await removeTree(`${abs}/${e.name}`, childPath(shown, e.name));
    }
    await call(() => vfs.rmdir(abs, cred), shown);
  }

  async function rm(path: PathLike, options?: RmOptions): Promise<void> {
    const [p, abs] = at(path);
    let st: Stats;
    try {
      st = await lstat(p);
    } catch (err) {
      // `force` ignores only a missing path, as Node's does (ENOTDIR still fails).
      if (options?.force && isFsError(err, "ENOENT")) return;
      throw err;
    }
    if (!st.isDirectory()) return unlink(p);
    if (!options?.recursive) throw rmIsDirectory(p);
    await removeTree(abs, p);
  }

  async function rename(oldPath: PathLike, newPath: PathLike): Promise<void> {
    const [from, fromAbs] = at(oldPath, "oldPath");
    const [to, toAbs] = at(newPath, "newPath");
    await call(() => vfs.rename(fromAbs, toAbs, cred), from, to);
  }

  /** Like libuv's copyfile: the destination gets the source's permission bits. */
  async function copyFile(src: PathLike, dest: PathLike, mode = 0): Promise<void> {
    const [from, fromAbs] = at(src, "src");
    const [to, toAbs] = at(dest, "dest");
    await call(
      async () => {
        const st = await vfs.stat(fromAbs, cred);
        if (st.type === "directory") throw fsError("EISDIR", "copyfile");
        const exclusive = (mode & constants.COPYFILE_EXCL) !== 0;
        const existing = exclusive ? undefined : await vfs.stat(toAbs, cred).catch(() => undefined);
        if (existing && existing.ino === st.ino && existing.dev === st.dev) return;
        const data = await vfs.readFile(fromAbs, cred);
        const flags = { write: true, create: true, truncate: true, exclusive };
        const file = await vfs.open(toAbs, flags, st.mode & 0o7777, cred);
        try {
          await file.write(data);
        } finally {
          file.close();
        }
        await vfs.chmod(toAbs, st.mode & 0o7777, cred).catch((err) => {
          if (!isFsError(err, "EPERM")) throw err;
        });
      },
      from,
      to,
      "copyfile",
    );
  }

  async function link(existingPath: PathLike, newPath: PathLike): Promise<void> {
    const [from, fromAbs] = at(existingPath, "existingPath");
    const [to, toAbs] = at(newPath, "newPath");
    await call(() => vfs.link(fromAbs, toAbs, cred), from, to);
  }

  /** The target is stored as given (a relative target stays relative); `type` is for Windows. */
  async function symlink(target: PathLike, path: PathLike, _type?: string | null): Promise<void> {
    const t = pathArg(target, "target");
    const [p, abs] = at(path);
    await call(() => vfs.symlink(t, abs, cred), t, p);
  }

  async function readlink(path: PathLike, options?: EncodingOptions): Promise<string> {
    const [p, abs] = at(path);
    return decode(
      Buffer.from(await call(() => vfs.readlink(abs, cred), p)),
      encodingOf(options) ?? "utf8",
    ) as string;
  }

  async function realpath(path: PathLike, options?: EncodingOptions): Promise<string> {
    const [p, abs] = at(path);
    return decode(
      Buffer.from(await call(() => vfs.realpath(abs, cred), p)),
      encodingOf(options) ?? "utf8",
    ) as string;
  }

  async function chmod(path: PathLike, mode: number | string): Promise<void> {
    const [p, abs] = at(path);
    const m = modeArg(mode, Number.NaN);
    await call(() => vfs.chmod(abs, m, cred), p);
  }

  async function chown(path: PathLike, uid: number, gid: number, follow = true): Promise<void> {
    const [p, abs] = at(path);
    for (const [name, id] of [
      ["uid", uid],
      ["gid", gid],
    ] as const) {
      if (!Number.isInteger(id) || id < -1) throw invalidArgType(name, "of type number", id);
    }
    await call(() => vfs.chown(abs, uid, gid, cred, follow), p);
  }

  async function lchown(path: PathLike, uid: number, gid: number): Promise<void> {
    return chown(path, uid, gid, false);
  }

  async function utimes(path: PathLike, atime: Time, mtime: Time, follow = true): Promise<void> {
    const [p, abs] = at(path);
    const a = timeArg(atime, "atime");
    const m = timeArg(mtime, "mtime");
    await call(() => vfs.utimes(abs, a, m, cred, follow), p);
  }

  async function lutimes(path: PathLike, atime: Time, mtime: Time): Promise<void> {
    return utimes(path, atime, mtime, false);
  }

  async function access(path: PathLike, mode: number = constants.F_OK): Promise<void> {
    const [p, abs] = at(path);
    await call(() => vfs.access(abs, mode, cred), p);
  }

  async function truncate(path: PathLike, len = 0): Promise<void> {
    const [p, abs] = at(path);
    await call(() => vfs.truncate(abs, Math.max(0, len), cred), p);
  }

  async function open(
    path: PathLike,
    flags?: string | number | null,
    mode?: number | string | null,
  ): Promise<FileHandle> {
    const [p, abs] = at(path);
    const perm = modeArg(mode, 0o666) & ~umask;
    const file = await call(() => vfs.open(abs, openFlags(flags, "r"), perm, cred), p);
    return new FileHandle(ctx.fds, ctx.fds.add(file));
  }

  return {
    access,
    appendFile,
    chmod,
    chown,
    constants,
    copyFile,
    lchown,
    link,
    lstat,
    lutimes,
    mkdir,
    mkdtemp,
    open,
    readdir,
    readFile,
    readlink,
    realpath,
    rename,
    rm,
    rmdir,
    stat,
    symlink,
    truncate,
    unlink,
    utimes,
    writeFile: (
      path: PathLike | FileHandle,
      data: Data,
      options?: BufferEncoding | WriteFileOptions | null,
    ) => writeFile(path, data, options),
  };
}

export type NodeFsPromises = ReturnType<typeof createPromises>;
