/** Helpers shared by the syscall families: argument decoding, paths, stat encoding. */

import { joinPath, normalizePath, type VfsStat } from "../../fs/index.ts";
import { AT_FDCWD, AT_ROOT, Errno } from "../abi.ts";
import type { SyscallArg } from "../channel/index.ts";
import { FileDescription, filetypeOf } from "../descriptions.ts";
import { kerr } from "../errors.ts";
import type { Kernel } from "../kernel.ts";
import type { Process } from "../process.ts";

export type Handler = (
  k: Kernel,
  p: Process,
  args: SyscallArg[],
) => SyscallArg[] | undefined | void | Promise<SyscallArg[] | undefined | void>;

export function num(args: SyscallArg[], i: number): number {
  const v = args[i];
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  throw kerr(Errno.INVAL, `argument ${i} must be a number`);
}

export function str(args: SyscallArg[], i: number): string {
  const v = args[i];
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  throw kerr(Errno.INVAL, `argument ${i} must be a string`);
}

export function bytes(args: SyscallArg[], i: number): Uint8Array {
  const v = args[i];
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") return Buffer.from(v, "utf8");
  throw kerr(Errno.INVAL, `argument ${i} must be bytes`);
}

/** Split NUL-separated strings (trailing NUL optional). */
export function splitNul(b: Uint8Array): string[] {
  if (b.length === 0) return [];
  const s = Buffer.from(b).toString("utf8");
  const parts = s.split("\0");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** The absolute path a (dirfd, path) pair names, resolved lexically except for symlinks (left to the VFS). */
export function absPath(p: Process, dirfd: number, path: string): string {
  if (path.includes("\0")) throw kerr(Errno.INVAL, "path contains NUL");
  if (path.startsWith("/")) return keepTrailingSlash(path, path);
  let base: string;
  if (dirfd === AT_FDCWD) base = p.cwd;
  else if (dirfd === AT_ROOT) base = "/";
  else {
    const desc = p.fds.desc(dirfd);
    if (!(desc instanceof FileDescription) || desc.file.type !== "directory") throw kerr(Errno.NOTDIR);
    base = desc.path;
  }
  if (path === "" || path === ".") return base;
  return keepTrailingSlash(path, joinPath(base, path));
}

function keepTrailingSlash(original: string, joined: string): string {
  // `..` must reach the VFS unnormalised when it follows a symlink, so only `//` and `/./` collapse.
  const collapsed = joined
    .replace(/\/+/g, "/")
    .replace(/\/(\.\/)+/g, "/")
    .replace(/\/\.$/, "");
  const trailing = original.length > 1 && original.endsWith("/") && !collapsed.endsWith("/") ? "/" : "";
  return (collapsed || "/") + trailing;
}

export function lexical(path: string): string {
  return normalizePath(path);
}

export function encodeStat(st: VfsStat): SyscallArg[] {
  return [
    filetypeOf(st.type),
    st.mode,
    st.ino,
    st.nlink,
    st.size,
    st.atimeMs,
    st.mtimeMs,
    st.ctimeMs,
    st.uid,
    st.gid,
    st.rdev,
    st.dev,
  ];
}

/** `/dev/stdin`, `/dev/fd/N`, `/proc/self/fd/N` name an fd of the caller: its number, or -1. */
export function selfFdPath(path: string): number {
  const m = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(path);
  if (m) return Number(m[1]);
  switch (path) {
    case "/dev/stdin":
      return 0;
    case "/dev/stdout":
      return 1;
    case "/dev/stderr":
      return 2;
    default:
      return -1;
  }
}
