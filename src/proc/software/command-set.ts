/**
 * The host-wide set of WASM commands: the pinned npm packages resolved from node_modules, plus any
 * user-supplied software, as one record per command name. Identical binaries are stored once (by
 * SHA-256) and compiled at most once per host process.
 */

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, posix } from "node:path";
import { type AospkgFile, readAospkg } from "./aospkg.ts";
import { readExports, readImports, WasmFormatError, type WasmImport } from "./wasm-imports.ts";

/**
 * Which host ABI a module was built against, decided from its imports (see {@link detectAbi}):
 * - `"v3"`: the 0.3.x toolchain (`@agentos-software/*`): hidden preopens at `0x40000000 | 3`,
 *   `host_net` socket probe on every read/write, `path_mode(dirfd, path, len, follow)`,
 *   `proc_spawn_v3` / `proc_waitpid_v2`.
 * - `"legacy"`: the 0.0.x toolchain (`@rivet-dev/agent-os-*`): preopens from fd 3,
 *   `path_mode(path, len, follow)`, `proc_spawn` / `proc_waitpid`.
 * - `"wasi-only"`: imports nothing but `wasi_snapshot_preview1`.
 */
export type CommandAbi = "v3" | "legacy" | "wasi-only";

export interface CommandRecord {
  /** The command name, as typed and as `argv[0]`. */
  readonly name: string;
  /** SHA-256 of the module bytes, lowercase hex; the key for {@link getModule}. */
  readonly hash: string;
  /**
   * The module bytes. Records with the same hash share one buffer, which is the buffer's own
   * ArrayBuffer (not a view into a package), so it can be posted to a worker without dragging the
   * package along. Shared between VMs: never mutate.
   */
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly abi: CommandAbi;
  /** Where it came from: `npm-name@version` for pinned packages, `name@version` for `.aospkg`s. */
  readonly package: string;
  /** A placeholder binary that only prints "not supported" (see {@link STUB_COMMANDS}). */
  readonly stub: boolean;
}

/** Command name → record. */
export type CommandSet = ReadonlyMap<string, CommandRecord>;

/** User-added software, in the forms a `software` option accepts. */
export type CommandSource =
  | { readonly kind: "aospkg"; readonly bytes: Uint8Array }
  | { readonly kind: "wasm"; readonly name: string; readonly bytes: Uint8Array; readonly package?: string };

/** Pinned packages that ship `dist/package.aospkg`. */
export const AOSPKG_PACKAGES = [
  "@agentos-software/coreutils",
  "@agentos-software/sed",
  "@agentos-software/gawk",
  "@agentos-software/findutils",
  "@agentos-software/diffutils",
  "@agentos-software/gzip",
  "@agentos-software/tar",
] as const;

/**
 * Pinned packages of the older generation: their `dist/index.js` lists `commands` (aliases
 * included) and a `commandDir` of `../wasm`, where each command is a plain module file named after it.
 */
export const WASM_DIR_PACKAGES = [
  "@rivet-dev/agent-os-grep",
  "@rivet-dev/agent-os-jq",
  "@rivet-dev/agent-os-ripgrep",
  "@rivet-dev/agent-os-fd",
  "@rivet-dev/agent-os-tree",
  "@rivet-dev/agent-os-yq",
] as const;

/**
 * coreutils entries that are one shared placeholder printing "command not supported in sandbox"
 * (or a per-command reason). They stay real commands, marked `stub`: a command that exists and says
 * why it cannot work beats "command not found". A hash is a stub hash when at least two of these
 * names share it, so a future real `install` with its own binary is not mistaken for one.
 */
export const STUB_COMMANDS: readonly string[] = [
  "chcon",
  "chroot",
  "groups",
  "hostid",
  "install",
  "pinky",
  "runcon",
  "stty",
  "sync",
  "tty",
  "uptime",
  "users",
  "who",
];

/** Interned modules by hash: the dedup store and what {@link getModule} compiles from. */
const modulesByHash = new Map<string, { bytes: Uint8Array<ArrayBuffer>; abi: CommandAbi }>();
const compiled = new Map<string, WebAssembly.Module>();
let baseSet: CommandSet | undefined;

/** The pinned command set, read from node_modules once per host process. */
export function loadCommandSet(): CommandSet {
  baseSet ??= freezeSet(markStubs(readPinnedPackages()));
  return baseSet;
}

/**
 * The compiled module for a hash from {@link loadCommandSet} or {@link commandsFromSoftware}.
 * Compiled on first use and cached for the life of the process; a `WebAssembly.Module` can be
 * posted to workers, so one compilation serves every VM and worker.
 */
export function getModule(hash: string): WebAssembly.Module {
  let module = compiled.get(hash);
  if (module === undefined) {
    const known = modulesByHash.get(hash);
    if (known === undefined) throw new Error(`no command module with hash ${hash} has been loaded`);
    module = new WebAssembly.Module(known.bytes);
    compiled.set(hash, module);
  }
  return module;
}

/**
 * Command records for user-supplied software: `.aospkg` packages (every command in the manifest)
 * or single `.wasm` commands. A later source's command replaces an earlier one of the same name,
 * as a `software` list layered over the base set would. Throws `EAOSPKG` for a malformed package
 * and `ENOEXEC` for a command that is not a WASI command module.
 */
export function commandsFromSoftware(list: readonly CommandSource[]): Map<string, CommandRecord> {
  const records = new Map<string, CommandRecord>();
  for (const source of list) {
    if (source.kind === "wasm") {
      records.set(source.name, makeRecord(source.name, source.bytes, source.package ?? source.name));
      continue;
    }
    const pkg = readAospkg(source.bytes);
    const files = new Map(pkg.files.map((f) => [f.path, f]));
    for (const { command, path } of pkg.commands) {
      const file = resolveInPackage(files, `/${path}`);
      if (file === undefined) {
        throw new WasmFormatError(`command '${command}' of ${pkg.name}: ${path} does not lead to a file`);
      }
      records.set(command, makeRecord(command, file.data(), `${pkg.name}@${pkg.version}`));
    }
  }
  return freezeSet(markStubs(records));
}

/**
 * The ABI rule, from the module's `wasi_snapshot_preview1` and `host_*` imports (other import
 * modules are no part of either ABI and are left for instantiation to report):
 * 1. no `host_*` import → `"wasi-only"`;
 * 2. any v3 marker → `"v3"`: a `host_net` import (the 0.3.x libc probes `net_recv`/`net_send`
 *    on every read and write, so every binary of that generation has one), a `_v2`/`_v3` process
 *    call, or a 4-parameter `host_fs.path_mode`;
 * 3. otherwise → `"legacy"`: the 0.0.x binaries import only `host_fs.path_mode` with 3
 *    parameters, `host_fs.fd_mode`, or the unversioned `proc_spawn`/`proc_waitpid`.
 * A module with both a v3 marker and a legacy-only marker (3-parameter `path_mode`, unversioned
 * spawn/wait) cannot be served by either import set and is rejected with `ENOEXEC`.
 */
export function detectAbi(imports: readonly WasmImport[]): CommandAbi {
  const host = imports.filter((i) => i.module.startsWith("host_"));
  if (host.length === 0) return "wasi-only";
  const isV3 = (i: WasmImport) =>
    i.module === "host_net" ||
    /_v[23]$/.test(i.name) ||
    (i.module === "host_fs" && i.name === "path_mode" && i.params.length === 4);
  const isLegacyOnly = (i: WasmImport) =>
    (i.module === "host_fs" && i.name === "path_mode" && i.params.length === 3) ||
    (i.module === "host_process" && (i.name === "proc_spawn" || i.name === "proc_waitpid"));
  const v3 = host.find(isV3);
  const legacy = host.find(isLegacyOnly);
  if (v3 && legacy) {
    throw new WasmFormatError(
      `imports both ${v3.module}.${v3.name} (v3) and ${legacy.module}.${legacy.name} (legacy): mixed host ABIs`,
    );
  }
  return v3 ? "v3" : "legacy";
}

/** Follows symlinks inside the package (at most 8 hops) to a regular file. */
function resolveInPackage(files: ReadonlyMap<string, AospkgFile>, path: string): AospkgFile | undefined {
  for (let hops = 0; hops <= 8; hops++) {
    const file = files.get(posix.normalize(path));
    if (file?.kind !== "symlink") return file?.kind === "file" ? file : undefined;
    path = file.link!.startsWith("/") ? file.link! : `${posix.dirname(file.path)}/${file.link}`;
  }
  return undefined;
}

function makeRecord(name: string, bytes: Uint8Array, pkg: string): CommandRecord {
  if (name === "" || name.includes("/") || name === "." || name === "..") {
    throw new WasmFormatError(`'${name}' is not a valid command name`);
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  let known = modulesByHash.get(hash);
  if (known === undefined) {
    const abi = inspectCommandModule(name, bytes);
    // Copy out of the package buffer into one exact ArrayBuffer per distinct module. (Not
    // `bytes.slice()`: on a Node Buffer that returns a view, not a copy.)
    known = { bytes: new Uint8Array(bytes), abi };
    modulesByHash.set(hash, known);
  }
  return { name, hash, bytes: known.bytes, abi: known.abi, package: pkg, stub: false };
}

/**
 * Checks that `bytes` is a WASI command module, which must export `_start` and its `memory`
 * (WASI preview1, "command" modules), and returns its ABI. Errors name the command.
 */
function inspectCommandModule(name: string, bytes: Uint8Array): CommandAbi {
  try {
    const exports = readExports(bytes);
    const has = (n: string, kind: string) => exports.some((e) => e.name === n && e.kind === kind);
    if (!has("_start", "func")) throw new WasmFormatError("does not export a _start function");
    if (!has("memory", "memory")) throw new WasmFormatError("does not export its memory");
    return detectAbi(readImports(bytes));
  } catch (e) {
    if (e instanceof WasmFormatError) throw new WasmFormatError(`command '${name}': ${e.detail}`);
    throw e;
  }
}

function markStubs(records: Map<string, CommandRecord>): Map<string, CommandRecord> {
  const namesByHash = new Map<string, number>();
  for (const name of STUB_COMMANDS) {
    const hash = records.get(name)?.hash;
    if (hash !== undefined) namesByHash.set(hash, (namesByHash.get(hash) ?? 0) + 1);
  }
  for (const [name, record] of records) {
    if ((namesByHash.get(record.hash) ?? 0) >= 2) records.set(name, { ...record, stub: true });
  }
  return records;
}

function freezeSet<T extends Map<string, CommandRecord>>(records: T): T {
  for (const record of records.values()) Object.freeze(record);
  return records;
}

function readPinnedPackages(): Map<string, CommandRecord> {
  const records = new Map<string, CommandRecord>();
  const add = (record: CommandRecord) => {
    const existing = records.get(record.name);
    if (existing) {
      throw new Error(
        `command '${record.name}' is provided by both ${existing.package} and ${record.package}`,
      );
    }
    records.set(record.name, record);
  };
  for (const npmName of AOSPKG_PACKAGES) {
    const { root, spec } = locatePackage(npmName);
    const bytes = readFileSync(join(root, "dist", "package.aospkg"));
    for (const record of commandsFromSoftware([{ kind: "aospkg", bytes }]).values()) {
      add({ ...record, package: spec });
    }
  }
  for (const npmName of WASM_DIR_PACKAGES) {
    const { root, spec } = locatePackage(npmName);
    const dir = join(root, "wasm");
    for (const file of readdirSync(dir).sort()) {
      add(makeRecord(file, readFileSync(join(dir, file)), spec));
    }
  }
  return records;
}

/**
 * The installed package's root and `name@version`. The packages' `exports` map exposes only an
 * `import` entry (not `package.json`), so `require.resolve("<pkg>/package.json")` fails with
 * ERR_PACKAGE_PATH_NOT_EXPORTED; walk Node's own lookup paths for the directory instead.
 */
function locatePackage(npmName: string): { root: string; spec: string } {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths(npmName) ?? []) {
    const root = join(dir, npmName);
    const manifestPath = join(root, "package.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { name?: string; version?: string };
    if (manifest.name !== npmName) continue;
    return { root, spec: `${npmName}@${manifest.version}` };
  }
  throw new Error(`command package ${npmName} is not installed (it is a dependency of agentos-vm)`);
}
