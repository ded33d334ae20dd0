/**
 * What an executable file runs: a command from the command set (`/bin` entries of the base image
 * are small marker files), a host command (a JS function), a user WASM binary, or a script with a
 * `#!` interpreter line. Resolution follows execve(2): PATH search for bare names, execute
 * permission, ENOEXEC for unknown formats (the kernel then runs the file with /bin/sh, as POSIX
 * shells do), and a bounded chain of interpreters.
 */

import { createHash } from "node:crypto";
import { type Credentials, FsError, resolvePath, type Vfs } from "../fs/index.ts";
import { type CommandAbi, type CommandRecord, detectAbi, readImports } from "../proc/software/index.ts";
import { Errno } from "./abi.ts";
import { KernelError, kerr } from "./errors.ts";

/** A command implemented by a host JavaScript function (bindings, `node`, user tools). */
export type HostCommand = (ctx: HostCommandContext) => number | Promise<number>;

export interface HostStream {
  write(data: string | Uint8Array): Promise<void>;
}

export interface HostCommandContext {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  pid: number;
  /** Read up to `max` bytes from stdin; empty = end of input. */
  read(max?: number): Promise<Uint8Array>;
  /** All of stdin, until end of input. */
  readAll(): Promise<Uint8Array>;
  stdout: HostStream;
  stderr: HostStream;
  /** Aborted when the process is killed. */
  signal: AbortSignal;
}

export type Program =
  | { kind: "wasm"; name: string; hash: string; bytes: Uint8Array; abi: CommandAbi; argv: string[] }
  | { kind: "host"; name: string; fn: HostCommand; argv: string[] }
  /** A JavaScript program shipped with agentos-vm (src/proc/builtins), run in a pooled worker. */
  | { kind: "builtin"; name: string; argv: string[] };

export interface ProgramSources {
  commands: ReadonlyMap<string, CommandRecord>;
  hostCommands: ReadonlyMap<string, HostCommand>;
}

export const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
const MAX_INTERPRETERS = 4;
const MARKER = "#!agentos ";
const HOST_MARKER = "#!agentos-host ";
const BUILTIN_MARKER = "#!agentos-builtin ";

/** Marker file content placing a builtin program (src/proc/builtins) at a path. */
export function builtinMarker(name: string): string {
  return `${BUILTIN_MARKER}${name}\n`;
}

/** Marker file content placing a command-set command at a path. */
export function commandMarker(name: string): string {
  return `${MARKER}${name}\n`;
}

export function hostCommandMarker(name: string): string {
  return `${HOST_MARKER}${name}\n`;
}

const userModules = new Map<string, { bytes: Uint8Array; abi: CommandAbi }>();

/** Find `file` the way execvp does: a name with a slash is a path; otherwise search PATH. */
export async function findExecutable(
  vfs: Vfs,
  file: string,
  pathVar: string | undefined,
  cwd: string,
  cred: Credentials,
): Promise<string> {
  if (file === "") throw kerr(Errno.NOENT, "empty command name");
  if (file.includes("/")) {
    const abs = resolvePath(cwd, file);
    await checkExecutable(vfs, abs, cred);
    return abs;
  }
  let denied = false;
  for (const dir of (pathVar ?? DEFAULT_PATH).split(":")) {
    const abs = resolvePath(cwd, `${dir || "."}/${file}`);
    try {
      await checkExecutable(vfs, abs, cred);
      return abs;
    } catch (err) {
      if (err instanceof KernelError && err.errno === Errno.ACCES) denied = true;
    }
  }
  throw kerr(denied ? Errno.ACCES : Errno.NOENT, `${file}: command not found`);
}

async function checkExecutable(vfs: Vfs, abs: string, cred: Credentials): Promise<void> {
  let st: Awaited<ReturnType<Vfs["stat"]>>;
  try {
    st = await vfs.stat(abs, cred);
  } catch (err) {
    if (err instanceof FsError) {
      throw kerr(err.code === "EACCES" ? Errno.ACCES : Errno.NOENT, err.message);
    }
    throw err;
  }
  if (st.type !== "file") throw kerr(Errno.ACCES, `${abs}: not a regular file`);
  try {
    await vfs.access(abs, 1, cred);
  } catch {
    throw kerr(Errno.ACCES, `${abs}: permission denied`);
  }
}

/** Decide what running `path` with `argv` means. */
export async function loadProgram(
  vfs: Vfs,
  sources: ProgramSources,
  path: string,
  argv: string[],
  cred: Credentials,
  depth = 0,
): Promise<Program> {
  const f = await vfs.open(path, { read: true }, 0, cred);
  let head: Uint8Array;
  try {
    head = await f.read(256, 0);
  } finally {
    f.close();
  }
  const text = new TextDecoder().decode(head);
  if (text.startsWith(MARKER)) {
    const name = text.slice(MARKER.length).split("\n")[0]!.trim();
    const rec = sources.commands.get(name);
    if (!rec) throw kerr(Errno.NOENT, `${name}: command is not installed`);
    return { kind: "wasm", name, hash: rec.hash, bytes: rec.bytes, abi: rec.abi, argv };
  }
  if (text.startsWith(BUILTIN_MARKER)) {
    const name = text.slice(BUILTIN_MARKER.length).split("\n")[0]!.trim();
    return { kind: "builtin", name, argv };
  }
  if (text.startsWith(HOST_MARKER)) {
    const name = text.slice(HOST_MARKER.length).split("\n")[0]!.trim();
    const fn = sources.hostCommands.get(name);
    if (!fn) throw kerr(Errno.NOENT, `${name}: host command is not registered in this VM`);
    return { kind: "host", name, fn, argv };
  }
  if (head[0] === 0 && head[1] === 0x61 && head[2] === 0x73 && head[3] === 0x6d) {
    const bytes = await vfs.readFile(path, cred);
    const hash = createHash("sha256").update(bytes).digest("hex");
    let mod = userModules.get(hash);
    if (!mod) {
      mod = { bytes, abi: detectAbi(readImports(bytes)) };
      userModules.set(hash, mod);
    }
    return { kind: "wasm", name: path, hash, bytes: mod.bytes, abi: mod.abi, argv };
  }
  if (text.startsWith("#!")) {
    if (depth >= MAX_INTERPRETERS) throw kerr(Errno.LOOP, `${path}: too many levels of interpreters`);
    const line = text.slice(2).split("\n")[0]!.trim();
    const space = line.search(/\s/);
    const interp = space < 0 ? line : line.slice(0, space);
    const arg = space < 0 ? "" : line.slice(space).trim();
    if (!interp) throw kerr(Errno.NOEXEC, `${path}: empty interpreter line`);
    await checkExecutable(vfs, interp, cred);
    const nextArgv = [interp, ...(arg ? [arg] : []), path, ...argv.slice(1)];
    return loadProgram(vfs, sources, interp, nextArgv, cred, depth + 1);
  }
  throw kerr(Errno.NOEXEC, `${path}: exec format error`);
}
