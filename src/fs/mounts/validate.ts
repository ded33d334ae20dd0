/**
 * Argument checks shared by the built-in mount plugins. The VFS promises normalised absolute paths,
 * but a plugin re-checks them: a bug above must not turn into an escape below.
 */

import { Buffer } from "node:buffer";
import { fsError } from "../errors.ts";

/** Linux limits: a name of at most 255 bytes, a path (with its NUL) of at most 4096 bytes. */
export const NAME_MAX = 255;
export const PATH_MAX = 4096;

/**
 * Split a mount path (`/`, `/a/b`) into its names. Rejects what a normalised path cannot contain:
 * relative paths, NUL bytes, empty names (`//`, trailing `/`), `.` and `..` (EINVAL); over-long
 * names or paths (ENAMETOOLONG).
 */
export function splitMountPath(path: string, syscall: string): string[] {
  if (typeof path !== "string" || !path.startsWith("/") || path.includes("\0")) {
    throw fsError("EINVAL", syscall, String(path));
  }
  if (Buffer.byteLength(path) >= PATH_MAX) throw fsError("ENAMETOOLONG", syscall, path);
  if (path === "/") return [];
  const names = path.slice(1).split("/");
  for (const name of names) {
    if (name === "" || name === "." || name === "..") throw fsError("EINVAL", syscall, path);
    if (Buffer.byteLength(name) > NAME_MAX) throw fsError("ENAMETOOLONG", syscall, path);
  }
  return names;
}

/** A symlink's text: anything but NUL, not empty (POSIX symlink(2) answers ENOENT), under PATH_MAX. */
export function checkLinkTarget(target: string, syscall: string, path: string): void {
  if (typeof target !== "string" || target.includes("\0")) throw fsError("EINVAL", syscall, path);
  if (target === "") throw fsError("ENOENT", syscall, path);
  if (Buffer.byteLength(target) >= PATH_MAX) throw fsError("ENAMETOOLONG", syscall, path);
}

/** File offsets and sizes are non-negative safe integers. */
export function checkOffset(value: number, syscall: string, path: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw fsError("EINVAL", syscall, path);
}
