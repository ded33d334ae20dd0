/**
 * Node's module resolution (CommonJS `require` and ESM `import`), on the VM's files through the
 * kernel: relative and absolute paths, `node_modules` walk-up, `package.json` `main`, `exports`
 * (strings, condition objects, subpath maps and `*` patterns) and `imports` (`#name`), built-in
 * modules with and without the `node:` prefix. Runs in the worker (erasable TypeScript only).
 */

export interface ResolverFs {
  /** "file", "dir" or null (missing or unreadable). Follows symlinks. */
  kind(path: string): "file" | "dir" | null;
  /** File contents as text, or null. */
  readText(path: string): string | null;
}

export type ResolveMode = "require" | "import";

export class ResolveError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

export const BUILTIN_MODULES: readonly string[] = [
  "assert",
  "assert/strict",
  "async_hooks",
  "buffer",
  "child_process",
  "console",
  "constants",
  "crypto",
  "dns",
  "events",
  "fs",
  "fs/promises",
  "http",
  "https",
  "module",
  "net",
  "os",
  "path",
  "path/posix",
  "perf_hooks",
  "process",
  "querystring",
  "readline",
  "readline/promises",
  "repl",
  "stream",
  "stream/promises",
  "string_decoder",
  "timers",
  "timers/promises",
  "tty",
  "url",
  "util",
  "util/types",
  "v8",
  "vm",
  "worker_threads",
  "zlib",
];
const BUILTINS = new Set(BUILTIN_MODULES);

export function isBuiltin(name: string): boolean {
  return BUILTINS.has(name.startsWith("node:") ? name.slice(5) : name);
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** Joins and normalises POSIX paths (`base` absolute). */
export function joinPath(base: string, rel: string): string {
  const parts = (rel.startsWith("/") ? rel : `${base}/${rel}`).split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

interface PackageJson {
  name?: string;
  main?: string;
  type?: string;
  exports?: unknown;
  imports?: unknown;
}

const EXTENSIONS = [".js", ".json", ".cjs", ".mjs"];

export class Resolver {
  private readonly fs: ResolverFs;
  private readonly packages = new Map<string, PackageJson | null>();

  constructor(fs: ResolverFs) {
    this.fs = fs;
  }

  /** The parsed package.json in `dir`, or null. Cached for the life of the process, as Node does. */
  packageJson(dir: string): PackageJson | null {
    const path = dir === "/" ? "/package.json" : `${dir}/package.json`;
    if (this.packages.has(path)) return this.packages.get(path)!;
    const text = this.fs.readText(path);
    let pkg: PackageJson | null = null;
    if (text !== null) {
      try {
        const parsed = JSON.parse(text) as unknown;
        pkg = parsed && typeof parsed === "object" ? (parsed as PackageJson) : {};
      } catch {
        pkg = {};
      }
    }
    this.packages.set(path, pkg);
    return pkg;
  }

  /** The nearest package.json scope of a file: its directory and contents. */
  packageScope(file: string): { dir: string; pkg: PackageJson } | null {
    let dir = dirname(file);
    for (;;) {
      if (dir.endsWith("/node_modules")) return null;
      const pkg = this.packageJson(dir);
      if (pkg) return { dir, pkg };
      if (dir === "/") return null;
      dir = dirname(dir);
    }
  }

  /** "module" or "commonjs" for a file, by extension and the nearest package.json "type". */
  format(file: string): "module" | "commonjs" | "json" {
    if (file.endsWith(".mjs")) return "module";
    if (file.endsWith(".cjs")) return "commonjs";
    if (file.endsWith(".json")) return "json";
    return this.packageScope(file)?.pkg.type === "module" ? "module" : "commonjs";
  }

  /**
   * Resolve `request` made from the file `parent` (an absolute path; a directory path ending in "/"
   * for the entry point or `-e`). Returns an absolute path or "node:<name>".
   */
  resolve(request: string, parent: string, mode: ResolveMode): string {
    if (request.startsWith("node:")) {
      if (isBuiltin(request)) return request;
      throw new ResolveError(`No such built-in module: ${request}`, "ERR_UNKNOWN_BUILTIN_MODULE");
    }
    if (request.startsWith("file://")) request = decodeURIComponent(request.slice(7));
    const base = parent.endsWith("/") ? parent.replace(/\/+$/, "") || "/" : dirname(parent);
    const isPath =
      request.startsWith("./") ||
      request.startsWith("../") ||
      request.startsWith("/") ||
      request === "." ||
      request === "..";
    if (!isPath && BUILTINS.has(request)) return `node:${request}`;
    let found: string | null = null;
    if (isPath) {
      const abs = joinPath(base, request);
      found = this.loadFile(abs, mode) ?? this.loadDirectory(abs, mode);
    } else if (request.startsWith("#")) {
      found = this.resolveImports(request, parent, mode);
    } else {
      found = this.resolvePackage(request, base, mode);
    }
    if (found) return found;
    if (mode === "require") {
      const from = parent.endsWith("/") ? `${base}/[eval]` : parent;
      throw new ResolveError(
        `Cannot find module '${request}'\nRequire stack:\n- ${from}`,
        "MODULE_NOT_FOUND",
      );
    }
    const from = parent.endsWith("/") ? `${base}/` : parent;
    if (isPath)
      throw new ResolveError(
        `Cannot find module '${joinPath(base, request)}' imported from ${from}`,
        "ERR_MODULE_NOT_FOUND",
      );
    const name = packageName(request);
    throw new ResolveError(`Cannot find package '${name}' imported from ${from}`, "ERR_MODULE_NOT_FOUND");
  }

  private loadFile(path: string, mode: ResolveMode): string | null {
    if (this.fs.kind(path) === "file") return path;
    if (mode === "import" && path.endsWith(".js")) return null;
    for (const ext of EXTENSIONS) if (this.fs.kind(path + ext) === "file") return path + ext;
    return null;
  }

  private loadDirectory(dir: string, mode: ResolveMode): string | null {
    if (this.fs.kind(dir) !== "dir") return null;
    const pkg = this.packageJson(dir);
    if (pkg && typeof pkg.main === "string" && pkg.main) {
      const main = joinPath(dir, pkg.main);
      const hit = this.loadFile(main, mode) ?? this.loadIndex(main);
      if (hit) return hit;
    }
    return this.loadIndex(dir);
  }

  private loadIndex(dir: string): string | null {
    for (const ext of EXTENSIONS) {
      const p = `${dir}/index${ext}`;
      if (this.fs.kind(p) === "file") return p;
    }
    return null;
  }

  private conditions(mode: ResolveMode): string[] {
    return [mode, "node", "default"];
  }

  private resolvePackage(request: string, base: string, mode: ResolveMode): string | null {
    const name = packageName(request);
    const subpath = `.${request.slice(name.length)}`;
    // Self-reference by the package's own name.
    const scope = this.packageScope(`${base}/x`);
    if (scope && scope.pkg.name === name && scope.pkg.exports !== undefined) {
      const hit = this.resolveExports(scope.dir, scope.pkg.exports, subpath, mode);
      if (hit) return hit;
    }
    let dir = base;
    for (;;) {
      if (!dir.endsWith("/node_modules")) {
        const pkgDir = `${dir === "/" ? "" : dir}/node_modules/${name}`;
        if (this.fs.kind(pkgDir) === "dir") {
          const pkg = this.packageJson(pkgDir);
          if (pkg && pkg.exports !== undefined && pkg.exports !== null) {
            const hit = this.resolveExports(pkgDir, pkg.exports, subpath, mode);
            if (hit) return hit;
            throw new ResolveError(
              `Package subpath '${subpath}' is not defined by "exports" in ${pkgDir}/package.json`,
              "ERR_PACKAGE_PATH_NOT_EXPORTED",
            );
          }
          const abs = joinPath(pkgDir, subpath);
          const hit =
            subpath === "."
              ? this.loadDirectory(abs, "require")
              : (this.loadFile(abs, "require") ?? this.loadDirectory(abs, "require"));
          if (hit) return hit;
        }
      }
      if (dir === "/") return null;
      dir = dirname(dir);
    }
  }

  private resolveImports(request: string, parent: string, mode: ResolveMode): string | null {
    const scope = this.packageScope(parent.endsWith("/") ? `${parent}x` : parent);
    if (!scope?.pkg.imports || typeof scope.pkg.imports !== "object") return null;
    const target = matchSubpath(scope.pkg.imports as Record<string, unknown>, request);
    if (!target) return null;
    const resolved = this.resolveTarget(scope.dir, target.target, target.star, mode);
    if (resolved && !resolved.startsWith("/") && !resolved.startsWith("./")) {
      return this.resolve(resolved, `${scope.dir}/`, mode);
    }
    return resolved;
  }

  private resolveExports(
    pkgDir: string,
    exports: unknown,
    subpath: string,
    mode: ResolveMode,
  ): string | null {
    let map: Record<string, unknown>;
    if (typeof exports === "string" || Array.isArray(exports)) map = { ".": exports };
    else if (exports && typeof exports === "object") {
      const keys = Object.keys(exports);
      map =
        keys.length > 0 && keys.every((k) => !k.startsWith("."))
          ? { ".": exports }
          : (exports as Record<string, unknown>);
    } else return null;
    const match = matchSubpath(map, subpath);
    if (!match) return null;
    return this.resolveTarget(pkgDir, match.target, match.star, mode);
  }

  private resolveTarget(
    pkgDir: string,
    target: unknown,
    star: string | null,
    mode: ResolveMode,
  ): string | null {
    if (typeof target === "string") {
      const t = star === null ? target : target.split("*").join(star);
      if (!t.startsWith("./")) return t.startsWith("/") ? null : t;
      const abs = joinPath(pkgDir, t);
      return this.fs.kind(abs) === "file" ? abs : null;
    }
    if (Array.isArray(target)) {
      for (const t of target) {
        const hit = this.resolveTarget(pkgDir, t, star, mode);
        if (hit) return hit;
      }
      return null;
    }
    if (target && typeof target === "object") {
      const conds = this.conditions(mode);
      for (const [key, value] of Object.entries(target)) {
        if (conds.includes(key)) {
          const hit = this.resolveTarget(pkgDir, value, star, mode);
          if (hit) return hit;
        }
      }
    }
    return null;
  }
}

function packageName(request: string): string {
  const parts = request.split("/");
  return request.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function matchSubpath(
  map: Record<string, unknown>,
  subpath: string,
): { target: unknown; star: string | null } | null {
  if (Object.hasOwn(map, subpath) && !subpath.includes("*")) return { target: map[subpath], star: null };
  let best: { target: unknown; star: string | null; prefix: number } | null = null;
  for (const key of Object.keys(map)) {
    const i = key.indexOf("*");
    if (i < 0) {
      // Legacy folder mappings ("./dir/").
      if (key.endsWith("/") && subpath.startsWith(key)) {
        const target = map[key];
        if (typeof target === "string") return { target: target + subpath.slice(key.length), star: null };
      }
      continue;
    }
    const prefix = key.slice(0, i);
    const suffix = key.slice(i + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      if (!best || prefix.length > best.prefix) {
        best = {
          target: map[key],
          star: subpath.slice(prefix.length, subpath.length - suffix.length),
          prefix: prefix.length,
        };
      }
    }
  }
  return best ? { target: best.target, star: best.star } : null;
}
