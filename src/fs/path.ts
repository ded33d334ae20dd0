/** POSIX path helpers for VM paths (always `/`-separated, never touching the host). */

export const NAME_MAX = 255;
export const PATH_MAX = 4096;
/** Linux's MAXSYMLINKS: symlinks followed in one resolution before ELOOP. */
export const MAX_SYMLINKS = 40;

/** Normalise an absolute path lexically: collapse `//`, `.` and `..` (no symlink awareness). */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

export function joinPath(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

/** Resolve `path` against `cwd` (both VM paths) and normalise lexically. */
export function resolvePath(cwd: string, path: string): string {
  return normalizePath(path.startsWith("/") ? path : `${cwd}/${path}`);
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  if (i <= 0) return "/";
  return path.slice(0, i);
}

export function basename(path: string): string {
  const i = path.lastIndexOf("/");
  return path.slice(i + 1);
}

/** True when `path` equals `ancestor` or lies below it (both normalised). */
export function isWithin(path: string, ancestor: string): boolean {
  if (ancestor === "/") return true;
  return path === ancestor || path.startsWith(`${ancestor}/`);
}
