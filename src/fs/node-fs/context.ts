/** What every facade function shares: the VFS, who acts, where relative paths start; and argument parsing. */

import { posix } from "node:path";
import { normalizePath } from "../path.ts";
import type { Credentials, OpenFile, Vfs } from "../vfs.ts";
import { invalidArgType, invalidArgValue, NodeFsError } from "./errors.ts";

export type PathLike = string | Uint8Array | URL;

/** Open file descriptions by fd number, for the callback API's `open`/`read`/`close` and `FileHandle.fd`. */
export class FdTable {
  private readonly files = new Map<number, OpenFile>();
  private next = 3;

  add(file: OpenFile): number {
    const fd = this.next++;
    this.files.set(fd, file);
    return fd;
  }

  get(fd: unknown, syscall: string): OpenFile {
    const file = typeof fd === "number" ? this.files.get(fd) : undefined;
    if (!file) throw new NodeFsError("EBADF", { syscall });
    return file;
  }

  close(fd: number): void {
    this.get(fd, "close").close();
    this.files.delete(fd);
  }
}

export interface NodeFsContext {
  readonly vfs: Vfs;
  /** Absolute VM directory that relative paths resolve against. */
  readonly cwd: string;
  readonly cred: Credentials | undefined;
  /** Cleared from the mode of every file and directory created, like a process umask. */
  readonly umask: number;
  readonly fds: FdTable;
}

/** The caller's path as a string (what errors show), validated like Node's `getValidatedPath`. */
export function pathArg(value: unknown, name = "path"): string {
  let path: string;
  if (typeof value === "string") path = value;
  else if (value instanceof Uint8Array) path = Buffer.from(value).toString("utf8");
  else if (value instanceof URL) {
    if (value.protocol !== "file:") {
      throw Object.assign(new TypeError("The URL must be of scheme file"), {
        code: "ERR_INVALID_URL_SCHEME",
      });
    }
    path = decodeURIComponent(value.pathname);
  } else {
    throw invalidArgType(name, "of type string or an instance of Buffer or URL", value);
  }
  if (path.includes("\0")) {
    throw invalidArgValue(name, path, "must be a string, Uint8Array, or URL without null bytes");
  }
  return path;
}

/**
 * The absolute VM path for a caller's path. Only `cwd` is prefixed: `..` and symlinks are left for
 * the VFS to resolve component by component, as the kernel would for a relative path.
 */
export function vmPath(ctx: NodeFsContext, path: string): string {
  if (path === "" || path.startsWith("/")) return path;
  return ctx.cwd === "/" ? `/${path}` : `${ctx.cwd}/${path}`;
}

/**
 * The caller's spelling of `abs`, an ancestor-or-self of `path` (what `mkdir -p` reports). Node
 * walks up the given string with `dirname` and reports the shortest spelling that it created, so
 * `./a/./b` yields `./a`, not `a` or `./a/.`.
 */
export function callerSpelling(ctx: NodeFsContext, path: string, abs: string): string {
  let match: string | undefined;
  for (let p = path.replace(/(.)\/+$/, "$1"); ; p = p.slice(0, p.lastIndexOf("/"))) {
    if (normalizePath(vmPath(ctx, p)) === abs) match = p;
    else if (match !== undefined) break;
    if (p.lastIndexOf("/") <= 0) break;
  }
  return match ?? abs;
}

/** The caller's spelling of a child path: Node builds it with `path.join`, which normalises. */
export function childPath(parent: string, name: string): string {
  return posix.join(parent, name);
}

/** Bytes to write: strings in `encoding` (utf8 by default), any ArrayBufferView as is. */
export function toBytes(data: unknown, encoding?: BufferEncoding | null, name = "data"): Uint8Array {
  if (typeof data === "string") return Buffer.from(data, encoding ?? "utf8");
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw invalidArgType(name, "of type string or an instance of Buffer, TypedArray, or DataView", data);
}

/** A read result as Node returns it: a `Buffer`, or a string when an encoding is given. */
export function decode(
  bytes: Uint8Array,
  encoding: BufferEncoding | "buffer" | null | undefined,
): Buffer | string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding && encoding !== "buffer" ? buf.toString(encoding) : buf;
}

/** `encoding` from Node's `options` argument, which may be the encoding itself. */
export function encodingOf(options: unknown): BufferEncoding | "buffer" | null | undefined {
  if (typeof options === "string") return options as BufferEncoding;
  if (options && typeof options === "object" && "encoding" in options) {
    return (options as { encoding?: BufferEncoding | null }).encoding;
  }
  return undefined;
}

/** A file mode: a number or an octal string (Node's `parseFileMode`). */
export function modeArg(value: unknown, fallback: number, name = "mode"): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "string" && /^[0-7]+$/.test(value)) return Number.parseInt(value, 8);
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
  throw invalidArgValue(name, value, "must be a 32-bit unsigned integer or an octal string");
}

/** A time in ms from Node's seconds-number, numeric string or `Date` (`toUnixTimestamp`). */
export function timeArg(value: unknown, name: string): number {
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return Number(value) * 1000;
  }
  if (typeof value === "number" && Number.isFinite(value)) return value < 0 ? Date.now() : value * 1000;
  if (value instanceof Date) return value.getTime();
  throw invalidArgType(name, "of type number, string or an instance of Date", value);
}
